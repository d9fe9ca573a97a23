//! fabric-ca-server's answers, byte for byte as recorded (fixtures README, "Response
//! envelope"): `{"result":…\n,"errors":[],"messages":[],"success":true}`, errors as
//! `{"result":"","errors":[{"code":N,"message":"…"}\n],"messages":[],"success":false}`,
//! HEAD without a body, and gorilla/mux's plain-text 404 for unknown paths.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;
use std::convert::Infallible;

/// A refusal as the server reports it to the client: HTTP status, error code, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CaError {
    pub status: u16,
    pub code: u32,
    pub message: String,
}

impl CaError {
    pub(crate) fn new(status: u16, code: u32, message: impl Into<String>) -> CaError {
        CaError {
            status,
            code,
            message: message.into(),
        }
    }

    /// Every authentication failure is masked as this (the precise reason stays in the
    /// server's log): wrong secret, unknown user, bad token, foreign or revoked certificate.
    pub(crate) fn authentication() -> CaError {
        CaError::new(401, 20, "Authentication failure")
    }

    /// Every authorization failure is masked as this: not a registrar, an affiliation the
    /// caller may not act on, an attribute it may not give.
    pub(crate) fn authorization() -> CaError {
        CaError::new(403, 71, "Authorization failure")
    }

    pub(crate) fn no_authorization_header() -> CaError {
        CaError::new(401, 2, "No authorization header")
    }

    /// What Go's error handling makes of an error that carries no HTTP status.
    pub(crate) fn unknown(message: impl Into<String>) -> CaError {
        CaError::new(500, 0, message)
    }
}

impl From<anyhow::Error> for CaError {
    fn from(e: anyhow::Error) -> CaError {
        CaError::unknown(format!("{e:#}"))
    }
}

/// A handler's success: the status (201 for what creates, else 200), the result as JSON text
/// and whether it was streamed (the streaming endpoints write no newline after it).
#[derive(Debug)]
pub(crate) struct Success {
    pub status: u16,
    pub result: String,
    pub streamed: bool,
    /// `Location` of an identity just registered.
    pub location: Option<String>,
}

impl Success {
    pub(crate) fn ok<T: Serialize>(result: &T) -> Success {
        Success {
            status: 200,
            result: go_json(result),
            streamed: false,
            location: None,
        }
    }

    pub(crate) fn created<T: Serialize>(result: &T) -> Success {
        Success {
            status: 201,
            ..Success::ok(result)
        }
    }

    /// A result written piecewise, as `GET identities` and `GET certificates` do.
    pub(crate) fn streamed(result: String) -> Success {
        Success {
            status: 200,
            result,
            streamed: true,
            location: None,
        }
    }
}

/// JSON as Go's `encoding/json` writes it: serde's compact form with `<`, `>`, `&`, U+2028
/// and U+2029 escaped (they can only occur inside strings, so replacing them is safe).
pub(crate) fn go_json<T: Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    if !text.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Serialize)]
struct ErrorEntry<'a> {
    code: u32,
    message: &'a str,
}

/// The body of a successful answer.
pub(crate) fn success_body(success: &Success) -> String {
    let newline = if success.streamed { "" } else { "\n" };
    format!(
        "{{\"result\":{}{newline},\"errors\":[],\"messages\":[],\"success\":true}}",
        success.result
    )
}

/// The body of a refusal.
pub(crate) fn error_body(error: &CaError) -> String {
    let entry = go_json(&ErrorEntry {
        code: error.code,
        message: &error.message,
    });
    format!("{{\"result\":\"\",\"errors\":[{entry}\n],\"messages\":[],\"success\":false}}")
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The answer to a request: chunked JSON (Go flushes it piecewise), or for HEAD only the
/// status with `Content-Length: 0`.
pub(crate) fn respond(head: bool, outcome: Result<Success, CaError>) -> Response {
    let (code, body, location) = match outcome {
        Ok(s) => (s.status, success_body(&s), s.location),
        Err(e) => (e.status, error_body(&e), None),
    };
    if head {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = status(code);
        resp.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        return resp;
    }
    let chunk = Bytes::from(body);
    let mut resp = Response::new(Body::from_stream(futures::stream::once(async move {
        Ok::<_, Infallible>(chunk)
    })));
    *resp.status_mut() = status(code);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(value) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        resp.headers_mut().insert(header::LOCATION, value);
    }
    resp
}

/// gorilla/mux's answer to a path no endpoint serves (not the envelope).
pub(crate) fn page_not_found() -> Response {
    let mut resp = Response::new(Body::from("404 page not found\n"));
    *resp.status_mut() = StatusCode::NOT_FOUND;
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn success_has_a_newline_after_the_result_unless_streamed() {
        let ok = Success::ok(&json!({"secret": "pw"}));
        assert_eq!(
            success_body(&ok),
            "{\"result\":{\"secret\":\"pw\"}\n,\"errors\":[],\"messages\":[],\"success\":true}"
        );
        let streamed = Success::streamed("{\"identities\":[], \"caname\":\"ca\"}".into());
        assert_eq!(
            success_body(&streamed),
            "{\"result\":{\"identities\":[], \"caname\":\"ca\"},\"errors\":[],\"messages\":[],\"success\":true}"
        );
    }

    #[test]
    fn errors_are_one_entry_and_a_newline() {
        // recording 03, verbatim
        assert_eq!(
            error_body(&CaError::new(404, 19, "CA 'nosuchca' does not exist")),
            "{\"result\":\"\",\"errors\":[{\"code\":19,\"message\":\"CA 'nosuchca' does not exist\"}\n],\"messages\":[],\"success\":false}"
        );
    }

    #[test]
    fn go_escapes_html_characters() {
        assert_eq!(go_json(&json!("a<b>&c")), "\"a\\u003cb\\u003e\\u0026c\"");
        assert_eq!(go_json(&json!("plain")), "\"plain\"");
    }
}
