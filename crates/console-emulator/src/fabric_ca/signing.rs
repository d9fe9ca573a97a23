//! What a CA signs, as cfssl's profiles in fabric-ca-server's default configuration do:
//! enrollment certificates (the default profile), TLS certificates (`tls`), intermediate CAs
//! (`ca`), for the CSR's key and subject, with the identity's type as OU, the request's
//! `hosts` as SANs and Fabric's attribute extension; and its CRLs.

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CustomExtension,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyIdMethod, KeyUsagePurpose,
    RevocationReason, RevokedCertParams, SanType, SerialNumber, SubjectPublicKeyInfo,
};
use time::{Duration, OffsetDateTime};

use super::authority::{hex, now_nanos, Ca};
use super::csr::Csr;
use super::envelope::CaError;
use super::store::{normal_hex, CertRecord};

/// Fabric's attribute extension (`attrmgr.AttrOID`): JSON `{"attrs":{…}}`.
const ATTRS_OID: [u64; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 1];

/// cfssl's signing profiles in fabric-ca-server's default configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    /// Enrollment certificates: digital signature, 1 year.
    Default,
    /// TLS: server and client auth, key encipherment and agreement, 1 year.
    Tls,
    /// An intermediate CA: cert and CRL sign, path length 0, 5 years.
    Ca,
}

impl Profile {
    pub(crate) fn named(name: &str) -> Option<Profile> {
        match name {
            "" => Some(Profile::Default),
            "tls" => Some(Profile::Tls),
            "ca" => Some(Profile::Ca),
            _ => None,
        }
    }
}

/// What to put in a certificate besides the CSR's key and subject.
pub(crate) struct Issue<'a> {
    pub csr: &'a Csr,
    pub profile: Profile,
    /// fabric-ca's OUs: the identity's type, then its affiliation's parts. rcgen keeps one
    /// value per attribute type, so only the type (what NodeOUs classify by) is written.
    pub ou: &'a str,
    /// The request's `hosts`; `None`: the CSR's SANs.
    pub hosts: Option<&'a [String]>,
    /// The attribute extension's JSON, if any.
    pub attrs: Option<String>,
}

fn random_serial() -> Vec<u8> {
    let mut bytes: [u8; 20] = rand::random();
    bytes[0] &= 0x7f; // positive INTEGER
    bytes[0] |= 0x01; // no leading zero byte
    bytes.to_vec()
}

impl Ca {
    /// Signs a certificate for identity `id` and records it.
    pub(crate) fn issue(&self, id: &str, req: Issue<'_>) -> Result<CertRecord, CaError> {
        let issuer = self.issuer.as_ref().ok_or_else(|| {
            CaError::new(
                500,
                40,
                format!(
                    "CA '{}' has no signing key in the emulator's data folder (seeded by an older version): start with a new data folder",
                    self.name
                ),
            )
        })?;
        let now = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or(OffsetDateTime::now_utc());
        let days = if req.profile == Profile::Ca {
            5 * 365
        } else {
            365
        };
        let mut params = CertificateParams::default();
        params.not_before = (now - Duration::minutes(5)).max(self.not_before);
        params.not_after = (now + Duration::days(days)).min(self.not_after);
        params.distinguished_name = subject(req.csr, req.ou);
        params.subject_alt_names = match req.hosts {
            Some(hosts) => hosts.iter().filter_map(|h| san(h)).collect(),
            None => req.csr.sans.clone(),
        };
        let serial = random_serial();
        params.serial_number = Some(SerialNumber::from_slice(&serial));
        params.use_authority_key_identifier_extension = true;
        match req.profile {
            Profile::Default => {
                params.is_ca = IsCa::ExplicitNoCa;
                params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            }
            Profile::Tls => {
                params.is_ca = IsCa::ExplicitNoCa;
                params.key_usages = vec![
                    KeyUsagePurpose::DigitalSignature,
                    KeyUsagePurpose::KeyEncipherment,
                    KeyUsagePurpose::KeyAgreement,
                ];
                params.extended_key_usages = vec![
                    ExtendedKeyUsagePurpose::ServerAuth,
                    ExtendedKeyUsagePurpose::ClientAuth,
                ];
            }
            Profile::Ca => {
                params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
                params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            }
        }
        if let Some(attrs) = req.attrs {
            params.custom_extensions = vec![CustomExtension::from_oid_content(
                &ATTRS_OID,
                attrs.into_bytes(),
            )];
        }
        let key = SubjectPublicKeyInfo::from_der(&req.csr.spki_der)
            .map_err(|_| super::csr::decode_failed())?;
        let cert = params
            .signed_by(&key, issuer)
            .map_err(|e| CaError::unknown(format!("Certificate signing failure: {e}")))?;
        let record = CertRecord {
            id: id.to_string(),
            serial: normal_hex(&hex(&serial)),
            aki: self.aki(),
            pem: cert.pem(),
            status: "good".into(),
            reason: 0,
            revoked_at: 0,
            not_after: params.not_after.unix_timestamp(),
            seq: now_nanos(),
        };
        self.store.put_cert(&record)?;
        Ok(record)
    }

    /// A CRL of every revoked certificate not yet expired, PEM.
    pub(crate) fn crl(&self) -> Result<String, CaError> {
        let Some(issuer) = &self.issuer else {
            return Err(CaError::new(
                500,
                40,
                format!("CA '{}' has no signing key", self.name),
            ));
        };
        let now = OffsetDateTime::now_utc();
        let revoked = self
            .store
            .certs()?
            .into_iter()
            .filter(|c| c.revoked() && c.not_after > now.unix_timestamp())
            .map(|c| RevokedCertParams {
                serial_number: SerialNumber::from_slice(&from_hex(&c.serial)),
                revocation_time: OffsetDateTime::from_unix_timestamp(c.revoked_at).unwrap_or(now),
                reason_code: reason(c.reason),
                invalidity_date: None,
            })
            .collect();
        let params = CertificateRevocationListParams {
            this_update: now,
            next_update: now + Duration::days(1),
            crl_number: SerialNumber::from_slice(&self.store.next_crl_number()?.to_be_bytes()),
            issuing_distribution_point: None,
            revoked_certs: revoked,
            key_identifier_method: KeyIdMethod::PreSpecified(self.ski.clone()),
        };
        params
            .signed_by(issuer)
            .and_then(|crl| crl.pem())
            .map_err(|e| CaError::new(500, 41, format!("Failed to generate CRL: {e}")))
    }
}

/// cfssl's subject: the CSR's fields in Go's `pkix.Name` order, OU set by the CA, the CSR's CN.
fn subject(csr: &Csr, ou: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    let field = |kind: &DnType| csr.names.iter().find(|(k, _)| k == kind).map(|(_, v)| v);
    for kind in [
        DnType::CountryName,
        DnType::StateOrProvinceName,
        DnType::LocalityName,
        DnType::OrganizationName,
    ] {
        if let Some(value) = field(&kind) {
            dn.push(kind, value.as_str());
        }
    }
    dn.push(DnType::OrganizationalUnitName, ou);
    dn.push(DnType::CommonName, csr.common_name.as_str());
    let serial_number = DnType::CustomDnType(vec![2, 5, 4, 5]);
    if let Some(value) = field(&serial_number) {
        dn.push(serial_number.clone(), value.as_str());
    }
    dn
}

/// A `hosts` entry as cfssl reads it: an IP address, an e-mail address, else a DNS name.
fn san(host: &str) -> Option<SanType> {
    if let Ok(ip) = host.parse() {
        return Some(SanType::IpAddress(ip));
    }
    if host.contains('@') {
        return host.try_into().ok().map(SanType::Rfc822Name);
    }
    host.try_into().ok().map(SanType::DnsName)
}

fn from_hex(s: &str) -> Vec<u8> {
    let s = if s.len() % 2 == 1 {
        format!("0{s}")
    } else {
        s.to_string()
    };
    (0..s.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

fn reason(code: u8) -> Option<RevocationReason> {
    Some(match code {
        1 => RevocationReason::KeyCompromise,
        2 => RevocationReason::CaCompromise,
        3 => RevocationReason::AffiliationChanged,
        4 => RevocationReason::Superseded,
        5 => RevocationReason::CessationOfOperation,
        6 => RevocationReason::CertificateHold,
        8 => RevocationReason::RemoveFromCrl,
        9 => RevocationReason::PrivilegeWithdrawn,
        10 => RevocationReason::AaCompromise,
        _ => RevocationReason::Unspecified,
    })
}
