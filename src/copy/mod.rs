//! COPY text: the row scanner and the field codec.

pub mod codec;
pub mod scan;
pub mod show;
