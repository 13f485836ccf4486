//! Builds a client from the environment (`Client::new()`, or the builder with the settings given as
//! arguments, the environment filling in the rest) and lists the models: the contract tests run it as a
//! subprocess with a controlled environment, since tests must not change their own.
//!
//! ```text
//! env_probe async|blocking [--api-key K] [--base-url U] [--header 'Name: value']...
//!     # prints the number of models, or one line naming the error (exit 1)
//! ```

/// Applies the settings given after the client's kind to a builder of either crate.
macro_rules! configured {
    ($builder:expr, $settings:expr) => {{
        let mut builder = $builder;
        for (flag, value) in $settings {
            builder = match flag.as_str() {
                "--api-key" => builder.api_key(value.as_str()),
                "--base-url" => builder.base_url(value.as_str()),
                _ => {
                    let (name, value) = value.split_once(':').unwrap_or((value.as_str(), ""));
                    builder.default_header(name.trim(), value.trim())
                }
            };
        }
        builder.build()
    }};
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings: Vec<(String, String)> = args
        .get(1..)
        .unwrap_or_default()
        .chunks(2)
        .map(|pair| (pair[0].clone(), pair.get(1).cloned().unwrap_or_default()))
        .collect();
    if let Some((flag, _)) = settings
        .iter()
        .find(|(flag, _)| !["--api-key", "--base-url", "--header"].contains(&flag.as_str()))
    {
        eprintln!("env_probe: unknown setting {flag}");
        std::process::exit(2);
    }
    let result = match args.first().map(String::as_str) {
        Some("async") => configured!(groq_async::Client::builder(), &settings).and_then(|client| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(groq_async::Error::Io)?;
            runtime.block_on(client.models().list())
        }),
        _ => configured!(groq_blocking::Client::builder(), &settings)
            .and_then(|client| client.models().list()),
    };
    match result {
        Ok(models) => println!("{} models", models.data.len()),
        Err(error) => {
            eprintln!("env_probe: {error}");
            std::process::exit(1);
        }
    }
}
