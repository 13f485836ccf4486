//! The test double's clients read no environment variable: a test that uses `MockTransport::client()`
//! behaves the same on a machine whose `GROQ_BASE_URL` or `GROQ_CUSTOM_HEADERS` are set. A process of its
//! own, since it sets those variables (once, before either test reads anything).

use groq_tests::dual_test;
use serde_json::json;
use std::sync::Once;

fn set_the_environment() {
    static SET: Once = Once::new();
    SET.call_once(|| {
        std::env::set_var("GROQ_BASE_URL", "https://gateway.example.com/groq");
        std::env::set_var("GROQ_CUSTOM_HEADERS", "X-From-Env: yes\nnot a header line");
    });
}

dual_test! {
    fn mock_clients_ignore_the_environment() {
        set_the_environment();
        let mock = groq::test_util::MockTransport::new();
        mock.route(
            http::Method::GET,
            "/openai/v1/models",
            groq::test_util::MockResponse::json(json!({"object": "list", "data": []})),
        );
        let client = mock.client().expect("the environment is not read");
        wait!(client.models().list()).unwrap();
        let sent: Vec<(String, bool)> = mock
            .requests()
            .iter()
            .map(|r| (r.url.path().to_owned(), r.header("x-from-env").is_some()))
            .collect();
        assert_eq!(sent, [("/openai/v1/models".to_owned(), false)]);
    }
}
