//! Tools and structured outputs: function tools from a JSON schema or a Rust type, and the `response_format`
//! values (plain text, JSON mode, JSON schema).

use crate::sdk::Error;
use crate::{
    ChatCompletionTool, ChatCompletionToolType, FunctionObject, FunctionParameters,
    JsonSchemaFormat, ResponseFormat, ResponseFormatJsonObject, ResponseFormatJsonSchema,
    ResponseFormatJsonSchemaSchema, ResponseFormatText,
};
use serde_json::{Map, Value};

/// The JSON Schema of `T` as a JSON object, without the `$schema` marker.
fn schema_object<T: schemars::JsonSchema>() -> Map<String, Value> {
    let schema = schemars::schema_for!(T);
    match serde_json::to_value(&schema) {
        Ok(Value::Object(mut object)) => {
            object.remove("$schema");
            object
        }
        _ => Map::new(),
    }
}

impl TryFrom<Value> for FunctionParameters {
    type Error = Error;

    /// The parameters of a function tool must be a JSON Schema object.
    fn try_from(value: Value) -> Result<Self, Error> {
        match value {
            Value::Object(object) => Ok(Self(object)),
            other => Err(Error::InvalidRequest(format!(
                "tool parameters must be a JSON Schema object, not {other}"
            ))),
        }
    }
}

impl ChatCompletionTool {
    /// A function the model may call, described by its name, a description and the JSON Schema of its
    /// arguments.
    ///
    /// ```
    /// use groq_types::ChatCompletionTool;
    /// use serde_json::json;
    ///
    /// # fn main() -> Result<(), groq_types::sdk::Error> {
    /// let tool = ChatCompletionTool::new_function(
    ///     "calculate",
    ///     "Evaluate a mathematical expression",
    ///     json!({
    ///         "type": "object",
    ///         "properties": {"expression": {"type": "string"}},
    ///         "required": ["expression"],
    ///     })
    ///     .try_into()?,
    /// );
    /// assert_eq!(serde_json::to_value(&tool).unwrap()["function"]["name"], "calculate");
    /// # Ok(())
    /// # }
    /// ```
    pub fn new_function(
        name: impl Into<String>,
        description: impl Into<String>,
        parameters: FunctionParameters,
    ) -> Self {
        Self::new(ChatCompletionToolType::Function).function(
            FunctionObject::new(name)
                .description(description)
                .parameters(parameters),
        )
    }

    /// A function whose arguments are described by the JSON Schema of `T` (derive
    /// [`schemars::JsonSchema`] on the arguments type and deserialise the call's arguments into it).
    ///
    /// ```
    /// use groq_types::ChatCompletionTool;
    ///
    /// #[derive(schemars::JsonSchema, serde::Deserialize)]
    /// struct Weather {
    ///     /// The city, e.g. Paris.
    ///     location: String,
    /// }
    ///
    /// let tool = ChatCompletionTool::new_function_for::<Weather>("get_weather", "Current weather in a city");
    /// let json = serde_json::to_value(&tool).unwrap();
    /// assert_eq!(json["function"]["parameters"]["required"][0], "location");
    /// ```
    pub fn new_function_for<T: schemars::JsonSchema>(
        name: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self::new_function(name, description, FunctionParameters(schema_object::<T>()))
    }
}

impl ResponseFormat {
    /// Plain text answers (the default).
    pub fn text() -> Self {
        Self::Text(ResponseFormatText::default())
    }

    /// JSON mode: the answer is a JSON object.
    pub fn json_object() -> Self {
        Self::JsonObject(ResponseFormatJsonObject::default())
    }

    /// Structured output: the answer follows the JSON Schema `schema`, named `name`.
    ///
    /// ```
    /// use groq_types::ResponseFormat;
    /// use serde_json::json;
    ///
    /// let format = ResponseFormat::json_schema(
    ///     "product_review",
    ///     json!({"type": "object", "properties": {"rating": {"type": "integer"}}}),
    ///     true,
    /// );
    /// let json = serde_json::to_value(&format).unwrap();
    /// assert_eq!(json["type"], "json_schema");
    /// assert_eq!(json["json_schema"]["strict"], true);
    /// ```
    pub fn json_schema(name: impl Into<String>, schema: Value, strict: bool) -> Self {
        let schema = match schema {
            Value::Object(object) => object,
            other => {
                let mut wrapped = Map::new();
                wrapped.insert("const".into(), other);
                wrapped
            }
        };
        Self::JsonSchema(ResponseFormatJsonSchema::new(
            JsonSchemaFormat::new(name)
                .schema(ResponseFormatJsonSchemaSchema(schema))
                .strict(strict),
        ))
    }

    /// Structured output following the JSON Schema of `T` as schemars derives it, in best-effort mode
    /// (`strict: false`): a derived schema may use what strict mode refuses (open objects, optional
    /// properties, formats such as `uint32`). For strict mode use
    /// [`response_format_for`](crate::ergonomics::strict_schema::response_format_for) with
    /// `OutputMode::Strict`, which rewrites the schema into the form strict mode accepts, or refuses it with
    /// a clear error.
    pub fn json_schema_for<T: schemars::JsonSchema>(name: impl Into<String>) -> Self {
        Self::json_schema(name, Value::Object(schema_object::<T>()), false)
    }
}
