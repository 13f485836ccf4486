//! The error of a generated builder's `build()`: a required field was never set.

use std::fmt;

/// A generated builder was asked to `build()` before one of its required fields was set.
///
/// ```
/// use groq_types::CreateBatchRequest;
///
/// let missing = CreateBatchRequest::builder()
///     .endpoint("/v1/chat/completions")
///     .completion_window("24h")
///     .build()
///     .unwrap_err();
/// assert_eq!(missing.field(), "input_file_id");
/// assert_eq!(
///     missing.to_string(),
///     "`CreateBatchRequest` cannot be built: its required field `input_file_id` was not set"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingField {
    type_name: &'static str,
    field: &'static str,
}

impl MissingField {
    /// The error for `type_name`'s required `field`.
    pub const fn new(type_name: &'static str, field: &'static str) -> Self {
        Self { type_name, field }
    }

    /// The type being built.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The required field that was not set.
    pub fn field(&self) -> &'static str {
        self.field
    }
}

impl fmt::Display for MissingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` cannot be built: its required field `{}` was not set",
            self.type_name, self.field
        )
    }
}

impl std::error::Error for MissingField {}

impl From<MissingField> for crate::sdk::Error {
    fn from(missing: MissingField) -> Self {
        crate::sdk::Error::InvalidRequest(missing.to_string())
    }
}
