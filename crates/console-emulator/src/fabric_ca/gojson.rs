//! Request bodies as Go's `encoding/json` reads them into fabric-ca's request structs: its
//! syntax errors word for word (recordings 60, 68 quote them back), keys matched without
//! regard to case (the console sends `caName`, fabric-ca-client `CAName`, the field is
//! `caname`), unknown keys ignored, and its type errors.

use serde_json::{Map, Value};

use super::envelope::CaError;

/// Go's `quoteChar`: how its scanner names the offending byte.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        b'\x07' => "'\\a'".into(),
        b'\x08' => "'\\b'".into(),
        b'\x0c' => "'\\f'".into(),
        b'\n' => "'\\n'".into(),
        b'\r' => "'\\r'".into(),
        b'\t' => "'\\t'".into(),
        b'\x0b' => "'\\v'".into(),
        b'\\' => "'\\\\'".into(),
        c if c < 0x20 || c == 0x7f => format!("'\\x{c:02x}'"),
        c if (0x80..0xa0).contains(&c) => format!("'\\u{c:04x}'"),
        c => format!("'{}'", char::from(c)),
    }
}

/// Where the scanner is: what it expects next.
#[derive(Clone, Copy)]
enum Expect {
    Value,
    KeyOrEnd,
    Key,
    Colon,
    CommaOrObjectEnd,
    ValueOrArrayEnd,
    CommaOrArrayEnd,
    End,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// `None` if `input` is one JSON value; else Go's `SyntaxError` text.
pub(crate) fn syntax_error(input: &[u8]) -> Option<String> {
    let invalid =
        |c: u8, context: &str| Some(format!("invalid character {} {context}", quote_char(c)));
    let eof = || Some("unexpected end of JSON input".to_string());
    let mut stack: Vec<u8> = Vec::new(); // b'{' or b'['
    let mut expect = Expect::Value;
    let mut i = 0;
    // after a value: what the enclosing container expects
    let after_value = |stack: &Vec<u8>| match stack.last() {
        Some(b'{') => Expect::CommaOrObjectEnd,
        Some(_) => Expect::CommaOrArrayEnd,
        None => Expect::End,
    };
    while i < input.len() {
        let c = input[i];
        if is_space(c) {
            i += 1;
            continue;
        }
        match expect {
            Expect::Value | Expect::ValueOrArrayEnd => {
                if matches!(expect, Expect::ValueOrArrayEnd) && c == b']' {
                    stack.pop();
                    expect = after_value(&stack);
                    i += 1;
                    continue;
                }
                match c {
                    b'{' => {
                        stack.push(b'{');
                        expect = Expect::KeyOrEnd;
                        i += 1;
                    }
                    b'[' => {
                        stack.push(b'[');
                        expect = Expect::ValueOrArrayEnd;
                        i += 1;
                    }
                    b'"' => {
                        match scan_string(input, i) {
                            Ok(next) => i = next,
                            Err(e) => return e,
                        }
                        expect = after_value(&stack);
                    }
                    b'-' | b'0'..=b'9' => {
                        match scan_number(input, i) {
                            Ok(next) => i = next,
                            Err(e) => return e,
                        }
                        expect = after_value(&stack);
                    }
                    b't' | b'f' | b'n' => {
                        let word: &[u8] = match c {
                            b't' => b"true",
                            b'f' => b"false",
                            _ => b"null",
                        };
                        for (k, want) in word.iter().enumerate().skip(1) {
                            match input.get(i + k) {
                                None => return eof(),
                                Some(got) if got == want => {}
                                Some(got) => {
                                    return invalid(
                                        *got,
                                        &format!(
                                            "in literal {} (expecting {})",
                                            String::from_utf8_lossy(word),
                                            quote_char(*want)
                                        ),
                                    )
                                }
                            }
                        }
                        i += word.len();
                        expect = after_value(&stack);
                    }
                    c => return invalid(c, "looking for beginning of value"),
                }
            }
            Expect::KeyOrEnd | Expect::Key => {
                if matches!(expect, Expect::KeyOrEnd) && c == b'}' {
                    stack.pop();
                    expect = after_value(&stack);
                    i += 1;
                    continue;
                }
                if c != b'"' {
                    return invalid(c, "looking for beginning of object key string");
                }
                match scan_string(input, i) {
                    Ok(next) => i = next,
                    Err(e) => return e,
                }
                expect = Expect::Colon;
            }
            Expect::Colon => {
                if c != b':' {
                    return invalid(c, "after object key");
                }
                expect = Expect::Value;
                i += 1;
            }
            Expect::CommaOrObjectEnd => {
                match c {
                    b',' => expect = Expect::Key,
                    b'}' => {
                        stack.pop();
                        expect = after_value(&stack);
                    }
                    c => return invalid(c, "after object key:value pair"),
                }
                i += 1;
            }
            Expect::CommaOrArrayEnd => {
                match c {
                    b',' => expect = Expect::Value,
                    b']' => {
                        stack.pop();
                        expect = after_value(&stack);
                    }
                    c => return invalid(c, "after array element"),
                }
                i += 1;
            }
            Expect::End => return invalid(c, "after top-level value"),
        }
    }
    match expect {
        Expect::End => None,
        _ => eof(),
    }
}

type Scan = Result<usize, Option<String>>;

/// A string starting at `input[start] == '"'`; answers the index after its closing quote.
fn scan_string(input: &[u8], start: usize) -> Scan {
    let invalid =
        |c: u8, context: &str| Some(format!("invalid character {} {context}", quote_char(c)));
    let mut i = start + 1;
    loop {
        let Some(&c) = input.get(i) else {
            return Err(Some("unexpected end of JSON input".into()));
        };
        match c {
            b'"' => return Ok(i + 1),
            b'\\' => {
                let Some(&e) = input.get(i + 1) else {
                    return Err(Some("unexpected end of JSON input".into()));
                };
                match e {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        for k in 2..6 {
                            match input.get(i + k) {
                                None => return Err(Some("unexpected end of JSON input".into())),
                                Some(h) if h.is_ascii_hexdigit() => {}
                                Some(h) => {
                                    return Err(invalid(*h, "in \\u hexadecimal character escape"))
                                }
                            }
                        }
                        i += 6;
                    }
                    e => return Err(invalid(e, "in string escape code")),
                }
            }
            c if c < 0x20 => return Err(invalid(c, "in string literal")),
            _ => i += 1,
        }
    }
}

/// A number starting at `input[start]`; answers the index after it.
fn scan_number(input: &[u8], start: usize) -> Scan {
    let invalid =
        |c: u8, context: &str| Some(format!("invalid character {} {context}", quote_char(c)));
    let eof = || Some("unexpected end of JSON input".to_string());
    let digit = |i: usize| input.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = start;
    if input[i] == b'-' {
        i += 1;
        match input.get(i) {
            None => return Err(eof()),
            Some(c) if !c.is_ascii_digit() => return Err(invalid(*c, "in numeric literal")),
            _ => {}
        }
    }
    if input[i] == b'0' {
        i += 1;
    } else {
        while digit(i) {
            i += 1;
        }
    }
    if input.get(i) == Some(&b'.') {
        i += 1;
        match input.get(i) {
            None => return Err(eof()),
            Some(c) if !c.is_ascii_digit() => {
                return Err(invalid(*c, "after decimal point in numeric literal"))
            }
            _ => {}
        }
        while digit(i) {
            i += 1;
        }
    }
    if matches!(input.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(input.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        match input.get(i) {
            None => return Err(eof()),
            Some(c) if !c.is_ascii_digit() => {
                return Err(invalid(*c, "in exponent of numeric literal"))
            }
            _ => {}
        }
        while digit(i) {
            i += 1;
        }
    }
    Ok(i)
}

/// What Go calls a JSON value's kind in its type errors.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "bool".into(),
        Value::Number(n) => format!("number {n}"),
        Value::String(_) => "string".into(),
        Value::Array(_) => "array".into(),
        Value::Object(_) => "object".into(),
    }
}

/// A request body decoded into a fabric-ca request struct named `strukt` (for its errors).
pub(crate) struct Fields<'a> {
    obj: &'a Map<String, Value>,
    strukt: &'static str,
    /// The body as sent, echoed in the 400 as fabric-ca does.
    body: &'a str,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(obj: &'a Map<String, Value>, strukt: &'static str, body: &'a str) -> Self {
        Fields { obj, strukt, body }
    }

    /// The value of `name`, matched as Go does: exactly, else ignoring ASCII case.
    pub(crate) fn get(&self, name: &str) -> Option<&'a Value> {
        self.obj.get(name).or_else(|| {
            self.obj
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    }

    fn type_error(&self, name: &str, v: &Value, go_type: &str) -> CaError {
        bad_body(
            &format!(
                "json: cannot unmarshal {} into Go struct field {}.{name} of type {go_type}",
                kind(v).split(' ').next().unwrap_or_default(),
                self.strukt
            ),
            self.body,
        )
    }

    /// A string field; absent or `null` is "".
    pub(crate) fn string(&self, name: &str) -> Result<String, CaError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(v) => Err(self.type_error(name, v, "string")),
        }
    }

    /// A `[]string` field; absent or `null` is `None` (Go's nil slice).
    pub(crate) fn strings(&self, name: &str) -> Result<Option<Vec<String>>, CaError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.clone()),
                    Value::Null => Ok(String::new()),
                    v => Err(self.type_error(name, v, "string")),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(v) => Err(self.type_error(name, v, "[]string")),
        }
    }

    /// An `int` field; absent or `null` is 0.
    pub(crate) fn int(&self, name: &str) -> Result<i64, CaError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(0),
            Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or(0)),
            Some(v @ Value::Number(_)) => Err(bad_body(
                &format!(
                    "json: cannot unmarshal {} into Go struct field {}.{name} of type int",
                    kind(v),
                    self.strukt
                ),
                self.body,
            )),
            Some(v) => Err(self.type_error(name, v, "int")),
        }
    }

    /// A `bool` field; absent or `null` is false.
    pub(crate) fn bool(&self, name: &str) -> Result<bool, CaError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(self.type_error(name, v, "bool")),
        }
    }

    /// An array of objects (e.g. `attrs`); absent or `null` is `None`.
    pub(crate) fn objects(
        &self,
        name: &str,
        go_type: &str,
    ) -> Result<Option<Vec<Fields<'a>>>, CaError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Value::Object(o) => Ok(Fields::new(o, self.strukt, self.body)),
                    v => Err(self.type_error(name, v, go_type)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(v) => Err(self.type_error(name, v, &format!("[]{go_type}"))),
        }
    }
}

/// fabric-ca's 400 for a body it cannot decode.
pub(crate) fn bad_body(error: &str, body: &str) -> CaError {
    CaError::new(
        400,
        5,
        format!("Invalid request body: {error}; body={body}"),
    )
}

/// Decodes a non-empty body into the top-level object of struct `strukt` (`go_type` names it
/// as Go prints a type). `null` decodes to nothing set, like an empty object.
pub(crate) fn decode(body: &[u8], go_type: &str) -> Result<Map<String, Value>, CaError> {
    let text = String::from_utf8_lossy(body);
    if let Some(error) = syntax_error(body) {
        return Err(bad_body(&error, &text));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => Err(bad_body(
            &format!(
                "json: cannot unmarshal {} into Go value of type {go_type}",
                kind(&other).split(' ').next().unwrap_or_default()
            ),
            &text,
        )),
        // valid for Go's scanner but not for serde (e.g. a lone surrogate escape): treat as
        // nothing set rather than refuse what the real server takes
        Err(_) => Ok(Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_are_gos() {
        // recordings 60 and 68
        assert_eq!(
            syntax_error(br#"{"certificate_request": "abc","#).as_deref(),
            Some("unexpected end of JSON input")
        );
        assert_eq!(
            syntax_error(b"{bad").as_deref(),
            Some("invalid character 'b' looking for beginning of object key string")
        );
        let cases: [(&[u8], &str); 9] = [
            (b"x", "invalid character 'x' looking for beginning of value"),
            (b"{\"a\" 1}", "invalid character '1' after object key"),
            (
                b"{\"a\":1 2}",
                "invalid character '2' after object key:value pair",
            ),
            (b"[1 2]", "invalid character '2' after array element"),
            (b"{} x", "invalid character 'x' after top-level value"),
            (
                b"tru ",
                "invalid character ' ' in literal true (expecting 'e')",
            ),
            (b"\"a\nb\"", "invalid character '\\n' in string literal"),
            (b"-x", "invalid character 'x' in numeric literal"),
            (
                b"1.e",
                "invalid character 'e' after decimal point in numeric literal",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(syntax_error(input).as_deref(), Some(want), "{input:?}");
        }
        for ok in [
            &b"{}"[..],
            b" [1, -2.5e3, \"\\u00e9\", true, null, {\"k\": []}] ",
        ] {
            assert_eq!(syntax_error(ok), None);
        }
    }

    #[test]
    fn keys_match_without_case_and_types_are_checked() {
        let map = decode(
            br#"{"caName": "tlsca", "hosts": "x", "max_enrollments": 5}"#,
            "T",
        )
        .unwrap();
        let f = Fields::new(&map, "RegistrationRequestNet", "b");
        assert_eq!(f.string("caname").unwrap(), "tlsca");
        assert_eq!(f.int("max_enrollments").unwrap(), 5);
        assert_eq!(f.string("absent").unwrap(), "");
        let e = f.strings("hosts").unwrap_err();
        assert_eq!((e.status, e.code), (400, 5));
        assert_eq!(
            e.message,
            "Invalid request body: json: cannot unmarshal string into Go struct field RegistrationRequestNet.hosts of type []string; body=b"
        );
        let e = decode(b"[]", "api.EnrollmentRequestNet").unwrap_err();
        assert!(e
            .message
            .contains("cannot unmarshal array into Go value of type api.EnrollmentRequestNet"));
        assert!(decode(b"null", "T").unwrap().is_empty());
    }
}
