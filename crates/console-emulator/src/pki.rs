//! Real certificates for the scenarios: EC P-256 CAs (10 years) and the enrollment and TLS
//! certificates they issue (1 year unless asked otherwise, TLS ones with SANs localhost and
//! 127.0.0.1), as a Fabric CA would.

use anyhow::{Context, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SerialNumber, PKCS_ECDSA_P256_SHA256,
};
use time::{Duration, OffsetDateTime};

const CA_DAYS: i64 = 3650;
/// How long an end-entity certificate lasts unless [`Authority::issue_for_days`] says otherwise.
pub(crate) const LEAF_DAYS: i64 = 365;

/// A subject: C, O, OU, CN.
#[derive(Debug, Clone)]
pub(crate) struct Subject<'a> {
    pub org: &'a str,
    pub unit: &'a str,
    pub common_name: &'a str,
}

/// A certificate and its PKCS#8 private key, both PEM.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub cert_pem: String,
    pub key_pem: String,
}

impl Issued {
    /// The certificate as the console stores it: base64 of the PEM text.
    pub(crate) fn cert_b64(&self) -> String {
        STANDARD.encode(self.cert_pem.as_bytes())
    }

    pub(crate) fn key_b64(&self) -> String {
        STANDARD.encode(self.key_pem.as_bytes())
    }
}

/// A certificate authority able to issue certificates.
pub(crate) struct Authority {
    pub issued: Issued,
    issuer: Issuer<'static, KeyPair>,
}

fn distinguished_name(subject: &Subject<'_>) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "US");
    dn.push(DnType::OrganizationName, subject.org);
    dn.push(DnType::OrganizationalUnitName, subject.unit);
    dn.push(DnType::CommonName, subject.common_name);
    dn
}

fn validity(params: &mut CertificateParams, days: i64) {
    // a minute of slack so a freshly issued certificate is valid on a slightly late clock
    let now = OffsetDateTime::now_utc() - Duration::minutes(1);
    params.not_before = now;
    params.not_after = now + Duration::days(days);
}

fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 20] = rand::random();
    bytes[0] &= 0x7f; // positive INTEGER
    bytes[0] |= 0x01; // no leading zero byte
    SerialNumber::from_slice(&bytes)
}

impl Authority {
    /// A self-signed root CA.
    pub(crate) fn new_root(subject: Subject<'_>) -> Result<Authority> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::default();
        params.distinguished_name = distinguished_name(&subject);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
        ];
        params.serial_number = Some(random_serial());
        validity(&mut params, CA_DAYS);
        let cert = params.self_signed(&key).context("self-signing a CA")?;
        let issued = Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        };
        Ok(Authority {
            issued,
            issuer: Issuer::new(params, key),
        })
    }

    /// A CA kept as PEM: its certificate and its PKCS#8 key.
    pub(crate) fn from_pem(cert_pem: &str, key_pem: &str) -> Result<Authority> {
        let key = KeyPair::from_pem(key_pem).context("CA key")?;
        let issuer = Issuer::from_ca_cert_pem(cert_pem, key).context("CA certificate")?;
        Ok(Authority {
            issued: Issued {
                cert_pem: cert_pem.to_string(),
                key_pem: key_pem.to_string(),
            },
            issuer,
        })
    }

    /// A one-year end-entity certificate. `tls` adds the server/client TLS usages and the
    /// loopback SANs; enrollment certificates (ecerts) get signing usage only.
    pub(crate) fn issue(&self, subject: Subject<'_>, tls: bool) -> Result<Issued> {
        self.issue_for_days(subject, tls, LEAF_DAYS)
    }

    /// Like [`Authority::issue`], valid for `days` from now (a scenario's certificate about to
    /// expire, for the certificate calendar to find).
    pub(crate) fn issue_for_days(
        &self,
        subject: Subject<'_>,
        tls: bool,
        days: i64,
    ) -> Result<Issued> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let sans = if tls {
            vec!["localhost".to_string(), "127.0.0.1".to_string()]
        } else {
            Vec::new()
        };
        let mut params = CertificateParams::new(sans)?;
        params.distinguished_name = distinguished_name(&subject);
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = if tls {
            vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
                KeyUsagePurpose::KeyAgreement,
            ]
        } else {
            vec![KeyUsagePurpose::DigitalSignature]
        };
        if tls {
            params.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
            ];
        }
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(random_serial());
        validity(&mut params, days);
        let cert = params
            .signed_by(&key, &self.issuer)
            .context("issuing a certificate")?;
        Ok(Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }
}

/// One organisation's PKI: the enrollment CA and the TLS CA.
pub(crate) struct OrgPki {
    pub ca: Authority,
    pub tlsca: Authority,
}

impl OrgPki {
    /// `domain` like `org1.example.com`: roots `ca.<domain>` and `tlsca.<domain>`.
    pub(crate) fn new(domain: &str) -> Result<OrgPki> {
        let ca_cn = format!("ca.{domain}");
        let tlsca_cn = format!("tlsca.{domain}");
        Ok(OrgPki {
            ca: Authority::new_root(Subject {
                org: domain,
                unit: "Fabric",
                common_name: &ca_cn,
            })?,
            tlsca: Authority::new_root(Subject {
                org: domain,
                unit: "Fabric",
                common_name: &tlsca_cn,
            })?,
        })
    }
}

#[cfg(test)]
impl Pki {
    /// A TLS leaf certificate (base64 PEM) for parser tests.
    pub(crate) fn generate_for_test() -> String {
        let org = OrgPki::new("test.example.com").unwrap();
        org.tlsca
            .issue(
                Subject {
                    org: "test.example.com",
                    unit: "peer",
                    common_name: "peer0.test.example.com",
                },
                true,
            )
            .unwrap()
            .cert_b64()
    }
}

/// Namespace for test helpers.
#[cfg(test)]
pub(crate) struct Pki;

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::{FromDer, X509Certificate};

    #[test]
    fn issued_certificates_are_p256_with_sans() {
        let org = OrgPki::new("org1.example.com").unwrap();
        let leaf = org
            .tlsca
            .issue(
                Subject {
                    org: "org1.example.com",
                    unit: "peer",
                    common_name: "peer1.org1.example.com",
                },
                true,
            )
            .unwrap();
        let (_, pem) = x509_parser::pem::parse_x509_pem(leaf.cert_pem.as_bytes()).unwrap();
        let (_, cert) = X509Certificate::from_der(&pem.contents).unwrap();
        assert_eq!(
            cert.issuer().to_string(),
            "C=US, O=org1.example.com, OU=Fabric, CN=tlsca.org1.example.com"
        );
        let sans = cert.subject_alternative_name().unwrap().unwrap();
        assert_eq!(sans.value.general_names.len(), 2);
        assert!(KeyPair::from_pem(&leaf.key_pem).is_ok());
    }

    #[test]
    fn a_short_lived_certificate_lasts_the_days_asked() {
        let org = OrgPki::new("org1.example.com").unwrap();
        let subject = Subject {
            org: "org1.example.com",
            unit: "peer",
            common_name: "peer4.org1.example.com",
        };
        let days = |issued: &Issued| {
            let (_, pem) = x509_parser::pem::parse_x509_pem(issued.cert_pem.as_bytes()).unwrap();
            let (_, cert) = X509Certificate::from_der(&pem.contents).unwrap();
            let v = cert.validity();
            (v.not_after.timestamp() - v.not_before.timestamp()) / 86_400
        };
        let short = org.tlsca.issue_for_days(subject.clone(), true, 20).unwrap();
        assert_eq!(days(&short), 20);
        assert_eq!(days(&org.tlsca.issue(subject, true).unwrap()), LEAF_DAYS);
    }
}
