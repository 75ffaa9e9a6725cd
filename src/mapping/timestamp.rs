//! Reading `date` and `timestamptz` text as PostgreSQL writes it in ISO
//! DateStyle (which pg_dump always uses): the instant, for ordering rows by
//! time, and whether PostgreSQL would accept the value at all.
//!
//! Text order is wrong across offsets: `2024-11-03 01:30:00-04` is 05:30 UTC
//! and comes before `2024-11-03 01:10:00-05`, 06:10 UTC. So the offset is
//! applied. Accepted: `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]][ BC]`, years
//! of 3 to 9 digits, the variants that mean the same in every session
//! (`T`, blanks, `Z`/`UTC`/`GMT`, `+HHMM`, `AD`), and `infinity` /
//! `-infinity`, over PostgreSQL's whole range:
//! dates from 4714-11-24 BC to 5874897-12-31, timestamps from 4714-11-24
//! 00:00 BC to 294276-12-31 23:59:59.999999 UTC. The calendar arithmetic is
//! PostgreSQL's (proleptic Gregorian on plain integers), not a date library
//! whose years stop earlier.

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case, take_while_m_n};
use nom::character::complete::{digit0, one_of, space0, space1};
use nom::combinator::{map_res, opt};
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// Microseconds since 2000-01-01 00:00 UTC, PostgreSQL's own epoch: its
/// whole timestamp range fits in an i64 counted from there (not from 1970).
pub type Instant = i64;

/// 4714-11-24 00:00 UTC BC, PostgreSQL's first timestamp.
pub const MIN_INSTANT: Instant = -211_813_488_000_000_000;
/// 294277-01-01 00:00 UTC, just past PostgreSQL's last timestamp.
pub const END_INSTANT: Instant = 9_223_371_331_200_000_000;

/// Days from 2000-01-01 to the given day of the proleptic Gregorian
/// calendar; `year` is astronomical (1 BC is 0).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // H. Hinnant's days_from_civil, shifted to PostgreSQL's epoch.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 - 10_957
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day as days from 2000-01-01, when the calendar has it. Years are as
/// written, `bc` for the BC era; there is no year 0.
fn civil_day(year: u32, month: u32, day: u32, bc: bool) -> Option<i64> {
    if year == 0 {
        return None;
    }
    let y = if bc {
        1 - i64::from(year)
    } else {
        i64::from(year)
    };
    let valid = (1..=12).contains(&month) && (1..=days_in_month(y, month)).contains(&day);
    valid.then(|| days_from_civil(y, month, day))
}

/// First and past-last day of PostgreSQL's `date`: 4714-11-24 BC and
/// 5874898-01-01, as days from 2000-01-01.
const DATE_MIN: i64 = -2_451_545;
const DATE_END: i64 = 2_145_031_949;

/// Parses a `date` field's text as days from 2000-01-01 (`i64::MIN` and
/// `i64::MAX` for the infinities). `None` when PostgreSQL would refuse it.
pub fn parse_date(text: &[u8]) -> Option<i64> {
    let text = text.trim_ascii();
    if text.eq_ignore_ascii_case(b"infinity") || text.eq_ignore_ascii_case(b"+infinity") {
        return Some(i64::MAX);
    }
    if text.eq_ignore_ascii_case(b"-infinity") {
        return Some(i64::MIN);
    }
    let (rest, (year, month, day)) = ymd(text).ok()?;
    let (rest, bc) = bc(rest).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let days = civil_day(year, month, day, bc)?;
    (DATE_MIN..DATE_END).contains(&days).then_some(days)
}

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

fn ymd(i: &[u8]) -> IResult<&[u8], (u32, u32, u32)> {
    // One- and two-digit years mean something else to PostgreSQL (2024,
    // or a field out of range): they are not read as years here.
    let (i, year) = num(3, 9).parse(i)?;
    let (i, month) = preceded(tag("-"), num(1, 2)).parse(i)?;
    let (i, day) = preceded(tag("-"), num(1, 2)).parse(i)?;
    Ok((i, (year, month, day)))
}

/// The era suffix: ` BC` in any case, the space optional.
/// The era: `BC` or `AD` in any case, after blanks or none.
fn bc(i: &[u8]) -> IResult<&[u8], bool> {
    let (i, era) = opt(preceded(
        space0,
        alt((tag_no_case("BC"), tag_no_case("AD"))),
    ))
    .parse(i)?;
    Ok((i, era.is_some_and(|e| e.eq_ignore_ascii_case(b"BC"))))
}

/// Hours, minutes and seconds of a displacement.
type Hms = (u32, u32, u32);

/// The zone: a signed displacement, or `Z`, `UTC`, `GMT` (the same in every
/// session), after blanks or none; as `(sign, (h, m, s))`.
fn zone(i: &[u8]) -> IResult<&[u8], (char, Hms)> {
    let (i, _) = space0(i)?;
    let utc = alt((tag_no_case("UTC"), tag_no_case("GMT"), tag_no_case("Z")));
    alt((
        (one_of("+-"), displacement),
        nom::combinator::map(utc, |_| ('+', (0, 0, 0))),
    ))
    .parse(i)
}

struct Parts {
    ymd: (u32, u32, u32),
    hms: (u32, u32, u32),
    frac: Option<Vec<u8>>,
    offset_secs: i64,
    bc: bool,
}

fn parts(i: &[u8]) -> IResult<&[u8], Parts> {
    let (i, ymd) = ymd(i)?;
    let (i, h) = preceded(alt((tag("T"), space1)), num(1, 2)).parse(i)?;
    let (i, m) = preceded(tag(":"), num(1, 2)).parse(i)?;
    let (i, s) = preceded(tag(":"), num(1, 2)).parse(i)?;
    let (i, frac) = opt(preceded(tag("."), digit0)).parse(i)?;
    let (i, (sign, (oh, om, os))) = zone(i)?;
    let (i, bc) = bc(i)?;
    // PostgreSQL's limit on a displacement: under 16 hours, fields in range.
    if oh > 15 || om > 59 || os > 59 {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        )));
    }
    let off = i64::from(oh * 3600 + om * 60 + os);
    Ok((
        i,
        Parts {
            ymd,
            hms: (h, m, s),
            frac: frac.map(<[u8]>::to_vec),
            offset_secs: if sign == '-' { -off } else { off },
            bc,
        },
    ))
}

/// A displacement after its sign, as PostgreSQL's `DecodeTimezone` reads
/// it: `H`, `HH`, `HH:MM[:SS]`, or run together as `HMM` / `HHMM`.
fn displacement(i: &[u8]) -> IResult<&[u8], Hms> {
    let (i, digits) = take_while_m_n(1, 6, |c: u8| c.is_ascii_digit()).parse(i)?;
    let value: u32 = digits.iter().fold(0, |v, &d| v * 10 + u32::from(d - b'0'));
    if digits.len() >= 3 {
        return Ok((i, (value / 100, value % 100, 0)));
    }
    let (i, m) = opt(preceded(tag(":"), num(1, 2))).parse(i)?;
    let (i, s) = opt(preceded(tag(":"), num(1, 2))).parse(i)?;
    Ok((i, (value, m.unwrap_or(0), s.unwrap_or(0))))
}

/// A fraction of a second in microseconds, rounded to six digits as
/// PostgreSQL rounds it (half away from zero): up to 1_000_000.
fn micros(frac: &[u8]) -> i64 {
    let mut v = 0i64;
    for k in 0..6 {
        v = v * 10 + frac.get(k).map_or(0, |d| i64::from(d - b'0'));
    }
    if frac.get(6).is_some_and(|d| *d >= b'5') {
        v += 1;
    }
    v
}

/// Parses a timestamptz field's text. `None` when it is not one, or when
/// PostgreSQL would refuse it (out of its range included).
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
    // Hour 24, second 60 and the edges of the offset go the general way.
    if year < 1000 || h > 23 || m > 59 || sec > 59 || oh > 15 || om > 59 {
        return None;
    }
    let days = civil_day(year, month, day, false)?;
    let local = days * 86_400 + i64::from(h * 3600 + m * 60 + sec);
    let offset = sign * i64::from(oh * 3600 + om * 60);
    Some((local - offset) * 1_000_000 + i64::from(micros))
}

/// Every form PostgreSQL writes in ISO DateStyle, through the nom grammar,
/// with PostgreSQL's rules for the edges: hour 24 only as 24:00:00, second
/// 60 only without a fraction, fractions rounded to microseconds, and the
/// instant inside PostgreSQL's range.
fn general(text: &[u8]) -> Option<Instant> {
    let text = text.trim_ascii();
    if text.eq_ignore_ascii_case(b"infinity") || text.eq_ignore_ascii_case(b"+infinity") {
        return Some(i64::MAX);
    }
    if text.eq_ignore_ascii_case(b"-infinity") {
        return Some(i64::MIN);
    }
    let (rest, p) = parts(text).ok()?;
    let (h, m, s) = p.hms;
    let frac = p.frac.as_deref().unwrap_or(b"");
    let fraction = frac.iter().any(|&d| d != b'0');
    let bad_time = m > 59
        || s > 60
        || (s == 60 && fraction)
        || h > 24
        || (h == 24 && (m > 0 || s > 0 || fraction));
    if !rest.is_empty() || bad_time {
        return None;
    }
    let (year, month, day) = p.ymd;
    let days = civil_day(year, month, day, p.bc)?;
    let secs = days * 86_400 + i64::from(h * 3600 + m * 60 + s) - p.offset_secs;
    let t = secs.checked_mul(1_000_000)?.checked_add(micros(frac))?;
    (MIN_INSTANT..END_INSTANT).contains(&t).then_some(t)
}
#[cfg(test)]
mod tests {
    use super::*;

    const USECS_PER_DAY: i64 = 86_400_000_000;

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
        assert_eq!(t("2000-01-01 00:00:00+00"), 0);
        assert_eq!(t("1970-01-01 00:00:00+00"), -946_684_800_000_000);
        assert_eq!(t("2000-01-01 00:00:00.5+00"), 500_000);
        assert_eq!(t("2000-01-01 00:00:00.000001+00"), 1);
        assert_eq!(t("2000-01-01 05:30:00+05:30"), 0);
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
    fn the_calendar_is_postgresqls_over_its_whole_range() {
        assert_eq!(days_from_civil(2000, 1, 1), 0);
        assert_eq!(days_from_civil(-4713, 11, 24), DATE_MIN);
        assert_eq!(days_from_civil(5_874_898, 1, 1), DATE_END);
        assert_eq!(days_from_civil(-4713, 11, 24) * USECS_PER_DAY, MIN_INSTANT);
        assert_eq!(days_from_civil(294_277, 1, 1) * USECS_PER_DAY, END_INSTANT);
        assert_eq!(parse_date(b"5874897-12-31"), Some(DATE_END - 1));
        assert_eq!(parse_date(b"4714-11-24 BC"), Some(DATE_MIN));
        assert_eq!(parse_date(b"0001-01-01 BC"), Some(days_from_civil(0, 1, 1)));
        assert_eq!(parse_date(b"2024-1-1"), parse_date(b"2024-01-01"));
        assert_eq!(parse_date(b" 0044-03-15bc "), parse_date(b"0044-03-15 BC"));
        for bad in [
            "5874898-01-01",
            "4714-11-23 BC",
            "0000-01-01",
            "2023-02-29",
            "24-01-01",
            "2024-001-01",
        ] {
            assert_eq!(parse_date(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn timestamps_at_postgresqls_edges() {
        assert_eq!(t("294276-12-31 23:59:59.999999+00"), END_INSTANT - 1);
        assert_eq!(t("4714-11-24 00:00:00+00 BC"), MIN_INSTANT);
        assert_eq!(t("4714-11-23 23:00:00-01 BC"), MIN_INSTANT);
        assert_eq!(
            t("262143-01-01 00:00:00+00"),
            days_from_civil(262_143, 1, 1) * USECS_PER_DAY
        );
        assert_eq!(t("2024-01-01 24:00:00+00"), t("2024-01-02 00:00:00+00"));
        assert_eq!(t("2024-01-01 23:59:60+00"), t("2024-01-02 00:00:00+00"));
        assert_eq!(
            t("2024-01-01 23:59:59.9999995+00"),
            t("2024-01-02 00:00:00+00")
        );
        assert!(t("2024-01-01 00:00:00+15:59:59") < t("2024-01-01 00:00:00+00"));
        for bad in [
            "294276-12-31 23:59:59-01",
            "294276-12-31 23:59:59.9999999+00",
            "4714-11-24 00:30:00+01 BC",
            "2024-01-01 24:00:01+00",
            "2024-01-01 23:59:60.5+00",
            "2024-01-01 00:00:00+16",
            "2024-01-01 00:00:00+00:60",
            "0000-01-01 00:00:00+00",
        ] {
            assert_eq!(parse(bad.as_bytes()), None, "{bad}");
        }
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
