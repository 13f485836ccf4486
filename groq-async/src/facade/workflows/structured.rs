//! Structured outputs: `create_parsed::<T>` asks for an answer following the JSON Schema of `T` and
//! returns the completion with the answer parsed.

use crate::facade::doc::example;
use crate::facade::resources::chat::Completions;
use crate::maybe_async;
use groq_types::ergonomics::parsed::ParsedCompletion;
use groq_types::ergonomics::strict_schema::{response_format_for, schema_name, OutputMode};
use groq_types::sdk::{Error, Parsed};
use groq_types::CreateChatCompletionRequest;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

impl Completions<'_, Parsed> {
    /// Creates a completion whose answer follows the JSON Schema of `T`, in strict mode, and parses it.
    ///
    /// The request is sent with its `response_format` replaced by a `json_schema` format named after `T`,
    /// whose schema is derived from `T` and rewritten into what strict mode accepts (see
    /// [`strict_schema`](groq_types::ergonomics::strict_schema::strict_schema)): a type strict mode cannot
    /// express (a map, a tuple, `serde_json::Value`, a root that is not a struct, fields that clash once
    /// flattened or tagged) is refused with an [`Error::InvalidRequest`] before anything is sent. An
    /// answer that does not parse as `T` is an [`Error::Workflow`] that keeps the text
    /// ([`Error::raw_output`]); a 400 whose answer failed the server's validation keeps it too
    /// ([`Error::failed_generation`]).
    ///
    #[doc = example!(use "types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}"; r#"

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Review {
    product: String,
    rating: u8,
    pros: Vec<String>,
}

let request = CreateChatCompletionRequest::from_messages(
    "openai/gpt-oss-20b",
    [Message::user("Review: the Aero kettle boils fast and pours cleanly. 4 stars.")],
);
let completions = client.chat().completions();
let review = completions.create_parsed::<Review>(&request)"#, aw!(), r#"?.parsed;
println!("{}: {}/5, pros: {}", review.product, review.rating, review.pros.join(", "));"#)]
    #[maybe_async]
    pub async fn create_parsed<T: JsonSchema + DeserializeOwned>(
        &self,
        request: &CreateChatCompletionRequest,
    ) -> Result<ParsedCompletion<T>, Error> {
        self.create_parsed_with(request, OutputMode::Strict).await
    }

    /// [`create_parsed`](Self::create_parsed) in another [`OutputMode`]: `BestEffort` sends the schema of
    /// `T` as derived, with `strict: false`; `JsonObject` asks for JSON mode (describe the shape in the
    /// prompt) and parses the object as `T`.
    ///
    #[doc = example!(use "types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest}", "OutputMode"; r#"

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Weather {
    city: String,
    celsius: f64,
}

let request = CreateChatCompletionRequest::from_messages(
    "llama-3.3-70b-versatile",
    [
        Message::system("Answer in JSON with the fields city (a string) and celsius (a number)."),
        Message::user("It is 18 degrees in London."),
    ],
);
let weather = client
    .chat()
    .completions()
    .create_parsed_with::<Weather>(&request, OutputMode::JsonObject)"#, aw!(), r#"?
    .parsed;
println!("{}: {}°C", weather.city, weather.celsius);"#)]
    #[maybe_async]
    pub async fn create_parsed_with<T: JsonSchema + DeserializeOwned>(
        &self,
        request: &CreateChatCompletionRequest,
        mode: OutputMode,
    ) -> Result<ParsedCompletion<T>, Error> {
        let format = response_format_for::<T>(&schema_name::<T>(), mode)?;
        let mut request = request.clone();
        request.response_format = Some(format);
        let completion = self.create(&request).await?;
        let parsed = completion.parse::<T>()?;
        Ok(ParsedCompletion::new(completion, parsed))
    }
}
