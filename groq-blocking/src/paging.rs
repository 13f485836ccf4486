//! Cursor-paged listings as an [`Iterator`] of their items.

use crate::facade::paging::PageState;
use groq_types::sdk::Error;
use std::fmt;

/// Every item of a cursor-paged listing (such as `client.batches().list_all()`), as an [`Iterator`]: each
/// page is fetched, with the client's retries, when the items before it have been consumed. The iterator
/// ends after the last page; an error is its last item.
///
/// ```no_run
/// # fn run(client: groq_blocking::Client) -> Result<(), groq_blocking::Error> {
/// let batches = client.batches().list_all().collect::<Result<Vec<_>, _>>()?;
/// println!("{} batches", batches.len());
/// # Ok(())
/// # }
/// ```
pub struct AutoPager<T> {
    state: PageState<T>,
}

impl<T> AutoPager<T> {
    pub(crate) fn new(state: PageState<T>) -> Self {
        Self { state }
    }
}

impl<T> Iterator for AutoPager<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.state.next_item()
    }
}

impl<T> fmt::Debug for AutoPager<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AutoPager").finish_non_exhaustive()
    }
}
