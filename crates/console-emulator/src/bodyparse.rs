//! Request bodies the way the console's Express stack reads them: `application/json` through
//! body-parser in strict mode (an empty body is `{}`, anything not starting with `{` or `[`
//! is refused), `text/plain`/`text/html` as a string, form bodies as an object, anything
//! else as `{}`. Malformed JSON produces the error text of V8's `JSON.parse`, because the
//! console copies it into its 400 body.

use serde_json::{Map, Value};

/// A parsed request body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    /// JSON (object or array), a form body, or `{}` when nothing was parsed.
    Json(Value),
    /// A text body (`text/plain`, `text/html`), which the component routes cannot use.
    Text(String),
}

/// The console's 400 for unparsable JSON: `msg` is `invalid json` when V8 said
/// "Unexpected token", `input error` otherwise; `details` is `SyntaxError: <message>`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParseFailure {
    pub msg: &'static str,
    pub details: String,
}

pub(crate) fn parse_body(content_type: Option<&str>, bytes: &[u8]) -> Result<Body, ParseFailure> {
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.is_empty() {
        return Ok(Body::Json(Value::Object(Map::new())));
    }
    let text = String::from_utf8_lossy(bytes).into_owned();
    match mime.as_str() {
        "application/json" => parse_json_strict(&text).map(Body::Json),
        "text/plain" | "text/html" => Ok(Body::Text(text)),
        "application/x-www-form-urlencoded" => Ok(Body::Json(parse_form(&text))),
        _ => Ok(Body::Json(Value::Object(Map::new()))),
    }
}

fn failure(message: String) -> ParseFailure {
    ParseFailure {
        msg: if message.contains("Unexpected token") {
            "invalid json"
        } else {
            "input error"
        },
        details: format!("SyntaxError: {message}"),
    }
}

/// body-parser's JSON parser with `strict: true`.
fn parse_json_strict(text: &str) -> Result<Value, ParseFailure> {
    let first = text
        .char_indices()
        .find(|(_, c)| !matches!(c, ' ' | '\t' | '\n' | '\r'));
    match first {
        Some((_, '{' | '[')) => {}
        Some((index, _)) => return Err(failure(strict_violation(text, index))),
        None => return Err(failure(v8_json_error(""))),
    }
    if let Some(message) = check_json(text) {
        return Err(failure(message));
    }
    serde_json::from_str(text).map_err(|e| failure(e.to_string()))
}

/// body-parser's `createStrictSyntaxError`: V8's message for the body with everything from
/// the first character on replaced by `#`, then each run of `#` put back as the original.
fn strict_violation(text: &str, index: usize) -> String {
    let rest = text[index..].chars().count();
    let partial = format!("{}{}", &text[..index], "#".repeat(rest));
    let message = v8_json_error(&partial);
    let original: Vec<char> = text[index..].chars().collect();
    let mut out = String::new();
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '#' {
            let mut run = 1;
            while chars.peek() == Some(&'#') {
                chars.next();
                run += 1;
            }
            out.extend(original.iter().take(run));
        } else {
            out.push(c);
        }
    }
    out
}

fn v8_json_error(text: &str) -> String {
    check_json(text).unwrap_or_else(|| "strict violation".to_string())
}

/// Validates `text` as JSON and returns V8's error message for the first problem.
fn check_json(text: &str) -> Option<String> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut scanner = Scanner {
        src: &units,
        pos: 0,
    };
    scanner.document().err()
}

/// `a=1&b=2` into `{"a":"1","b":"2"}`.
fn parse_form(text: &str) -> Value {
    let mut map = Map::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        map.insert(form_decode(k), Value::String(form_decode(v)));
    }
    Value::Object(map)
}

pub(crate) fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The token classes V8 uses to word its errors.
#[derive(Clone, Copy, PartialEq)]
enum Token {
    Eos,
    Number,
    String,
    Other,
}

/// A JSON validator that fails exactly where V8's `JsonParser` fails, with its wording.
/// Positions are UTF-16 offsets, as in V8.
struct Scanner<'a> {
    src: &'a [u16],
    pos: usize,
}

type Step = Result<(), String>;

impl Scanner<'_> {
    fn peek(&self) -> Option<u16> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(0x20 | 0x09 | 0x0a | 0x0d)) {
            self.pos += 1;
        }
    }

    fn token_at(&self) -> Token {
        match self.peek() {
            None => Token::Eos,
            Some(c) if c == u16::from(b'-') || (0x30..=0x39).contains(&c) => Token::Number,
            Some(c) if c == u16::from(b'"') => Token::String,
            Some(_) => Token::Other,
        }
    }

    fn at(&self, msg: &str) -> String {
        format!("{msg} in JSON at position {}", self.pos)
    }

    /// V8's message for an unexpected token without a specific template.
    fn unexpected(&self) -> String {
        match self.token_at() {
            Token::Eos => "Unexpected end of JSON input".to_string(),
            Token::Number => self.at("Unexpected number"),
            Token::String => self.at("Unexpected string"),
            Token::Other => {
                let ch = String::from_utf16_lossy(&self.src[self.pos..self.pos + 1]);
                let len = self.src.len();
                const CONTEXT: usize = 10;
                if len < CONTEXT * 2 + 1 {
                    let source = String::from_utf16_lossy(self.src);
                    format!("Unexpected token '{ch}', \"{source}\" is not valid JSON")
                } else if self.pos < CONTEXT {
                    let part = String::from_utf16_lossy(&self.src[..self.pos + CONTEXT]);
                    format!("Unexpected token '{ch}', \"{part}\"... is not valid JSON")
                } else if self.pos < len - CONTEXT {
                    let part =
                        String::from_utf16_lossy(&self.src[self.pos - CONTEXT..self.pos + CONTEXT]);
                    format!("Unexpected token '{ch}', ...\"{part}\"... is not valid JSON")
                } else {
                    let part = String::from_utf16_lossy(&self.src[self.pos - CONTEXT..]);
                    format!("Unexpected token '{ch}', ...\"{part}\" is not valid JSON")
                }
            }
        }
    }

    fn is(&self, c: u8) -> bool {
        self.peek() == Some(u16::from(c))
    }

    fn document(&mut self) -> Step {
        self.value()?;
        self.skip_ws();
        if self.peek().is_some() {
            return Err(format!(
                "Unexpected non-whitespace character after JSON at position {}",
                self.pos
            ));
        }
        Ok(())
    }

    fn value(&mut self) -> Step {
        self.skip_ws();
        let ascii = match self.peek() {
            Some(c) if c < 0x80 => c as u8,
            _ => 0,
        };
        match ascii {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => Err(self.unexpected()),
        }
    }

    fn object(&mut self) -> Step {
        self.pos += 1;
        self.skip_ws();
        if self.is(b'}') {
            self.pos += 1;
            return Ok(());
        }
        if !self.is(b'"') {
            return Err(self.at("Expected property name or '}'"));
        }
        loop {
            self.string()?;
            self.skip_ws();
            if !self.is(b':') {
                return Err(self.at("Expected ':' after property name"));
            }
            self.pos += 1;
            self.value()?;
            self.skip_ws();
            if self.is(b',') {
                self.pos += 1;
                self.skip_ws();
                if !self.is(b'"') {
                    return Err(self.at("Expected double-quoted property name"));
                }
                continue;
            }
            if self.is(b'}') {
                self.pos += 1;
                return Ok(());
            }
            return Err(self.at("Expected ',' or '}' after property value"));
        }
    }

    fn array(&mut self) -> Step {
        self.pos += 1;
        self.skip_ws();
        if self.is(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value()?;
            self.skip_ws();
            if self.is(b',') {
                self.pos += 1;
                continue;
            }
            if self.is(b']') {
                self.pos += 1;
                return Ok(());
            }
            return Err(self.at("Expected ',' or ']' after array element"));
        }
    }

    fn string(&mut self) -> Step {
        self.pos += 1;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.at("Unterminated string"));
            };
            match c {
                0x22 => {
                    self.pos += 1;
                    return Ok(());
                }
                0x5c => {
                    self.pos += 1;
                    match self.peek() {
                        None => return Err(self.at("Unterminated string")),
                        Some(e) if b"\"\\/bfnrt".iter().any(|b| u16::from(*b) == e) => {
                            self.pos += 1
                        }
                        Some(e) if e == u16::from(b'u') => {
                            self.pos += 1;
                            for _ in 0..4 {
                                match self.peek() {
                                    Some(h) if h < 0x80 && (h as u8).is_ascii_hexdigit() => {
                                        self.pos += 1
                                    }
                                    _ => return Err(self.at("Bad Unicode escape")),
                                }
                            }
                        }
                        Some(_) => return Err(self.at("Bad escaped character")),
                    }
                }
                c if c < 0x20 => return Err(self.at("Bad control character in string literal")),
                _ => self.pos += 1,
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|c| (0x30..=0x39).contains(&c)) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Step {
        if self.is(b'-') {
            self.pos += 1;
            if !self.peek().is_some_and(|c| (0x30..=0x39).contains(&c)) {
                return Err(self.at("No number after minus sign"));
            }
        }
        if self.is(b'0') {
            self.pos += 1;
            if self.peek().is_some_and(|c| (0x30..=0x39).contains(&c)) {
                return Err(self.at("Unexpected number"));
            }
        } else {
            self.digits();
        }
        if self.is(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.at("Unterminated fractional number"));
            }
        }
        if self.is(b'e') || self.is(b'E') {
            self.pos += 1;
            if self.is(b'+') || self.is(b'-') {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.at("Exponent part is missing a number"));
            }
        }
        Ok(())
    }

    fn literal(&mut self, word: &str) -> Step {
        for expected in word.encode_utf16() {
            match self.peek() {
                None => return Err("Unexpected end of JSON input".to_string()),
                Some(c) if c == expected => self.pos += 1,
                Some(_) => return Err(self.unexpected()),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(ct: &str, body: &str) -> ParseFailure {
        parse_body(Some(ct), body.as_bytes()).unwrap_err()
    }

    #[test]
    fn recorded_parse_errors() {
        let e = err("application/json", "{\"display_name\": \"x\", ");
        assert_eq!(e.msg, "input error");
        assert_eq!(
            e.details,
            "SyntaxError: Expected double-quoted property name in JSON at position 22"
        );
        let e = err("application/json", "nope");
        assert_eq!(e.msg, "invalid json");
        assert_eq!(
            e.details,
            "SyntaxError: Unexpected token 'n', \"nope\" is not valid JSON"
        );
    }

    #[test]
    fn other_v8_messages() {
        assert!(err("application/json", "{\"a\" 1}")
            .details
            .contains("Expected ':' after property name in JSON at position 5"));
        assert!(err("application/json", "[1 2]")
            .details
            .contains("Expected ',' or ']' after array element in JSON at position 3"));
        assert!(err("application/json", "{} x")
            .details
            .contains("Unexpected non-whitespace character after JSON at position 3"));
        assert!(err("application/json", "[tru")
            .details
            .contains("Unexpected end of JSON input"));
        assert_eq!(
            err("application/json", "{\"aaaaaaaaaaaaaaa\": x}").details,
            "SyntaxError: Unexpected token 'x', ...\"aaaaaaa\": x}\" is not valid JSON"
        );
    }

    #[test]
    fn bodies_by_content_type() {
        assert_eq!(
            parse_body(Some("application/json"), b"").unwrap(),
            Body::Json(json!({}))
        );
        assert_eq!(
            parse_body(Some("application/json; charset=utf-8"), b"[1,2]").unwrap(),
            Body::Json(json!([1, 2]))
        );
        assert_eq!(
            parse_body(Some("text/plain"), b"{}").unwrap(),
            Body::Text("{}".into())
        );
        assert_eq!(
            parse_body(
                Some("application/x-www-form-urlencoded"),
                b"apikey=k%3As&x=a+b"
            )
            .unwrap(),
            Body::Json(json!({"apikey": "k:s", "x": "a b"}))
        );
        assert_eq!(parse_body(None, b"zzz").unwrap(), Body::Json(json!({})));
    }
}
