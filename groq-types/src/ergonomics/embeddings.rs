//! Embeddings: inputs from strings, and the returned vectors as `f32`s whichever `encoding_format` was asked
//! for (`float` sends numbers, `base64` sends the little-endian bytes of `f32`s).

use crate::sdk::Error;
use crate::{CreateEmbeddingResponse, Embedding, EmbeddingInput, EmbeddingVector};
use base64::Engine as _;

impl From<&str> for EmbeddingInput {
    fn from(text: &str) -> Self {
        Self::Single(text.to_owned())
    }
}

impl From<String> for EmbeddingInput {
    fn from(text: String) -> Self {
        Self::Single(text)
    }
}

impl From<Vec<&str>> for EmbeddingInput {
    fn from(texts: Vec<&str>) -> Self {
        Self::Multiple(texts.into_iter().map(str::to_owned).collect())
    }
}

impl<const N: usize> From<[&str; N]> for EmbeddingInput {
    fn from(texts: [&str; N]) -> Self {
        Self::Multiple(texts.into_iter().map(str::to_owned).collect())
    }
}

/// Texts kept by the caller (to pair them with their vectors afterwards), copied into the request.
impl From<&[&str]> for EmbeddingInput {
    fn from(texts: &[&str]) -> Self {
        Self::Multiple(texts.iter().map(|text| (*text).to_owned()).collect())
    }
}

/// Texts kept by the caller (to pair them with their vectors afterwards), copied into the request.
impl From<&[String]> for EmbeddingInput {
    fn from(texts: &[String]) -> Self {
        Self::Multiple(texts.to_vec())
    }
}

/// Texts kept by the caller (to pair them with their vectors afterwards), copied into the request.
impl From<&Vec<String>> for EmbeddingInput {
    fn from(texts: &Vec<String>) -> Self {
        Self::Multiple(texts.clone())
    }
}

impl EmbeddingVector {
    /// The vector as `f32`s: numbers are narrowed from the JSON's `f64`, a base64 string is decoded as
    /// little-endian `f32` bytes. A string that is not base64, or whose length is not a multiple of 4 bytes,
    /// is a [`Error::Decode`].
    ///
    /// ```
    /// use groq_types::EmbeddingVector;
    ///
    /// let floats = EmbeddingVector::Floats(vec![0.5, -1.0]);
    /// // The bytes of 0.5f32 and -1.0f32, little-endian, in base64.
    /// let base64 = EmbeddingVector::Base64("AAAAPwAAgL8=".into());
    /// assert_eq!(floats.to_f32().unwrap(), vec![0.5, -1.0]);
    /// assert_eq!(base64.to_f32().unwrap(), vec![0.5, -1.0]);
    /// assert!(EmbeddingVector::Base64("not base64!".into()).to_f32().is_err());
    /// ```
    pub fn to_f32(&self) -> Result<Vec<f32>, Error> {
        match self {
            Self::Floats(values) => Ok(values.iter().map(|&value| value as f32).collect()),
            Self::Base64(text) => decode_base64_f32(text),
        }
    }
}

fn decode_base64_f32(text: &str) -> Result<Vec<f32>, Error> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| {
            Error::decode_source("the embedding is not valid base64", e, text.as_bytes())
        })?;
    if bytes.len() % 4 != 0 {
        return Err(Error::decode(
            "the embedding is not a whole number of f32 values",
            format_args!("{} bytes is not a multiple of 4", bytes.len()),
            text.as_bytes(),
        ));
    }
    Ok(bytes
        .chunks_exact(4)
        .filter_map(|chunk| <[u8; 4]>::try_from(chunk).ok())
        .map(f32::from_le_bytes)
        .collect())
}

impl Embedding {
    /// This embedding's vector as `f32`s, decoded from either encoding (see [`EmbeddingVector::to_f32`]).
    pub fn vector(&self) -> Result<Vec<f32>, Error> {
        self.embedding.to_f32()
    }
}

impl CreateEmbeddingResponse {
    /// Every vector as `f32`s, ordered by `index` (the order of the inputs), decoded from either encoding.
    /// The first embedding that cannot be decoded makes the whole call a [`Error::Decode`].
    pub fn vectors(&self) -> Result<Vec<Vec<f32>>, Error> {
        let mut embeddings: Vec<&Embedding> = self.data.iter().collect();
        embeddings.sort_by_key(|embedding| embedding.index);
        embeddings
            .into_iter()
            .map(|embedding| {
                embedding.vector().map_err(|error| match error {
                    Error::Decode {
                        message,
                        body,
                        source,
                    } => Error::Decode {
                        message: format!("embedding {}: {message}", embedding.index),
                        body,
                        source,
                    },
                    other => other,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EmbeddingObject, EmbeddingUsage, ListObject};

    fn base64_of(values: &[f32]) -> String {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn embedding(index: i64, vector: EmbeddingVector) -> Embedding {
        Embedding {
            embedding: vector,
            index,
            object: EmbeddingObject::Embedding,
        }
    }

    /// Texts the caller keeps (to pair with the vectors) are taken by reference, as a slice or a `Vec`.
    #[test]
    fn borrowed_texts_are_an_input_of_several() {
        let owned = vec!["a".to_owned(), "b".to_owned()];
        let borrowed = ["a", "b"];
        let expected = EmbeddingInput::Multiple(owned.clone());
        assert_eq!(EmbeddingInput::from(&owned), expected);
        assert_eq!(EmbeddingInput::from(owned.as_slice()), expected);
        assert_eq!(EmbeddingInput::from(&borrowed[..]), expected);
        let request = crate::CreateEmbeddingRequest::new(&owned, "nomic-embed-text-v1_5");
        assert_eq!(request.input, expected);
        assert_eq!(owned.len(), 2, "the caller keeps its texts");
    }

    #[test]
    fn float_and_base64_decode_to_the_same_vector() {
        let values = [0.1f32, -2.5, 3.25, f32::MIN_POSITIVE];
        let floats = EmbeddingVector::Floats(values.iter().map(|&v| f64::from(v)).collect());
        let base64 = EmbeddingVector::Base64(base64_of(&values));
        assert_eq!(floats.to_f32().unwrap(), values);
        assert_eq!(base64.to_f32().unwrap(), values);
        assert_eq!(
            EmbeddingVector::Base64(String::new()).to_f32().unwrap(),
            Vec::<f32>::new()
        );
    }

    #[test]
    fn malformed_base64_is_a_decode_error() {
        for bad in ["@@@@", "AAAAPwA=", "AAE="] {
            let error = EmbeddingVector::Base64(bad.into()).to_f32().unwrap_err();
            assert!(matches!(error, Error::Decode { .. }), "{bad}: {error:?}");
        }
    }

    #[test]
    fn vectors_follow_the_index_and_name_the_failing_embedding() {
        let response = CreateEmbeddingResponse {
            data: vec![
                embedding(1, EmbeddingVector::Floats(vec![2.0])),
                embedding(0, EmbeddingVector::Base64(base64_of(&[1.0]))),
            ],
            model: "nomic-embed-text-v1_5".into(),
            object: ListObject::List,
            usage: EmbeddingUsage {
                prompt_tokens: 1,
                total_tokens: 1,
            },
        };
        assert_eq!(response.vectors().unwrap(), vec![vec![1.0], vec![2.0]]);

        let mut broken = response;
        broken
            .data
            .push(embedding(2, EmbeddingVector::Base64("!".into())));
        match broken.vectors() {
            Err(Error::Decode { message, .. }) => {
                assert!(message.contains("embedding 2"), "{message}")
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}
