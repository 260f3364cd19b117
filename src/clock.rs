//! "Today" as the user's calendar date (issue 15). Accepted risks expire, `until` dates pass and
//! reviews fall due on the date the user sees on their own calendar, not on a UTC day: at 07:00 in
//! Beijing it is still yesterday in UTC. The time zone is the system's own, read offline (`TZ`, then
//! `/etc/localtime` on Unix, the registry on Windows); where none can be read, UTC.
//!
//! Timestamps (`at` of an answer) stay UTC instants (`util::now_rfc3339`); only calendar dates come
//! from here.

/// Today's date as days since 1970-01-01 in the user's time zone, or the date in
/// `AGENTGUARD_NOW` when it is set (golden outputs and tests), as written there.
pub fn today() -> i64 {
    if let Ok(fixed) = std::env::var("AGENTGUARD_NOW")
        && let Some(days) = crate::util::parse_date(&fixed)
    {
        return days;
    }
    local_today()
}

/// `YYYY-MM-DD` of [`today`].
pub fn today_string() -> String {
    crate::util::format_date(today())
}

/// The system clock's date in the system time zone.
pub fn local_today() -> i64 {
    let date = jiff::Zoned::now().date();
    crate::util::days_from_civil(
        i64::from(date.year()),
        u32::try_from(date.month()).unwrap_or(1),
        u32::try_from(date.day()).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_today_is_within_a_day_of_utc() {
        let utc = crate::util::now_seconds_system().div_euclid(86_400);
        let local = local_today();
        assert!((local - utc).abs() <= 1, "local {local} vs UTC {utc}");
    }

    #[test]
    fn local_today_follows_tz() {
        // A fixed zone far east and one far west are two calendar days apart for most of the
        // day and never more; both are within a day of UTC.
        let now = jiff::Timestamp::now();
        let east = now.in_tz("Pacific/Kiritimati").map(|z| z.date());
        let west = now.in_tz("Pacific/Pago_Pago").map(|z| z.date());
        if let (Ok(east), Ok(west)) = (east, west) {
            let span = west.until(east).map(|s| s.get_days());
            assert!(matches!(span, Ok(1 | 2)), "{span:?}");
        }
    }
}
