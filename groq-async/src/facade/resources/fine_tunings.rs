//! `/v1/fine_tunings` (closed beta; note the path is not under `/openai`): list, create, get and delete
//! fine tunings.

use super::resource;
use crate::facade::client::Call;
use crate::facade::doc::example;
use crate::maybe_async;
use groq_types::sdk::request::path_segment;
use groq_types::sdk::{Error, ResponseMode};
use groq_types::{
    CreateFineTuningRequest, DeleteFineTuningResponse, ListFineTuningsResponse,
    ReadFineTuningResponse,
};
use http::Method;

const PATH: &str = "/v1/fine_tunings";

resource! {
    /// Fine tunings (closed beta): `client.fine_tunings()`.
    FineTunings
}

impl<M: ResponseMode> FineTunings<'_, M> {
    /// Lists the organisation's fine tunings.
    ///
    #[doc = example!(r#"
for tuning in client.fine_tunings().list()"#, aw!(), r#"?.data {
    println!("{:?}: {:?}", tuning.id, tuning.name);
}"#)]
    #[maybe_async]
    pub async fn list(&self) -> Result<M::Output<ListFineTuningsResponse>, Error> {
        let call = Call::new(Method::GET, PATH);
        self.handle.json(call).await
    }

    /// Starts a fine tuning from an uploaded training file.
    ///
    #[doc = example!(use "types::CreateFineTuningRequest"; r#"
let request = CreateFineTuningRequest::default()
    .input_file_id("file_01jh6x76wtemjr74t1fh0faj5t")
    .base_model("llama-3.1-8b-instant")
    .name("support-replies")
    .type_("lora");
let created = client.fine_tunings().create(&request)"#, aw!(), r#"?;
println!("{:?}", created.id);"#)]
    #[maybe_async]
    pub async fn create(
        &self,
        request: &CreateFineTuningRequest,
    ) -> Result<M::Output<ReadFineTuningResponse>, Error> {
        let call = self.handle.json_call(Method::POST, PATH, request)?;
        self.handle.json(call).await
    }

    /// Fetches one fine tuning. An empty id is refused before any I/O.
    ///
    #[doc = example!(r#"
let tuning = client.fine_tunings().get("ft_01jh6xa7reempvjyh6n3yst2zw")"#, aw!(), r#"?;
let model = tuning.data.and_then(|t| t.fine_tuned_model);
println!("{model:?}");"#)]
    #[maybe_async]
    pub async fn get(&self, id: &str) -> Result<M::Output<ReadFineTuningResponse>, Error> {
        let call = Call::new(Method::GET, format!("{PATH}/{}", path_segment("id", id)?));
        self.handle.json(call).await
    }

    /// Deletes a fine tuning. An empty id is refused before any I/O.
    ///
    #[doc = example!(r#"
let deleted = client.fine_tunings().delete("ft_01jh6xa7reempvjyh6n3yst2zw")"#, aw!(), r#"?;
println!("{:?}", deleted.deleted);"#)]
    #[maybe_async]
    pub async fn delete(&self, id: &str) -> Result<M::Output<DeleteFineTuningResponse>, Error> {
        let call = Call::new(
            Method::DELETE,
            format!("{PATH}/{}", path_segment("id", id)?),
        );
        self.handle.json(call).await
    }
}
