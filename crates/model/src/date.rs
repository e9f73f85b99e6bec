//! Dates as papers give them: a year ("by 2009"), a month ("March 2009") or a day.
//!
//! The model stores them as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` strings. Compared as
//! strings, "2009-03" sorts after "2009" although "2009" runs to December; a
//! [`PartialDate`] knows the span it covers and compares by it.

use std::cmp::{Ordering, Reverse};
use std::fmt;

/// A date known to the year, month or day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// How much of a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1–12) of `year`.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl PartialDate {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real day: no 30 February).
    pub fn parse(text: &str) -> Option<PartialDate> {
        let num = |s: &str, len: usize| -> Option<u16> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let mut parts = text.trim().split('-');
        let year = num(parts.next()?, 4)?;
        let month = match parts.next() {
            Some(m) => Some(num(m, 2).filter(|m| (1..=12).contains(m))? as u8),
            None => None,
        };
        let day = match (parts.next(), month) {
            (Some(d), Some(m)) => {
                Some(num(d, 2).filter(|d| (1..=days_in_month(year, m) as u16).contains(d))? as u8)
            }
            (Some(_), None) => return None,
            (None, _) => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// The first day it covers, as (year, month, day).
    pub fn first_day(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day it covers: a due date "2009" means by 31 December 2009.
    pub fn last_day(&self) -> (u16, u8, u8) {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        (self.year, month, day)
    }

    /// The first day as a number YYYYMMDD (for range queries).
    pub fn first_key(&self) -> u32 {
        key(self.first_day())
    }

    /// The last day as a number YYYYMMDD.
    pub fn last_key(&self) -> u32 {
        key(self.last_day())
    }

    /// Whether the two spans share a day ("2008" and "2008-09" do).
    pub fn overlaps(&self, other: &PartialDate) -> bool {
        self.first_key() <= other.last_key() && other.first_key() <= self.last_key()
    }
}

fn key((y, m, d): (u16, u8, u8)) -> u32 {
    y as u32 * 10_000 + m as u32 * 100 + d as u32
}

/// Ordered by when the span ends, then the more precise first: "2009-03" < "2009" (which
/// runs to 31 December), and "2009-12-31" < "2009-12" < "2009" (all end that day).
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        let key = |d: &Self| (d.last_key(), Reverse(d.first_key()));
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for PartialDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartialDate::parse(s)
            .ok_or_else(|| format!("not a YYYY, YYYY-MM or YYYY-MM-DD date: {s:?}"))
    }
}

/// Orders optional date strings as dates: by [`PartialDate`], a string that is not
/// one after all dates (by its text), a missing date last.
pub fn cmp_date_strings(a: Option<&str>, b: Option<&str>) -> Ordering {
    let rank = |s: Option<&str>| match s {
        Some(s) => match PartialDate::parse(s) {
            Some(d) => (0, Some(d), s.to_owned()),
            None => (1, None, s.to_owned()),
        },
        None => (2, None, String::new()),
    };
    rank(a).cmp(&rank(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn reads_the_three_precisions_and_refuses_unreal_days() {
        assert_eq!(d("2009").precision(), Precision::Year);
        assert_eq!(d("2009-03").precision(), Precision::Month);
        assert_eq!(d("2009-03-31").precision(), Precision::Day);
        assert_eq!(d("2024-02-29").last_day(), (2024, 2, 29));
        for bad in [
            "",
            "09",
            "2009-3",
            "2009-13",
            "2009-02-29",
            "2009-04-31",
            "2009-00",
            "March 2009",
            "2009-03-01-01",
            "2009--01",
        ] {
            assert_eq!(PartialDate::parse(bad), None, "{bad:?}");
        }
        for s in ["2009", "2009-03", "1999-12-31"] {
            assert_eq!(d(s).to_string(), s);
        }
    }

    #[test]
    fn spans_end_on_their_real_last_day() {
        assert_eq!(d("2009").last_day(), (2009, 12, 31));
        assert_eq!(d("2009-02").last_day(), (2009, 2, 28));
        assert_eq!(d("2008-02").last_day(), (2008, 2, 29));
        assert_eq!(d("2008-09").last_key(), 20080930);
        assert_eq!(d("2008-09").first_key(), 20080901);
        assert!(d("2008").overlaps(&d("2008-09")));
        assert!(!d("2008-08").overlaps(&d("2008-09-01")));
    }

    #[test]
    fn compares_by_the_span_not_the_text() {
        // As strings "2009" < "2009-03"; as due dates "by 2009" is the later one.
        assert!("2009" < "2009-03");
        assert!(d("2009-03") < d("2009"));
        assert!(d("2009-12") < d("2009"));
        assert!(d("2009-12-31") < d("2009-12"));
        assert!(d("2008-12-31") < d("2009-01"));
        let mut v = [d("2010"), d("2009"), d("2009-03-15"), d("2009-03")];
        v.sort();
        let got: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(got, ["2009-03-15", "2009-03", "2009", "2010"]);
        assert_eq!(
            cmp_date_strings(Some("2009"), Some("2009-03")),
            Ordering::Greater
        );
        assert_eq!(cmp_date_strings(Some("2009"), None), Ordering::Less);
        assert_eq!(
            cmp_date_strings(Some("soon"), Some("2100")),
            Ordering::Greater
        );
    }
}
