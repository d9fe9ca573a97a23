//! Trusting a console's own certificate. Nearly every console serves a certificate of its own
//! (self-signed, or from the organisation's CA) that the system's roots do not know. The user
//! may trust it for one region — after seeing its fingerprint, subject and expiry — and it is then
//! added to the system roots for that region's connections, never replacing them, with
//! verification (names, dates, signatures) left on.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use url::Url;

use crate::error::{AppError, ErrorCode};

/// The most certificates a trusted PEM may hold (a root and a few intermediates).
const MAX_TRUSTED: usize = 4;

/// A certificate as the user sees it before trusting it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    /// The certificate itself, PEM: what is kept when the user trusts it.
    pub pem: String,
    /// SHA-256 of the DER, upper-case hex pairs joined by ':' (as browsers and openssl show it).
    pub sha256: String,
    pub subject: String,
    pub issuer: String,
    /// Seconds since the Unix epoch.
    #[ts(type = "number")]
    pub not_before: i64,
    #[ts(type = "number")]
    pub not_after: i64,
    /// Its own issuer: a self-signed certificate or a root CA.
    pub self_signed: bool,
}

/// Checks PEM text the user wants trusted: one to a few X.509 certificates, nothing else.
/// Answers the first one's summary.
pub fn summarize_trusted(pem: &str) -> Result<CertificateSummary, AppError> {
    let invalid = |reason: String| AppError::invalid_field("trustedCertificate", reason);
    let blocks: Vec<_> = x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| invalid(format!("is not PEM: {e}")))?;
    if blocks.is_empty() || blocks.len() > MAX_TRUSTED {
        return Err(invalid(format!(
            "holds {} certificates; give 1 to {MAX_TRUSTED} (the console's certificate or its CA)",
            blocks.len()
        )));
    }
    let mut first = None;
    for block in &blocks {
        if block.label != "CERTIFICATE" {
            return Err(invalid(format!(
                "holds a {} block; only certificates are trusted",
                block.label
            )));
        }
        let summary = summarize(&block.contents).map_err(invalid)?;
        first.get_or_insert(summary);
    }
    first.ok_or_else(|| invalid("holds no certificate".into()))
}

/// The certificate a console presents on `url` (https only), as the user would review it: the
/// topmost of the chain it sends (its root or CA when it sends one, else its own certificate).
/// Nothing is sent over the connection; it is closed during the handshake.
pub async fn presented_certificate(
    url: &Url,
    timeout: Duration,
) -> Result<CertificateSummary, AppError> {
    if url.scheme() != "https" {
        return Err(AppError::invalid_field(
            "consoleUrl",
            "only an https:// console presents a certificate",
        ));
    }
    let host = url
        .host_str()
        .ok_or_else(|| AppError::invalid_field("consoleUrl", "no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let capture = Arc::new(Capture {
        chain: Mutex::default(),
        schemes: provider
            .signature_verification_algorithms
            .supported_schemes(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| unreachable(url, &e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(capture.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.clone()).map_err(|e| unreachable(url, &e.to_string()))?;
    let handshake = async {
        let tcp = tokio::net::TcpStream::connect((host.as_str(), port)).await?;
        tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map(drop)
    };
    match tokio::time::timeout(timeout, handshake).await {
        Err(_) => return Err(unreachable(url, "no answer in time")),
        Ok(Err(e)) if capture.taken().is_empty() => return Err(unreachable(url, &e.to_string())),
        Ok(_) => {}
    }
    let chain = capture.taken();
    let top = chain
        .last()
        .ok_or_else(|| unreachable(url, "it presented no certificate"))?;
    summarize(top).map_err(|reason| unreachable(url, &reason))
}

fn summarize(der: &[u8]) -> Result<CertificateSummary, String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|e| format!("holds a certificate that cannot be read: {e}"))?;
    let pem = pem_of(der);
    let sha256 = Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    Ok(CertificateSummary {
        pem,
        sha256,
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        self_signed: cert.subject() == cert.issuer(),
    })
}

fn pem_of(der: &[u8]) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

fn unreachable(url: &Url, reason: &str) -> AppError {
    AppError::new(
        ErrorCode::Unreachable,
        format!(
            "could not read the certificate of {}: {reason}",
            url.origin().ascii_serialization()
        ),
    )
}

/// Records the chain a server presents, then ends the handshake: it trusts nothing.
#[derive(Debug)]
struct Capture {
    chain: Mutex<Vec<Vec<u8>>>,
    schemes: Vec<SignatureScheme>,
}

impl Capture {
    fn taken(&self) -> Vec<Vec<u8>> {
        self.chain.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl ServerCertVerifier for Capture {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.as_ref().to_vec())
            .collect();
        *self.chain.lock().unwrap_or_else(|p| p.into_inner()) = chain;
        Err(rustls::Error::General(
            "certificate recorded for review; the connection is not used".into(),
        ))
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("not used".into()))
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("not used".into()))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn self_signed() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn a_certificate_is_summarized_with_its_fingerprint_and_dates() {
        let pem = self_signed();
        let summary = summarize_trusted(&pem).unwrap();
        assert!(summary.self_signed);
        assert_eq!(summary.sha256.len(), 32 * 3 - 1);
        assert!(summary.not_after > summary.not_before);
        // What is kept is the certificate, re-encoded the same.
        assert_eq!(
            summarize_trusted(&summary.pem).unwrap().sha256,
            summary.sha256
        );
    }

    #[test]
    fn anything_but_certificates_is_refused_naming_the_field() {
        let key = rcgen::KeyPair::generate().unwrap().serialize_pem();
        for bad in ["", "not pem at all", key.as_str()] {
            let e = summarize_trusted(bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("trustedCertificate"), "{bad}");
        }
        let five = self_signed().repeat(5);
        assert!(summarize_trusted(&five)
            .unwrap_err()
            .message
            .contains("holds 5"));
    }
}
