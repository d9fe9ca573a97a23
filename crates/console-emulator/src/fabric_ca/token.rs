//! fabric-ca's token (`util.VerifyToken`), the signature math only: whether the CA that
//! issued the certificate is this one is `auth.rs`'s question, so recorded tokens — signed by
//! identities of the real servers — can be checked here.
//!
//! `Authorization: b64(certPEM) "." b64(DER signature)`, no scheme; the signature is ECDSA
//! P-256 over SHA-256 of `METHOD "." b64(uri) "." b64(body) "." b64(certPEM)`, where uri is the
//! request's path and query exactly as sent, and its S must be the low one.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use x509_parser::prelude::{FromDer, X509Certificate};

/// Why a token was refused (the client only ever sees "Authentication failure").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// Not two base64 parts separated by one dot (a `Bearer ` prefix lands here).
    Format,
    /// The first part is not a PEM certificate with a P-256 key.
    Certificate,
    /// The second part is not a DER ECDSA signature.
    SignatureEncoding,
    /// "Invalid S. Must be smaller than half the order".
    HighS,
    /// The signature does not verify over the payload (another body, uri or method).
    Mismatch,
}

/// The certificate a token was verifiably signed with.
#[derive(Debug, Clone)]
pub(crate) struct SignedBy {
    pub cert_der: Vec<u8>,
}

/// The bytes a token signs.
pub(crate) fn payload(method: &str, uri: &str, body: &[u8], cert_pem: &[u8]) -> Vec<u8> {
    format!(
        "{method}.{}.{}.{}",
        B64.encode(uri),
        B64.encode(body),
        B64.encode(cert_pem)
    )
    .into_bytes()
}

/// The P-256 public key a PEM certificate carries, and the certificate's DER.
pub(crate) fn p256_key(cert_pem: &[u8]) -> Result<(VerifyingKey, Vec<u8>), TokenError> {
    let (_, pem) =
        x509_parser::pem::parse_x509_pem(cert_pem).map_err(|_| TokenError::Certificate)?;
    if pem.label != "CERTIFICATE" {
        return Err(TokenError::Certificate);
    }
    let (_, cert) =
        X509Certificate::from_der(&pem.contents).map_err(|_| TokenError::Certificate)?;
    let key = VerifyingKey::from_sec1_bytes(&cert.public_key().subject_public_key.data)
        .map_err(|_| TokenError::Certificate)?;
    Ok((key, pem.contents.clone()))
}

/// Checks `signature_der` over `message` with `key`, refusing a high S as Fabric's BCCSP does.
pub(crate) fn verify_low_s(
    key: &VerifyingKey,
    message: &[u8],
    signature_der: &[u8],
) -> Result<(), TokenError> {
    let signature =
        Signature::from_der(signature_der).map_err(|_| TokenError::SignatureEncoding)?;
    if signature.normalize_s().is_some() {
        return Err(TokenError::HighS);
    }
    key.verify(message, &signature)
        .map_err(|_| TokenError::Mismatch)
}

/// Verifies the `Authorization` header of a request: answers the certificate that signed it.
pub(crate) fn verify(
    authorization: &str,
    method: &str,
    uri: &str,
    body: &[u8],
) -> Result<SignedBy, TokenError> {
    let mut parts = authorization.split('.');
    let (Some(cert_b64), Some(sig_b64), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Format);
    };
    let cert_pem = B64.decode(cert_b64).map_err(|_| TokenError::Format)?;
    let signature = B64.decode(sig_b64).map_err(|_| TokenError::Format)?;
    let (key, cert_der) = p256_key(&cert_pem)?;
    verify_low_s(&key, &payload(method, uri, body, &cert_pem), &signature)?;
    Ok(SignedBy { cert_der })
}

#[cfg(test)]
mod tests {
    //! The recorded requests' own tokens, signed by the real servers' identities: the math
    //! must accept the ones the server accepted and refuse each deliberate defect.
    use super::*;
    use serde_json::Value;

    fn recording(name: &str) -> Value {
        let path = format!(
            "{}/../../tests/fixtures/fabric-ca-1.5.21/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).expect("recording")).unwrap()
    }

    /// The recorded request's verdict.
    fn check(name: &str) -> Result<SignedBy, TokenError> {
        let r = recording(name);
        let req = &r["request"];
        verify(
            req["headers"]["Authorization"].as_str().unwrap(),
            req["method"].as_str().unwrap(),
            req["path"].as_str().unwrap(),
            req["body"].as_str().unwrap_or_default().as_bytes(),
        )
    }

    #[test]
    fn recorded_good_tokens_verify() {
        for name in [
            "20-register-peer1.json",
            "30-register-short-path-ok.json",
            "40-identities-list.json",
            "43-identities-list-caname.json",
            "51-revoke-peer1.json",
            "86-console-register-via-identities.json",
            "93-console-reenroll.json",
            "95-identities-post-add.json",
        ] {
            let signed = check(name).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert!(
                X509Certificate::from_der(&signed.cert_der).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn recorded_defects_are_refused() {
        for (name, why) in [
            ("24-register-bad-signature.json", TokenError::Mismatch),
            ("26-register-token-wrong-uri.json", TokenError::Mismatch),
            ("27-register-high-s-signature.json", TokenError::HighS),
            ("28-register-bearer-prefix.json", TokenError::Format),
            ("92-token-signed-without-query.json", TokenError::Mismatch),
        ] {
            assert_eq!(check(name).unwrap_err(), why, "{name}");
        }
    }

    /// 26 and 92 are good signatures over another uri: the uri really is part of the payload.
    #[test]
    fn the_uri_signed_is_the_one_sent() {
        let verify_as = |name: &str, uri: &str| {
            let r = recording(name);
            let req = &r["request"];
            verify(
                req["headers"]["Authorization"].as_str().unwrap(),
                "POST",
                uri,
                req["body"].as_str().unwrap_or_default().as_bytes(),
            )
        };
        assert!(verify_as("26-register-token-wrong-uri.json", "/register").is_ok());
        let r = recording("92-token-signed-without-query.json");
        let auth = r["request"]["headers"]["Authorization"].as_str().unwrap();
        assert!(verify(auth, "GET", "/api/v1/identities", b"").is_ok());
        assert_eq!(
            verify(auth, "GET", "/api/v1/identities?ca=ca", b"").unwrap_err(),
            TokenError::Mismatch
        );
    }

    /// 27's signature verifies once its S is made low: only the low-S rule refuses it.
    #[test]
    fn high_s_is_refused_although_the_math_holds() {
        let r = recording("27-register-high-s-signature.json");
        let req = &r["request"];
        let auth = req["headers"]["Authorization"].as_str().unwrap();
        let (cert_b64, sig_b64) = auth.split_once('.').unwrap();
        let cert = B64.decode(cert_b64).unwrap();
        let sig = Signature::from_der(&B64.decode(sig_b64).unwrap()).unwrap();
        let low = sig.normalize_s().expect("recorded S is high");
        let (key, _) = p256_key(&cert).unwrap();
        let message = payload(
            "POST",
            req["path"].as_str().unwrap(),
            req["body"].as_str().unwrap().as_bytes(),
            &cert,
        );
        assert!(verify_low_s(&key, &message, low.to_der().as_bytes()).is_ok());
        assert_eq!(
            verify_low_s(&key, &message, sig.to_der().as_bytes()).unwrap_err(),
            TokenError::HighS
        );
    }

    #[test]
    fn a_changed_body_or_method_is_refused() {
        let r = recording("20-register-peer1.json");
        let req = &r["request"];
        let auth = req["headers"]["Authorization"].as_str().unwrap();
        let body = req["body"].as_str().unwrap();
        assert!(verify(auth, "POST", "/api/v1/register", body.as_bytes()).is_ok());
        assert_eq!(
            verify(auth, "POST", "/api/v1/register", b"{}").unwrap_err(),
            TokenError::Mismatch
        );
        assert_eq!(
            verify(auth, "PUT", "/api/v1/register", body.as_bytes()).unwrap_err(),
            TokenError::Mismatch
        );
    }
}
