//! One request to a Fabric CA server, read once: method, the URI exactly as sent (tokens
//! sign it), the raw body (tokens sign that too), and which of the server's CAs it is for —
//! `?ca=`, else the body's `caname` (any case), else the server's default CA.

use axum::body::Bytes;
use serde_json::{Map, Value};
use std::cell::OnceCell;
use std::sync::Arc;

use super::authority::Ca;
use super::envelope::CaError;
use super::gojson::{self, Fields};
use super::CaServer;

pub(crate) struct Ctx<'a> {
    pub server: &'a CaServer,
    pub method: String,
    /// Path and query as sent (Go's `URL.RequestURI()`).
    pub uri: String,
    query: String,
    pub body: Bytes,
    pub authorization: Option<String>,
    ca: OnceCell<Arc<Ca>>,
}

/// `%XX` and `+` decoded, as Go's `QueryUnescape` (a bad escape keeps its text).
fn unescape(s: &str, plus_is_space: bool) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex(h).zip(hex(l)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
                continue;
            }
            (None, b'+') if plus_is_space => out.push(b' '),
            (None, b) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A path with its `%XX` escapes decoded (gorilla/mux matches the decoded path).
pub(crate) fn decode_path(path: &str) -> String {
    unescape(path, false)
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        server: &'a CaServer,
        method: &str,
        uri: &str,
        body: Bytes,
        authorization: Option<String>,
    ) -> Ctx<'a> {
        let query = uri.split_once('?').map(|(_, q)| q).unwrap_or_default();
        Ctx {
            server,
            method: method.to_string(),
            uri: uri.to_string(),
            query: query.to_string(),
            body,
            authorization,
            ca: OnceCell::new(),
        }
    }

    /// The first value of query parameter `name` (Go's `URL.Query().Get`).
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        self.query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.contains(';'))
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .find(|(k, _)| unescape(k, true) == name)
            .map(|(_, v)| unescape(v, true))
    }

    /// The body decoded into `go_type` if there is one (Go's `TryReadBody`).
    pub(crate) fn try_body(&self, go_type: &str) -> Result<Option<Map<String, Value>>, CaError> {
        if self.body.is_empty() {
            return Ok(None);
        }
        gojson::decode(&self.body, go_type).map(Some)
    }

    /// The body decoded into `go_type`, which must not be empty (Go's `ReadBody`).
    pub(crate) fn read_body(&self, go_type: &str) -> Result<Map<String, Value>, CaError> {
        self.try_body(go_type)?
            .ok_or_else(|| CaError::new(400, 4, "Empty request body"))
    }

    /// Field access on a body decoded by `read_body`/`try_body` (a body that decoded is
    /// valid UTF-8: JSON is).
    pub(crate) fn fields<'m>(
        &'m self,
        map: &'m Map<String, Value>,
        strukt: &'static str,
    ) -> Fields<'m> {
        Fields::new(
            map,
            strukt,
            std::str::from_utf8(&self.body).unwrap_or_default(),
        )
    }

    /// The name of the CA the request is for (fabric-ca's `getCAName`).
    pub(crate) fn ca_name(&self) -> Result<String, CaError> {
        if let Some(name) = self.query_param("ca").filter(|n| !n.is_empty()) {
            return Ok(name);
        }
        if let Some(map) = self.try_body("lib.caNameReqBody")? {
            let name = self.fields(&map, "caNameReqBody").string("caname")?;
            if !name.is_empty() {
                return Ok(name);
            }
        }
        Ok(self.server.default_ca().name.clone())
    }

    /// The CA the request is for; 404 code 19 if the server has none of that name.
    pub(crate) fn ca(&self) -> Result<Arc<Ca>, CaError> {
        if let Some(ca) = self.ca.get() {
            return Ok(ca.clone());
        }
        let name = self.ca_name()?;
        let ca = self
            .server
            .ca_named(&name)
            .ok_or_else(|| CaError::new(404, 19, format!("CA '{name}' does not exist")))?;
        let _ = self.ca.set(ca.clone());
        Ok(ca)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescaping_is_gos() {
        assert_eq!(unescape("a%20b+c", true), "a b c");
        assert_eq!(unescape("a%2Fb+c", false), "a/b+c");
        assert_eq!(unescape("100%", true), "100%");
        assert_eq!(unescape("%zz", true), "%zz");
    }
}
