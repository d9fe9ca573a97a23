//! Who may use the control API. It hands out every console's secrets and can take regions
//! down, and the desktop app's sandbox serves it on loopback while the user browses the web,
//! so every request must name a loopback host (a DNS-rebound web page names its own) and carry
//! the token made at start (no web page knows it). Both are checked before anything else.

use anyhow::{Context, Result};
use axum::http::{header, HeaderValue, Request};
use axum::response::Response;
use rand::rngs::OsRng;
use rand::TryRngCore;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::util::json_response;

/// Random bytes in a token (shown as twice as many hex digits).
const TOKEN_BYTES: usize = 32;

#[derive(Clone)]
pub(crate) struct ControlGuard {
    port: u16,
    token: String,
}

impl ControlGuard {
    /// A guard for the control API on loopback `port`, with a fresh token from the OS's CSPRNG.
    pub(crate) fn new(port: u16) -> Result<Self> {
        let mut bytes = [0u8; TOKEN_BYTES];
        OsRng
            .try_fill_bytes(&mut bytes)
            .context("no randomness for the control token")?;
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self { port, token })
    }

    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    /// `None` when the request may go on; otherwise the refusal to send: 403 for a host that
    /// is not this port on loopback, then 401 for a missing or wrong token.
    pub(crate) fn refusal<B>(&self, req: &Request<B>) -> Option<Response> {
        if !self.host_allowed(req) {
            return Some(json_response(
                403,
                &json!({"error": "the control API answers only to 127.0.0.1, localhost or [::1] on its own port"}),
            ));
        }
        if !self.token_matches(req) {
            let mut resp = json_response(
                401,
                &json!({"error": "the control API needs `Authorization: Bearer <token>` (the token the emulator printed)"}),
            );
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"console-emulator control\""),
            );
            return Some(resp);
        }
        None
    }

    /// The `Host` header, and the request target's authority when it is in absolute form,
    /// must both be loopback with this port; a request with neither is refused.
    fn host_allowed<B>(&self, req: &Request<B>) -> bool {
        let hosts = req.headers().get_all(header::HOST);
        let mut named = 0;
        for value in hosts {
            match value.to_str() {
                Ok(host) if self.is_loopback(host) => named += 1,
                _ => return false,
            }
        }
        match req.uri().authority() {
            Some(authority) => self.is_loopback(authority.as_str()),
            None => named == 1,
        }
    }

    fn is_loopback(&self, host: &str) -> bool {
        let Some((name, port)) = host.rsplit_once(':') else {
            return false;
        };
        port.parse::<u16>() == Ok(self.port)
            && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
    }

    fn token_matches<B>(&self, req: &Request<B>) -> bool {
        let mut values = req.headers().get_all(header::AUTHORIZATION).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            return false;
        };
        // the scheme is case-insensitive (RFC 9110 §11.1); the token is not
        let presented = match value.as_bytes().split_at_checked(7) {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case(b"Bearer ") => token,
            _ => return false,
        };
        constant_time_eq(presented, self.token.as_bytes())
    }
}

/// Compares the digests, not the tokens: how long the comparison takes then tells nothing
/// about how much of a guess was right, whatever its length, and the fold has no early exit.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    let diff = a
        .iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(host: Option<&str>, auth: Option<&str>) -> Request<()> {
        let mut builder = Request::builder().uri("/regions");
        if let Some(host) = host {
            builder = builder.header(header::HOST, host);
        }
        if let Some(auth) = auth {
            builder = builder.header(header::AUTHORIZATION, auth);
        }
        builder.body(()).unwrap()
    }

    fn status(guard: &ControlGuard, req: &Request<()>) -> u16 {
        guard.refusal(req).map_or(200, |r| r.status().as_u16())
    }

    #[test]
    fn tokens_are_fresh_and_long() {
        let (a, b) = (ControlGuard::new(1).unwrap(), ControlGuard::new(1).unwrap());
        assert_ne!(a.token(), b.token());
        assert_eq!(a.token().len(), 2 * TOKEN_BYTES);
        assert!(a.token().bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn only_loopback_hosts_on_its_port_with_the_token_pass() {
        let guard = ControlGuard::new(4100).unwrap();
        let bearer = format!("Bearer {}", guard.token());
        for host in [
            "127.0.0.1:4100",
            "localhost:4100",
            "LocalHost:4100",
            "[::1]:4100",
        ] {
            assert_eq!(
                status(&guard, &request(Some(host), Some(&bearer))),
                200,
                "{host}"
            );
        }
        let lower = format!("bearer {}", guard.token());
        assert_eq!(
            status(&guard, &request(Some("127.0.0.1:4100"), Some(&lower))),
            200
        );
        for host in [
            "evil.example:4100",
            "127.0.0.1:4101",
            "127.0.0.1",
            "localhost",
            "127.0.0.1.evil.example:4100",
            "localhost.:4100",
            "0.0.0.0:4100",
        ] {
            assert_eq!(
                status(&guard, &request(Some(host), Some(&bearer))),
                403,
                "{host}"
            );
        }
        assert_eq!(
            status(&guard, &request(None, Some(&bearer))),
            403,
            "no Host"
        );
    }

    #[test]
    fn an_absolute_target_must_name_loopback_too() {
        let guard = ControlGuard::new(4100).unwrap();
        let req = Request::builder()
            .uri("http://evil.example:4100/regions")
            .header(header::HOST, "127.0.0.1:4100")
            .header(header::AUTHORIZATION, format!("Bearer {}", guard.token()))
            .body(())
            .unwrap();
        assert_eq!(status(&guard, &req), 403);
    }

    #[test]
    fn the_host_is_checked_before_the_token() {
        let guard = ControlGuard::new(4100).unwrap();
        assert_eq!(
            status(&guard, &request(Some("evil.example:4100"), None)),
            403
        );
    }

    #[test]
    fn a_missing_or_wrong_token_is_401() {
        let guard = ControlGuard::new(4100).unwrap();
        let host = Some("127.0.0.1:4100");
        let token = guard.token().to_string();
        let last = if token.ends_with('0') { '1' } else { '0' };
        let near_miss = format!("{}{last}", &token[..token.len() - 1]);
        for auth in [
            None,
            Some(String::new()),
            Some(token.clone()),
            Some(format!("Basic {token}")),
            Some(format!("Bearer {near_miss}")),
            Some(format!("Bearer {token}x")),
            Some(format!("Bearer  {token}")),
        ] {
            let resp = guard
                .refusal(&request(host, auth.as_deref()))
                .expect("refused");
            assert_eq!(resp.status().as_u16(), 401, "{auth:?}");
            assert!(resp.headers().contains_key(header::WWW_AUTHENTICATE));
        }
    }

    #[test]
    fn comparison_is_exact() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"abc"));
    }
}
