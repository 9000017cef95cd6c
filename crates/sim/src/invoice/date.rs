//! [`Date`]: a calendar day of simulated time, with the day arithmetic the deadlines need
//! (7 days to acknowledge a rejection, 15 days to validate, 7 days for the MOE).

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day in the proleptic Gregorian calendar.
///
/// Serialised as ISO 8601 `"2025-03-14"` (the API format AAAA-MM-JJ); shown to the learner as
/// « 14/03/2025 » (the portal format JJ/MM/AAAA).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a typed date could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateParseError {
    /// Not in the form JJ/MM/AAAA or AAAA-MM-JJ.
    Format,
    /// A day or month that does not exist (31/02/2025).
    NoSuchDay,
}

impl Date {
    /// The date with these parts, if it exists.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Reads « 14/03/2025 » (portal) or « 2025-03-14 » (API).
    pub fn parse(text: &str) -> Result<Date, DateParseError> {
        let text = text.trim();
        let (year, month, day) = if let Some((d, rest)) = text.split_once('/') {
            let (m, y) = rest.split_once('/').ok_or(DateParseError::Format)?;
            (y, m, d)
        } else {
            let mut parts = text.splitn(3, '-');
            let y = parts.next().ok_or(DateParseError::Format)?;
            let m = parts.next().ok_or(DateParseError::Format)?;
            let d = parts.next().ok_or(DateParseError::Format)?;
            (y, m, d)
        };
        let digits = |part: &str, len: core::ops::RangeInclusive<usize>| {
            (len.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<u32>().ok())
                .flatten()
                .ok_or(DateParseError::Format)
        };
        let year = digits(year, 4..=4)?;
        let month = digits(month, 1..=2)?;
        let day = digits(day, 1..=2)?;
        let year = i32::try_from(year).map_err(|_| DateParseError::Format)?;
        let month = u8::try_from(month).map_err(|_| DateParseError::NoSuchDay)?;
        let day = u8::try_from(day).map_err(|_| DateParseError::NoSuchDay)?;
        Date::from_ymd(year, month, day).ok_or(DateParseError::NoSuchDay)
    }

    /// « 14/03/2025 ».
    pub fn to_fr_string(self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// « 2025-03-14 ».
    pub fn to_iso_string(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).expect("simulated dates stay within i32 years"),
            month: u8::try_from(month).expect("month is 1..=12 by construction"),
            day: u8::try_from(day).expect("day is 1..=31 by construction"),
        }
    }

    /// This date plus `days` days (minus when negative).
    pub fn add_days(self, days: i64) -> Date {
        Date::from_days(self.to_days() + days)
    }

    /// Number of days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.to_days() - self.to_days()
    }
}

impl fmt::Display for Date {
    /// The portal format, « 14/03/2025 ».
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.to_fr_string())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_iso_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(|_| {
            serde::de::Error::custom(format!("invalid date {text:?}, expected YYYY-MM-DD"))
        })
    }
}

impl DateParseError {
    /// The message shown to the learner, in French.
    pub fn message_fr(self) -> &'static str {
        match self {
            DateParseError::Format => "Saisissez la date au format JJ/MM/AAAA.",
            DateParseError::NoSuchDay => "Cette date n'existe pas.",
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date::from_ymd(year, month, day).unwrap()
    }

    #[test]
    fn portal_and_api_formats_are_read() {
        assert_eq!(Date::parse("14/03/2025"), Ok(date(2025, 3, 14)));
        assert_eq!(Date::parse("2025-03-14"), Ok(date(2025, 3, 14)));
        assert_eq!(Date::parse("1/3/2025"), Ok(date(2025, 3, 1)));
        assert_eq!(Date::parse("31/02/2025"), Err(DateParseError::NoSuchDay));
        assert_eq!(Date::parse("29/02/2024"), Ok(date(2024, 2, 29)));
        assert_eq!(Date::parse("14-03-25"), Err(DateParseError::Format));
        assert_eq!(Date::parse("demain"), Err(DateParseError::Format));
    }

    #[test]
    fn dates_print_like_the_portal_and_serialise_like_the_api() {
        let day = date(2025, 3, 4);
        assert_eq!(day.to_string(), "04/03/2025");
        assert_eq!(serde_json::to_string(&day).unwrap(), r#""2025-03-04""#);
        assert_eq!(
            serde_json::from_str::<Date>(r#""2025-03-04""#).unwrap(),
            day
        );
    }

    #[test]
    fn day_arithmetic_crosses_months_and_leap_years() {
        assert_eq!(date(1970, 1, 1).to_days(), 0);
        assert_eq!(date(2025, 2, 25).add_days(7), date(2025, 3, 4));
        assert_eq!(date(2024, 2, 25).add_days(7), date(2024, 3, 3));
        assert_eq!(date(2025, 12, 20).days_until(date(2026, 1, 4)), 15);
    }

    proptest! {
        #[test]
        fn days_round_trip(days in -200_000i64..200_000) {
            let day = Date::from_days(days);
            prop_assert_eq!(day.to_days(), days);
            prop_assert_eq!(Date::parse(&day.to_iso_string()), Ok(day));
        }
    }
}
