//! A fresh P-256 key and a certificate signing request for an enrollment: the key is made here
//! and never leaves this process except into the keyring; the CA sees only the CSR.

use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_ECDSA_P256_SHA256};

use crate::error::{AppError, ErrorCode};
use crate::secrets::Secret;

/// A new key (PKCS#8 PEM, as the wallet keeps keys) and a CSR whose common name is the enroll
/// id (the CA refuses any other: code 77).
pub fn new_key_and_csr(enroll_id: &str) -> Result<(Secret, String), AppError> {
    let failed =
        |e: rcgen::Error| AppError::new(ErrorCode::Internal, format!("making a key and CSR: {e}"));
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).map_err(failed)?;
    let csr = csr_for(enroll_id, &key).map_err(failed)?;
    Ok((Secret::new(key.serialize_pem()), csr))
}

/// A CSR for `enroll_id` with an existing key (PKCS#8 PEM): a re-enrollment keeps the key.
pub fn csr_with_key(enroll_id: &str, key_pem: &Secret) -> Result<String, AppError> {
    let failed = |e: rcgen::Error| AppError::new(ErrorCode::Internal, format!("making a CSR: {e}"));
    let key = KeyPair::from_pem(key_pem.expose()).map_err(failed)?;
    csr_for(enroll_id, &key).map_err(failed)
}

fn csr_for(enroll_id: &str, key: &KeyPair) -> Result<String, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, enroll_id);
    params.distinguished_name = name;
    params.serialize_request(key)?.pem()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csr_names_the_enroll_id_and_carries_the_new_keys_public_half() {
        use x509_parser::certification_request::X509CertificationRequest;
        use x509_parser::prelude::FromDer;
        let (key, csr) = new_key_and_csr("peer7").unwrap();
        assert!(key.expose().starts_with("-----BEGIN PRIVATE KEY-----"));
        let parse = |pem: &str| {
            let der = x509_parser::pem::parse_x509_pem(pem.as_bytes())
                .unwrap()
                .1
                .contents;
            let (_, req) = X509CertificationRequest::from_der(&der).unwrap();
            let info = req.certification_request_info;
            let cn: Vec<String> = info
                .subject
                .iter_common_name()
                .filter_map(|cn| cn.as_str().ok().map(str::to_owned))
                .collect();
            (cn, info.subject_pki.raw.to_vec())
        };
        let (cn, public) = parse(&csr);
        assert_eq!(cn, ["peer7"]);
        let (_, again) = parse(&csr_with_key("peer7", &key).unwrap());
        assert_eq!(public, again, "a re-enrollment keeps the key");
    }
}
