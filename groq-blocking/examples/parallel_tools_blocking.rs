//! The parallel weather tools of Groq's tool-use docs, with the tool runner: the model asks for several
//! tools in one turn, the runner calls them (one after the other), sends the results back and returns the answer.
//!
//! ```sh
//! GROQ_API_KEY=... cargo run -p groq-blocking --example parallel_tools_blocking
//! ```
//! `GROQ_BASE_URL` points it at another server (a local mock, a proxy).

use groq_blocking::types::{ChatCompletionRequestMessage as Message, CreateChatCompletionRequest};
use groq_blocking::{Client, ToolRunner};

/// The arguments of both tools.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct City {
    /// The name of the city
    location: String,
}

// Mock tools: in a real application, call a weather API.
fn get_temperature(city: City) -> &'static str {
    match city.location.as_str() {
        "New York" => "22°C",
        "London" => "18°C",
        "Tokyo" => "26°C",
        "Sydney" => "20°C",
        _ => "Temperature data not available",
    }
}

fn get_weather_condition(city: City) -> &'static str {
    match city.location.as_str() {
        "New York" => "Sunny",
        "London" => "Rainy",
        "Tokyo" => "Cloudy",
        "Sydney" => "Clear",
        _ => "Weather condition data not available",
    }
}

fn main() -> Result<(), groq_blocking::Error> {
    let client = Client::new()?;
    let runner = ToolRunner::new()
        .tool(
            "get_temperature",
            "Get the temperature for a given location",
            get_temperature,
        )
        .tool(
            "get_weather_condition",
            "Get the weather condition for a given location",
            get_weather_condition,
        )
        .on_round(|round| {
            eprintln!(
                "round {}: {} tool call(s)",
                round.number,
                round.results.len()
            )
        });
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [
            Message::system("You are a helpful weather assistant."),
            Message::user(
                "What's the weather and temperature like in New York and London? \
                 Respond with one sentence for each city. Use tools to get the information.",
            ),
        ],
    )
    .max_completion_tokens(4096)
    .temperature(0.5);
    let run = client.chat().completions().run_tools(&request, &runner)?;
    println!("{}", run.content().unwrap_or_default());
    eprintln!("{} rounds, {} tokens", run.rounds, run.usage.total_tokens);
    Ok(())
}
