//! Reading a `timestamptz` as PostgreSQL writes it in ISO DateStyle (which
//! pg_dump always uses) into an instant, for ordering rows by time.
//!
//! Text order is wrong across offsets: `2024-11-03 01:30:00-04` is 05:30 UTC
//! and comes before `2024-11-03 01:10:00-05`, 06:10 UTC. So the offset is
//! applied. Accepted: `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]][ BC]`, years
//! of 4+ digits, and `infinity` / `-infinity`.

use chrono::NaiveDate;
use nom::bytes::complete::{tag, take_while_m_n};
use nom::character::complete::{digit1, one_of};
use nom::combinator::{map_res, opt, recognize};
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// Microseconds since 1970-01-01 00:00 UTC.
pub type Instant = i64;

fn num<'a>(
    min: usize,
    max: usize,
) -> impl Parser<&'a [u8], Output = u32, Error = nom::error::Error<&'a [u8]>> {
    map_res(
        take_while_m_n(min, max, |c: u8| c.is_ascii_digit()),
        |d: &[u8]| {
            std::str::from_utf8(d)
                .map_err(|_| ())
                .and_then(|s| s.parse::<u32>().map_err(|_| ()))
        },
    )
}

struct Parts {
    year: u32,
    month: u32,
    day: u32,
    hms: (u32, u32, u32),
    micros: u32,
    offset_secs: i32,
    bc: bool,
}

fn parts(i: &[u8]) -> IResult<&[u8], Parts> {
    let (i, year) = num(4, 9).parse(i)?;
    let (i, month) = preceded(tag("-"), num(2, 2)).parse(i)?;
    let (i, day) = preceded(tag("-"), num(2, 2)).parse(i)?;
    let (i, h) = preceded(one_of(" T"), num(2, 2)).parse(i)?;
    let (i, m) = preceded(tag(":"), num(2, 2)).parse(i)?;
    let (i, s) = preceded(tag(":"), num(2, 2)).parse(i)?;
    let (i, frac) = opt(preceded(tag("."), recognize(digit1))).parse(i)?;
    let (i, sign) = one_of("+-").parse(i)?;
    let (i, oh) = num(2, 2).parse(i)?;
    let (i, om) = opt(preceded(tag(":"), num(2, 2))).parse(i)?;
    let (i, os) = opt(preceded(tag(":"), num(2, 2))).parse(i)?;
    let (i, bc) = opt(tag(" BC")).parse(i)?;
    let micros = frac.map_or(0, |f: &[u8]| {
        let mut v = 0u32;
        for k in 0..6 {
            v = v * 10 + f.get(k).map_or(0, |d| u32::from(d - b'0'));
        }
        v
    });
    let off = (oh * 3600 + om.unwrap_or(0) * 60 + os.unwrap_or(0)) as i32;
    let offset_secs = if sign == '-' { -off } else { off };
    Ok((
        i,
        Parts {
            year,
            month,
            day,
            hms: (h, m, s),
            micros,
            offset_secs,
            bc: bc.is_some(),
        },
    ))
}

/// Parses a timestamptz field's text. `None` when it is not one.
pub fn parse(text: &[u8]) -> Option<Instant> {
    match text {
        b"infinity" => return Some(i64::MAX),
        b"-infinity" => return Some(i64::MIN),
        _ => {}
    }
    let (rest, p) = parts(text).ok()?;
    if !rest.is_empty() || p.hms.0 > 24 || p.hms.1 > 59 || p.hms.2 > 60 {
        return None;
    }
    // Year 1 BC is astronomical year 0.
    let year = if p.bc {
        1 - p.year as i32
    } else {
        p.year as i32
    };
    let date = NaiveDate::from_ymd_opt(year, p.month, p.day)?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let days = date.signed_duration_since(epoch).num_days();
    let secs = days * 86_400 + i64::from(p.hms.0 * 3600 + p.hms.1 * 60 + p.hms.2)
        - i64::from(p.offset_secs);
    secs.checked_mul(1_000_000)?
        .checked_add(i64::from(p.micros))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Instant {
        parse(s.as_bytes()).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn dst_fall_back_orders_by_instant_not_text() {
        assert!(t("2024-11-03 01:30:00-04") < t("2024-11-03 01:10:00-05"));
        assert_eq!(t("2024-11-03 01:30:00-04"), t("2024-11-03 05:30:00+00"));
    }

    #[test]
    fn fractions_offsets_and_epoch() {
        assert_eq!(t("1970-01-01 00:00:00+00"), 0);
        assert_eq!(t("1970-01-01 00:00:00.5+00"), 500_000);
        assert_eq!(t("1970-01-01 00:00:00.000001+00"), 1);
        assert_eq!(t("1970-01-01 05:30:00+05:30"), 0);
        assert_eq!(
            t("1883-11-18 12:03:58-04:56:02"),
            t("1883-11-18 17:00:00+00")
        );
    }

    #[test]
    fn infinity_bc_and_far_years() {
        assert_eq!(t("infinity"), i64::MAX);
        assert_eq!(t("-infinity"), i64::MIN);
        assert!(t("0044-03-15 12:00:00+00 BC") < t("0001-01-01 00:00:00+00"));
        assert!(t("12345-01-01 00:00:00+00") > t("9999-12-31 23:59:59+00"));
    }

    #[test]
    fn rejects_non_timestamps() {
        for bad in [
            "",
            "2024-13-01 00:00:00+00",
            "2024-02-30 00:00:00+00",
            "2024-01-01",
            "2024-01-01 00:00:00",
            "yesterday",
            "2024-01-01 00:00:00+00 junk",
        ] {
            assert_eq!(parse(bad.as_bytes()), None, "{bad}");
        }
    }
}
