//! Fabric CA's token authentication, exactly as the server verifies it (recorded against
//! fabric-ca-server 1.5.21): `Authorization: b64(certPEM) "." b64(signature)` where the
//! signature is ECDSA P-256 over SHA-256 of `METHOD "." b64(uri) "." b64(body) "." b64(certPEM)`,
//! DER-encoded with a low S; `uri` is the path and query exactly as sent (a `?ca=` is signed).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

/// What a token is computed over.
pub fn payload(method: &str, uri: &str, body: &[u8], cert_pem: &str) -> String {
    format!(
        "{method}.{}.{}.{}",
        B64.encode(uri),
        B64.encode(body),
        B64.encode(cert_pem)
    )
}

/// The `Authorization` header value of a request signed by `key` for `cert_pem`.
pub fn auth_token(
    method: &str,
    uri: &str,
    body: &[u8],
    cert_pem: &str,
    key: &SigningKey,
) -> String {
    let signature: Signature = key.sign(payload(method, uri, body, cert_pem).as_bytes());
    // The server refuses a high S ("Invalid S. Must be smaller than half the order").
    let signature = signature.normalize_s().unwrap_or(signature);
    format!(
        "{}.{}",
        B64.encode(cert_pem),
        B64.encode(signature.to_der().as_bytes())
    )
}

#[cfg(test)]
mod tests;
