//! The URLs of the API's fixed paths under a client's base URL: each joined once, then cloned per request.
//!
//! Joining a path to the base URL parses the result again; for `/openai/v1/chat/completions` that is
//! about 2 800 instructions, against about 150 for cloning the joined URL (one string copied). A request's
//! path is fixed (`&'static str`) for every endpoint but those naming an object (`/files/{id}`) and the
//! generic [`Endpoints`](super::resources::endpoints::Endpoints); only fixed paths are kept, so what is kept
//! is bounded by the API's own paths.

use groq_types::sdk::{ClientConfig, Error};
use std::borrow::Cow;
use std::sync::RwLock;
use url::Url;

/// The most fixed paths kept; the API has fewer, so the limit only guards against growth.
const MAX_PATHS: usize = 64;

/// A client's joined URLs, shared by its clones.
#[derive(Debug, Default)]
pub(crate) struct Urls {
    joined: RwLock<Vec<(&'static str, Url)>>,
}

impl Urls {
    /// The URL of `path` under `config`'s base URL (see [`ClientConfig::url`]); a fixed path's is joined only
    /// the first time.
    // The `Cow` itself is the point: only a borrowed (`'static`) path is kept.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn get(
        &self,
        config: &ClientConfig,
        path: &Cow<'static, str>,
    ) -> Result<Url, Error> {
        let path = match path {
            Cow::Borrowed(path) => *path,
            Cow::Owned(path) => return config.url(path),
        };
        if let Some(url) = self.known(path) {
            return Ok(url);
        }
        let url = config.url(path)?;
        // A poisoned lock only means the URL is joined again next time.
        if let Ok(mut joined) = self.joined.write() {
            if joined.len() < MAX_PATHS && !joined.iter().any(|(known, _)| *known == path) {
                joined.push((path, url.clone()));
            }
        }
        Ok(url)
    }

    fn known(&self, path: &str) -> Option<Url> {
        let joined = self.joined.read().ok()?;
        let (_, url) = joined.iter().find(|(known, _)| *known == path)?;
        Some(url.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use groq_types::sdk::config::ConfigBuilder;

    fn config(base: &str) -> ClientConfig {
        ConfigBuilder {
            api_key: Some("gsk_test".into()),
            base_url: Some(base.into()),
            ..ConfigBuilder::default()
        }
        .resolve_with_env(|_| None)
        .expect("config")
    }

    #[test]
    fn a_fixed_path_is_joined_once_and_gives_the_same_url_as_joining() {
        let config = config("https://example.test/proxy/");
        let urls = Urls::default();
        let path: Cow<'static, str> = Cow::Borrowed("/openai/v1/chat/completions");
        let first = urls.get(&config, &path).expect("first");
        let second = urls.get(&config, &path).expect("second");
        let joined = config.url(&path).expect("joined");
        assert_eq!(first, joined);
        assert_eq!(second, joined);
        assert_eq!(urls.joined.read().expect("lock").len(), 1);
    }

    #[test]
    fn a_path_naming_an_object_is_not_kept() {
        let config = config("https://example.test");
        let urls = Urls::default();
        let path: Cow<'static, str> = Cow::Owned("/openai/v1/files/file_1".to_owned());
        let url = urls.get(&config, &path).expect("url");
        assert_eq!(url.as_str(), "https://example.test/openai/v1/files/file_1");
        assert!(urls.joined.read().expect("lock").is_empty());
    }

    #[test]
    fn the_kept_paths_are_bounded() {
        let config = config("https://example.test");
        let urls = Urls::default();
        let paths: Vec<&'static str> = (0..MAX_PATHS + 5)
            .map(|i| &*Box::leak(format!("/p/{i}").into_boxed_str()))
            .collect();
        for path in &paths {
            urls.get(&config, &Cow::Borrowed(*path)).expect("url");
        }
        assert_eq!(urls.joined.read().expect("lock").len(), MAX_PATHS);
        let last = urls
            .get(&config, &Cow::Borrowed(paths[MAX_PATHS + 4]))
            .expect("joined without being kept");
        assert_eq!(last.path(), format!("/p/{}", MAX_PATHS + 4));
    }
}
