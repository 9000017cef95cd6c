//! Medians and spreads, and their formatting in the report.

use std::time::Duration;

/// Median, minimum and maximum of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The median (mean of the two middle values for an even count).
    pub median: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
}

/// Summarise `values`; `None` when there are none.
pub fn summarize(values: &[f64]) -> Option<Summary> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    let median = if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    };
    Some(Summary {
        median,
        min: sorted[0],
        max: sorted[sorted.len() - 1],
    })
}

/// `1.23 s (1.20–1.31)` or `45 ms (41–52)`.
pub fn format_seconds(summary: Summary) -> String {
    if summary.max < 1.0 {
        format!(
            "{:.0} ms ({:.0}–{:.0})",
            summary.median * 1e3,
            summary.min * 1e3,
            summary.max * 1e3
        )
    } else {
        format!(
            "{:.2} s ({:.2}–{:.2})",
            summary.median, summary.min, summary.max
        )
    }
}

/// `0.31× (0.29–0.33)`.
pub fn format_ratio(summary: Summary) -> String {
    format!(
        "{:.3}× ({:.3}–{:.3})",
        summary.median, summary.min, summary.max
    )
}

/// `123 MB` (decimal megabytes, as tools print them).
pub fn format_bytes(bytes: f64) -> String {
    if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else {
        format!("{:.1} kB", bytes / 1e3)
    }
}

/// Seconds as `f64`.
pub fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_an_even_sample_is_the_mean_of_the_middle_two() {
        let summary = summarize(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(
            summary,
            Summary {
                median: 2.5,
                min: 1.0,
                max: 4.0
            }
        );
    }

    #[test]
    fn median_of_an_odd_sample_is_the_middle_value() {
        assert_eq!(summarize(&[9.0, 1.0, 5.0]).unwrap().median, 5.0);
        assert_eq!(summarize(&[]), None);
    }

    #[test]
    fn durations_below_a_second_print_in_milliseconds() {
        let summary = Summary {
            median: 0.0452,
            min: 0.041,
            max: 0.052,
        };
        assert_eq!(format_seconds(summary), "45 ms (41–52)");
        let summary = Summary {
            median: 1.234,
            min: 1.2,
            max: 1.31,
        };
        assert_eq!(format_seconds(summary), "1.23 s (1.20–1.31)");
    }
}
