//! Private keys of wallet identities: PKCS#8 (what the console requires), SEC1 detection and
//! conversion, and the check that a key belongs to a certificate (EC P-256).
//!
//! Nothing here prints, logs or returns key material except [`sec1_to_pkcs8`]'s result.

use p256::pkcs8::der::Decode;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding, PrivateKeyInfo};

use super::pem::{self, PemBlock};
use super::x509::{Cert, KeyKind};
use crate::Secret;

/// What a private key value holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFormat {
    /// `BEGIN PRIVATE KEY`, with the key type it declares.
    Pkcs8(KeyKind),
    /// `BEGIN EC PRIVATE KEY` (OpenSSL's traditional format): the console refuses it.
    Sec1,
    /// `BEGIN ENCRYPTED PRIVATE KEY`.
    EncryptedPkcs8,
    /// Any other PEM label (`RSA PRIVATE KEY`, `CERTIFICATE`, …).
    Other(String),
}

/// Why a key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// Not decodable; the reason.
    Unreadable(String),
    /// SEC1 instead of PKCS#8 (convertible with [`sec1_to_pkcs8`]).
    Sec1,
    /// Something else than a PKCS#8 key; the reason.
    NotPkcs8(String),
    /// PKCS#8, but of a type whose match with a certificate we cannot check.
    Unsupported(KeyKind),
    /// The key does not belong to the certificate.
    Mismatch,
    /// The certificate's key is of another type than the private key.
    TypeMismatch { key: KeyKind, cert: KeyKind },
}

impl KeyProblem {
    pub fn reason(&self) -> String {
        match self {
            KeyProblem::Unreadable(r) => format!("private key {r}"),
            KeyProblem::Sec1 => "private key is SEC1 (BEGIN EC PRIVATE KEY); the console requires PKCS#8 (BEGIN PRIVATE KEY) — it can be converted".into(),
            KeyProblem::NotPkcs8(r) => r.clone(),
            KeyProblem::Unsupported(kind) => format!(
                "private key is {}; only EC P-256 keys can be checked against their certificate",
                kind.name()
            ),
            KeyProblem::Mismatch => "private key does not match the certificate's public key".into(),
            KeyProblem::TypeMismatch { key, cert } => format!(
                "private key is {} but the certificate holds an {} key",
                key.name(),
                cert.name()
            ),
        }
    }
}

fn only_key_block(blocks: &[PemBlock]) -> Result<&PemBlock, KeyProblem> {
    blocks
        .iter()
        .find(|b| b.label.contains("PRIVATE KEY"))
        .ok_or_else(|| match blocks.first() {
            Some(b) => KeyProblem::NotPkcs8(format!(
                "holds a '{}' PEM block, not a private key",
                b.label
            )),
            None => KeyProblem::Unreadable("holds no PEM block".into()),
        })
}

/// The format of a private key value (base64 PEM or PEM).
pub fn key_format(value: &str) -> Result<KeyFormat, KeyProblem> {
    let decoded = pem::decode(value).map_err(KeyProblem::Unreadable)?;
    let block = only_key_block(&decoded.blocks)?;
    Ok(match block.label.as_str() {
        "PRIVATE KEY" => {
            let info = PrivateKeyInfo::from_der(&block.der).map_err(|e| {
                KeyProblem::Unreadable(format!("is not a valid PKCS#8 structure ({e})"))
            })?;
            let curve = info.algorithm.parameters_oid().ok();
            let alg =
                x509_parser::oid_registry::Oid::new(info.algorithm.oid.as_bytes().to_vec().into());
            let curve =
                curve.map(|c| x509_parser::oid_registry::Oid::new(c.as_bytes().to_vec().into()));
            KeyFormat::Pkcs8(KeyKind::from_oids(&alg, curve.as_ref()))
        }
        "EC PRIVATE KEY" => KeyFormat::Sec1,
        "ENCRYPTED PRIVATE KEY" => KeyFormat::EncryptedPkcs8,
        other => KeyFormat::Other(other.to_string()),
    })
}

/// Checks that `key` (base64 PEM or PEM) is an unencrypted PKCS#8 key that belongs to `cert`.
pub fn check_key_matches(key: &Secret, cert: &Cert) -> Result<(), KeyProblem> {
    let format = key_format(key.expose())?;
    let kind = match format {
        KeyFormat::Pkcs8(kind) => kind,
        KeyFormat::Sec1 => return Err(KeyProblem::Sec1),
        KeyFormat::EncryptedPkcs8 => {
            return Err(KeyProblem::NotPkcs8(
                "private key is encrypted (BEGIN ENCRYPTED PRIVATE KEY); the console needs it unencrypted".into(),
            ))
        }
        KeyFormat::Other(label) => {
            return Err(KeyProblem::NotPkcs8(format!(
                "private key is a '{label}' PEM block; the console requires PKCS#8 (BEGIN PRIVATE KEY)"
            )))
        }
    };
    if kind != cert.key_kind {
        return Err(KeyProblem::TypeMismatch {
            key: kind,
            cert: cert.key_kind.clone(),
        });
    }
    if kind != KeyKind::EcP256 {
        return Err(KeyProblem::Unsupported(kind));
    }
    let decoded = pem::decode(key.expose()).map_err(KeyProblem::Unreadable)?;
    let block = only_key_block(&decoded.blocks)?;
    let secret = p256::SecretKey::from_pkcs8_der(&block.der)
        .map_err(|e| KeyProblem::Unreadable(format!("is not a valid P-256 key ({e})")))?;
    let cert_key =
        p256::PublicKey::from_sec1_bytes(&cert.public_key).map_err(|_| KeyProblem::Mismatch)?;
    if secret.public_key() == cert_key {
        Ok(())
    } else {
        Err(KeyProblem::Mismatch)
    }
}

/// Converts a SEC1 (`BEGIN EC PRIVATE KEY`) P-256 key, given as base64 PEM or PEM, to a
/// PKCS#8 key as the console wants it: base64 of `-----BEGIN PRIVATE KEY-----…`.
pub fn sec1_to_pkcs8(key: &Secret) -> Result<Secret, String> {
    let decoded = pem::decode(key.expose()).map_err(|r| format!("private key {r}"))?;
    let block = decoded
        .blocks
        .iter()
        .find(|b| b.label == "EC PRIVATE KEY")
        .ok_or("private key is not a SEC1 'EC PRIVATE KEY' block")?;
    let secret = p256::SecretKey::from_sec1_der(&block.der)
        .map_err(|_| "private key is not a SEC1 EC P-256 key (other curves cannot be converted)")?;
    let pkcs8 = secret
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode PKCS#8 ({e})"))?;
    Ok(Secret::new(pem::encode_base64(&pkcs8)))
}
