//! Every certificate one console record carries, in full (a component's details): what it is
//! there, subject, issuer, alternative names, validity and fingerprint.

use std::time::SystemTime;

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::calendar::{certificates_in, due, fingerprint, Due, UsedAs};
use crate::pem;
use crate::x509::{self, Cert};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CertificateDetail {
    pub used_as: UsedAs,
    /// Where the record holds it (`msp.component.tls_cert`).
    pub field: String,
    pub subject: String,
    pub issuer: String,
    /// Subject alternative names (`DNS:peer1.org1.example.com`, `IP:127.0.0.1`).
    pub sans: Vec<String>,
    /// `YYYY-MM-DD` (UTC).
    pub not_before: String,
    pub not_after: String,
    /// Whole days from now to the end of its validity (negative once expired).
    #[ts(type = "number")]
    pub days_left: i64,
    pub due: Due,
    /// Hex SHA-256 of the DER.
    pub sha256: String,
}

/// The certificates of console record `document`, in the record's order, at `now`; a value
/// holding no readable certificate is left out (validating the record names it elsewhere).
pub fn certificate_details(document: &Value, now: SystemTime) -> Vec<CertificateDetail> {
    let now = x509::epoch_secs(now);
    let mut details = Vec::new();
    for carried in certificates_in(document) {
        let Ok(decoded) = pem::decode(&carried.value) else {
            continue;
        };
        for block in decoded.blocks.iter().filter(|b| b.label == "CERTIFICATE") {
            let Ok(cert) = Cert::from_der(&block.der) else {
                continue;
            };
            details.push(CertificateDetail {
                used_as: carried.used_as,
                field: carried.field.clone(),
                sans: cert.subject_alt_names(),
                subject: cert.subject.clone(),
                issuer: cert.issuer.clone(),
                not_before: cert.not_before_date(),
                not_after: cert.not_after_date(),
                days_left: (cert.not_after - now).div_euclid(86_400),
                due: due(cert.not_after - now),
                sha256: fingerprint(&block.der),
            });
        }
    }
    details
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_pki;

    #[test]
    fn a_nodes_certificates_come_with_names_validity_and_fingerprint() {
        let root = test_pki::root("Org1 CA");
        let (tls, _) = root.leaf("peer1.org1.example.com", "peer", 2025, 2026);
        let doc = json!({ "msp": {
            "ca": { "root_certs": [pem::encode_base64(&root.pem)] },
            "component": { "tls_cert": pem::encode_base64(&tls), "ecert": "not a certificate" } } });
        let details = certificate_details(&doc, test_pki::now());
        assert_eq!(details.len(), 2, "{details:#?}");
        assert_eq!(details[0].used_as, UsedAs::CaRoot);
        assert_eq!(
            details[0].subject, details[0].issuer,
            "a root is its own issuer"
        );
        let leaf = &details[1];
        assert_eq!(leaf.field, "msp.component.tls_cert");
        assert!(leaf.subject.contains("peer1.org1.example.com"), "{leaf:?}");
        assert!(leaf.issuer.contains("Org1 CA"), "{leaf:?}");
        assert!(
            leaf.sans.is_empty(),
            "these test certificates name no hosts"
        );
        assert_eq!(
            (leaf.not_before.as_str(), leaf.not_after.as_str()),
            ("2025-01-01", "2026-01-01")
        );
        assert_eq!(leaf.due, Due::Expired);
        assert!(leaf.days_left < 0);
        assert_eq!(leaf.sha256.len(), 64);
    }
}
