//! Builds a client from the environment alone (`Client::new()`) and lists the models: the contract tests
//! run it as a subprocess with a controlled environment, since tests must not change their own.
//!
//! ```text
//! env_probe async|blocking     # prints the number of models, or one line naming the error (exit 1)
//! ```

fn main() {
    let result = match std::env::args().nth(1).as_deref() {
        Some("async") => groq_async::Client::new().and_then(|client| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(groq_async::Error::Io)?;
            runtime.block_on(client.models().list())
        }),
        _ => groq_blocking::Client::new().and_then(|client| client.models().list()),
    };
    match result {
        Ok(models) => println!("{} models", models.data.len()),
        Err(error) => {
            eprintln!("env_probe: {error}");
            std::process::exit(1);
        }
    }
}
