//! `/openai/v1/batches`: create, retrieve, cancel and list batches; walk every page of the listing; look
//! up any number of batches by id.

use super::resource;
use crate::facade::client::Call;
use crate::facade::doc::example;
use crate::facade::paging::PageState;
use crate::maybe_async;
use crate::paging::AutoPager;
use groq_types::ergonomics::batches::ListBatchesParams;
use groq_types::sdk::request::path_segment;
use groq_types::sdk::{Error, ResponseMode};
use groq_types::{Batch, CreateBatchRequest, ListBatchesResponse};
use http::Method;

const PATH: &str = "/openai/v1/batches";

resource! {
    /// Batches: `client.batches()`.
    Batches
}

impl<M: ResponseMode> Batches<'_, M> {
    /// Starts a batch from an uploaded `.jsonl` file of requests (purpose `batch`).
    ///
    #[doc = example!(use "types::CreateBatchRequest"; r#"
// The input file was uploaded with `client.files().upload(…, "batch")`.
let request = CreateBatchRequest::builder()
    .input_file_id("file_01jh6x76wtemjr74t1fh0faj5t")
    .endpoint("/v1/chat/completions")
    .completion_window("24h")
    .build()?;
let batch = client.batches().create(&request)"#, aw!(), r#"?;
println!("{} is {}", batch.id, batch.status);"#)]
    #[maybe_async]
    pub async fn create(&self, request: &CreateBatchRequest) -> Result<M::Output<Batch>, Error> {
        let call = self.handle.json_call(Method::POST, PATH, request)?;
        self.handle.json(call).await
    }

    /// Fetches one batch. An empty id is refused before any I/O.
    ///
    #[doc = example!(r#"
let batch = client.batches().retrieve("batch_01jh6xa7reempvjyh6n3yst2zw")"#, aw!(), r#"?;
if let Some(counts) = &batch.request_counts {
    println!("{}: {} of {} done", batch.status, counts.completed, counts.total);
}"#)]
    #[maybe_async]
    pub async fn retrieve(&self, batch_id: &str) -> Result<M::Output<Batch>, Error> {
        let call = Call::new(
            Method::GET,
            format!("{PATH}/{}", path_segment("batch_id", batch_id)?),
        );
        self.handle.json(call).await
    }

    /// Asks for a running batch to be cancelled; the batch comes back `cancelling` or `cancelled`. An empty
    /// id is refused before any I/O.
    ///
    #[doc = example!(r#"
let batch = client.batches().cancel("batch_01jh6xa7reempvjyh6n3yst2zw")"#, aw!(), r#"?;
println!("{}", batch.status);"#)]
    #[maybe_async]
    pub async fn cancel(&self, batch_id: &str) -> Result<M::Output<Batch>, Error> {
        let call = Call::new(
            Method::POST,
            format!("{PATH}/{}/cancel", path_segment("batch_id", batch_id)?),
        );
        self.handle.json(call).await
    }

    /// One page of the organisation's batches, as the Python library's `client.batches.list()`; filter or
    /// page with [`list_with`](Self::list_with), or walk every page with [`list_all`](Self::list_all).
    ///
    #[doc = example!(r#"
let page = client.batches().list()"#, aw!(), r#"?;
for batch in &page.data {
    println!("{} {}", batch.id, batch.status);
}"#)]
    #[maybe_async]
    pub async fn list(&self) -> Result<M::Output<ListBatchesResponse>, Error> {
        self.list_with(&ListBatchesParams::default()).await
    }

    /// Lists one page of batches: those named in `params.ids` (sent as repeated `id` parameters, at most
    /// [`ListBatchesParams::MAX_IDS`], else an [`Error::InvalidRequest`] before any I/O), or every batch,
    /// from `params.cursor` on. The next page's cursor is
    /// [`ListBatchesResponse::next_cursor`]; [`list_all`](Self::list_all) follows it for you.
    ///
    #[doc = example!(use "ListBatchesParams"; r#"
let params = ListBatchesParams::new().ids(["batch_01jh6xa7reempvjyh6n3yst2zw", "batch_01jh6xa7reempvjyh6n3yst2zx"]);
let page = client.batches().list_with(&params)"#, aw!(), r#"?;
if let Some(cursor) = page.next_cursor() {
    let next = client.batches().list_with(&ListBatchesParams::new().cursor(cursor))"#, aw!(), r#"?;
    println!("{} more", next.data.len());
}"#)]
    #[maybe_async]
    pub async fn list_with(
        &self,
        params: &ListBatchesParams,
    ) -> Result<M::Output<ListBatchesResponse>, Error> {
        let mut call = Call::new(Method::GET, PATH);
        call.query = params.query_pairs()?;
        self.handle.json(call).await
    }

    /// Every batch of the organisation, page after page: the pages are fetched as the items are consumed,
    /// following `paging.next_cursor` until it is absent, null or empty (or repeats a cursor already seen).
    /// An error is the last item. The items are parsed values even after
    /// [`with_raw_response`](Self::with_raw_response).
    ///
    #[doc = example!(doc_stream_ext!(), r#"
let mut batches = client.batches().list_all();
while let Some(batch) = batches.next()"#, aw!(), r#" {
    let batch = batch?;
    println!("{} {}", batch.id, batch.status);
}"#)]
    pub fn list_all(&self) -> AutoPager<Batch> {
        AutoPager::new(PageState::new::<ListBatchesResponse>(
            self.handle.client,
            &self.handle.options,
            PATH,
            Vec::new(),
        ))
    }

    /// Looks up any number of batches by id: the ids are sent in listings of at most
    /// [`ListBatchesParams::MAX_IDS`] (following each listing's pages), and the batches found are returned
    /// in the order the server lists them. No ids: no request, and an empty list. An empty id is refused
    /// before any I/O. The values are parsed even after [`with_raw_response`](Self::with_raw_response).
    ///
    #[doc = example!(r#"
let ids = ["batch_01jh6xa7reempvjyh6n3yst2zw", "batch_01jh6xa7reempvjyh6n3yst2zx"];
for batch in client.batches().retrieve_many(&ids)"#, aw!(), r#"? {
    println!("{} {}", batch.id, batch.status);
}"#)]
    #[maybe_async]
    pub async fn retrieve_many<S: AsRef<str>>(&self, batch_ids: &[S]) -> Result<Vec<Batch>, Error> {
        let mut chunks = Vec::new();
        for chunk in batch_ids.chunks(ListBatchesParams::MAX_IDS) {
            let params = ListBatchesParams::new().ids(chunk.iter().map(|id| id.as_ref()));
            chunks.push(params.query_pairs()?);
        }
        let mut batches = Vec::new();
        for query in chunks {
            let mut pages = PageState::new::<ListBatchesResponse>(
                self.handle.client,
                &self.handle.options,
                PATH,
                query,
            );
            while let Some(batch) = pages.next_item().await {
                batches.push(batch?);
            }
        }
        Ok(batches)
    }
}
