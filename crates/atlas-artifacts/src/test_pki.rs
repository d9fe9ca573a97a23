//! Throwaway certificates for the unit tests: roots, intermediates (CA or not) and leaves,
//! P-256, made on the spot with rcgen.

use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer,
    KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
};

use super::x509::Cert;

/// A certificate that can issue others (whether or not it says CA:TRUE).
pub(crate) struct Signer {
    pub pem: String,
    pub cert: Cert,
    issuer: Issuer<'static, KeyPair>,
}

fn params(cn: &str, ou: Option<&str>, ca: bool, years: (i32, i32)) -> CertificateParams {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "example.com");
    if let Some(ou) = ou {
        dn.push(DnType::OrganizationalUnitName, ou);
    }
    dn.push(DnType::CommonName, cn);
    let mut p = CertificateParams::default();
    p.distinguished_name = dn;
    if ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    } else {
        p.is_ca = IsCa::ExplicitNoCa;
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    }
    p.not_before = date_time_ymd(years.0, 1, 1);
    p.not_after = date_time_ymd(years.1, 1, 1);
    p
}

fn cert_of(pem: &str) -> Cert {
    let decoded = super::pem::decode(pem).expect("PEM");
    Cert::from_der(&decoded.blocks[0].der).expect("certificate")
}

/// A self-signed root CA, valid 2025–2099.
pub(crate) fn root(cn: &str) -> Signer {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
    let p = params(cn, None, true, (2025, 2099));
    let pem = p.self_signed(&key).unwrap().pem();
    Signer {
        cert: cert_of(&pem),
        pem,
        issuer: Issuer::new(p, key),
    }
}

impl Signer {
    /// A certificate issued by this one that can sign in turn; `ca` says whether it carries
    /// basic constraints CA:TRUE.
    pub fn below(&self, cn: &str, ca: bool) -> Signer {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
        let p = params(cn, None, ca, (2025, 2099));
        let pem = p.signed_by(&key, &self.issuer).unwrap().pem();
        Signer {
            cert: cert_of(&pem),
            pem,
            issuer: Issuer::new(p, key),
        }
    }

    /// An end-entity certificate (OU `ou`) valid from Jan 1st of `from` to Jan 1st of `to`,
    /// and its PKCS#8 key (PEM).
    pub fn leaf(&self, cn: &str, ou: &str, from: i32, to: i32) -> (String, String) {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
        let p = params(cn, Some(ou), false, (from, to));
        let pem = p.signed_by(&key, &self.issuer).unwrap().pem();
        (pem, key.serialize_pem())
    }
}

/// `n` self-signed CA certificates with the same name and the same key: each one verifies
/// every other.
pub(crate) fn crowd(cn: &str, n: usize) -> Vec<Signer> {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
    (0..n)
        .map(|_| {
            let key = KeyPair::from_pem(&key.serialize_pem()).unwrap();
            let p = params(cn, None, true, (2025, 2099));
            let pem = p.self_signed(&key).unwrap().pem();
            Signer {
                cert: cert_of(&pem),
                pem,
                issuer: Issuer::new(p, key),
            }
        })
        .collect()
}

/// The certificate of a PEM text.
pub(crate) fn cert(pem: &str) -> Cert {
    cert_of(pem)
}

/// 2026-06-01, inside every certificate made here that starts in 2025.
pub(crate) fn now() -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000)
}
