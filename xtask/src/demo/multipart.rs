//! A `multipart/form-data` body split into its parts (RFC 7578), enough for the demo server's uploads.

/// The parts of a form, in the order they were sent.
#[derive(Debug, Default)]
pub struct Form {
    /// Every part.
    pub parts: Vec<Part>,
}

/// One part of a form.
#[derive(Debug)]
pub struct Part {
    /// The `name` of its `Content-Disposition`.
    pub name: String,
    /// The `filename`, for file parts.
    pub filename: Option<String>,
    /// Its `Content-Type`, when sent.
    pub content_type: Option<String>,
    /// Its bytes.
    pub data: Vec<u8>,
}

impl Form {
    /// The first file part named `name`.
    pub fn file(&self, name: &str) -> Option<&Part> {
        self.parts
            .iter()
            .find(|p| p.name == name && p.filename.is_some())
    }
}

/// Splits `body` with the boundary named in `content_type`.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Form, String> {
    let boundary = content_type
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .next()
        .ok_or("multipart/form-data without a boundary")?;
    let delimiter = format!("--{boundary}");
    let mut form = Form::default();
    let mut rest = body;
    // Skip the preamble up to the first delimiter.
    let start = find(rest, delimiter.as_bytes()).ok_or("the form has no parts")?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Ok(form);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("malformed multipart delimiter line")?;
        let next = find(rest, format!("\r\n{delimiter}").as_bytes())
            .ok_or("the form's closing delimiter is missing")?;
        form.parts.push(parse_part(&rest[..next])?);
        rest = &rest[next + 2 + delimiter.len()..];
    }
}

fn parse_part(raw: &[u8]) -> Result<Part, String> {
    let split = find(raw, b"\r\n\r\n").ok_or("a form part has no header end")?;
    let headers = String::from_utf8_lossy(&raw[..split]);
    let mut part = Part {
        name: String::new(),
        filename: None,
        content_type: None,
        data: raw[split + 4..].to_vec(),
    };
    for line in headers.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                for param in value.split(';').skip(1) {
                    let Some((key, val)) = param.trim().split_once('=') else {
                        continue;
                    };
                    let val = val.trim_matches('"').to_owned();
                    match key {
                        "name" => part.name = val,
                        "filename" => part.filename = Some(val),
                        _ => {}
                    }
                }
            }
            "content-type" => part.content_type = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    if part.name.is_empty() {
        return Err("a form part has no name".to_owned());
    }
    Ok(part)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
