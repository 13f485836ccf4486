//! The JSON endpoints beyond chat and models (embeddings, batches, fine tunings, reranking, responses), seen
//! through blocking calls: [`JsonEndpoints`] is implemented once, compiled over `groq-async` (each call runs
//! on a tokio runtime) and over `groq-blocking` by [`adapter_for_both!`](crate::adapter_for_both);
//! [`json_client`] picks the one matching a [`Driver`], so scenarios run under
//! [`for_both_clients!`](crate::for_both_clients).

use crate::driver::{Async, Blocking, Driver, Settings};
use groq_types::ergonomics::batches::ListBatchesParams;
use groq_types::sdk::{Error, RawResponse, RequestOptions};
use groq_types::{
    Batch, CreateBatchRequest, CreateEmbeddingRequest, CreateEmbeddingResponse,
    CreateFineTuningRequest, CreateResponseRequest, CreateResponseResponse,
    DeleteFineTuningResponse, ListBatchesResponse, ListFineTuningsResponse, ReadFineTuningResponse,
    RerankingRequest, RerankingResponse,
};

/// The operations of the JSON endpoints, seen through blocking calls.
pub trait JsonEndpoints {
    /// `embeddings().create`.
    fn embeddings_create(
        &self,
        request: &CreateEmbeddingRequest,
    ) -> Result<CreateEmbeddingResponse, Error>;
    /// `embeddings().with_raw_response().create`.
    fn embeddings_create_raw(
        &self,
        request: &CreateEmbeddingRequest,
    ) -> Result<RawResponse<CreateEmbeddingResponse>, Error>;
    /// `batches().create`.
    fn batches_create(&self, request: &CreateBatchRequest) -> Result<Batch, Error>;
    /// `batches().retrieve`.
    fn batches_retrieve(&self, batch_id: &str) -> Result<Batch, Error>;
    /// `batches().with_raw_response().retrieve`.
    fn batches_retrieve_raw(&self, batch_id: &str) -> Result<RawResponse<Batch>, Error>;
    /// `batches().cancel`.
    fn batches_cancel(&self, batch_id: &str) -> Result<Batch, Error>;
    /// `batches().list`.
    fn batches_list(&self, params: &ListBatchesParams) -> Result<ListBatchesResponse, Error>;
    /// `batches().list_all()`, read to its end: every item, errors included.
    fn batches_list_all(&self) -> Vec<Result<Batch, Error>>;
    /// `batches().with_options(options).list_all()`, read to its end.
    fn batches_list_all_with(&self, options: &RequestOptions) -> Vec<Result<Batch, Error>>;
    /// `batches().list_all()`, of which `n` items are read before it is dropped.
    fn batches_list_all_take(&self, n: usize) -> Vec<Result<Batch, Error>>;
    /// `batches().retrieve_many`.
    fn batches_retrieve_many(&self, batch_ids: &[String]) -> Result<Vec<Batch>, Error>;
    /// `fine_tunings().list`.
    fn fine_tunings_list(&self) -> Result<ListFineTuningsResponse, Error>;
    /// `fine_tunings().create`.
    fn fine_tunings_create(
        &self,
        request: &CreateFineTuningRequest,
    ) -> Result<ReadFineTuningResponse, Error>;
    /// `fine_tunings().get`.
    fn fine_tunings_get(&self, id: &str) -> Result<ReadFineTuningResponse, Error>;
    /// `fine_tunings().delete`.
    fn fine_tunings_delete(&self, id: &str) -> Result<DeleteFineTuningResponse, Error>;
    /// `reranking().create`.
    fn reranking_create(&self, request: &RerankingRequest) -> Result<RerankingResponse, Error>;
    /// `responses().create`.
    fn responses_create(
        &self,
        request: &CreateResponseRequest,
    ) -> Result<CreateResponseResponse, Error>;
}

/// A client of the kind `driver` drives (`async` or `blocking`), configured with `settings` (base URL, API
/// key, retries, timeout, retry delay scale).
pub fn json_client(
    driver: &dyn Driver,
    settings: &Settings,
) -> Result<Box<dyn JsonEndpoints>, Error> {
    crate::driver::view(driver, settings, |a| Box::new(a), |b| Box::new(b))
}

crate::adapter_for_both! {
    impl JsonEndpoints for Side {
        fn embeddings_create(
            &self,
            request: &CreateEmbeddingRequest,
        ) -> Result<CreateEmbeddingResponse, Error> {
            self.run(async { self.client.embeddings().create(request).await })
        }
        fn embeddings_create_raw(
            &self,
            request: &CreateEmbeddingRequest,
        ) -> Result<RawResponse<CreateEmbeddingResponse>, Error> {
            self.run(async {
                self.client
                    .embeddings()
                    .with_raw_response()
                    .create(request)
                    .await
            })
        }
        fn batches_create(&self, request: &CreateBatchRequest) -> Result<Batch, Error> {
            self.run(async { self.client.batches().create(request).await })
        }
        fn batches_retrieve(&self, batch_id: &str) -> Result<Batch, Error> {
            self.run(async { self.client.batches().retrieve(batch_id).await })
        }
        fn batches_retrieve_raw(&self, batch_id: &str) -> Result<RawResponse<Batch>, Error> {
            self.run(async {
                self.client
                    .batches()
                    .with_raw_response()
                    .retrieve(batch_id)
                    .await
            })
        }
        fn batches_cancel(&self, batch_id: &str) -> Result<Batch, Error> {
            self.run(async { self.client.batches().cancel(batch_id).await })
        }
        fn batches_list(&self, params: &ListBatchesParams) -> Result<ListBatchesResponse, Error> {
            self.run(async { self.client.batches().list_with(params).await })
        }
        fn batches_list_all(&self) -> Vec<Result<Batch, Error>> {
            self.run(async { self.client.batches().list_all().collect().await })
        }
        fn batches_list_all_with(&self, options: &RequestOptions) -> Vec<Result<Batch, Error>> {
            self.run(async {
                self.client
                    .batches()
                    .with_options(options)
                    .list_all()
                    .collect()
                    .await
            })
        }
        fn batches_list_all_take(&self, n: usize) -> Vec<Result<Batch, Error>> {
            self.run(async { self.client.batches().list_all().take(n).collect().await })
        }
        fn batches_retrieve_many(&self, batch_ids: &[String]) -> Result<Vec<Batch>, Error> {
            self.run(async { self.client.batches().retrieve_many(batch_ids).await })
        }
        fn fine_tunings_list(&self) -> Result<ListFineTuningsResponse, Error> {
            self.run(async { self.client.fine_tunings().list().await })
        }
        fn fine_tunings_create(
            &self,
            request: &CreateFineTuningRequest,
        ) -> Result<ReadFineTuningResponse, Error> {
            self.run(async { self.client.fine_tunings().create(request).await })
        }
        fn fine_tunings_get(&self, id: &str) -> Result<ReadFineTuningResponse, Error> {
            self.run(async { self.client.fine_tunings().get(id).await })
        }
        fn fine_tunings_delete(&self, id: &str) -> Result<DeleteFineTuningResponse, Error> {
            self.run(async { self.client.fine_tunings().delete(id).await })
        }
        fn reranking_create(&self, request: &RerankingRequest) -> Result<RerankingResponse, Error> {
            self.run(async { self.client.reranking().create(request).await })
        }
        fn responses_create(
            &self,
            request: &CreateResponseRequest,
        ) -> Result<CreateResponseResponse, Error> {
            self.run(async { self.client.responses().create(request).await })
        }
    }
}
