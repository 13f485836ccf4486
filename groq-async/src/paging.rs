//! Cursor-paged listings as a [`futures::Stream`] of their items.

use crate::facade::paging::PageState;
use futures::stream::{BoxStream, Stream, StreamExt};
use groq_types::sdk::Error;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Every item of a cursor-paged listing (such as `client.batches().list_all()`), as a
/// [`Stream`](futures::Stream): each page is fetched, with the client's retries, when the items before it
/// have been consumed. The stream ends after the last page; an error is its last item.
///
/// ```no_run
/// use groq_async::TryStreamExt;
///
/// # async fn run(client: groq_async::Client) -> Result<(), groq_async::Error> {
/// let batches: Vec<_> = client.batches().list_all().try_collect().await?;
/// println!("{} batches", batches.len());
/// # Ok(())
/// # }
/// ```
pub struct AutoPager<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

impl<T: Send + 'static> AutoPager<T> {
    pub(crate) fn new(state: PageState<T>) -> Self {
        let inner = futures::stream::unfold(state, |mut state| async move {
            state.next_item().await.map(|item| (item, state))
        });
        Self {
            inner: inner.boxed(),
        }
    }
}

impl<T> Stream for AutoPager<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for AutoPager<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AutoPager").finish_non_exhaustive()
    }
}
