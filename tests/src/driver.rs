//! One scenario, both clients: [`Driver`] gives a blocking view of a client, written once and compiled over
//! `groq-async` (each call runs on a tokio runtime) and over `groq-blocking`
//! ([`adapter_for_both!`](crate::adapter_for_both)). Since both clients share
//! `groq_types` (values and the error type), a scenario is written once and asserts on the same types.
//!
//! [`for_both_clients!`](crate::for_both_clients) turns a list of scenario functions into two tests each.

use groq_types::sdk::{Error, RawResponse, RequestOptions, ResponseMeta};
use groq_types::{
    ChatCompletion, ChatCompletionChunk, CreateChatCompletionRequest, DeleteModelResponse,
    ListModelsResponse, Model,
};
use std::time::Duration;

/// How a scenario configures its client.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The base URL (a local mock server).
    pub base_url: String,
    /// The API key; `None` leaves it to the environment.
    pub api_key: Option<String>,
    /// `max_retries`, when set.
    pub max_retries: Option<u32>,
    /// The timeout, when set.
    pub timeout: Option<Duration>,
    /// The connect timeout, when set.
    pub connect_timeout: Option<Duration>,
    /// Default headers.
    pub headers: Vec<(String, String)>,
    /// Default query parameters.
    pub query: Vec<(String, String)>,
    /// The retry delay scale (0 by default here: scenarios never sleep between retries unless they ask).
    pub retry_delay_scale: f64,
}

/// The API key scenarios use.
pub const TEST_KEY: &str = "gsk_test_secret_key_0123456789";

impl Settings {
    /// A client of `base_url` with the test key, no waits between retries and defaults otherwise.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: Some(TEST_KEY.to_owned()),
            max_retries: None,
            timeout: None,
            connect_timeout: None,
            headers: Vec::new(),
            query: Vec::new(),
            retry_delay_scale: 0.0,
        }
    }
}

/// A client, seen through blocking calls.
pub trait TestClient {
    /// `chat().completions().create`.
    fn chat(
        &self,
        request: &CreateChatCompletionRequest,
        options: &RequestOptions,
    ) -> Result<ChatCompletion, Error>;
    /// `chat().completions().with_raw_response().create`.
    fn chat_raw(
        &self,
        request: &CreateChatCompletionRequest,
        options: &RequestOptions,
    ) -> Result<RawResponse<ChatCompletion>, Error>;
    /// `create_stream`, read to its end: every item, errors included.
    fn chat_stream(
        &self,
        request: &CreateChatCompletionRequest,
        options: &RequestOptions,
    ) -> Result<Vec<Result<ChatCompletionChunk, Error>>, Error>;
    /// `create_stream`, of which `n` items are read before the stream is dropped.
    fn chat_stream_take(
        &self,
        request: &CreateChatCompletionRequest,
        n: usize,
    ) -> Result<Vec<Result<ChatCompletionChunk, Error>>, Error>;
    /// `with_raw_response().create_stream`: the metadata, and the items read to the end.
    fn chat_stream_raw(
        &self,
        request: &CreateChatCompletionRequest,
    ) -> Result<(ResponseMeta, Vec<Result<ChatCompletionChunk, Error>>), Error>;
    /// `create_stream` then `accumulate`.
    fn chat_stream_accumulate(
        &self,
        request: &CreateChatCompletionRequest,
    ) -> Result<ChatCompletion, Error>;
    /// `models().list`.
    fn models_list(&self, options: &RequestOptions) -> Result<ListModelsResponse, Error>;
    /// `models().with_raw_response().list`.
    fn models_list_raw(
        &self,
        options: &RequestOptions,
    ) -> Result<RawResponse<ListModelsResponse>, Error>;
    /// `models().retrieve`.
    fn models_retrieve(&self, model: &str) -> Result<Model, Error>;
    /// `models().delete`.
    fn models_delete(&self, model: &str) -> Result<DeleteModelResponse, Error>;
    /// `with_options`: a derived client.
    fn derived(&self, options: &RequestOptions) -> Result<Box<dyn TestClient>, Error>;
    /// The client's `Debug` output.
    fn debug(&self) -> String;
}

/// Builds clients of one kind.
pub trait Driver: Sync {
    /// `"async"` or `"blocking"`.
    fn name(&self) -> &'static str;
    /// A client configured with `settings`.
    fn client(&self, settings: &Settings) -> Result<Box<dyn TestClient>, Error>;
    /// A `models().list()` made from inside a running tokio runtime (where the blocking client must refuse
    /// with a clear error and the async client must work).
    fn list_models_inside_runtime(&self, settings: &Settings) -> Result<ListModelsResponse, Error>;
}

/// Drives `groq-async`.
pub struct AsyncDriver;
/// Drives `groq-blocking`.
pub struct BlockingDriver;

macro_rules! configure {
    ($builder:expr, $settings:expr) => {{
        let settings: &Settings = $settings;
        let mut builder = $builder
            .base_url(settings.base_url.clone())
            .retry_delay_scale(settings.retry_delay_scale);
        if let Some(key) = &settings.api_key {
            builder = builder.api_key(key.as_str());
        }
        if let Some(max_retries) = settings.max_retries {
            builder = builder.max_retries(max_retries);
        }
        if let Some(timeout) = settings.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(timeout) = settings.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        for (name, value) in &settings.headers {
            builder = builder.default_header(name.clone(), value.clone());
        }
        for (name, value) in &settings.query {
            builder = builder.default_query(name.clone(), value.clone());
        }
        builder.build()
    }};
}

/// An async client configured with `settings`.
pub fn async_client(settings: &Settings) -> Result<groq_async::Client, Error> {
    configure!(groq_async::Client::builder(), settings)
}

/// A blocking client configured with `settings`.
pub fn blocking_client(settings: &Settings) -> Result<groq_blocking::Client, Error> {
    configure!(groq_blocking::Client::builder(), settings)
}

/// A two-worker tokio runtime for an async client.
pub fn runtime() -> std::sync::Arc<tokio::runtime::Runtime> {
    std::sync::Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime for the async client"),
    )
}

/// `groq-async`'s client seen through blocking calls: each call runs on a runtime of the adapter's own.
/// Every driver implements its view (`TestClient`, `JsonEndpoints`...) on this type and [`Blocking`], once
/// for both, with [`adapter_for_both!`](crate::adapter_for_both).
pub(crate) struct Async {
    pub(crate) client: groq_async::Client,
    runtime: std::sync::Arc<tokio::runtime::Runtime>,
}

impl Async {
    /// A client configured with `settings`, on a runtime of its own.
    pub(crate) fn new(settings: &Settings) -> Result<Self, Error> {
        Ok(Self {
            client: async_client(settings)?,
            runtime: runtime(),
        })
    }

    /// The same runtime, another client.
    pub(crate) fn with_client(&self, client: groq_async::Client) -> Self {
        Self {
            client,
            runtime: self.runtime.clone(),
        }
    }

    /// What `call` comes to, run on the adapter's runtime.
    pub(crate) fn run<T>(&self, call: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(call)
    }
}

/// `groq-blocking`'s client, as the drivers see it (the counterpart of [`Async`]).
pub(crate) struct Blocking {
    pub(crate) client: groq_blocking::Client,
}

impl Blocking {
    /// A client configured with `settings`.
    pub(crate) fn new(settings: &Settings) -> Result<Self, Error> {
        Ok(Self {
            client: blocking_client(settings)?,
        })
    }

    /// Another client.
    pub(crate) fn with_client(&self, client: groq_blocking::Client) -> Self {
        Self { client }
    }

    /// `result` as it is: a blocking call has already run.
    pub(crate) fn run<T>(&self, result: T) -> T {
        result
    }
}

/// The adapter of the kind `driver` drives (`async` or `blocking`), configured with `settings`, seen through
/// one of the drivers' views: `over_async` and `over_blocking` box it as that view.
pub(crate) fn view<V: ?Sized>(
    driver: &dyn Driver,
    settings: &Settings,
    over_async: fn(Async) -> Box<V>,
    over_blocking: fn(Blocking) -> Box<V>,
) -> Result<Box<V>, Error> {
    match driver.name() {
        "async" => Ok(over_async(Async::new(settings)?)),
        "blocking" => Ok(over_blocking(Blocking::new(settings)?)),
        other => Err(Error::InvalidRequest(format!("unknown driver `{other}`"))),
    }
}

crate::adapter_for_both! {
    impl TestClient for Side {
        fn chat(
            &self,
            request: &CreateChatCompletionRequest,
            options: &RequestOptions,
        ) -> Result<ChatCompletion, Error> {
            self.run(async {
                self.client
                    .chat()
                    .completions()
                    .with_options(options)
                    .create(request)
                    .await
            })
        }
        fn chat_raw(
            &self,
            request: &CreateChatCompletionRequest,
            options: &RequestOptions,
        ) -> Result<RawResponse<ChatCompletion>, Error> {
            self.run(async {
                self.client
                    .chat()
                    .completions()
                    .with_options(options)
                    .with_raw_response()
                    .create(request)
                    .await
            })
        }
        fn chat_stream(
            &self,
            request: &CreateChatCompletionRequest,
            options: &RequestOptions,
        ) -> Result<Vec<Result<ChatCompletionChunk, Error>>, Error> {
            self.run(async {
                let stream = self
                    .client
                    .chat()
                    .completions()
                    .with_options(options)
                    .create_stream(request)
                    .await?;
                Ok(stream.collect().await)
            })
        }
        fn chat_stream_take(
            &self,
            request: &CreateChatCompletionRequest,
            n: usize,
        ) -> Result<Vec<Result<ChatCompletionChunk, Error>>, Error> {
            self.run(async {
                let stream = self.client.chat().completions().create_stream(request).await?;
                Ok(stream.take(n).collect().await)
            })
        }
        fn chat_stream_raw(
            &self,
            request: &CreateChatCompletionRequest,
        ) -> Result<(ResponseMeta, Vec<Result<ChatCompletionChunk, Error>>), Error> {
            self.run(async {
                let raw = self
                    .client
                    .chat()
                    .completions()
                    .with_raw_response()
                    .create_stream(request)
                    .await?;
                let meta = raw.meta().clone();
                Ok((meta, raw.parse().collect().await))
            })
        }
        fn chat_stream_accumulate(
            &self,
            request: &CreateChatCompletionRequest,
        ) -> Result<ChatCompletion, Error> {
            self.run(async {
                self.client
                    .chat()
                    .completions()
                    .create_stream(request)
                    .await?
                    .accumulate()
                    .await
            })
        }
        fn models_list(&self, options: &RequestOptions) -> Result<ListModelsResponse, Error> {
            self.run(async { self.client.models().with_options(options).list().await })
        }
        fn models_list_raw(
            &self,
            options: &RequestOptions,
        ) -> Result<RawResponse<ListModelsResponse>, Error> {
            self.run(async {
                self.client
                    .models()
                    .with_options(options)
                    .with_raw_response()
                    .list()
                    .await
            })
        }
        fn models_retrieve(&self, model: &str) -> Result<Model, Error> {
            self.run(async { self.client.models().retrieve(model).await })
        }
        fn models_delete(&self, model: &str) -> Result<DeleteModelResponse, Error> {
            self.run(async { self.client.models().delete(model).await })
        }
        fn derived(&self, options: &RequestOptions) -> Result<Box<dyn TestClient>, Error> {
            Ok(Box::new(self.with_client(self.client.with_options(options)?)))
        }
        fn debug(&self) -> String {
            format!("{:?}", self.client)
        }
    }
}

impl Driver for AsyncDriver {
    fn name(&self) -> &'static str {
        "async"
    }
    fn client(&self, settings: &Settings) -> Result<Box<dyn TestClient>, Error> {
        Ok(Box::new(Async::new(settings)?))
    }
    fn list_models_inside_runtime(&self, settings: &Settings) -> Result<ListModelsResponse, Error> {
        let client = configure!(groq_async::Client::builder(), settings)?;
        runtime().block_on(async move { client.models().list().await })
    }
}

impl Driver for BlockingDriver {
    fn name(&self) -> &'static str {
        "blocking"
    }
    fn client(&self, settings: &Settings) -> Result<Box<dyn TestClient>, Error> {
        Ok(Box::new(Blocking::new(settings)?))
    }
    fn list_models_inside_runtime(&self, settings: &Settings) -> Result<ListModelsResponse, Error> {
        let client = configure!(groq_blocking::Client::builder(), settings)?;
        let runtime = runtime();
        let result = runtime.block_on(async move {
            tokio::spawn(async move { client.models().list() })
                .await
                .map_err(|e| Error::InvalidRequest(format!("the task failed: {e}")))?
        });
        // The runtime must not be dropped from inside itself; it is dropped here, outside.
        drop(runtime);
        result
    }
}

/// Generates, for every scenario function `fn name(driver: &dyn Driver)`, a module `name` with two tests:
/// `async_client` and `blocking_client`.
#[macro_export]
macro_rules! for_both_clients {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[test]
            fn async_client() {
                super::$scenario(&$crate::driver::AsyncDriver)
            }
            #[test]
            fn blocking_client() {
                super::$scenario(&$crate::driver::BlockingDriver)
            }
        }
    )*};
}
