//! The README's Rust snippets are compiled as doc tests (`groq_tests::ReadmeSnippets`); this checks the
//! other half of "what a newcomer copies builds": every crate a snippet names is one the README tells them
//! to add (in a ```toml block), so no snippet works only because this workspace has more dependencies.

use std::collections::BTreeSet;

const README: &str = include_str!("../../README.md");

/// The fenced blocks of `text` whose info string starts with `lang`.
fn blocks<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let Some(line_end) = after.find('\n') else {
            break;
        };
        let info = &after[..line_end];
        let body = &after[line_end + 1..];
        let Some(end) = body.find("```") else { break };
        if info.trim().starts_with(lang) {
            out.push(&body[..end]);
        }
        rest = &body[end + 3..];
    }
    out
}

/// Crate names listed in the README's `[dependencies]` / `[dev-dependencies]` tables, as Rust idents.
fn listed() -> BTreeSet<String> {
    blocks(README, "toml")
        .iter()
        .flat_map(|block| block.lines())
        .filter_map(|line| {
            let name = line.split('=').next()?.trim();
            (!name.is_empty() && !name.starts_with('[') && !name.starts_with('#'))
                .then(|| name.replace('-', "_"))
        })
        .collect()
}

/// The first segments of the paths a snippet names (`groq_async` in `groq_async::Client`).
fn roots(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    for (at, _) in code.match_indices("::") {
        let start = code[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let word = &code[start..at];
        let preceded_by_path = start >= 1 && bytes.get(start - 1) == Some(&b':');
        let turbofish = bytes.get(at + 2) == Some(&b'<');
        if !preceded_by_path && !turbofish && word.starts_with(|c: char| c.is_ascii_lowercase()) {
            found.insert(word.to_owned());
        }
    }
    found
}

#[test]
fn every_crate_a_snippet_names_is_listed_in_the_readme() {
    let listed = listed();
    assert!(
        listed.contains("groq_async") && listed.contains("tokio"),
        "{listed:?}"
    );
    let builtin = ["std", "core", "alloc", "crate", "self", "super"];
    let snippets = blocks(README, "rust");
    assert!(
        snippets.len() >= 4,
        "only {} Rust snippets found",
        snippets.len()
    );
    let mut unlisted = Vec::new();
    for snippet in &snippets {
        for root in roots(snippet) {
            if !builtin.contains(&root.as_str()) && !listed.contains(&root) {
                unlisted.push(root);
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "README snippets use crates the README does not list: {unlisted:?}"
    );
}

#[test]
fn the_path_scanner_finds_crate_roots() {
    let found = roots(
        "use futures::StreamExt;\nlet x = groq_async::types::Model::default();\nf.parse::<u8>();",
    );
    assert_eq!(
        found,
        BTreeSet::from(["futures".to_owned(), "groq_async".to_owned()])
    );
}

/// A snippet shows everything it needs: GitHub and crates.io show rustdoc's hidden `# ` lines as they are
/// written, so a snippet with one does not build when copied from there.
#[test]
fn rust_snippets_hide_no_lines() {
    for block in blocks(README, "rust") {
        for line in block.lines() {
            assert!(
                !(line.starts_with("# ") || line.trim() == "#"),
                "a hidden line in a README snippet: {line}"
            );
        }
    }
}
