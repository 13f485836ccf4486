//! The API's resources, shaped like the Python library's: `client.chat().completions()`,
//! `client.models()`. Each resource takes per-call [`RequestOptions`](groq_types::sdk::RequestOptions)
//! with `.with_options(…)` and returns raw responses with `.with_raw_response()`.

pub mod audio;
pub mod chat;
pub mod files;
pub mod models;

pub mod batches;
pub mod embeddings;
pub mod endpoints;
pub mod fine_tunings;
pub mod reranking;
pub mod responses;

use super::client::{read_prefix, Call, Client};
use crate::facade::http::HttpResponse;
use crate::maybe_async;
use groq_types::sdk::raw::BodyParser;
use groq_types::sdk::{
    ClientConfig, Error, Parsed, Raw, RawResponse, RawStream, RequestOptions, ResponseMode,
};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

/// What every resource handle holds: the client, the per-call options and the response mode.
#[derive(Debug)]
pub(crate) struct Handle<'c, M> {
    pub client: &'c Client,
    pub options: RequestOptions,
    mode: PhantomData<M>,
}

impl<M> Clone for Handle<'_, M> {
    fn clone(&self) -> Self {
        Self {
            client: self.client,
            options: self.options.clone(),
            mode: PhantomData,
        }
    }
}

impl<'c> Handle<'c, Parsed> {
    pub(crate) fn new(client: &'c Client) -> Self {
        Self {
            client,
            options: RequestOptions::default(),
            mode: PhantomData,
        }
    }
}

impl<'c, M: ResponseMode> Handle<'c, M> {
    pub(crate) fn raw(self) -> Handle<'c, Raw> {
        Handle {
            client: self.client,
            options: self.options,
            mode: PhantomData,
        }
    }

    pub(crate) fn with_options(mut self, options: &RequestOptions) -> Self {
        self.options = self.options.merged_with(options);
        self
    }

    /// A call with a JSON body (the options' extra body fields merged in).
    pub(crate) fn json_call<B: serde::Serialize>(
        &self,
        method: http::Method,
        path: impl Into<std::borrow::Cow<'static, str>>,
        body: &B,
    ) -> Result<Call, Error> {
        Call::json(method, path, body, &self.options)
    }

    /// Sends `call`; the answer is JSON for `T`.
    #[maybe_async]
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        call: Call,
    ) -> Result<M::Output<T>, Error> {
        M::output(self.client.send_json(&call, &self.options).await?)
    }

    /// Sends `call`; the answer is parsed by `parser`.
    #[maybe_async]
    pub(crate) async fn parsed_with<T>(
        &self,
        call: Call,
        parser: BodyParser<T>,
    ) -> Result<M::Output<T>, Error> {
        let (meta, body) = self.client.send_body(&call, &self.options).await?;
        M::output(RawResponse::with_parser(meta, body, parser))
    }

    /// Sends `call`; the answer's body is consumed as it arrives, through `wrap` (a stream of events, a
    /// binary body). A call for an event stream answered with another content type fails with
    /// [`Error::Decode`] (keeping the start of the body) rather than as a cut stream.
    #[maybe_async]
    pub(crate) async fn streamed<S>(
        &self,
        mut call: Call,
        wrap: fn(HttpResponse, &ClientConfig) -> S,
    ) -> Result<M::Stream<S>, Error> {
        call.stream = true;
        let (mut response, meta) = self.client.send(&call, &self.options).await?;
        if call.events {
            if let Some(other) = response
                .content_type()
                .filter(|content_type| !is_event_stream(content_type))
            {
                let what = format!("expected an event stream, the server answered `{other}`");
                let body = read_prefix(&mut response.body, UNEXPECTED_BODY_EXCERPT).await;
                return Err(Error::decode(&what, "not a stream of events", &body));
            }
        }
        Ok(M::stream(RawStream::new(
            meta,
            wrap(response, self.client.config()),
        )))
    }
}

/// The content type of a stream of server-sent events.
pub(crate) const EVENT_STREAM: &str = "text/event-stream";

/// Whether `content_type` names an event stream. Media types are case-insensitive (RFC 9110 §8.3.1), and
/// parameters such as `charset` may follow.
fn is_event_stream(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case(EVENT_STREAM))
}

/// How much of an unexpected answer to a stream call is read for the error.
const UNEXPECTED_BODY_EXCERPT: usize = 64 * 1024;

/// Declares a resource handle type with `with_raw_response` and `with_options`.
macro_rules! resource {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name<'c, M = groq_types::sdk::Parsed> {
            pub(crate) handle: $crate::facade::resources::Handle<'c, M>,
        }

        impl<M> Clone for $name<'_, M> {
            fn clone(&self) -> Self {
                Self { handle: self.handle.clone() }
            }
        }

        impl<'c, M: groq_types::sdk::ResponseMode> $name<'c, M> {
            /// The same resource, returning raw responses (status, headers, request id, elapsed time,
            /// retries taken) with the value parsed on demand.
            ///
            #[doc = $crate::facade::doc::example!(r#"
// Alike on every resource; `models()` here.
let raw = client.models().with_raw_response().list()"#, aw!(), r#"?;
println!("{:?} requests left", raw.rate_limit().remaining_requests);
println!("{} models", raw.parse()?.data.len());"#)]
            pub fn with_raw_response(self) -> $name<'c, groq_types::sdk::Raw> {
                $name { handle: self.handle.raw() }
            }

            /// The same resource with `options` (timeout, retries, extra headers, query and body fields)
            /// applied to its calls.
            ///
            #[doc = $crate::facade::doc::example!(use "RequestOptions"; r#"
// Alike on every resource; `models()` here.
let options = RequestOptions::new().timeout(std::time::Duration::from_secs(5)).max_retries(0);
let models = client.models().with_options(&options).list()"#, aw!(), r#"?;
println!("{} models", models.data.len());"#)]
            pub fn with_options(self, options: &groq_types::sdk::RequestOptions) -> Self {
                $name { handle: self.handle.with_options(options) }
            }
        }
    };
}
pub(crate) use resource;

impl Client {
    /// Chat: completions.
    pub fn chat(&self) -> chat::Chat<'_> {
        chat::Chat {
            handle: Handle::new(self),
        }
    }

    /// Audio: transcriptions, translations, speech.
    pub fn audio(&self) -> audio::Audio<'_> {
        audio::Audio {
            handle: Handle::new(self),
        }
    }

    /// Files: upload, list, retrieve, download, delete.
    pub fn files(&self) -> files::Files<'_> {
        files::Files {
            handle: Handle::new(self),
        }
    }

    /// Models: list, retrieve, delete.
    pub fn models(&self) -> models::Models<'_> {
        models::Models {
            handle: Handle::new(self),
        }
    }
}

impl Client {
    /// Embeddings: create (vectors decoded from `float` or `base64`).
    pub fn embeddings(&self) -> embeddings::Embeddings<'_> {
        embeddings::Embeddings {
            handle: Handle::new(self),
        }
    }

    /// Batches: create, retrieve, cancel, list, every page (`list_all`), many by id (`retrieve_many`).
    pub fn batches(&self) -> batches::Batches<'_> {
        batches::Batches {
            handle: Handle::new(self),
        }
    }

    /// Fine tunings (closed beta): list, create, get, delete.
    pub fn fine_tunings(&self) -> fine_tunings::FineTunings<'_> {
        fine_tunings::FineTunings {
            handle: Handle::new(self),
        }
    }

    /// Reranking: documents ordered by relevance to a query.
    pub fn reranking(&self) -> reranking::Reranking<'_> {
        reranking::Reranking {
            handle: Handle::new(self),
        }
    }

    /// Any endpoint by path (`get`, `post`, `post_empty`, `delete`), for what the SDK does not cover yet;
    /// [`Client::get`], [`Client::post`] and [`Client::delete`] are shorthands.
    pub fn endpoints(&self) -> endpoints::Endpoints<'_> {
        endpoints::Endpoints::new(self)
    }

    /// Responses (beta): create.
    pub fn responses(&self) -> responses::Responses<'_> {
        responses::Responses {
            handle: Handle::new(self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_event_stream;

    #[test]
    fn an_event_stream_is_recognised_in_any_case_and_with_parameters() {
        for yes in [
            "text/event-stream",
            "text/event-stream; charset=utf-8",
            "Text/Event-Stream; Charset=UTF-8",
            " TEXT/EVENT-STREAM ;q=1",
        ] {
            assert!(is_event_stream(yes), "{yes}");
        }
        for no in [
            "application/json",
            "text/event-streams",
            "text/plain; x=text/event-stream",
            "",
        ] {
            assert!(!is_event_stream(no), "{no}");
        }
    }
}
