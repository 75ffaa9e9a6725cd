//! COPY text: the row scanner, what it refuses, and the field codec.

pub mod check;
pub mod codec;
pub mod scan;
pub mod show;
