//! How far an upload has gone, for the wait for its answer.
//!
//! A request's timeout bounds the wait for the response headers, and the time to send the request counts
//! in it. For a large file on a slow uplink that is not the server's silence: a 100 MB file at 10 Mbit/s
//! takes 80 s, past the default 60 s, and a timeout is retried, so the file would go out again and again
//! before the call failed. While a request's files are being sent, the wait therefore ends only after a
//! whole timeout in which no piece of them went out; once they are all sent, a timeout after the last one.
//! A piece counts when the connection takes it to be written: it takes the next only once the last has
//! gone to the socket. What the socket's send buffer still holds after the last piece (a few MiB at most)
//! goes out within the wait for the answer.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// The progress of the files of one request.
pub(crate) struct UploadProgress {
    /// When the request was handed over.
    started: Instant,
    /// When the last piece of a file was taken to be sent, in microseconds since `started`.
    last_piece_us: AtomicU64,
    /// The files not yet sent whole.
    unsent: AtomicUsize,
}

/// How the wait for an upload's answer ran out.
pub(crate) enum Stalled {
    /// No piece of the files went out for a whole timeout.
    Sending,
    /// The files were all sent, and no answer came within a timeout of the last piece.
    Answering,
}

impl UploadProgress {
    /// The progress of a request with `files` files, handed over now.
    pub(crate) fn new(files: usize) -> Arc<Self> {
        Arc::new(Self {
            started: Instant::now(),
            last_piece_us: AtomicU64::new(0),
            unsent: AtomicUsize::new(files),
        })
    }

    /// `pieces`, the pieces of one file, counted as they are taken to be sent.
    pub(crate) fn track<S>(self: &Arc<Self>, pieces: S) -> Tracked<S> {
        Tracked {
            pieces,
            progress: Arc::clone(self),
            ended: false,
        }
    }

    fn note_piece(&self) {
        let elapsed = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.last_piece_us.fetch_max(elapsed, Ordering::Relaxed);
    }

    /// A timeout after the last piece, or after the start if none went out yet.
    fn deadline(&self, timeout: Duration) -> Instant {
        let last = self.started + Duration::from_micros(self.last_piece_us.load(Ordering::Relaxed));
        last.checked_add(timeout)
            .unwrap_or(last + super::reqwest::LONGEST_WAIT)
    }

    /// Waits for `response`, for as long as the files are being sent and then for a timeout.
    pub(crate) async fn wait<F: Future>(
        &self,
        response: F,
        timeout: Duration,
    ) -> Result<F::Output, Stalled> {
        let mut response = pin!(response);
        loop {
            match tokio::time::timeout_at(self.deadline(timeout), response.as_mut()).await {
                Ok(output) => return Ok(output),
                // A piece went out since the wait began: wait on from it.
                Err(_) if self.deadline(timeout) > Instant::now() => {}
                Err(_) if self.unsent.load(Ordering::Relaxed) > 0 => return Err(Stalled::Sending),
                Err(_) => return Err(Stalled::Answering),
            }
        }
    }
}

/// The pieces of one file of an upload, counted as they are taken to be sent.
pub(crate) struct Tracked<S> {
    pieces: S,
    progress: Arc<UploadProgress>,
    ended: bool,
}

impl<S, E> Stream for Tracked<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    type Item = Result<Bytes, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let next = ready!(this.pieces.poll_next_unpin(cx));
        match &next {
            Some(Ok(_)) => this.progress.note_piece(),
            None if !this.ended => {
                this.ended = true;
                this.progress.note_piece();
                this.progress.unsent.fetch_sub(1, Ordering::Relaxed);
            }
            _ => {}
        }
        Poll::Ready(next)
    }
}

/// `bytes` in pieces of at most `size`, so that their progress can be seen.
pub(crate) fn pieces_of(
    bytes: Bytes,
    size: usize,
) -> impl Stream<Item = Result<Bytes, std::convert::Infallible>> + Send + Unpin + 'static {
    let size = size.max(1);
    let starts = (0..bytes.len()).step_by(size);
    futures::stream::iter(starts.map(move |start| {
        let end = start.saturating_add(size).min(bytes.len());
        Ok(bytes.slice(start..end))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_go_out_in_pieces_that_make_them_whole() {
        let bytes = Bytes::from((0..=255u8).cycle().take(1000).collect::<Vec<u8>>());
        let pieces: Vec<Bytes> = futures::executor::block_on_stream(pieces_of(bytes.clone(), 300))
            .map(|piece| piece.unwrap_or_default())
            .collect();
        assert_eq!(
            pieces.iter().map(Bytes::len).collect::<Vec<_>>(),
            [300, 300, 300, 100]
        );
        assert_eq!(pieces.concat(), bytes.to_vec());
        assert_eq!(
            futures::executor::block_on_stream(pieces_of(Bytes::new(), 300)).count(),
            0
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_wait_runs_while_pieces_go_out_then_a_timeout_past_the_last() {
        let timeout = Duration::from_secs(10);
        let progress = UploadProgress::new(1);
        let mut file = progress.track(futures::stream::iter(
            (0..3).map(|_| Ok::<_, ()>(Bytes::from("a"))),
        ));
        // Each piece goes out 6 s after the last: 18 s in all, past the timeout, never silent for one.
        let sending = async {
            while let Some(_piece) = file.next().await {
                tokio::time::sleep(Duration::from_secs(6)).await;
            }
        };
        let answered_at = async {
            sending.await;
            tokio::time::sleep(Duration::from_secs(9)).await;
            Instant::now()
        };
        let started = Instant::now();
        let answered = progress.wait(answered_at, timeout).await;
        assert!(matches!(answered, Ok(at) if at - started == Duration::from_secs(27)));

        // Silent for a whole timeout mid-file, and then after the last piece.
        let progress = UploadProgress::new(1);
        let never = std::future::pending::<()>();
        assert!(matches!(
            progress.wait(never, timeout).await,
            Err(Stalled::Sending)
        ));
        let progress = UploadProgress::new(1);
        let mut file = progress.track(futures::stream::iter([Ok::<_, ()>(Bytes::from("a"))]));
        while file.next().await.is_some() {}
        let never = std::future::pending::<()>();
        assert!(matches!(
            progress.wait(never, timeout).await,
            Err(Stalled::Answering)
        ));
    }
}
