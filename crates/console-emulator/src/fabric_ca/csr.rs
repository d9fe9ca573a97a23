//! The certificate signing requests clients send to enroll: PEM, a P-256 key made by the
//! client, self-signed with ECDSA-SHA256. What the CA keeps of one: the subject (CN and the
//! C/ST/L/O/serialNumber fields — fabric-ca replaces the OUs), the public key, the SANs it
//! asks for and whether it asks to be a CA.

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use rcgen::{DnType, SanType};
use std::net::IpAddr;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::oid_registry::{
    OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_SIG_ECDSA_WITH_SHA256, OID_X509_COMMON_NAME,
    OID_X509_COUNTRY_NAME, OID_X509_LOCALITY_NAME, OID_X509_ORGANIZATION_NAME,
    OID_X509_SERIALNUMBER, OID_X509_STATE_OR_PROVINCE_NAME,
};
use x509_parser::prelude::FromDer;

use super::envelope::CaError;

/// A parsed, signature-checked CSR.
#[derive(Debug, Clone)]
pub(crate) struct Csr {
    pub common_name: String,
    /// Subject fields kept in the certificate, in the CSR's order (no OU, no CN).
    pub names: Vec<(DnType, String)>,
    /// SubjectPublicKeyInfo, DER.
    pub spki_der: Vec<u8>,
    /// Subject alternative names the CSR asks for (used when the request names no hosts).
    pub sans: Vec<SanType>,
    /// The CSR asks for `CA:TRUE`.
    pub is_ca: bool,
}

/// cfssl's answer to anything that is not a usable CSR.
pub(crate) fn decode_failed() -> CaError {
    CaError::new(400, 31, "CSR Decode failed")
}

fn serial_number_oid() -> DnType {
    DnType::CustomDnType(vec![2, 5, 4, 5])
}

pub(crate) fn parse(pem_text: &str) -> Result<Csr, CaError> {
    let (_, pem) =
        x509_parser::pem::parse_x509_pem(pem_text.as_bytes()).map_err(|_| decode_failed())?;
    if pem.label != "CERTIFICATE REQUEST" && pem.label != "NEW CERTIFICATE REQUEST" {
        return Err(decode_failed());
    }
    let (_, csr) =
        X509CertificationRequest::from_der(&pem.contents).map_err(|_| decode_failed())?;
    check_signature(&csr)?;
    let info = &csr.certification_request_info;
    let mut common_name = String::new();
    let mut names = Vec::new();
    for attr in info.subject.iter_attributes() {
        let Ok(value) = attr.as_str() else { continue };
        let oid = attr.attr_type();
        let kind = if *oid == OID_X509_COMMON_NAME {
            common_name = value.to_string();
            continue;
        } else if *oid == OID_X509_COUNTRY_NAME {
            DnType::CountryName
        } else if *oid == OID_X509_STATE_OR_PROVINCE_NAME {
            DnType::StateOrProvinceName
        } else if *oid == OID_X509_LOCALITY_NAME {
            DnType::LocalityName
        } else if *oid == OID_X509_ORGANIZATION_NAME {
            DnType::OrganizationName
        } else if *oid == OID_X509_SERIALNUMBER {
            serial_number_oid()
        } else {
            continue; // OUs are the CA's to set; others are not kept
        };
        names.push((kind, value.to_string()));
    }
    let mut sans = Vec::new();
    let mut is_ca = false;
    for ext in csr.requested_extensions().into_iter().flatten() {
        match ext {
            ParsedExtension::SubjectAlternativeName(san) => {
                for name in &san.general_names {
                    match name {
                        GeneralName::DNSName(d) => sans.push(SanType::DnsName(
                            (*d).try_into().map_err(|_| decode_failed())?,
                        )),
                        GeneralName::IPAddress(bytes) => {
                            if let Some(ip) = ip_from_bytes(bytes) {
                                sans.push(SanType::IpAddress(ip));
                            }
                        }
                        GeneralName::RFC822Name(m) => sans.push(SanType::Rfc822Name(
                            (*m).try_into().map_err(|_| decode_failed())?,
                        )),
                        _ => {}
                    }
                }
            }
            ParsedExtension::BasicConstraints(bc) => is_ca = bc.ca,
            _ => {}
        }
    }
    Ok(Csr {
        common_name,
        names,
        spki_der: info.subject_pki.raw.to_vec(),
        sans,
        is_ca,
    })
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

/// The CSR is signed by the key it carries, a P-256 key, with ECDSA-SHA256.
fn check_signature(csr: &X509CertificationRequest<'_>) -> Result<(), CaError> {
    let info = &csr.certification_request_info;
    let algorithm = &info.subject_pki.algorithm;
    let on_p256 = algorithm.algorithm == OID_KEY_TYPE_EC_PUBLIC_KEY
        && algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.as_oid().ok())
            .is_some_and(|curve| curve == OID_EC_P256);
    if !on_p256 || csr.signature_algorithm.algorithm != OID_SIG_ECDSA_WITH_SHA256 {
        return Err(decode_failed());
    }
    let key = VerifyingKey::from_sec1_bytes(&info.subject_pki.subject_public_key.data)
        .map_err(|_| decode_failed())?;
    let signature = Signature::from_der(&csr.signature_value.data).map_err(|_| decode_failed())?;
    key.verify(info.raw, &signature)
        .map_err(|_| decode_failed())
}

/// fabric-ca's limits on CSR fields (RFC 3280's upper bounds).
fn limit(kind: &DnType) -> Option<(&'static str, usize)> {
    match kind {
        DnType::CountryName => Some(("country name", 2)),
        DnType::StateOrProvinceName => Some(("state name", 128)),
        DnType::LocalityName => Some(("locality name", 128)),
        DnType::OrganizationName => Some(("organization name", 64)),
        DnType::CustomDnType(oid) if oid.as_slice() == [2, 5, 4, 5] => Some(("serial number", 64)),
        _ => None,
    }
}

/// fabric-ca's `csrInputLengthCheck` (an error without status: 500, code 0).
pub(crate) fn check_lengths(csr: &Csr) -> Result<(), CaError> {
    let too_long = |what: &str, value: &str, max: usize| {
        CaError::unknown(format!(
            "The {what} '{value}' exceeds the maximum character limit of {max}"
        ))
    };
    if csr.common_name.chars().count() > 64 {
        return Err(too_long("CN", &csr.common_name, 64));
    }
    for (kind, value) in &csr.names {
        if let Some((what, max)) = limit(kind) {
            if value.chars().count() > max {
                return Err(too_long(what, value, max));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rcgen::{CertificateParams, DistinguishedName, KeyPair, PKCS_ECDSA_P256_SHA256};

    /// A CSR for `cn` (and `sans`) with a fresh P-256 key: (CSR PEM, key).
    pub(crate) fn make(cn: &str, sans: &[&str]) -> (String, KeyPair) {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params =
            CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, "US");
        dn.push(DnType::OrganizationalUnitName, "ignored");
        dn.push(DnType::CommonName, cn);
        params.distinguished_name = dn;
        (params.serialize_request(&key).unwrap().pem().unwrap(), key)
    }

    #[test]
    fn a_client_csr_parses() {
        let (pem, key) = make("peer1", &["peer1.example.com", "127.0.0.1"]);
        let csr = parse(&pem).unwrap();
        assert_eq!(csr.common_name, "peer1");
        assert_eq!(csr.names, vec![(DnType::CountryName, "US".to_string())]);
        assert_eq!(csr.sans.len(), 2);
        assert!(!csr.is_ca);
        assert!(csr.spki_der.ends_with(&key.public_key_raw()[1..]));
    }

    #[test]
    fn recorded_csrs_parse() {
        // recording 10's CSR, made by Python's cryptography
        let path = format!(
            "{}/../../tests/fixtures/fabric-ca-1.5.21/10-enroll-admin-ok.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let r: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let body: serde_json::Value =
            serde_json::from_str(r["request"]["body"].as_str().unwrap()).unwrap();
        let csr = parse(body["certificate_request"].as_str().unwrap()).unwrap();
        assert_eq!(csr.common_name, "admin");
    }

    #[test]
    fn garbage_and_tampering_are_decode_failures() {
        assert_eq!(parse("not a csr").unwrap_err(), decode_failed());
        assert_eq!(parse("").unwrap_err(), decode_failed());
        let (pem, _) = make("peer1", &[]);
        let cert_label = pem.replace("CERTIFICATE REQUEST", "CERTIFICATE");
        assert_eq!(parse(&cert_label).unwrap_err(), decode_failed());
        // flip a bit of the signed part: the self-signature no longer holds
        let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).unwrap();
        let mut der = block.contents.clone();
        der[20] ^= 0x01;
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
        let tampered = format!(
            "-----BEGIN CERTIFICATE REQUEST-----\n{b64}\n-----END CERTIFICATE REQUEST-----\n"
        );
        assert_eq!(parse(&tampered).unwrap_err(), decode_failed());
    }

    #[test]
    fn overlong_fields_are_refused() {
        let long = "x".repeat(65);
        let (pem, _) = make(&long, &[]);
        let csr = parse(&pem).unwrap();
        let e = check_lengths(&csr).unwrap_err();
        assert_eq!((e.status, e.code), (500, 0));
        assert!(e.message.contains("maximum character limit of 64"));
    }
}
