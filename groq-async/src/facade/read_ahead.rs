//! A task that reads a response body ahead of its consumer, and how far it may run ahead; shared by
//! `groq-async`'s event streams and `groq-blocking`'s streamed bodies, which both hand over the body's
//! pieces. The task ([`Sender::read`]) hands over through a channel of [`CAPACITY`] places, and a piece
//! of [`SMALL`] bytes or more also takes room among [`BYTES`] bytes, given back when the consumer takes it.
//! So a slow consumer slows the connection instead of filling memory: at most `CAPACITY` small items
//! (under `BYTES` together) and large ones within `BYTES`, besides the one the task holds. Small items, the
//! usual case (a chat chunk is a few hundred bytes), cost nothing more than their place in the channel.

use futures::{Stream, StreamExt};
use groq_types::sdk::Error;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::mpsc;
use tokio::sync::Semaphore;

/// How many items the task may hand over that the consumer has not taken.
pub(crate) const CAPACITY: usize = 64;

/// How many bytes of the body the large items handed over and not taken may come from.
pub(crate) const BYTES: u32 = 1024 * 1024;

/// An item made from fewer bytes is small: [`CAPACITY`] of them stay within [`BYTES`].
pub(crate) const SMALL: usize = BYTES as usize / CAPACITY;

/// A channel from a reading task to its consumer, bounded as the module says.
pub(crate) fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let (sender, receiver) = mpsc::channel(CAPACITY);
    let room = Room::new();
    (
        Sender {
            items: sender,
            room: room.clone(),
        },
        Receiver {
            items: receiver,
            room,
        },
    )
}

/// What goes through the channel.
enum Handoff<T> {
    /// An item, and the room it takes among the bytes read ahead (given back when the consumer takes it).
    Item(Result<T, Error>, u32),
    /// The source is over: every item before this was handed over.
    End,
}

/// What the consumer gets next.
pub(crate) enum Next<T> {
    /// An item; an error is the source's last.
    Item(Result<T, Error>),
    /// The source is over.
    End,
    /// The task stopped before the end: its runtime is shutting down, or it was cancelled.
    Stopped,
}

/// The reading task's end of the channel.
pub(crate) struct Sender<T> {
    items: mpsc::Sender<Handoff<T>>,
    room: Room,
}

impl<T: AsRef<[u8]>> Sender<T> {
    /// Reads `source` to its end and hands each piece over once there is room for it (an error, the
    /// source's last, takes none), then the end; stops early if the consumer is gone.
    pub(crate) async fn read<S>(self, mut source: S)
    where
        S: Stream<Item = Result<T, Error>> + Unpin,
    {
        while let Some(item) = source.next().await {
            let size = item.as_ref().map_or(0, |piece| piece.as_ref().len());
            let taken = self.room.take(size).await;
            if self.items.send(Handoff::Item(item, taken)).await.is_err() {
                return;
            }
        }
        let _ = self.items.send(Handoff::End).await;
    }
}

/// The consumer's end of the channel; taking an item gives back the room it took.
pub(crate) struct Receiver<T> {
    items: mpsc::Receiver<Handoff<T>>,
    room: Room,
}

impl<T> Drop for Receiver<T> {
    /// The consumer is gone: the room is closed, so that a task waiting for room (the items it handed over
    /// and no one took keep theirs) stops waiting, finds no one to hand its item to, and stops.
    fn drop(&mut self) {
        self.room.0.close();
    }
}

impl<T> Receiver<T> {
    /// The next thing handed over, waking `cx` when there is one.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Next<T>> {
        self.items.poll_recv(cx).map(|handoff| self.open(handoff))
    }
    fn open(&self, handoff: Option<Handoff<T>>) -> Next<T> {
        match handoff {
            Some(Handoff::Item(item, taken)) => {
                self.room.give_back(taken);
                Next::Item(item)
            }
            Some(Handoff::End) => Next::End,
            None => Next::Stopped,
        }
    }
}

/// The room among [`BYTES`], shared by the task and its consumer.
#[derive(Clone)]
struct Room(Arc<Semaphore>);

impl Room {
    fn new() -> Self {
        Self(Arc::new(Semaphore::new(BYTES as usize)))
    }

    /// Waits until an item made from `bytes` of the body fits, and returns the room it takes (0 for a small
    /// item), to be given back with [`give_back`](Self::give_back) when the consumer takes the item.
    async fn take(&self, bytes: usize) -> u32 {
        if bytes < SMALL {
            return 0;
        }
        let taken = u32::try_from(bytes).unwrap_or(u32::MAX).min(BYTES);
        // Not kept as a permit (an owned one costs an `Arc` per item); the consumer gives the room back.
        // The semaphore is closed only once the consumer is gone (no room to take, nothing to hand over).
        match self.0.acquire_many(taken).await {
            Ok(permit) => permit.forget(),
            Err(_) => return 0,
        }
        taken
    }

    /// Gives back the room an item took.
    fn give_back(&self, taken: u32) {
        if taken > 0 {
            self.0.add_permits(taken as usize);
        }
    }
}
