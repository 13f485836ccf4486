//! Batches: the parameters of a batch listing (ids to look up, the page cursor) and where a batch is in its
//! life cycle.

use crate::sdk::Error;
use crate::{Batch, BatchStatus, ListBatchesResponse};

/// The parameters of `batches().list_with(…)`: batch ids to look up (sent as repeated `id` query parameters, at
/// most [`MAX_IDS`](Self::MAX_IDS)) and the page cursor taken from the previous page's
/// `paging.next_cursor`.
///
/// ```
/// use groq_types::ergonomics::batches::ListBatchesParams;
///
/// let params = ListBatchesParams::new().ids(["batch_a", "batch_b"]).cursor("c1");
/// assert_eq!(
///     params.query_pairs().unwrap(),
///     [("id", "batch_a"), ("id", "batch_b"), ("cursor", "c1")]
///         .map(|(k, v)| (k.to_owned(), v.to_owned()))
/// );
/// assert!(ListBatchesParams::new().ids(vec!["x"; 201]).query_pairs().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListBatchesParams {
    /// Only these batches (none: every batch of the organisation, one page at a time).
    pub ids: Vec<String>,
    /// The page to fetch: `paging.next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl ListBatchesParams {
    /// How many ids one listing accepts; `batches().retrieve_many` splits longer lists.
    pub const MAX_IDS: usize = 200;

    /// No filter, first page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds batch ids to look up.
    pub fn ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Sets the page cursor.
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// The query parameters: one `id` per id, in order, then `cursor` (left out when empty). More than
    /// [`MAX_IDS`](Self::MAX_IDS) ids, or an empty id, is an [`Error::InvalidRequest`], before any I/O.
    pub fn query_pairs(&self) -> Result<Vec<(String, String)>, Error> {
        if self.ids.len() > Self::MAX_IDS {
            return Err(Error::InvalidRequest(format!(
                "a batch listing takes at most {} ids, got {}; use retrieve_many to look up more",
                Self::MAX_IDS,
                self.ids.len()
            )));
        }
        if self.ids.iter().any(|id| id.trim().is_empty()) {
            return Err(Error::InvalidRequest(
                "`id` must not be empty in a batch listing".into(),
            ));
        }
        let mut pairs: Vec<(String, String)> = self
            .ids
            .iter()
            .map(|id| ("id".to_owned(), id.clone()))
            .collect();
        if let Some(cursor) = self.cursor.as_deref().filter(|c| !c.is_empty()) {
            pairs.push(("cursor".to_owned(), cursor.to_owned()));
        }
        Ok(pairs)
    }
}

impl BatchStatus {
    /// Whether the batch is finished for good: `completed`, `failed`, `expired` or `cancelled`. An unknown
    /// status counts as not finished.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Failed | Self::Expired | Self::Cancelled
        )
    }
}

impl Batch {
    /// Whether the batch is finished for good (see [`BatchStatus::is_terminal`]).
    pub fn is_terminal(&self) -> bool {
        self.status.is_terminal()
    }
}

impl ListBatchesResponse {
    /// The cursor of the next page: `None` on the last page (`paging` or `next_cursor` absent, null or
    /// empty).
    pub fn next_cursor(&self) -> Option<&str> {
        self.paging
            .as_ref()
            .and_then(|paging| paging.next_cursor.as_deref())
            .filter(|cursor| !cursor.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_repeat_and_are_checked() {
        let pairs = ListBatchesParams::new()
            .ids(["a", "b"])
            .cursor("")
            .query_pairs()
            .unwrap();
        assert_eq!(
            pairs,
            vec![("id".into(), "a".into()), ("id".into(), "b".into())]
        );
        let ok = ListBatchesParams::new().ids(vec!["x"; 200]);
        assert_eq!(ok.query_pairs().unwrap().len(), 200);
        assert!(matches!(
            ListBatchesParams::new().ids(vec!["x"; 201]).query_pairs(),
            Err(Error::InvalidRequest(m)) if m.contains("200")
        ));
        assert!(ListBatchesParams::new().ids([""]).query_pairs().is_err());
    }

    #[test]
    fn the_next_cursor_ignores_null_and_empty() {
        let page = |paging: serde_json::Value| -> ListBatchesResponse {
            serde_json::from_value(
                serde_json::json!({"object": "list", "data": [], "paging": paging}),
            )
            .unwrap()
        };
        assert_eq!(
            page(serde_json::json!({"next_cursor": "c"})).next_cursor(),
            Some("c")
        );
        assert_eq!(
            page(serde_json::json!({"next_cursor": ""})).next_cursor(),
            None
        );
        assert_eq!(
            page(serde_json::json!({"next_cursor": null})).next_cursor(),
            None
        );
        assert_eq!(page(serde_json::json!({})).next_cursor(), None);
        assert_eq!(page(serde_json::Value::Null).next_cursor(), None);
        assert!(BatchStatus::Cancelled.is_terminal());
        assert!(!BatchStatus::Finalizing.is_terminal());
        assert!(!BatchStatus::from("paused").is_terminal());
    }
}
