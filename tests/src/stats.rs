//! The few statistics the benches report: quantiles of a set of runs, and a confidence interval for their
//! median that assumes nothing about how the runs are distributed.
//!
//! ```
//! use groq_tests::stats::{median, median_interval, quantile};
//!
//! let ratios: Vec<f64> = (1..=9).map(f64::from).collect();
//! assert_eq!(median(ratios.clone()), 5.0);
//! assert_eq!(quantile(ratios.clone(), 0.25), 3.0);
//! // Nine rounds: the second smallest and the second largest.
//! assert_eq!(median_interval(ratios), Some((2.0, 8.0)));
//! ```

/// The fewest values for which [`median_interval`] exists: with five, all of them on one side of the true
/// median has a chance of 1 in 32, more than the 2.5 % allowed on each side.
pub const MIN_VALUES_FOR_INTERVAL: usize = 6;

/// The median of `values`, interpolated between the two middle ones; NaN if there are none.
pub fn median(values: Vec<f64>) -> f64 {
    quantile(values, 0.5)
}

/// The `q`-quantile of `values` (0.5: the median), interpolated between the two nearest values; NaN if
/// there are none.
pub fn quantile(mut values: Vec<f64>, q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let Some(last) = values.len().checked_sub(1) else {
        return f64::NAN;
    };
    let at = q.clamp(0.0, 1.0) * last as f64;
    let (below, above) = (at.floor() as usize, at.ceil() as usize);
    match (values.get(below), values.get(above)) {
        (Some(&low), Some(&high)) => low + (high - low) * (at - below as f64),
        _ => f64::NAN,
    }
}

/// A 95 % confidence interval for the median of `values`, assuming only that they are independent: the
/// `j`-th smallest and the `j`-th largest value, for the largest `j` such that the chance of fewer than
/// `j` values falling below the true median (a binomial with p = ½) is at most 2.5 %. `None` under
/// [`MIN_VALUES_FOR_INTERVAL`] values.
///
/// It says whether the rounds of a bench were enough to tell a median from a goal next to it: with 151
/// rounds it spans the 63rd to the 89th smallest value.
pub fn median_interval(mut values: Vec<f64>) -> Option<(f64, f64)> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    // ln P(B = 0) for B ~ Binomial(n, ½); then ln P(B = k + 1) from ln P(B = k), term by term.
    let mut ln_term = -(n as f64) * std::f64::consts::LN_2;
    let mut below = 0.0;
    let mut outside = None;
    for k in 0..n / 2 {
        below += ln_term.exp();
        if below > 0.025 {
            break;
        }
        // P(B ≤ k) ≤ 2.5 %: the (k + 1)-th smallest value is below the median with 97.5 % or more.
        outside = Some(k);
        ln_term += ((n - k) as f64 / (k + 1) as f64).ln();
    }
    let k = outside?;
    Some((*values.get(k)?, *values.get(n - 1 - k)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values 1..=n, shuffled by a fixed stride so that sorting matters.
    fn ranks(n: usize) -> Vec<f64> {
        (0..n).map(|i| ((i * 7) % n + 1) as f64).collect()
    }

    #[test]
    fn quantiles_interpolate_between_neighbours() {
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(quantile(vec![10.0, 20.0, 30.0], 0.75), 25.0);
        assert_eq!(quantile(vec![10.0], 0.25), 10.0);
        assert!(median(Vec::new()).is_nan());
    }

    #[test]
    fn the_interval_matches_the_binomial_tables() {
        // (n, 1-based rank of the lower end) from the order-statistic tables for 95 %.
        for (n, rank) in [
            (6, 1),
            (9, 2),
            (10, 2),
            (20, 6),
            (31, 10),
            (41, 14),
            (151, 63),
        ] {
            let (low, high) = median_interval(ranks(n)).unwrap_or_else(|| panic!("n = {n}"));
            assert_eq!(low, rank as f64, "n = {n}");
            assert_eq!(high, (n + 1 - rank) as f64, "n = {n}");
        }
    }

    #[test]
    fn too_few_values_have_no_interval() {
        for n in 0..MIN_VALUES_FOR_INTERVAL {
            assert_eq!(median_interval(ranks(n)), None, "n = {n}");
        }
    }
}
