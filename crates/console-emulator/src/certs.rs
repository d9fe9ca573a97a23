//! Certificate inputs: accepting PEM or base64-of-PEM like the console, and the parsed form
//! it returns for `parsed_certs=included` (field names and renderings of athena's
//! `ot_misc.parseCertificate`, which uses jsrsasign).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

use crate::util::friendly_ms;

const PEM_HEADER: &str = "-----BEGIN CERTIFICATE-----";

/// The PEM text of a certificate given as PEM or as base64 of a PEM.
fn pem_text(input: &str) -> Option<String> {
    if input.contains(PEM_HEADER) {
        return Some(input.to_string());
    }
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = STANDARD.decode(compact).ok()?;
    String::from_utf8(bytes).ok()
}

/// DER bytes of the first certificate in a PEM text.
fn first_cert_der(pem: &str) -> Option<Vec<u8>> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).ok()?;
    (pem.label == "CERTIFICATE").then_some(pem.contents)
}

/// The DER of the first certificate in `input` (PEM or base64 PEM).
pub(crate) fn first_der(input: &str) -> Option<Vec<u8>> {
    pem_text(input).and_then(|p| first_cert_der(&p))
}

/// True when `input` is a parsable X.509 certificate (PEM or base64 PEM).
pub(crate) fn is_certificate(input: &str) -> bool {
    pem_text(input)
        .and_then(|p| first_cert_der(&p))
        .is_some_and(|der| X509Certificate::from_der(&der).is_ok())
}

/// The console's parsed-certificate object, or `None` if `input` is not a certificate.
pub(crate) fn parse_certificate(input: &str, now_ms: u64) -> Option<Value> {
    let pem = pem_text(input)?;
    let der = first_cert_der(&pem)?;
    let (_, cert) = X509Certificate::from_der(&der).ok()?;

    let not_before = cert.validity().not_before.timestamp() * 1000;
    let not_after = cert.validity().not_after.timestamp() * 1000;
    let subject = name_string(cert.subject());
    let alt_names = cert
        .subject_alternative_name()
        .ok()
        .flatten()
        .and_then(|ext| ext.value.general_names.first().map(general_name_pair));

    Some(json!({
        "base_64_pem": STANDARD.encode(pem.as_bytes()),
        "issuer": name_string(cert.issuer()),
        "not_after_ts": not_after,
        "not_before_ts": not_before,
        "serial_number_hex": hex(cert.tbs_certificate.raw_serial()),
        "signature_algorithm": signature_algorithm(&cert.signature_algorithm.algorithm.to_id_string()),
        "subject": subject,
        // jsrsasign lists SANs as [type, value] pairs and the console keeps only the first
        "subject_alt_names": alt_names,
        "subject_parts": subject_parts(&subject),
        "time_left": friendly_ms(not_after as f64 - now_ms as f64),
        "X509_version": cert.version().0 + 1,
    }))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `/C=US/O=org1.example.com/CN=ca.org1.example.com`, RDNs in certificate order.
fn name_string(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    for rdn in name.iter_rdn() {
        let parts: Vec<String> = rdn
            .iter()
            .map(|atv| {
                let key = short_name(&atv.attr_type().to_id_string());
                let value = atv
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|_| String::from_utf8_lossy(atv.attr_value().data).into());
                format!("{key}={value}")
            })
            .collect();
        out.push('/');
        out.push_str(&parts.join("+"));
    }
    out
}

fn short_name(oid: &str) -> String {
    match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "SERIALNUMBER",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "T",
        "2.5.4.17" => "postalCode",
        "2.5.4.42" => "GN",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.2.840.113549.1.9.1" => "E",
        other => return other.to_string(),
    }
    .to_string()
}

fn signature_algorithm(oid: &str) -> String {
    match oid {
        "1.2.840.10045.4.1" => "SHA1withECDSA",
        "1.2.840.10045.4.3.2" => "SHA256withECDSA",
        "1.2.840.10045.4.3.3" => "SHA384withECDSA",
        "1.2.840.10045.4.3.4" => "SHA512withECDSA",
        "1.2.840.113549.1.1.5" => "SHA1withRSA",
        "1.2.840.113549.1.1.11" => "SHA256withRSA",
        "1.2.840.113549.1.1.12" => "SHA384withRSA",
        "1.2.840.113549.1.1.13" => "SHA512withRSA",
        "1.3.101.112" => "Ed25519",
        other => return other.to_string(),
    }
    .to_string()
}

fn general_name_pair(name: &GeneralName<'_>) -> Value {
    let (kind, value) = match name {
        GeneralName::DNSName(d) => ("DNS", d.to_string()),
        GeneralName::RFC822Name(m) => ("MAIL", m.to_string()),
        GeneralName::URI(u) => ("URI", u.to_string()),
        GeneralName::DirectoryName(n) => ("DN", name_string(n)),
        GeneralName::IPAddress(ip) => ("IP", ip_string(ip)),
        other => ("OTHER", format!("{other:?}")),
    };
    json!([kind, value])
}

fn ip_string(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            std::net::Ipv6Addr::from(octets).to_string()
        }
        _ => hex(bytes),
    }
}

/// `{"C":"US","O":"org1.example.com",...}` from the subject string, like the console.
fn subject_parts(subject: &str) -> Value {
    let mut parts = serde_json::Map::new();
    for part in subject.split('/') {
        let mut kv = part.split('=');
        if let (Some(k), Some(v)) = (kv.next(), kv.next()) {
            parts.insert(k.to_string(), Value::String(v.to_string()));
        }
    }
    Value::Object(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_certificates() {
        assert!(!is_certificate("bm90LWEtY2VydA=="));
        assert!(!is_certificate("abc"));
        assert!(parse_certificate("abc", 0).is_none());
    }

    #[test]
    fn parses_a_generated_certificate() {
        let pki = crate::pki::Pki::generate_for_test();
        let parsed = parse_certificate(&pki, 0).unwrap();
        assert_eq!(parsed["signature_algorithm"], "SHA256withECDSA");
        assert_eq!(parsed["subject_alt_names"], json!(["DNS", "localhost"]));
        assert_eq!(parsed["X509_version"], 3);
        assert!(parsed["subject"].as_str().unwrap().starts_with("/C=US/"));
    }
}
