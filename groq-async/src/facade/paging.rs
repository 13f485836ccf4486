//! The loop of a cursor-paged listing, written once: fetch a page, hand out its items, follow
//! `next_cursor` until there is none. Each crate wraps it in its own `Stream` (async) or `Iterator`
//! (blocking).

use crate::facade::client::{Call, Client};
use crate::maybe_async;
use groq_types::sdk::raw::parse_json;
use groq_types::sdk::{Error, RequestOptions};
use groq_types::{Batch, ListBatchesResponse};
use http::Method;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::collections::HashSet;

/// One page: its items and the cursor of the next page (`None` on the last one).
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A response body that is one page of a cursor-paged listing.
pub(crate) trait CursorPage: DeserializeOwned {
    /// What the page lists.
    type Item;
    /// The items and the next cursor.
    fn into_page(self) -> Page<Self::Item>;
}

impl CursorPage for ListBatchesResponse {
    type Item = Batch;
    fn into_page(self) -> Page<Batch> {
        let next_cursor = self.next_cursor().map(str::to_owned);
        Page {
            items: self.data,
            next_cursor,
        }
    }
}

/// Parses a body as the page type `P`.
fn parse_page<P: CursorPage>(body: &[u8]) -> Result<Page<P::Item>, Error> {
    parse_json::<P>(body).map(CursorPage::into_page)
}

/// The state of a walk through every page of a listing.
pub(crate) struct PageState<T> {
    client: Client,
    options: RequestOptions,
    path: Cow<'static, str>,
    /// Query parameters sent with every page (filters); the cursor is added after them.
    query: Vec<(String, String)>,
    parse: fn(&[u8]) -> Result<Page<T>, Error>,
    items: std::vec::IntoIter<T>,
    cursor: Option<String>,
    seen_cursors: HashSet<String>,
    /// Pages in a row that listed nothing but named a next page.
    empty_pages: u32,
    done: bool,
}

/// The query parameter that names a page.
const CURSOR: &str = "cursor";

/// How many pages in a row may list nothing, each naming a new next page, before the walk is ended as one
/// that may never end.
const MAX_EMPTY_PAGES: u32 = 50;

impl<T> PageState<T> {
    /// A walk of the listing at `path` whose pages are `P`s, starting at the first page, or at the page of
    /// a `cursor` query parameter in `options`.
    ///
    /// That cursor is taken out of the options: they outrank a call's own query parameters, so left there
    /// it would replace the walk's own cursor and ask for the same page every time.
    pub(crate) fn new<P: CursorPage<Item = T>>(
        client: &Client,
        options: &RequestOptions,
        path: impl Into<Cow<'static, str>>,
        query: Vec<(String, String)>,
    ) -> Self {
        let mut options = options.clone();
        let start = options
            .query
            .iter()
            .rev()
            .find(|(name, _)| name == CURSOR)
            .map(|(_, cursor)| cursor.clone())
            .filter(|cursor| !cursor.is_empty());
        options.query.retain(|(name, _)| name != CURSOR);
        Self {
            client: client.clone(),
            options,
            path: path.into(),
            query,
            parse: parse_page::<P>,
            items: Vec::new().into_iter(),
            seen_cursors: start.iter().cloned().collect(),
            cursor: start,
            empty_pages: 0,
            done: false,
        }
    }

    /// The next item, `None` once the last page is exhausted. After an error the walk is over.
    ///
    /// The walk ends when a page has no `next_cursor` (absent, null or empty), or when the server hands out
    /// a cursor it already gave (it would otherwise loop for ever). After 50 empty pages in a row, each with
    /// a new cursor, it ends with an [`Error::Decode`]: such a listing may never end, and the error says
    /// that the items may not all have been seen.
    #[maybe_async]
    pub(crate) async fn next_item(&mut self) -> Option<Result<T, Error>> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            let call = self.page_call();
            match fetch_page(&self.client, &self.options, &call, self.parse).await {
                Ok(page) => {
                    let listed_nothing = page.items.is_empty();
                    self.items = page.items.into_iter();
                    if let Err(error) = self.follow(page.next_cursor, listed_nothing) {
                        return Some(Err(error));
                    }
                }
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            }
        }
    }

    /// Records the cursor of the next page, or ends the walk: at a page without one, at a cursor given
    /// before, or with an error at the [`MAX_EMPTY_PAGES`]th page in a row that listed nothing.
    fn follow(&mut self, next_cursor: Option<String>, listed_nothing: bool) -> Result<(), Error> {
        match next_cursor.filter(|cursor| !cursor.is_empty()) {
            Some(cursor) if self.seen_cursors.insert(cursor.clone()) => {
                self.cursor = Some(cursor);
                self.empty_pages = if listed_nothing {
                    self.empty_pages + 1
                } else {
                    0
                };
                if self.empty_pages >= MAX_EMPTY_PAGES {
                    self.done = true;
                    return Err(Error::decode(
                        &format!("the listing at {}", self.path),
                        format_args!(
                            "{MAX_EMPTY_PAGES} empty pages in a row, each naming another next \
                             page; stopped, as it may never end"
                        ),
                        b"",
                    ));
                }
            }
            Some(cursor) => {
                tracing::warn!(%cursor, path = %self.path, "the server repeated a page cursor; stopping");
                self.done = true;
            }
            None => self.done = true,
        }
        Ok(())
    }

    /// The request for the page at the current cursor.
    fn page_call(&self) -> Call {
        let mut call = Call::new(Method::GET, self.path.clone());
        call.query = self.query.clone();
        if let Some(cursor) = &self.cursor {
            call.query.push((CURSOR.to_owned(), cursor.clone()));
        }
        call
    }
}

/// Sends `call` and parses the page. (Not a method: a `&PageState<T>` held across an `await` would make the
/// async walk need `T: Sync`.)
#[maybe_async]
async fn fetch_page<T>(
    client: &Client,
    options: &RequestOptions,
    call: &Call,
    parse: fn(&[u8]) -> Result<Page<T>, Error>,
) -> Result<Page<T>, Error> {
    let (_meta, body) = client.send_body(call, options).await?;
    parse(&body)
}
