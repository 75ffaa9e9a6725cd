//! Reading a `timestamptz` as PostgreSQL writes it in ISO DateStyle (which
//! pg_dump always uses) into an instant, for ordering rows by time.
//!
//! Text order is wrong across offsets: `2024-11-03 01:30:00-04` is 05:30 UTC
//! and comes before `2024-11-03 01:10:00-05`, 06:10 UTC. So the offset is
//! applied. Accepted: `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]][ BC]`, years
//! of 4+ digits, and `infinity` / `-infinity`.

use chrono::{Datelike, NaiveDate};
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
    fast(text).or_else(|| general(text))
}

/// The shape pg_dump writes for every timestamp from year 1000 to 9999:
/// `YYYY-MM-DD HH:MM:SS[.f]±HH[:MM]`, read with plain byte arithmetic. Any
/// other shape returns `None` and goes to the general parser.
fn fast(t: &[u8]) -> Option<Instant> {
    if t.len() < 22
        || t[4] != b'-'
        || t[7] != b'-'
        || t[10] != b' '
        || t[13] != b':'
        || t[16] != b':'
    {
        return None;
    }
    let n = |i: usize, len: usize| -> Option<u32> {
        t.get(i..i + len)?.iter().try_fold(0u32, |v, &d| {
            d.is_ascii_digit().then(|| v * 10 + u32::from(d - b'0'))
        })
    };
    let (year, month, day) = (n(0, 4)?, n(5, 2)?, n(8, 2)?);
    let (h, m, sec) = (n(11, 2)?, n(14, 2)?, n(17, 2)?);
    let mut i = 19;
    let mut micros = 0u32;
    if t[i] == b'.' {
        let digits = t[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
        if digits == 0 || digits > 6 {
            return None;
        }
        micros = n(i + 1, digits)? * 10u32.pow(6 - digits as u32);
        i += 1 + digits;
    }
    let sign = match t.get(i)? {
        b'+' => 1i64,
        b'-' => -1,
        _ => return None,
    };
    let oh = n(i + 1, 2)?;
    let om = match t.len() - (i + 3) {
        0 => 0,
        3 if t[i + 3] == b':' => n(i + 4, 2)?,
        _ => return None,
    };
    if h > 24 || m > 59 || sec > 60 || om > 59 {
        return None;
    }
    let days = i64::from(NaiveDate::from_ymd_opt(year as i32, month, day)?.num_days_from_ce())
        - UNIX_EPOCH_DAYS_FROM_CE;
    let local = days * 86_400 + i64::from(h * 3600 + m * 60 + sec);
    let offset = sign * i64::from(oh * 3600 + om * 60);
    Some((local - offset) * 1_000_000 + i64::from(micros))
}

/// 1970-01-01 counted in days from 0001-01-01 (chrono's `num_days_from_ce`).
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Every form PostgreSQL writes in ISO DateStyle, through the nom grammar.
fn general(text: &[u8]) -> Option<Instant> {
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
    fn fast_path_agrees_with_the_grammar() {
        for s in [
            "2024-11-03 01:30:00-04",
            "2024-03-10 03:15:00.123456-04",
            "1970-01-01 00:00:00.5+00",
            "1999-12-31 23:59:60+05:30",
            "2000-02-29 12:00:00.000001-09:30",
            "1883-11-18 12:03:58-04:56:02",
            "2024-02-30 00:00:00+00",
            "2024-01-01 00:00:00.1234567+00",
            "2024-01-01 00:00:00+0",
            "2024-01-01 25:00:00+00",
        ] {
            assert_eq!(
                fast(s.as_bytes()).or_else(|| general(s.as_bytes())),
                general(s.as_bytes()),
                "{s}"
            );
        }
        assert!(fast(b"2024-11-03 01:30:00-04").is_some());
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
