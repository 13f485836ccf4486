//! An HTTPS handshake with the TLS backend of the default features (rustls with *ring* and the platform's
//! verifier): a local rustls server with a self-signed certificate for `localhost`, trusted through
//! `SSL_CERT_FILE` as a user would on Linux. The certificate is accepted for `localhost` and refused for
//! another name. `SSL_CERT_FILE` is process-wide, so these tests have a binary of their own.

use groq_tests::driver::{Driver, Settings};
use groq_tests::for_both_clients;
use groq_types::sdk::{Error, RequestOptions};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, OnceLock};

const MODELS: &str = r#"{"object":"list","data":[{"id":"llama-3.3-70b-versatile","object":"model","created":1,"owned_by":"Meta"}]}"#;

/// The port of the one HTTPS server of this binary, started (with `SSL_CERT_FILE` set) on first use.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(start_server)
}

fn start_server() -> SocketAddr {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    // In the target directory's scratch space, not the system's: the file must outlive every test of the
    // binary, which has no hook to remove it at the end, and `cargo clean` removes it there.
    let pem = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("groq-tls-test-{}.pem", std::process::id()));
    std::fs::write(&pem, certified.cert.pem()).unwrap();
    // Set before any client is built; no other test in this binary reads the environment.
    std::env::set_var("SSL_CERT_FILE", &pem);
    for proxy in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::remove_var(proxy);
    }
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let cert = CertificateDer::from(certified.cert.der().to_vec());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || serve(stream, config));
        }
    });
    addr
}

/// Answers one request on `stream` with the model list, then closes. A failed handshake ends quietly.
fn serve(stream: TcpStream, config: Arc<rustls::ServerConfig>) {
    let Ok(connection) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(connection, stream);
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match tls.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{MODELS}",
        MODELS.len()
    );
    let _ = tls.write_all(reply.as_bytes());
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

fn the_certificate_is_verified_and_accepted_for_its_name(driver: &dyn Driver) {
    let base = format!("https://localhost:{}", server().port());
    let client = driver.client(&Settings::new(base)).unwrap();
    let models = client.models_list(&RequestOptions::new()).unwrap();
    assert_eq!(models.data[0].id, "llama-3.3-70b-versatile");
}

fn the_certificate_is_refused_for_another_name(driver: &dyn Driver) {
    let base = format!("https://127.0.0.1:{}", server().port());
    let mut settings = Settings::new(base);
    settings.max_retries = Some(0);
    let client = driver.client(&settings).unwrap();
    let error = client.models_list(&RequestOptions::new()).unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(
        format!("{error}").to_lowercase().contains("certificate"),
        "{error}"
    );
}

for_both_clients!(
    the_certificate_is_verified_and_accepted_for_its_name,
    the_certificate_is_refused_for_another_name,
);
