//! `/openai/v1/models`: list, retrieve and delete models.

use super::resource;
use crate::facade::client::Call;
use crate::facade::doc::example;
use crate::maybe_async;
use groq_types::sdk::request::path_segment;
use groq_types::sdk::{Error, ResponseMode};
use groq_types::{DeleteModelResponse, ListModelsResponse, Model};
use http::Method;

resource! {
    /// Models: `client.models()`.
    Models
}

impl<M: ResponseMode> Models<'_, M> {
    /// Lists the models available to your key.
    ///
    #[doc = example!(r#"
let models = client.models().list()"#, aw!(), r#"?;
for model in &models.data {
    println!("{} (owned by {})", model.id, model.owned_by);
}"#)]
    #[maybe_async]
    pub async fn list(&self) -> Result<M::Output<ListModelsResponse>, Error> {
        let call = Call::new(Method::GET, "/openai/v1/models");
        self.handle.json(call).await
    }

    /// Retrieves one model (`meta-llama/llama-4-scout-17b-16e-instruct` is sent as one path segment).
    ///
    #[doc = example!(r#"
let model = client.models().retrieve("llama-3.3-70b-versatile")"#, aw!(), r#"?;
println!("{}: context window {:?}", model.id, model.context_window);"#)]
    #[maybe_async]
    pub async fn retrieve(&self, model: &str) -> Result<M::Output<Model>, Error> {
        let call = Call::new(
            Method::GET,
            format!("/openai/v1/models/{}", path_segment("model", model)?),
        );
        self.handle.json(call).await
    }

    /// Deletes a model you own (a fine-tuned one).
    ///
    #[doc = example!(r#"
let deleted = client.models().delete("my-fine-tuned-model")"#, aw!(), r#"?;
assert!(deleted.deleted);"#)]
    #[maybe_async]
    pub async fn delete(&self, model: &str) -> Result<M::Output<DeleteModelResponse>, Error> {
        let call = Call::new(
            Method::DELETE,
            format!("/openai/v1/models/{}", path_segment("model", model)?),
        );
        self.handle.json(call).await
    }
}
