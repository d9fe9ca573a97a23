//! X.509 certificates through `x509-parser`: parsing, validity against a given `now`, CA flag,
//! key type, and chain checks with real signature verification.

use std::time::{SystemTime, UNIX_EPOCH};

use x509_parser::oid_registry::{
    Oid, OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_NIST_EC_P384, OID_NIST_EC_P521,
    OID_PKCS1_RSAENCRYPTION, OID_SIG_ED25519,
};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::x509::SubjectPublicKeyInfo;

/// Warn when a certificate expires within this many days.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// The kind of a public or private key, named for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    EcP256,
    EcP384,
    EcP521,
    EcOther(String),
    Rsa,
    Ed25519,
    Other(String),
}

impl KeyKind {
    pub fn name(&self) -> String {
        match self {
            KeyKind::EcP256 => "EC P-256".into(),
            KeyKind::EcP384 => "EC P-384".into(),
            KeyKind::EcP521 => "EC P-521".into(),
            KeyKind::EcOther(curve) => format!("EC (curve {curve})"),
            KeyKind::Rsa => "RSA".into(),
            KeyKind::Ed25519 => "Ed25519".into(),
            KeyKind::Other(oid) => format!("algorithm {oid}"),
        }
    }

    /// From an algorithm OID and, for EC keys, the curve OID.
    pub(crate) fn from_oids(algorithm: &Oid<'_>, curve: Option<&Oid<'_>>) -> KeyKind {
        if *algorithm == OID_KEY_TYPE_EC_PUBLIC_KEY {
            match curve {
                Some(c) if *c == OID_EC_P256 => KeyKind::EcP256,
                Some(c) if *c == OID_NIST_EC_P384 => KeyKind::EcP384,
                Some(c) if *c == OID_NIST_EC_P521 => KeyKind::EcP521,
                Some(c) => KeyKind::EcOther(c.to_id_string()),
                None => KeyKind::EcOther("unspecified".into()),
            }
        } else if *algorithm == OID_PKCS1_RSAENCRYPTION {
            KeyKind::Rsa
        } else if *algorithm == OID_SIG_ED25519 {
            KeyKind::Ed25519
        } else {
            KeyKind::Other(algorithm.to_id_string())
        }
    }
}

/// A parsed certificate: the DER plus the facts validation needs.
#[derive(Debug, Clone)]
pub struct Cert {
    pub der: Vec<u8>,
    pub subject: String,
    pub issuer: String,
    /// Seconds since the Unix epoch.
    pub not_before: i64,
    pub not_after: i64,
    pub is_ca: bool,
    pub key_kind: KeyKind,
    /// The raw subject public key (for EC: the SEC1 point).
    pub public_key: Vec<u8>,
    /// Organizational units of the subject (Fabric NodeOUs: `admin`, `client`, `peer`, …).
    pub subject_ous: Vec<String>,
}

fn key_kind(spki: &SubjectPublicKeyInfo<'_>) -> KeyKind {
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok());
    KeyKind::from_oids(&spki.algorithm.algorithm, curve.as_ref())
}

impl Cert {
    /// Parses one DER certificate. The error is a reason for a user.
    pub fn from_der(der: &[u8]) -> Result<Cert, String> {
        let (rest, cert) = X509Certificate::from_der(der)
            .map_err(|e| format!("is not a valid X.509 certificate ({e})"))?;
        if !rest.is_empty() {
            return Err("has trailing bytes after the X.509 certificate".into());
        }
        let subject_ous = cert
            .subject()
            .iter_organizational_unit()
            .filter_map(|ou| ou.as_str().ok().map(str::to_string))
            .collect();
        Ok(Cert {
            der: der.to_vec(),
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            is_ca: cert.is_ca(),
            key_kind: key_kind(cert.public_key()),
            public_key: cert.public_key().subject_public_key.data.to_vec(),
            subject_ous,
        })
    }

    fn parsed(&self) -> X509Certificate<'_> {
        // `der` was parsed successfully in `from_der`
        X509Certificate::from_der(&self.der)
            .map(|(_, c)| c)
            .expect("certificate parsed before")
    }

    /// True when `issuer` issued this certificate: names match and the signature verifies
    /// with the issuer's public key.
    pub fn is_issued_by(&self, issuer: &Cert) -> bool {
        let (child, parent) = (self.parsed(), issuer.parsed());
        child.issuer().as_raw() == parent.subject().as_raw()
            && child.verify_signature(Some(parent.public_key())).is_ok()
    }

    pub fn is_self_signed(&self) -> bool {
        self.is_issued_by(self)
    }

    /// Expiry date as `YYYY-MM-DD` (UTC).
    pub fn not_after_date(&self) -> String {
        date(self.not_after)
    }

    pub fn not_before_date(&self) -> String {
        date(self.not_before)
    }
}

/// `YYYY-MM-DD` for seconds since the epoch (UTC), civil-from-days.
pub fn date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Seconds since the epoch for a `SystemTime` (negative before 1970).
pub fn epoch_secs(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// What validity says about a certificate at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Validity {
    Valid,
    /// Expires within [`EXPIRY_WARNING_DAYS`].
    ExpiresSoon {
        on: String,
        days: i64,
    },
    Expired {
        on: String,
    },
    NotYetValid {
        from: String,
    },
}

pub fn validity(cert: &Cert, now: SystemTime) -> Validity {
    let now = epoch_secs(now);
    if cert.not_after < now {
        Validity::Expired {
            on: cert.not_after_date(),
        }
    } else if cert.not_before > now {
        Validity::NotYetValid {
            from: cert.not_before_date(),
        }
    } else if cert.not_after - now <= EXPIRY_WARNING_DAYS * 86_400 {
        Validity::ExpiresSoon {
            on: cert.not_after_date(),
            days: (cert.not_after - now) / 86_400,
        }
    } else {
        Validity::Valid
    }
}

/// Whether `leaf` chains to one of `roots`, possibly through `intermediates` (signatures
/// verified at every step). A certificate that *is* one of the roots counts as chained.
pub fn chains_to(leaf: &Cert, roots: &[Cert], intermediates: &[Cert]) -> bool {
    fn walk(cert: &Cert, roots: &[Cert], inter: &[Cert], depth: usize) -> bool {
        if roots
            .iter()
            .any(|r| r.der == cert.der || cert.is_issued_by(r))
        {
            return true;
        }
        depth < 8
            && inter
                .iter()
                .filter(|i| i.der != cert.der)
                .any(|i| cert.is_issued_by(i) && walk(i, roots, inter, depth + 1))
    }
    walk(leaf, roots, intermediates, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_735_689_600), "2025-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(-86_400), "1969-12-31");
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        let err = Cert::from_der(&[0x30, 0x03, 0x02, 0x01, 0x01]).unwrap_err();
        assert!(err.contains("not a valid X.509"), "{err}");
    }
}
