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

/// Whether a schema describes only `null` (`"type": "null"`): what `schemars` derives for `()` and unit
/// structs.
fn is_null_schema(schema: &Map<String, Value>) -> bool {
    schema.get("type").is_some_and(|t| t == "null")
}

/// Whether a tool whose arguments are of type `T` takes no arguments: the JSON Schema of `T` is
/// `"type": "null"`, as `schemars` derives it for `()` and unit structs. Such a tool is declared with an
/// empty object schema ([`ChatCompletionTool::new_function_for`]), so the model sends `{}` (or nothing);
/// read its arguments as JSON `null` to get the value of `T`.
///
/// ```
/// use groq_types::ergonomics::tools::takes_no_arguments;
///
/// #[derive(schemars::JsonSchema)]
/// struct Now;
///
/// #[derive(schemars::JsonSchema)]
/// struct City {
///     location: String,
/// }
///
/// assert!(takes_no_arguments::<()>());
/// assert!(takes_no_arguments::<Now>());
/// assert!(!takes_no_arguments::<City>());
/// ```
pub fn takes_no_arguments<T: schemars::JsonSchema>() -> bool {
    is_null_schema(&schema_object::<T>())
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
    /// A function without arguments (`T` is `()` or a unit struct, whose schema is `"type": "null"`, see
    /// [`takes_no_arguments`]) is declared with an empty object schema, `{"type": "object",
    /// "properties": {}}` (keeping the type's description), since the parameters must be an object
    /// schema; the model then sends `{}`, which is read as `null` for `T`.
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
    ///
    /// let now = ChatCompletionTool::new_function_for::<()>("now", "The current time");
    /// let json = serde_json::to_value(&now).unwrap();
    /// assert_eq!(json["function"]["parameters"], serde_json::json!({"type": "object", "properties": {}}));
    /// ```
    pub fn new_function_for<T: schemars::JsonSchema>(
        name: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        let mut schema = schema_object::<T>();
        if is_null_schema(&schema) {
            let mut object = Map::new();
            if let Some(description) = schema.remove("description") {
                object.insert("description".into(), description);
            }
            object.insert("type".into(), "object".into());
            object.insert("properties".into(), Value::Object(Map::new()));
            schema = object;
        }
        Self::new_function(name, description, FunctionParameters(schema))
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
    /// The schema is sent as a JSON object. The boolean schemas are sent as the objects that mean the
    /// same: `true` (any value) as `{}`, and `false` (no value) as `{"not": {}}`. Any other value that is
    /// not an object is not a JSON Schema, and this function cannot refuse it; it is taken as the one
    /// value the answer may be, `{"const": value}`. To refuse such a value instead, check it first, as the
    /// parameters of a tool are checked (the `TryFrom<Value>` of [`FunctionParameters`]).
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
            Value::Bool(true) => Map::new(),
            Value::Bool(false) => Map::from_iter([("not".into(), Value::Object(Map::new()))]),
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

#[cfg(test)]
mod tests {
    use super::takes_no_arguments;
    use crate::ChatCompletionTool;
    use serde_json::{json, Value};

    /// A unit struct, described.
    #[derive(schemars::JsonSchema)]
    struct Now;

    #[derive(schemars::JsonSchema)]
    struct Nothing {}

    fn parameters(tool: &ChatCompletionTool) -> Value {
        serde_json::to_value(tool)
            .ok()
            .and_then(|tool| tool.pointer("/function/parameters").cloned())
            .unwrap_or(Value::Null)
    }

    #[test]
    fn a_tool_without_arguments_is_declared_with_an_empty_object_schema() {
        assert!(takes_no_arguments::<()>());
        assert!(takes_no_arguments::<Now>());
        assert!(!takes_no_arguments::<Nothing>());
        let unit = ChatCompletionTool::new_function_for::<()>("now", "The time");
        assert_eq!(
            parameters(&unit),
            json!({"type": "object", "properties": {}})
        );
        let unit_struct = ChatCompletionTool::new_function_for::<Now>("now", "The time");
        assert_eq!(
            parameters(&unit_struct),
            json!({"type": "object", "properties": {}, "description": "A unit struct, described."})
        );
        // A struct without fields already has an object schema, and keeps it as derived.
        let empty = ChatCompletionTool::new_function_for::<Nothing>("nothing", "Nothing");
        assert_eq!(parameters(&empty)["title"], "Nothing");
    }
}
