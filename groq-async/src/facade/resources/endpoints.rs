//! Any endpoint, by path: the escape hatch for an endpoint or a field the SDK does not know yet, with the
//! same retries, errors, options and raw responses as the typed resources. Like the Python library's
//! `client.get(path, cast_to=…)` and `client.post(path, body=…, cast_to=…)`.

use super::resource;
use crate::facade::client::{Call, Client};
use crate::facade::doc::example;
use crate::maybe_async;
use groq_types::sdk::{Error, Parsed, ResponseMode};
use http::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

resource! {
    /// Any endpoint, by path: `client.endpoints()`. The answer is JSON parsed into the type you name
    /// (`serde_json::Value` when you want it untyped).
    Endpoints
}

impl<M: ResponseMode> Endpoints<'_, M> {
    /// `GET path`; the JSON answer parsed into `T`. Add query parameters with
    /// [`with_options`](Self::with_options) and [`RequestOptions::query`](groq_types::sdk::RequestOptions::query).
    ///
    #[doc = example!(use "types::ListModelsResponse", "RequestOptions"; r#"
let models: ListModelsResponse = client.endpoints().get("/openai/v1/models")"#, aw!(), r#"?;
let page: serde_json::Value = client
    .endpoints()
    .with_options(&RequestOptions::new().query("limit", "5"))
    .get("/openai/v1/batches")"#, aw!(), r#"?;
println!("{} models, {page}", models.data.len());"#)]
    #[maybe_async]
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<M::Output<T>, Error> {
        self.handle
            .json(Call::new(Method::GET, checked(path)?))
            .await
    }

    /// `POST path` with `body` as JSON; the JSON answer parsed into `T`.
    ///
    #[doc = example!(r#"
let body = serde_json::json!({"model": "llama-3.3-70b-versatile", "messages": [{"role": "user", "content": "Hi"}]});
let raw = client
    .endpoints()
    .with_raw_response()
    .post::<_, serde_json::Value>("/openai/v1/chat/completions", &body)"#, aw!(), r#"?;
println!("{} in {:?}: {}", raw.status(), raw.elapsed(), raw.parse()?);"#)]
    #[maybe_async]
    pub async fn post<B, T>(&self, path: &str, body: &B) -> Result<M::Output<T>, Error>
    where
        B: Serialize,
        T: DeserializeOwned,
    {
        let call = self.handle.json_call(Method::POST, checked(path)?, body)?;
        self.handle.json(call).await
    }

    /// `POST path` without a body (sent with `Content-Length: 0`); the JSON answer parsed into `T`.
    ///
    #[doc = example!(r#"
let batch: serde_json::Value = client.endpoints().post_empty("/openai/v1/batches/batch_01/cancel")"#, aw!(), r#"?;
println!("{}", batch["status"]);"#)]
    #[maybe_async]
    pub async fn post_empty<T: DeserializeOwned>(&self, path: &str) -> Result<M::Output<T>, Error> {
        self.handle
            .json(Call::new(Method::POST, checked(path)?))
            .await
    }

    /// `DELETE path`; the JSON answer parsed into `T`.
    ///
    #[doc = example!(r#"
let deleted: serde_json::Value = client.endpoints().delete("/openai/v1/files/file_01")"#, aw!(), r#"?;
println!("{deleted}");"#)]
    #[maybe_async]
    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<M::Output<T>, Error> {
        self.handle
            .json(Call::new(Method::DELETE, checked(path)?))
            .await
    }
}

impl Client {
    /// `GET path`, the answer parsed into `T`: shorthand for
    /// [`client.endpoints().get(path)`](Endpoints::get).
    ///
    #[doc = example!(r#"
let model: serde_json::Value = client.get("/openai/v1/models/llama-3.3-70b-versatile")"#, aw!(), r#"?;
println!("{}", model["context_window"]);"#)]
    #[maybe_async]
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        Endpoints::<Parsed>::new(self).get(path).await
    }

    /// `POST path` with `body` as JSON, the answer parsed into `T`: shorthand for
    /// [`client.endpoints().post(path, body)`](Endpoints::post).
    ///
    #[doc = example!(r#"
let body = serde_json::json!({"model": "nomic-embed-text-v1_5", "input": "Hello"});
let answer: serde_json::Value = client.post("/openai/v1/embeddings", &body)"#, aw!(), r#"?;
println!("{}", answer["usage"]);"#)]
    #[maybe_async]
    pub async fn post<B, T>(&self, path: &str, body: &B) -> Result<T, Error>
    where
        B: Serialize,
        T: DeserializeOwned,
    {
        Endpoints::<Parsed>::new(self).post(path, body).await
    }

    /// `DELETE path`, the answer parsed into `T`: shorthand for
    /// [`client.endpoints().delete(path)`](Endpoints::delete).
    ///
    #[doc = example!(r#"
let deleted: serde_json::Value = client.delete("/openai/v1/files/file_01")"#, aw!(), r#"?;
println!("{deleted}");"#)]
    #[maybe_async]
    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        Endpoints::<Parsed>::new(self).delete(path).await
    }
}

impl<'c> Endpoints<'c, Parsed> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Endpoints {
            handle: super::Handle::new(client),
        }
    }
}

/// A path for the escape hatch: it must start with `/` and name a path under the base URL, never another
/// host (the key is sent with it).
fn checked(path: &str) -> Result<String, Error> {
    // A URL in a query value (`?callback=https://…`) is the API's business; one in the path is not.
    let before_query = path.split(['?', '#']).next().unwrap_or(path);
    if !path.starts_with('/') || path.starts_with("//") || before_query.contains("://") {
        return Err(Error::InvalidRequest(format!(
            "`{}` is not an API path: pass a path under the base URL, such as `/openai/v1/models`",
            groq_types::sdk::request::RedactedPath(path)
        )));
    }
    Ok(path.to_owned())
}
