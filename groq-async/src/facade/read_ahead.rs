//! How far a task that reads a response body may run ahead of its consumer, shared by `groq-async`'s event
//! streams (decoded items) and `groq-blocking`'s streamed bodies (pieces). The task hands over through a
//! channel of [`CAPACITY`] places, and an item made from [`SMALL`] bytes of the body or more also takes room
//! among [`BYTES`] bytes, given back when the consumer takes it. So a slow consumer slows the connection
//! instead of filling memory: at most `CAPACITY` small items (under `BYTES` together) and large ones within
//! `BYTES`, besides the one the task holds. Small items, the usual case (a chat chunk is a few hundred
//! bytes), cost nothing more than their place in the channel.

use std::sync::Arc;
use tokio::sync::Semaphore;

/// How many items the task may hand over that the consumer has not taken.
pub(crate) const CAPACITY: usize = 64;

/// How many bytes of the body the large items handed over and not taken may come from.
pub(crate) const BYTES: u32 = 1024 * 1024;

/// An item made from fewer bytes is small: [`CAPACITY`] of them stay within [`BYTES`].
pub(crate) const SMALL: usize = BYTES as usize / CAPACITY;

/// The room among [`BYTES`], shared by the task and its consumer.
#[derive(Clone)]
pub(crate) struct Room(Arc<Semaphore>);

impl Room {
    pub(crate) fn new() -> Self {
        Self(Arc::new(Semaphore::new(BYTES as usize)))
    }

    /// Waits until an item made from `bytes` of the body fits, and returns the room it takes (0 for a small
    /// item), to be given back with [`give_back`](Self::give_back) when the consumer takes the item.
    pub(crate) async fn take(&self, bytes: usize) -> u32 {
        if bytes < SMALL {
            return 0;
        }
        let taken = u32::try_from(bytes).unwrap_or(u32::MAX).min(BYTES);
        // Not kept as a permit (an owned one costs an `Arc` per item); the consumer gives the room back.
        // The semaphore is never closed.
        match self.0.acquire_many(taken).await {
            Ok(permit) => permit.forget(),
            Err(_) => return 0,
        }
        taken
    }

    /// Gives back the room an item took.
    pub(crate) fn give_back(&self, taken: u32) {
        if taken > 0 {
            self.0.add_permits(taken as usize);
        }
    }
}
