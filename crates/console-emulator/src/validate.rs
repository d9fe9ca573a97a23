//! Input validation with the console's rules and wording. athena validates bodies against
//! its OpenAPI file with a home-made walker (`validation_lib.js`); this is the same walk, in
//! the same order, over the schemas in [`crate::schemas`], so the `msgs` arrays match.

use serde_json::Value;

use crate::certs::is_certificate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Boolean,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
        }
    }
}

/// The named regular expressions of the console's settings, as plain checks.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pattern {
    /// `^grpcs?://[\w-._~]+:\d{1,5}$`
    GrpcUrl,
    /// `^https?://[\w-._~]+`
    HttpUrl,
    /// `^[a-z][a-z0-9_-]+$`
    ValidId,
    /// `[^a-zA-Z\d-.]` (must not match)
    InvalidMspId,
}

fn host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '~')
}

impl Pattern {
    fn matches(self, s: &str) -> bool {
        match self {
            Pattern::GrpcUrl => {
                let Some(rest) = s
                    .strip_prefix("grpcs://")
                    .or_else(|| s.strip_prefix("grpc://"))
                else {
                    return false;
                };
                let Some((host, port)) = rest.rsplit_once(':') else {
                    return false;
                };
                !host.is_empty()
                    && host.chars().all(host_char)
                    && (1..=5).contains(&port.len())
                    && port.chars().all(|c| c.is_ascii_digit())
            }
            Pattern::HttpUrl => s
                .strip_prefix("https://")
                .or_else(|| s.strip_prefix("http://"))
                .and_then(|rest| rest.chars().next())
                .is_some_and(host_char),
            Pattern::ValidId => {
                let mut chars = s.chars();
                chars.next().is_some_and(|c| c.is_ascii_lowercase())
                    && s.len() >= 2
                    && chars.all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
                    })
            }
            Pattern::InvalidMspId => s
                .chars()
                .any(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')),
        }
    }
}

/// One node of a request schema (the subset of OpenAPI the console's walker enforces).
#[derive(Debug, Clone)]
pub(crate) struct Schema {
    pub kind: Kind,
    pub required: Vec<&'static str>,
    pub props: Vec<(&'static str, Schema)>,
    pub items: Option<Box<Schema>>,
    pub no_extra_keys: bool,
    pub illegal_keys: Vec<&'static str>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_len: Option<usize>,
    pub max_len: Option<usize>,
    pub must_pass: Option<Pattern>,
    pub must_fail: Option<Pattern>,
    /// Message key for a pattern failure (`regex_fail_full_url`, ...).
    pub pattern_msg: Option<&'static str>,
    pub illegal_values: Vec<&'static str>,
    pub enum_values: Vec<&'static str>,
    pub certificate: bool,
}

impl Schema {
    pub(crate) fn of(kind: Kind) -> Schema {
        Schema {
            kind,
            required: Vec::new(),
            props: Vec::new(),
            items: None,
            no_extra_keys: false,
            illegal_keys: Vec::new(),
            minimum: None,
            maximum: None,
            min_len: None,
            max_len: None,
            must_pass: None,
            must_fail: None,
            pattern_msg: None,
            illegal_values: Vec::new(),
            enum_values: Vec::new(),
            certificate: false,
        }
    }
}

/// The console's message templates (`x-validate_error_messages`).
fn template(key: &str) -> &'static str {
    match key {
        "missing_required" => "Expected parameter '$PROPERTY_NAME' to exist.",
        "invalid_type" => "Expected parameter '$PROPERTY_NAME' to be of type: '$PROPERTY_TYPE', but instead was: '$TYPE'.",
        "too_large" => "Parameter '$PROPERTY_NAME' is out of range. Must be <= $MAX.",
        "too_small" => "Parameter '$PROPERTY_NAME' is out of range. Must be >= $MIN.",
        "invalid_value" => "Expected parameter '$PROPERTY_NAME' to be one of these values: $VALUES.",
        "illegal_value" => "Parameter '$PROPERTY_NAME' cannot be any of these values: $VALUES.",
        "illegal_key" => "Parameter '$PROPERTY_NAME' is automatically populated. It can not be set.",
        "illegal_key_edit" => "Parameter '$PROPERTY_NAME' is either never editable or not editable via this api.",
        "str_too_small" => "Expected parameter '$PROPERTY_NAME' is too short. Must be >= $MIN characters.",
        "str_too_large" => "Expected parameter '$PROPERTY_NAME' is too long. Must be <= $MAX characters.",
        "invalid_certificate" => "Expected parameter '$PROPERTY_NAME' to be a Base64 encoded PEM-string.",
        "regex_fail_full_url" => "The field '$PROPERTY_NAME' must be a url including the protocol, hostname/ip and port.",
        "regex_invalid_msp_id" => "The field '$PROPERTY_NAME' can only contain alphanumerics characters, dashes, and dots.",
        "regex_fail_valid_id" => "The field '$PROPERTY_NAME' must start with a letter, be lowercase and only contain letters, numbers, dashes or underscores.",
        "no_extra_keys" => "Parameter '$PROPERTY_NAME' is an unknown key for object.",
        "missing_type" => "Expected the component 'type' to be in the body or route.",
        "arr_too_small" => "Expected parameter '$PROPERTY_NAME' is too small. Array must have >= $MIN element(s).",
        "arr_too_large" => "Expected parameter '$PROPERTY_NAME' is too large. Array must have <= $MAX element(s).",
        "unsupported_query" => "The query parameter '$PROPERTY_NAME' is not supported by this route.",
        _ => "Parameter '$PROPERTY_NAME' is malformed.",
    }
}

/// Fills a template's `$SYMBOLS`.
pub(crate) fn message(key: &str, symbols: &[(&str, String)]) -> String {
    let mut msg = template(key).to_string();
    // longest first, so `$PROPERTY_TYPE` is not eaten by `$TYPE`
    let mut symbols = symbols.to_vec();
    symbols.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    for (k, v) in symbols {
        msg = msg.replace(k, &v);
    }
    msg
}

fn named(key: &str, path: &[String]) -> String {
    message(key, &[("$PROPERTY_NAME", path.join("."))])
}

fn choices(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn js_type(v: &Value) -> &'static str {
    match v {
        Value::Null | Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
    }
}

fn js_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s.trim().is_empty() => Some(0.0),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Null => Some(0.0),
        _ => None,
    }
}

fn num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Validates a body; `editing` is true for PUT (illegal keys read "not editable").
/// Returns the `msgs` of a 400, empty when the body is fine.
pub(crate) fn validate(body: &Value, schema: &Schema, editing: bool) -> Vec<String> {
    let mut errors = Vec::new();
    field(&[], body, schema, editing, &mut errors);
    errors
}

fn field(path: &[String], input: &Value, spec: &Schema, editing: bool, out: &mut Vec<String>) {
    let child = |key: &str| {
        let mut p = path.to_vec();
        p.push(key.to_string());
        p
    };

    for key in &spec.required {
        let present = input.as_object().is_some_and(|o| o.contains_key(*key));
        if !present {
            out.push(named("missing_required", &child(key)));
        }
    }

    let input_type = js_type(input);
    if spec.kind.name() != input_type {
        let numeric_string = spec.kind == Kind::Number && js_number(input).is_some();
        if !numeric_string {
            out.push(message(
                "invalid_type",
                &[
                    ("$PROPERTY_NAME", path.join(".")),
                    ("$PROPERTY_TYPE", spec.kind.name().to_string()),
                    ("$TYPE", input_type.to_string()),
                ],
            ));
        }
    }

    if let (Kind::Object, Some(obj)) = (spec.kind, input.as_object()) {
        for (key, sub) in &spec.props {
            if let Some(value) = obj.get(*key) {
                field(&child(key), value, sub, editing, out);
            }
        }
    }

    if let (Kind::Array, Some(items), Some(list)) = (spec.kind, &spec.items, input.as_array()) {
        for (i, item) in list.iter().enumerate() {
            let mut p = path.to_vec();
            if let Some(last) = p.last_mut() {
                last.push_str(&format!("[{i}]"));
            }
            field(&p, item, items, editing, out);
        }
    }

    if spec.kind == Kind::Number {
        if let Some(n) = js_number(input) {
            if let Some(min) = spec.minimum.filter(|m| n < *m) {
                out.push(message(
                    "too_small",
                    &[("$PROPERTY_NAME", path.join(".")), ("$MIN", num(min))],
                ));
            }
            if let Some(max) = spec.maximum.filter(|m| n > *m) {
                out.push(message(
                    "too_large",
                    &[("$PROPERTY_NAME", path.join(".")), ("$MAX", num(max))],
                ));
            }
        }
    }

    if !spec.enum_values.is_empty()
        && !input
            .as_str()
            .is_some_and(|s| spec.enum_values.contains(&s))
    {
        out.push(message(
            "invalid_value",
            &[
                ("$PROPERTY_NAME", path.join(".")),
                ("$VALUES", choices(&spec.enum_values)),
            ],
        ));
    }

    let text = input.as_str();
    if spec.kind == Kind::String {
        if let Some(s) = text {
            let failed = spec.must_pass.is_some_and(|p| !p.matches(s))
                || spec.must_fail.is_some_and(|p| p.matches(s));
            if failed {
                out.push(named(
                    spec.pattern_msg.unwrap_or("regex_generic_error"),
                    path,
                ));
            }
        }
    }

    if spec.kind == Kind::Object {
        object_key_errors(path, input, spec, editing, out);
    }

    if let (Kind::String, Some(s)) = (spec.kind, text) {
        let len = s.encode_utf16().count();
        if let Some(min) = spec.min_len.filter(|m| len < *m) {
            out.push(message(
                "str_too_small",
                &[
                    ("$PROPERTY_NAME", path.join(".")),
                    ("$MIN", min.to_string()),
                ],
            ));
        }
        if let Some(max) = spec.max_len.filter(|m| len > *m) {
            out.push(message(
                "str_too_large",
                &[
                    ("$PROPERTY_NAME", path.join(".")),
                    ("$MAX", max.to_string()),
                ],
            ));
        }
        if spec.illegal_values.contains(&s) {
            out.push(message(
                "illegal_value",
                &[
                    ("$PROPERTY_NAME", path.join(".")),
                    ("$VALUES", choices(&spec.illegal_values)),
                ],
            ));
        }
    }

    if spec.kind == Kind::String && spec.certificate && !text.is_some_and(is_certificate) {
        out.push(named("invalid_certificate", path));
    }

    if let (Kind::Array, Some(list)) = (spec.kind, input.as_array()) {
        if let Some(min) = spec.min_len.filter(|m| list.len() < *m) {
            out.push(message(
                "arr_too_small",
                &[
                    ("$PROPERTY_NAME", path.join(".")),
                    ("$MIN", min.to_string()),
                ],
            ));
        }
        if let Some(max) = spec.max_len.filter(|m| list.len() > *m) {
            out.push(message(
                "arr_too_large",
                &[
                    ("$PROPERTY_NAME", path.join(".")),
                    ("$MAX", max.to_string()),
                ],
            ));
        }
    }
}

/// Illegal keys, then unknown keys; each key is reported once. `type` is always tolerated.
fn object_key_errors(
    path: &[String],
    input: &Value,
    spec: &Schema,
    editing: bool,
    out: &mut Vec<String>,
) {
    let full = |key: &str| {
        let mut p = path.to_vec();
        p.push(key.to_string());
        p.join(".")
    };
    let mut reported: Vec<String> = Vec::new();
    if let Some(obj) = input.as_object() {
        for key in &spec.illegal_keys {
            if obj.contains_key(*key) {
                let name = full(key);
                if !reported.contains(&name) {
                    let msg_key = if editing {
                        "illegal_key_edit"
                    } else {
                        "illegal_key"
                    };
                    out.push(message(msg_key, &[("$PROPERTY_NAME", name.clone())]));
                    reported.push(name);
                }
            }
        }
    }
    if !spec.no_extra_keys {
        return;
    }
    // JS `for (key in input)`: object keys, or the indexes of an array
    let keys: Vec<String> = match input {
        Value::Object(obj) => obj.keys().cloned().collect(),
        Value::Array(list) => (0..list.len()).map(|i| i.to_string()).collect(),
        _ => Vec::new(),
    };
    for key in keys {
        if key == "type" || spec.props.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let name = full(&key);
        if !reported.contains(&name) {
            out.push(message(
                "no_extra_keys",
                &[("$PROPERTY_NAME", name.clone())],
            ));
            reported.push(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(Pattern::GrpcUrl.matches("grpcs://127.0.0.1:7051"));
        assert!(!Pattern::GrpcUrl.matches("not a url"));
        assert!(!Pattern::GrpcUrl.matches("grpcs://127.0.0.1"));
        assert!(Pattern::HttpUrl.matches("https://127.0.0.1:7443"));
        assert!(!Pattern::HttpUrl.matches("127.0.0.1:7443"));
        assert!(Pattern::ValidId.matches("org1peer0"));
        assert!(!Pattern::ValidId.matches("Org1"));
        assert!(Pattern::InvalidMspId.matches("Org1 MSP"));
        assert!(!Pattern::InvalidMspId.matches("Org1-MSP.x"));
    }

    #[test]
    fn message_symbols() {
        assert_eq!(
            message(
                "invalid_type",
                &[
                    ("$PROPERTY_NAME", String::new()),
                    ("$PROPERTY_TYPE", "object".into()),
                    ("$TYPE", "array".into())
                ]
            ),
            "Expected parameter '' to be of type: 'object', but instead was: 'array'."
        );
    }
}
