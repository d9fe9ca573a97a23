//! Small helpers shared by the console modules: clock, random strings, the console's
//! "friendly" number formats and JSON responses with a fixed key order.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use rand::Rng;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, the console's timestamp unit.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";

fn random_from(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

/// Mixed-case alphanumerics, like athena's `generateRandomString` (keys, secrets, tokens).
pub(crate) fn random_alnum(len: usize) -> String {
    random_from(ALNUM, len)
}

/// Lower-case alphanumerics, like athena's instance id (`ATHENA_ID`).
pub(crate) fn random_lower(len: usize) -> String {
    random_from(LOWER_ALNUM, len)
}

pub(crate) fn random_hex(len: usize) -> String {
    random_from(HEX, len)
}

/// A CouchDB-style revision string: `<generation>-<32 hex>`.
pub(crate) fn new_rev(generation: u64) -> String {
    format!("{generation}-{}", random_hex(32))
}

/// athena's `misc.friendly_ms`: "4.1 secs", "60.0 mins", "3650.0 days".
pub(crate) fn friendly_ms(ms: f64) -> String {
    const SEC: f64 = 1000.0;
    const MIN: f64 = 60.0 * SEC;
    const HOUR: f64 = 60.0 * MIN;
    const DAY: f64 = 24.0 * HOUR;
    if ms.is_nan() {
        "? sec".to_string()
    } else if ms <= 0.0 {
        "0 secs".to_string()
    } else if ms > DAY {
        format!("{:.1} days", ms / DAY)
    } else if ms > HOUR {
        format!("{:.1} hrs", ms / HOUR)
    } else if ms > MIN {
        format!("{:.1} mins", ms / MIN)
    } else if ms > SEC {
        format!("{:.1} secs", ms / SEC)
    } else {
        format!("{ms:.1} ms")
    }
}

/// athena's `misc.friendly_bytes`: "0 Bytes", "11.03 KiB", "141.56 MiB".
pub(crate) fn friendly_bytes(bytes: u64) -> String {
    if bytes == 0 {
        return "0 Bytes".to_string();
    }
    const UNITS: [&str; 5] = ["Bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.2} {}", UNITS[unit])
}

/// A JSON object that keeps the key order it was built with. serde_json's own map sorts
/// keys, which matches most console responses; the few that are not sorted use this.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ordered(Vec<(String, Value)>);

impl Ordered {
    pub(crate) fn new() -> Self {
        Self(Vec::new())
    }

    pub(crate) fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.push((key.to_string(), value.into()));
        self
    }

    pub(crate) fn push(&mut self, key: &str, value: impl Into<Value>) {
        self.0.push((key.to_string(), value.into()));
    }
}

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A JSON response with the console's content type (`application/json; charset=utf-8`).
pub(crate) fn json_response<T: Serialize>(status: u16, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// A plain text/html response (the console's 401 and non-API 404 bodies).
pub(crate) fn text_response(status: u16, body: &'static str) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

/// `{"statusCode":404,"msg":"route not found"}`, the answer to any unknown API route.
pub(crate) fn route_not_found() -> Response {
    json_response(
        404,
        &Ordered::new()
            .with("statusCode", 404)
            .with("msg", "route not found"),
    )
}

/// JS truthiness of a JSON value, used where athena writes `a || b`.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn friendly_ms_matches_the_console() {
        assert_eq!(friendly_ms(4_100.0), "4.1 secs");
        assert_eq!(friendly_ms(3_600_000.0), "60.0 mins");
        assert_eq!(friendly_ms(120_000.0), "2.0 mins");
        assert_eq!(friendly_ms(315_360_000_000.0), "3650.0 days");
        assert_eq!(friendly_ms(-5.0), "0 secs");
    }

    #[test]
    fn friendly_bytes_matches_the_console() {
        assert_eq!(friendly_bytes(0), "0 Bytes");
        assert_eq!(friendly_bytes(11_295), "11.03 KiB");
    }

    #[test]
    fn ordered_keeps_insertion_order() {
        let o = Ordered::new().with("b", 1).with("a", 2);
        assert_eq!(serde_json::to_string(&o).unwrap(), r#"{"b":1,"a":2}"#);
    }
}
