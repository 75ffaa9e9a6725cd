//! Calendar arithmetic and the America/New_York offsets pg_dump prints when
//! run with `PGTZ=America/New_York` (as the fixtures were made).
//!
//! Instants are seconds since 1970-01-01 UTC. Supported from 1900 on: the
//! zone's local mean time (-04:56:02) ended in 1883, and nothing here is
//! generated earlier. The daylight-saving windows are the tz database's
//! `US` and `NYC` rules; beyond 2037 PostgreSQL repeats the 2007 rule, and
//! so does this.

pub const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of `days_from_civil`: (year, month, day).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// 0 = Sunday.
fn weekday(days: i64) -> i64 {
    (days + 4).rem_euclid(7)
}

/// The day of the first Sunday on or after y-m-d.
fn sunday_on_or_after(y: i64, m: u32, d: u32) -> i64 {
    let day = days_from_civil(y, m, d);
    day + (7 - weekday(day)) % 7
}

/// The day of the last Sunday of month m.
fn last_sunday(y: i64, m: u32) -> i64 {
    let next = if m == 12 {
        days_from_civil(y + 1, 1, 1)
    } else {
        days_from_civil(y, m + 1, 1)
    };
    let last = next - 1;
    last - weekday(last)
}

/// Daylight time of local year `y` as UTC instants `[start, end)`. Clocks
/// change at 02:00 local: 07:00 UTC going forward, 06:00 UTC going back.
fn dst_window(y: i64) -> Option<(i64, i64)> {
    let on = |day: i64| day * DAY + 7 * HOUR;
    let off = |day: i64| day * DAY + 6 * HOUR;
    let (start, end) = match y {
        ..=1917 => return None,
        1918..=1920 => (on(last_sunday(y, 3)), off(last_sunday(y, 10))),
        1921..=1941 | 1946..=1954 => (on(last_sunday(y, 4)), off(last_sunday(y, 9))),
        // War time: from 1942-02-09 without a break until 1945-09-30.
        1942 => (on(days_from_civil(1942, 2, 9)), i64::MAX),
        1943 | 1944 => (i64::MIN, i64::MAX),
        1945 => (i64::MIN, off(days_from_civil(1945, 9, 30))),
        1955..=1973 | 1976..=1986 => (on(last_sunday(y, 4)), off(last_sunday(y, 10))),
        1974 => (on(days_from_civil(1974, 1, 6)), off(last_sunday(y, 10))),
        1975 => (on(last_sunday(1975, 2)), off(last_sunday(y, 10))),
        1987..=2006 => (on(sunday_on_or_after(y, 4, 1)), off(last_sunday(y, 10))),
        _ => (
            on(sunday_on_or_after(y, 3, 8)),
            off(sunday_on_or_after(y, 11, 1)),
        ),
    };
    Some((start, end))
}

/// Remembers the window of the last year asked about: rows of one table
/// often fall in the same year, and a window costs a dozen divisions.
pub struct Zone {
    /// The instants `[lo, hi)` that belong to the cached year.
    lo: i64,
    hi: i64,
    window: Option<(i64, i64)>,
}

impl Zone {
    pub fn new() -> Zone {
        Zone {
            lo: 0,
            hi: 0,
            window: None,
        }
    }

    /// The UTC offset in hours (-4 or -5) at instant `t`.
    pub fn offset_hours(&mut self, t: i64) -> i64 {
        if t < self.lo || t >= self.hi {
            // No clock changes near New Year, so the year in standard time
            // is the local year of every instant that could be in the window.
            let (year, _, _) = civil_from_days((t - 5 * HOUR).div_euclid(DAY));
            self.lo = days_from_civil(year, 1, 1) * DAY + 5 * HOUR;
            self.hi = days_from_civil(year + 1, 1, 1) * DAY + 5 * HOUR;
            self.window = dst_window(year);
        }
        match self.window {
            Some((start, end)) if t >= start && t < end => -4,
            _ => -5,
        }
    }
}
