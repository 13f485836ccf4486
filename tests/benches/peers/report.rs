//! The driver's report, in Markdown: each client's medians and their ratios to raw, the ratios paired round
//! by round with their spread and a confidence interval for their median, and each client's spread.

use crate::driver::{CompareOptions, Sample};
use crate::{Client, Flavour};
use groq_tests::stats::{median, median_interval, quantile, MIN_VALUES_FOR_INTERVAL};
use std::fmt::Write as _;
use std::time::Duration;

/// `n` with a narrow space between groups of three digits.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    out
}

/// Which figure of a sample a table shows.
type Pick = fn(&Sample) -> Duration;

/// The whole report of a comparison: `samples[workload][client]`, one per round.
pub(crate) fn report(
    options: &CompareOptions,
    samples: &[Vec<Vec<Sample>>],
    cores: usize,
    steal: Option<f64>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nWhole process, medians of {} run(s) per cell, interleaved; tokio runtime for the async \
         clients: {}; {cores} core(s){}. Ratio: to raw (reqwest's async client by hand).\n",
        options.rounds,
        match options.flavour {
            Flavour::MultiThread => "multi-thread (as #[tokio::main])",
            Flavour::CurrentThread => "current-thread",
            Flavour::Task => "multi-thread, the calls in a spawned task",
        },
        steal.map_or(String::new(), |steal| format!(
            "; CPU time stolen by the host during the run: {steal:.0} %"
        ))
    );
    let raw = options.clients.iter().position(|&c| c == Client::Raw);
    let tables: [(&str, Pick); 2] = [
        ("wall time", |s| s.wall),
        ("CPU time (user + sys)", |s| s.cpu),
    ];
    for (title, pick) in tables {
        header(&mut out, title, options.clients.iter().map(|c| c.name()));
        for (w, &workload) in options.workloads.iter().enumerate() {
            let medians: Vec<f64> = samples[w]
                .iter()
                .map(|runs| median(runs.iter().map(|s| pick(s).as_secs_f64() * 1e3).collect()))
                .collect();
            let _ = write!(out, "| {} |", options.describe(workload));
            for (c, &m) in medians.iter().enumerate() {
                match raw {
                    _ if samples[w][c].is_empty() => out.push_str(" – |"),
                    Some(r) if r != c => {
                        let _ = write!(out, " {m:.0} ms ({:.2}×) |", m / medians[r]);
                    }
                    _ => {
                        let _ = write!(out, " {m:.0} ms |");
                    }
                }
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if let Some(r) = raw {
        let others: Vec<usize> = (0..options.clients.len()).filter(|&c| c != r).collect();
        paired_ratios(&mut out, options, samples, r, &others);
    }
    // Like for like: the clients that decode the full types, against raw-typed, which does too.
    let typed = options.clients.iter().position(|&c| c == Client::RawTyped);
    let sdks: Vec<usize> = (0..options.clients.len())
        .filter(|&c| matches!(options.clients[c], Client::GroqAsync | Client::GroqBlocking))
        .collect();
    if let (Some(t), false) = (typed, sdks.is_empty()) {
        paired_ratios(&mut out, options, samples, t, &sdks);
    }
    let _ = writeln!(
        out,
        "Spread of the wall time (min–max over the rounds, ms):\n"
    );
    header(
        &mut out,
        "workload",
        options.clients.iter().map(|c| c.name()),
    );
    for (w, &workload) in options.workloads.iter().enumerate() {
        let _ = write!(out, "| {} |", workload.name());
        for runs in &samples[w] {
            if runs.is_empty() {
                out.push_str(" – |");
                continue;
            }
            let ms: Vec<f64> = runs.iter().map(|s| s.wall.as_secs_f64() * 1e3).collect();
            let min = ms.iter().copied().fold(f64::INFINITY, f64::min);
            let max = ms.iter().copied().fold(0.0, f64::max);
            let _ = write!(out, " {min:.0}–{max:.0} |");
        }
        out.push('\n');
    }
    out
}

/// The wall-time ratio of each of `clients` to `baseline` (raw, or raw-typed for the SDKs alone), paired
/// round by round: a client's run divided by the baseline's run of the same round, so that load which
/// comes and goes between rounds weighs on both. Shown as the median,
/// in brackets the quartiles (the middle half of the rounds), and in square brackets a 95 % confidence
/// interval for the median (`median_interval`), which says whether the rounds were enough to tell the
/// median from a goal next to it.
fn paired_ratios(
    out: &mut String,
    options: &CompareOptions,
    samples: &[Vec<Vec<Sample>>],
    baseline: usize,
    clients: &[usize],
) {
    let _ = writeln!(
        out,
        "Wall-time ratio to {}, paired round by round: median (quartiles) [95 % confidence interval \
         of the median; – under {MIN_VALUES_FOR_INTERVAL} rounds]:\n",
        options.clients[baseline].name()
    );
    header(
        out,
        "workload",
        clients.iter().map(|&c| options.clients[c].name()),
    );
    for (w, &workload) in options.workloads.iter().enumerate() {
        let _ = write!(out, "| {} |", workload.name());
        for &c in clients {
            let ratios: Vec<f64> = samples[w][c]
                .iter()
                .zip(&samples[w][baseline])
                .map(|(run, base)| run.wall.as_secs_f64() / base.wall.as_secs_f64())
                .collect();
            if ratios.is_empty() {
                out.push_str(" – |");
                continue;
            }
            let interval = median_interval(ratios.clone())
                .map_or("–".to_owned(), |(low, high)| {
                    format!("{low:.2}–{high:.2}")
                });
            let _ = write!(
                out,
                " {:.2}× ({:.2}–{:.2}) [{interval}] |",
                quantile(ratios.clone(), 0.5),
                quantile(ratios.clone(), 0.25),
                quantile(ratios, 0.75)
            );
        }
        out.push('\n');
    }
    out.push('\n');
}

/// A Markdown table's header: `first`, then a right-aligned column per name.
fn header<'a>(out: &mut String, first: &str, names: impl Iterator<Item = &'a str> + Clone) {
    let _ = write!(out, "| {first} |");
    for name in names.clone() {
        let _ = write!(out, " {name} |");
    }
    let _ = write!(out, "\n| --- |");
    for _ in names {
        out.push_str(" ---: |");
    }
    out.push('\n');
}
