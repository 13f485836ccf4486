//! Tool use while streaming: the tool calls arrive in the chunks, the accumulator puts the answer
//! back together, the tools run, and the final answer is streamed too.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-async --example streaming_tools
//! ```
//! `GROQ_BASE_URL` points it at another server; `cargo xtask demo streaming_tools` runs it offline.

// `StreamExt` gives the stream its `.next()`.
use groq_async::types::accumulate::ChatCompletionAccumulator;
use groq_async::types::{
    ChatCompletionRequestMessage as Message, ChatCompletionTool, CreateChatCompletionRequest,
};
use groq_async::Client;
use groq_async::StreamExt;

/// The tool's arguments; the JSON Schema sent to the model is derived from this type.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct City {
    /// The city, e.g. "Paris"
    location: String,
}

// A stand-in for a real weather API.
fn get_weather(city: &City) -> String {
    format!("{}: 21°C and sunny", city.location)
}

#[tokio::main]
async fn main() -> Result<(), groq_async::Error> {
    let client = Client::new()?;
    let mut messages = vec![Message::user("What's the weather in Paris and in Tokyo?")];
    let tools = vec![ChatCompletionTool::new_function_for::<City>(
        "get_weather",
        "Get the current weather in a city",
    )];

    // Round 1: stream, and collect the chunks into one completion.
    let request =
        CreateChatCompletionRequest::from_messages("openai/gpt-oss-20b", messages.clone())
            .tools(tools.clone());
    let mut stream = client.chat().completions().create_stream(&request).await?;
    let mut accumulator = ChatCompletionAccumulator::new();
    while let Some(chunk) = stream.next().await {
        accumulator.add(&chunk?);
    }
    let Some(choice) = accumulator.finish().choices.into_iter().next() else {
        return Ok(());
    };

    // Run every tool the model asked for; the answers go back as `tool` messages.
    let calls = choice
        .message
        .tool_calls
        .clone()
        .map(|c| c.0)
        .unwrap_or_default();
    messages.push(Message::from(choice.message));
    for call in &calls {
        let city: City = call.arguments()?;
        let result = get_weather(&city);
        println!("{}({}) -> {result}", call.name(), call.function.arguments);
        messages.push(Message::tool(call.id.clone(), result));
    }

    // Round 2: stream the final answer as it is written.
    let request =
        CreateChatCompletionRequest::from_messages("openai/gpt-oss-20b", messages).tools(tools);
    let mut stream = client.chat().completions().create_stream(&request).await?;
    while let Some(chunk) = stream.next().await {
        print!("{}", chunk?.delta_content().unwrap_or_default());
    }
    println!();
    Ok(())
}
