//! The proxy of the environment, as reqwest and Python's httpx honour it: with `HTTP_PROXY` set, both clients
//! send their requests to the proxy (absolute-form target naming the real host), and a host listed in
//! `NO_PROXY` is reached directly. The environment is process-wide, so this binary has a single test that
//! runs both clients one after the other.

use groq_tests::driver::{AsyncDriver, BlockingDriver, Driver, Settings};
use groq_tests::ports::RefusingPort;
use groq_tests::scripted::{Reply, ScriptedServer};
use groq_types::sdk::RequestOptions;

const MODELS: &str = r#"{"object":"list","data":[{"id":"llama-3.3-70b-versatile","object":"model","created":1,"owned_by":"Meta"}]}"#;

fn models_through(driver: &dyn Driver, base_url: &str) -> String {
    let client = driver.client(&Settings::new(base_url)).unwrap();
    let models = client.models_list(&RequestOptions::new()).unwrap();
    models.data[0].id.clone()
}

#[test]
fn both_clients_honour_http_proxy_and_no_proxy() {
    for proxy in [
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "http_proxy",
    ] {
        std::env::remove_var(proxy);
    }
    for driver in [&AsyncDriver as &dyn Driver, &BlockingDriver] {
        // Through the proxy: the real host is never resolved (`.invalid`); the proxy answers.
        let proxy = ScriptedServer::start(vec![Reply::json(200, MODELS)]);
        std::env::set_var("HTTP_PROXY", proxy.url());
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
        let id = models_through(driver, "http://api.groq.invalid");
        assert_eq!(id, "llama-3.3-70b-versatile", "{}", driver.name());
        let requests = proxy.requests();
        assert_eq!(requests.len(), 1, "{}", driver.name());
        assert_eq!(
            requests[0].target,
            "http://api.groq.invalid/openai/v1/models",
            "{}",
            driver.name()
        );
        assert_eq!(requests[0].header("host"), Some("api.groq.invalid"));

        // NO_PROXY: the server is reached directly, the proxy sees nothing more.
        let direct = ScriptedServer::start(vec![Reply::json(200, MODELS)]);
        std::env::set_var("NO_PROXY", "127.0.0.1");
        let id = models_through(driver, &direct.url());
        assert_eq!(id, "llama-3.3-70b-versatile", "{}", driver.name());
        assert_eq!(direct.requests()[0].target, "/openai/v1/models");
        assert_eq!(proxy.requests().len(), 1, "{}", driver.name());

        // A proxy that cannot be reached: the error says a proxy may be the cause, not only the host.
        let refusing = RefusingPort::new();
        std::env::set_var("HTTP_PROXY", refusing.url());
        std::env::remove_var("NO_PROXY");
        let mut settings = Settings::new("http://api.groq.invalid");
        settings.max_retries = Some(0);
        let client = driver.client(&settings).unwrap();
        let error = client.models_list(&RequestOptions::new()).unwrap_err();
        let shown = error.to_string();
        assert!(error.is_connection() && shown.contains("proxy"), "{shown}");
        // A host NO_PROXY exempts is reached directly: its refusal does not mention the proxy.
        std::env::set_var("NO_PROXY", "localhost,.test, 127.0.0.1");
        let refused = RefusingPort::new();
        let client = driver.client(&Settings::new(refused.url())).unwrap();
        let shown = client
            .models_list(&RequestOptions::new())
            .unwrap_err()
            .to_string();
        assert!(
            shown.contains("refused") && !shown.contains("proxy"),
            "{shown}"
        );
    }
}
