//! Measures that large uploads and downloads stream: run a local server in one process and a client in
//! another, and read the client's peak RSS with `/usr/bin/time -v` (see `tests/memory.sh`).
//!
//! ```text
//! memory_check serve <port> <download-bytes>        # discards uploads, serves <download-bytes> of content
//! memory_check upload <async|blocking> <url> <path> # client: files().upload(FileInput::path(path))
//! memory_check upload-in-memory <url> <path>        # baseline: the same file read into memory first
//! memory_check download <async|blocking> <url> <path> # client: files().content(id).write_to_file(path)
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::exit;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    let result = match arg(0).as_str() {
        "serve" => serve(&arg(1), arg(2).parse().unwrap_or(200_000_000)),
        "upload" => upload(&arg(1), &arg(2), &arg(3)),
        "upload-in-memory" => upload_in_memory(&arg(1), &arg(2)),
        "download" => download(&arg(1), &arg(2), &arg(3)),
        _ => Err("usage: memory_check serve|upload|upload-in-memory|download …".into()),
    };
    if let Err(error) = result {
        eprintln!("memory_check: {error}");
        exit(1);
    }
}

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const FILE_JSON: &str = r#"{"id":"file_1","object":"file","bytes":0,"created_at":1,"filename":"big.jsonl","purpose":"batch"}"#;

/// A server that reads request bodies without keeping them and serves a generated download.
fn serve(port: &str, download_bytes: u64) -> Result {
    let listener = TcpListener::bind(format!("127.0.0.1:{port}"))?;
    eprintln!("serving on {}", listener.local_addr()?);
    for stream in listener.incoming() {
        let stream = stream?;
        std::thread::spawn(move || {
            if let Err(error) = handle(stream, download_bytes) {
                eprintln!("connection: {error}");
            }
        });
    }
    Ok(())
}

fn handle(stream: TcpStream, download_bytes: u64) -> Result {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut length = 0u64;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse()?;
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        let received = if chunked {
            discard_chunked(&mut reader)?
        } else {
            std::io::copy(&mut (&mut reader).take(length), &mut std::io::sink())?
        };
        if request_line.starts_with("GET") && request_line.contains("/content") {
            write!(
                writer,
                "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {download_bytes}\r\n\r\n"
            )?;
            let block: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
            let mut left = download_bytes;
            while left > 0 {
                let n = left.min(block.len() as u64) as usize;
                writer.write_all(&block[..n])?;
                left -= n as u64;
            }
        } else {
            let body = FILE_JSON.replace("\"bytes\":0", &format!("\"bytes\":{received}"));
            write!(
                writer,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )?;
        }
        writer.flush()?;
    }
}

fn discard_chunked(reader: &mut impl BufRead) -> Result<u64> {
    let mut total = 0;
    loop {
        let mut size_line = String::new();
        reader.read_line(&mut size_line)?;
        let size = u64::from_str_radix(size_line.trim().split(';').next().unwrap_or("0"), 16)?;
        if size == 0 {
            let mut end = String::new();
            reader.read_line(&mut end)?;
            return Ok(total);
        }
        total += std::io::copy(&mut reader.take(size), &mut std::io::sink())?;
        let mut crlf = String::new();
        reader.read_line(&mut crlf)?;
    }
}

fn upload(mode: &str, url: &str, path: &str) -> Result {
    let file = match mode {
        "async" => {
            let client = groq_async::Client::builder()
                .api_key("k")
                .base_url(url)
                .build()?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(
                client
                    .files()
                    .upload(groq_async::FileInput::path(path), "batch"),
            )?
        }
        _ => {
            let client = groq_blocking::Client::builder()
                .api_key("k")
                .base_url(url)
                .build()?;
            client
                .files()
                .upload(groq_blocking::FileInput::path(path), "batch")?
        }
    };
    println!(
        "uploaded: the server received {} bytes",
        file.bytes.unwrap_or_default()
    );
    Ok(())
}

fn upload_in_memory(url: &str, path: &str) -> Result {
    let bytes = std::fs::read(path)?;
    let client = groq_blocking::Client::builder()
        .api_key("k")
        .base_url(url)
        .build()?;
    let file = client
        .files()
        .upload(groq_blocking::FileInput::bytes("big.jsonl", bytes), "batch")?;
    println!(
        "uploaded from memory: the server received {} bytes",
        file.bytes.unwrap_or_default()
    );
    Ok(())
}

fn download(mode: &str, url: &str, path: &str) -> Result {
    let written = match mode {
        "async" => {
            let client = groq_async::Client::builder()
                .api_key("k")
                .base_url(url)
                .build()?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                client
                    .files()
                    .content("file_1")
                    .await?
                    .write_to_file(path)
                    .await
            })?
        }
        _ => {
            let client = groq_blocking::Client::builder()
                .api_key("k")
                .base_url(url)
                .build()?;
            client.files().content("file_1")?.write_to_file(path)?
        }
    };
    println!("downloaded {written} bytes to {path}");
    Ok(())
}
