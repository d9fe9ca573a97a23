//! Authentication and authorization as the console does it on `/ak/` routes: HTTP Basic
//! with an API key or a console user's e-mail/password, or a bearer token the console
//! issued. Roles map to actions; a route needs one action.
//!
//! Failures keep the console's shapes: 401 plain-text `Unauthorized` (bad or missing
//! credentials, or an API key without the role), 403 JSON for a user or token without the
//! role (or an expired token), and a 400 for a bearer token that is not the console's own
//! (it would be checked with IBM Cloud IAM, which this console type lacks).

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::region::RegionState;
use crate::util::{json_response, now_ms, random_alnum, random_lower, text_response, Ordered};

/// What a route needs; the console's `blockchain.*` actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    View,
    Import,
    Remove,
    Delete,
    Logs,
    ApiKeys,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::View => "blockchain.optools.view",
            Action::Import => "blockchain.components.import",
            Action::Remove => "blockchain.components.remove",
            Action::Delete => "blockchain.components.delete",
            Action::Logs => "blockchain.optools.logs",
            Action::ApiKeys => "blockchain.apikeys.manage",
        }
    }

    /// The lowest role holding this action (roles are cumulative).
    fn min_role(self) -> u8 {
        match self {
            Action::View => 0,
            Action::Import | Action::Remove => 1,
            Action::Delete | Action::Logs | Action::ApiKeys => 2,
        }
    }
}

pub(crate) const ROLES: [&str; 3] = ["reader", "writer", "manager"];

fn role_rank(role: &str) -> Option<u8> {
    ROLES
        .iter()
        .position(|r| r.eq_ignore_ascii_case(role))
        .map(|p| p as u8)
}

/// True when one of `roles` grants `action`.
pub(crate) fn roles_allow(roles: &[String], action: Action) -> bool {
    roles
        .iter()
        .filter_map(|r| role_rank(r))
        .any(|rank| rank >= action.min_role())
}

/// Who made the request.
#[derive(Debug, Clone)]
pub(crate) struct Principal {
    /// The API key, the lower-cased user e-mail, or the token's creator.
    pub name: String,
    pub roles: Vec<String>,
}

/// A salted SHA-256 of a secret; only this is stored.
pub(crate) fn hash_secret(salt: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(secret.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn new_salt() -> String {
    random_alnum(16)
}

fn verify(salt: &str, hashed: &str, secret: &str) -> bool {
    hash_secret(salt, secret) == hashed
}

/// `Basic user:pass` as (user, pass).
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (name, pass) = decoded.split_once(':')?;
    Some((name.to_string(), pass.to_string()))
}

fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(|t| t.trim().to_string())
}

/// True when the token's middle segment is `{"typ":"ibp",...}`: one of the console's own.
fn is_console_token(token: &str) -> bool {
    let Some(middle) = token.split('.').nth(1) else {
        return false;
    };
    let bytes = STANDARD
        .decode(middle)
        .or_else(|_| URL_SAFE_NO_PAD.decode(middle.trim_end_matches('=')));
    bytes
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .is_some_and(|v| v.get("typ").and_then(Value::as_str) == Some("ibp"))
}

/// The console's token format: `t.<base64 {"typ":"ibp","user":...}>.<63 random>`.
pub(crate) fn new_token(user: &str) -> String {
    let user: String = user.chars().take(32).collect();
    let payload = serde_json::json!({ "typ": "ibp", "user": user }).to_string();
    format!("t.{}.{}", STANDARD.encode(payload), random_alnum(63))
}

pub(crate) fn unauthorized(state: &RegionState) -> Response {
    let mut resp = text_response(401, "Unauthorized");
    if let Ok(v) = HeaderValue::from_str(&format!("Basic realm=IBP{}", state.console_url)) {
        resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    resp
}

fn forbidden(action: Action) -> Response {
    json_response(
        403,
        &Ordered::new()
            .with("authorized", false)
            .with(
                "error",
                "username/api key is not authorized for these action(s)",
            )
            .with("attempted_actions", vec![action.name()])
            .with("iid", "-")
            .with("tx_id", random_lower(6)),
    )
}

fn iam_missing() -> Response {
    json_response(
        400,
        &Ordered::new().with("statusCode", 400).with(
            "errors",
            vec!["Internal setup error, the settings variable \"iam_api_key\" is missing"],
        ),
    )
}

/// Checks the request's credentials against `action`.
pub(crate) fn authorize(
    state: &RegionState,
    headers: &HeaderMap,
    action: Action,
) -> Result<Principal, Response> {
    if let Some(token) = bearer_token(headers) {
        if !is_console_token(&token) {
            return Err(iam_missing());
        }
        let record = state
            .store
            .token(&token)
            .ok()
            .flatten()
            .ok_or_else(|| unauthorized(state))?;
        if !roles_allow(&record.roles, action) || record.expiration <= now_ms() {
            return Err(forbidden(action));
        }
        return Ok(Principal {
            name: record.created_by,
            roles: record.roles,
        });
    }

    let Some((name, pass)) = basic_credentials(headers) else {
        return Err(unauthorized(state));
    };
    let lc_name = name.to_lowercase();
    if let Some(user) = state.store.user(&lc_name).ok().flatten() {
        if !verify(&user.salt, &user.hashed_secret, &pass) {
            return Err(unauthorized(state));
        }
        if !roles_allow(&user.roles, action) {
            return Err(forbidden(action));
        }
        return Ok(Principal {
            name: lc_name,
            roles: user.roles,
        });
    }
    match state.store.api_key(&name).ok().flatten() {
        Some(key) if verify(&key.salt, &key.hashed_secret, &pass) => {
            if roles_allow(&key.roles, action) {
                Ok(Principal {
                    name,
                    roles: key.roles,
                })
            } else {
                Err(unauthorized(state))
            }
        }
        _ => Err(unauthorized(state)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_cumulative() {
        let reader = vec!["reader".to_string()];
        let writer = vec!["Writer".to_string()];
        assert!(roles_allow(&reader, Action::View));
        assert!(!roles_allow(&reader, Action::Import));
        assert!(roles_allow(&writer, Action::Import));
        assert!(!roles_allow(&writer, Action::ApiKeys));
    }

    #[test]
    fn tokens_are_recognised() {
        let t = new_token("kabc");
        assert!(t.starts_with("t."));
        assert!(is_console_token(&t));
        assert!(!is_console_token("t.abc.def"));
        assert_eq!(t.split('.').nth(2).unwrap().len(), 63);
    }

    #[test]
    fn hashing_is_salted() {
        assert_ne!(hash_secret("a", "s"), hash_secret("b", "s"));
        assert!(verify("a", &hash_secret("a", "s"), "s"));
    }
}
