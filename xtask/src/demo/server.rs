//! The demo server's HTTP side: HTTP/1.1 on a loopback port, on its own thread and tokio runtime.
//! Bodies are read whole and handed to [`App`]; answers go back at once, or event by event (chunked) for
//! streams. Every request is logged (method, path, status) for the demo's report.

use super::answers::{Answer, App, Incoming, Payload};
use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming as HyperBody};
use hyper::{Request, Response};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// One request as the log keeps it.
#[derive(Debug, Clone)]
pub struct Logged {
    /// Method and path.
    pub line: String,
    /// Answer status.
    pub status: u16,
    /// The error message, for refused requests.
    pub error: Option<String>,
}

/// A running demo server; dropping it stops the server.
pub struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Logged>>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts serving `app` on `127.0.0.1` at a free port (or `port`, when not 0).
    pub fn start(app: App, port: u16) -> Result<Server, String> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))
            .map_err(|err| format!("cannot listen on 127.0.0.1:{port}: {err}"))?;
        let addr = listener.local_addr().map_err(|err| err.to_string())?;
        listener
            .set_nonblocking(true)
            .map_err(|err| err.to_string())?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(|err| format!("cannot start the server's runtime: {err}"))?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = oneshot::channel();
        let app = Arc::new(app);
        let thread_log = Arc::clone(&log);
        let thread = std::thread::Builder::new()
            .name("demo-server".into())
            .spawn(move || runtime.block_on(serve(listener, app, thread_log, stopped)))
            .map_err(|err| format!("cannot start the server thread: {err}"))?;
        Ok(Server {
            addr,
            log,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests logged since the last call.
    pub fn take_log(&self) -> Vec<Logged> {
        std::mem::take(&mut *self.log.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Blocks until the server stops (it stops only when dropped, so: for ever).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    app: Arc<App>,
    log: Arc<Mutex<Vec<Logged>>>,
    mut stopped: oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let app = Arc::clone(&app);
        let log = Arc::clone(&log);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                handle(Arc::clone(&app), Arc::clone(&log), request)
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

type Body = BoxBody<Bytes, Infallible>;

async fn handle(
    app: Arc<App>,
    log: Arc<Mutex<Vec<Logged>>>,
    request: Request<HyperBody>,
) -> Result<Response<Body>, Infallible> {
    let (parts, body) = request.into_parts();
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let incoming = Incoming {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        authorization: header("authorization"),
        content_type: header("content-type"),
        body: &bytes,
    };
    let answer = app.respond(&incoming);
    let error = (answer.status >= 400).then(|| match &answer.payload {
        Payload::Full(body) => serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| {
                v.pointer("/error/message")
                    .and_then(|m| m.as_str())
                    .map(str::to_owned)
            })
            .unwrap_or_default(),
        Payload::Events(_) => String::new(),
    });
    log.lock().unwrap_or_else(|p| p.into_inner()).push(Logged {
        line: format!("{} {}", parts.method, parts.uri.path()),
        status: answer.status,
        error,
    });
    Ok(to_response(answer))
}

fn to_response(answer: Answer) -> Response<Body> {
    let body: Body = match answer.payload {
        Payload::Full(bytes) => Full::new(Bytes::from(bytes)).boxed(),
        Payload::Events(events) => {
            let frames = events
                .into_iter()
                .map(|event| Ok::<_, Infallible>(Frame::data(Bytes::from(event))));
            StreamBody::new(futures::stream::iter(frames)).boxed()
        }
    };
    let mut builder = Response::builder()
        .status(answer.status)
        .header("content-type", answer.content_type);
    for (name, value) in answer.headers {
        builder = builder.header(name, value);
    }
    builder.body(body).unwrap_or_else(|_| {
        let mut response = Response::new(Full::new(Bytes::new()).boxed());
        *response.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        response
    })
}
