//! A Fabric CA client's pieces, written for the tests from the fixtures README's recipe (not
//! from the emulator's code): fresh P-256 keys and CSRs, and tokens.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::DecodePrivateKey;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_ECDSA_P256_SHA256};

/// A fresh key and a CSR for `cn` asking for `sans`.
pub fn csr(cn: &str, sans: &[&str]) -> (String, SigningKey) {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params =
        CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    params.distinguished_name = dn;
    let pem = params.serialize_request(&key).unwrap().pem().unwrap();
    let signing = SigningKey::from_pkcs8_pem(&key.serialize_pem()).unwrap();
    (pem, signing)
}

/// `METHOD.b64(uri).b64(body).b64(certPEM)`.
pub fn payload(method: &str, uri: &str, body: &[u8], cert_pem: &str) -> Vec<u8> {
    format!(
        "{method}.{}.{}.{}",
        B64.encode(uri),
        B64.encode(body),
        B64.encode(cert_pem)
    )
    .into_bytes()
}

/// An ECDSA-SHA256 signature with low S (P-256 signers may give either).
pub fn sign_low_s(key: &SigningKey, message: &[u8]) -> Signature {
    let sig: Signature = key.sign(message);
    sig.normalize_s().unwrap_or(sig)
}

/// The same signature with the other (high) S.
pub fn high_s(sig: &Signature) -> Signature {
    let (r, s) = sig.split_scalars();
    Signature::from_scalars(r.to_bytes(), (-*s).to_bytes()).unwrap()
}

/// `b64(certPEM).b64(DER signature)` over the request.
pub fn token(method: &str, uri: &str, body: &[u8], cert_pem: &str, key: &SigningKey) -> String {
    let sig = sign_low_s(key, &payload(method, uri, body, cert_pem));
    format!(
        "{}.{}",
        B64.encode(cert_pem),
        B64.encode(sig.to_der().as_bytes())
    )
}

/// An enrolled identity: its certificate (PEM) and key.
pub struct Enrolled {
    pub cert_pem: String,
    pub key: SigningKey,
}

impl Enrolled {
    pub fn token(&self, method: &str, uri: &str, body: &[u8]) -> String {
        token(method, uri, body, &self.cert_pem, &self.key)
    }
}

/// The certificate an enroll answer carries (`result.Cert`, base64 of PEM).
pub fn cert_of(answer: &serde_json::Value) -> String {
    let b64 = answer["result"]["Cert"].as_str().expect("a certificate");
    String::from_utf8(B64.decode(b64).unwrap()).unwrap()
}
