//! What became of each request of a case, and the runner that sends a case's requests and judges them.

use crate::{Kind, Target, REPS, SHOWN_FAILURES};
use groq_tests::steady;
use groq_types::sdk::{Error, ErrorBody, RawResponse, ResponseMeta};
use std::fmt::Write as _;
use std::time::Instant;

/// What became of one request.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Accepted by Steady, and the answer deserialized (or, for a binary body, was read whole).
    Deserialized,
    /// Steady rejected the request.
    Rejected(String),
    /// Accepted, but with an unexpected diagnostic, or the answer could not be read or parsed, or the call
    /// failed before an answer.
    Failed(String),
}

fn header_pairs<'a, V: AsRef<[u8]> + 'a>(
    headers: impl Iterator<Item = (impl AsRef<str>, &'a V)>,
) -> Vec<(String, String)> {
    headers
        .map(|(name, value)| {
            (
                name.as_ref().to_owned(),
                String::from_utf8_lossy(value.as_ref()).into_owned(),
            )
        })
        .collect()
}

fn meta_headers(meta: &ResponseMeta) -> Vec<(String, String)> {
    header_pairs(
        meta.headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value)),
    )
}

fn describe(diagnostics: &[steady::Diagnostic]) -> String {
    if diagnostics.is_empty() {
        return "no diagnostics".to_owned();
    }
    diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl Outcome {
    /// The outcome of a call that failed.
    pub(crate) fn from_error(error: &Error) -> Self {
        let Some(api) = error.api_error() else {
            return match error {
                Error::Decode { message, body, .. } => Outcome::Failed(format!(
                    "could not decode the response: {message}; body: {body}"
                )),
                other => Outcome::Failed(format!("the call failed: {other}")),
            };
        };
        let headers = header_pairs(
            api.headers
                .iter()
                .map(|(name, value)| (name.as_str(), value)),
        );
        let body = match &api.body {
            ErrorBody::Json(json) => json.to_string(),
            ErrorBody::Text(text) => text.clone(),
            other => format!("{other:?}"),
        };
        let message = format!(
            "HTTP {}: {}; body: {body}",
            api.status,
            describe(&steady::diagnostics(&headers))
        );
        match steady::check_valid(&headers) {
            Err(_) => Outcome::Rejected(message),
            Ok(()) => Outcome::Failed(format!("an error status for a valid request: {message}")),
        }
    }

    /// Whether Steady accepted the request with no diagnostic outside `allowed`; `Err` holds the outcome
    /// when it did not.
    pub(crate) fn accepted(meta: &ResponseMeta, allowed: &[&str]) -> Result<(), Outcome> {
        let headers = meta_headers(meta);
        if let Err(rejection) = steady::check_valid(&headers) {
            return Err(Outcome::Rejected(format!(
                "HTTP {}: {rejection}",
                meta.status()
            )));
        }
        steady::check_clean(&headers, allowed).map_err(Outcome::Failed)
    }

    /// The outcome of a JSON call made through `with_raw_response()`.
    pub(crate) fn json<T>(result: Result<RawResponse<T>, Error>, allowed: &[&str]) -> Self {
        match result {
            Err(error) => Outcome::from_error(&error),
            Ok(raw) => match Outcome::accepted(raw.meta(), allowed) {
                Err(outcome) => outcome,
                Ok(()) => match raw.parse() {
                    Ok(_) => Outcome::Deserialized,
                    Err(error) => Outcome::Failed(format!(
                        "the answer did not deserialize: {}",
                        Outcome::from_error(&error).message()
                    )),
                },
            },
        }
    }

    /// The outcome of reading a binary body whose response was accepted.
    pub(crate) fn binary<B: AsRef<[u8]>>(body: Result<B, Error>) -> Self {
        match body {
            Ok(_) => Outcome::Deserialized,
            Err(error) => Outcome::Failed(format!(
                "the body could not be read: {}",
                Outcome::from_error(&error).message()
            )),
        }
    }

    pub(crate) fn message(&self) -> &str {
        match self {
            Outcome::Deserialized => "deserialized",
            Outcome::Rejected(message) | Outcome::Failed(message) => message,
        }
    }
}

/// Runs one case: builds the client, runs the scenario, prints the summary and asserts that no request was
/// rejected and every answer deserialized.
pub(crate) fn run(
    operation: &str,
    variant: &str,
    kind: Kind,
    scenario: fn(&Target, &str) -> Vec<Outcome>,
) {
    let Some(steady) = steady::shared_or_skip() else {
        println!("{operation}/{variant} [{kind:?}]: skipped (Steady is unavailable)");
        return;
    };
    let target = Target::new(kind, &steady.url());
    let started = Instant::now();
    let outcomes = scenario(&target, variant);
    let elapsed = started.elapsed();
    let sent = outcomes.len();
    let rejected = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Rejected(_)))
        .count();
    let deserialized = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Deserialized))
        .count();
    println!(
        "{operation}/{variant} [{kind:?}]: {sent} sent, {rejected} rejected, {deserialized} deserialized ({elapsed:.2?})"
    );
    assert_eq!(sent, REPS, "{operation}/{variant}: every request is sent");
    if rejected == 0 && deserialized == sent {
        return;
    }
    let mut distinct: Vec<&str> = Vec::new();
    for outcome in &outcomes {
        let message = outcome.message();
        if !matches!(outcome, Outcome::Deserialized) && !distinct.contains(&message) {
            distinct.push(message);
        }
    }
    let mut report = format!(
        "{operation}/{variant} [{kind:?}]: {rejected} of {sent} requests rejected by Steady, {} accepted but failed \
         (unexpected diagnostic, answer not deserialized, or the call failed); {} distinct failures:",
        sent - deserialized - rejected,
        distinct.len()
    );
    for message in distinct.iter().take(SHOWN_FAILURES) {
        let _ = write!(report, "\n  - {message}");
    }
    panic!("{report}");
}

pub(crate) fn unknown_variant(variant: &str) -> ! {
    panic!("no such variant: {variant}")
}
