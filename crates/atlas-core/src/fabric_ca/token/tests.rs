//! The token against the recorded requests of a real fabric-ca-server: the recorded signatures
//! verify over the payload built here (with the recorded certificate's key), so the payload is
//! the server's; and a token made here has the recorded form.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;
use serde_json::Value;

use super::*;

fn recording(name: &str) -> Value {
    let path = format!(
        "{}/../../tests/fixtures/fabric-ca-1.5.21/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .unwrap()
}

/// The recorded request's method, uri, body bytes, certificate and signature.
fn signed(name: &str) -> (String, String, Vec<u8>, String, Vec<u8>) {
    let r = recording(name);
    let req = &r["request"];
    let auth = req["headers"]["Authorization"].as_str().unwrap();
    let (cert, sig) = auth.split_once('.').unwrap();
    let body = req["body"].as_str().unwrap_or_default().as_bytes().to_vec();
    (
        req["method"].as_str().unwrap().to_owned(),
        req["path"].as_str().unwrap().to_owned(),
        body,
        String::from_utf8(B64.decode(cert).unwrap()).unwrap(),
        B64.decode(sig).unwrap(),
    )
}

fn key_of(cert_pem: &str) -> VerifyingKey {
    let der = x509_parser::pem::parse_x509_pem(cert_pem.as_bytes())
        .unwrap()
        .1
        .contents;
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    VerifyingKey::from_public_key_der(cert.public_key().raw).unwrap()
}

fn verifies(name: &str) -> bool {
    let (method, uri, body, cert, sig) = signed(name);
    let Ok(sig) = Signature::from_der(&sig) else {
        return false;
    };
    key_of(&cert)
        .verify(payload(&method, &uri, &body, &cert).as_bytes(), &sig)
        .is_ok()
}

#[test]
fn tokens_the_real_server_accepted_verify_over_this_payload() {
    // A register, a legacy-path register, a list, and the console's requests with `?ca=`.
    for accepted in [
        "20-register-peer1.json",
        "30-register-short-path-ok.json",
        "40-identities-list.json",
        "43-identities-list-caname.json",
        "86-console-register-via-identities.json",
        "87-console-identities-list.json",
        "93-console-reenroll.json",
    ] {
        assert!(verifies(accepted), "{accepted}");
    }
}

#[test]
fn tokens_the_real_server_refused_for_their_payload_do_not() {
    // A flipped signature byte, a token signed for /register sent to /api/v1/register, one
    // signed without the `?ca=` query.
    for refused in [
        "24-register-bad-signature.json",
        "26-register-token-wrong-uri.json",
        "92-token-signed-without-query.json",
    ] {
        assert!(!verifies(refused), "{refused}");
    }
}

#[test]
fn a_token_made_here_has_the_recorded_form_and_a_low_s() {
    let key = SigningKey::random(&mut p256::elliptic_curve::rand_core::OsRng);
    let (_, _, _, cert, _) = signed("87-console-identities-list.json");
    let uri = "/api/v1/identities?ca=ca";
    for _ in 0..16 {
        let token = auth_token("GET", uri, b"", &cert, &key);
        let (cert_part, sig_part) = token.split_once('.').unwrap();
        assert_eq!(B64.decode(cert_part).unwrap(), cert.as_bytes());
        let sig = Signature::from_der(&B64.decode(sig_part).unwrap()).unwrap();
        assert!(sig.normalize_s().is_none(), "S is already low");
        assert!(VerifyingKey::from(&key)
            .verify(payload("GET", uri, b"", &cert).as_bytes(), &sig)
            .is_ok());
        assert!(!token.starts_with("Bearer"));
    }
}
