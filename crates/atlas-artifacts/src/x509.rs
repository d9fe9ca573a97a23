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
    /// The DER of the subject and issuer names, compared when chaining.
    pub subject_raw: Vec<u8>,
    pub issuer_raw: Vec<u8>,
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
            subject_raw: cert.subject().as_raw().to_vec(),
            issuer_raw: cert.issuer().as_raw().to_vec(),
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
        self.issuer_raw == issuer.subject_raw
            && self
                .parsed()
                .verify_signature(Some(issuer.parsed().public_key()))
                .is_ok()
    }

    /// The subject alternative names: DNS names, IP addresses, URIs and e-mail addresses, as
    /// written (a TLS certificate's are the host names it is valid for).
    pub fn subject_alt_names(&self) -> Vec<String> {
        use x509_parser::extensions::GeneralName;
        let parsed = self.parsed();
        let Ok(Some(san)) = parsed.subject_alternative_name() else {
            return Vec::new();
        };
        san.value
            .general_names
            .iter()
            .filter_map(|name| match name {
                GeneralName::DNSName(dns) => Some(format!("DNS:{dns}")),
                GeneralName::RFC822Name(mail) => Some(format!("email:{mail}")),
                GeneralName::URI(uri) => Some(format!("URI:{uri}")),
                GeneralName::IPAddress(ip) => ip_address(ip).map(|ip| format!("IP:{ip}")),
                _ => None,
            })
            .collect()
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

/// An IP address as the SAN extension holds it (4 or 16 bytes).
fn ip_address(bytes: &[u8]) -> Option<std::net::IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(std::net::IpAddr::from),
        _ => None,
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

/// Longest chain walked from a certificate to a root (intermediates above the leaf).
pub const MAX_CHAIN_DEPTH: usize = 8;

/// Why a certificate does not chain to a set of roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// No root or intermediate given carries the name of `of`'s issuer.
    MissingIssuer { of: String, issuer: String },
    /// The issuer found is not a CA (no basic constraints CA:TRUE): it may not issue.
    IssuerNotCa { of: String, issuer: String },
    /// The issuer's name matches but its key did not sign `of`.
    BadSignature { of: String, issuer: String },
    /// More than [`MAX_CHAIN_DEPTH`] intermediates, or too many candidate issuers to try.
    TooLong,
}

impl ChainError {
    /// The reason for a user about the chain of `leaf` (the certificate checked); `given`
    /// names where issuers were looked for (`msp.ca.root_certs or msp.intermediate_ca.root_certs`).
    pub fn describe(&self, leaf: &Cert, given: &str) -> String {
        let whose = |of: &str| {
            if of == leaf.subject {
                "its".to_string()
            } else {
                format!("the intermediate '{of}''s")
            }
        };
        match self {
            ChainError::MissingIssuer { of, .. } if *of == leaf.subject => {
                format!("its issuer is not in {given} (is an intermediate certificate missing?)")
            }
            ChainError::MissingIssuer { of, issuer } => {
                format!("the issuer '{issuer}' of the intermediate '{of}' is not in {given}")
            }
            ChainError::IssuerNotCa { of, issuer } => format!(
                "{} issuer '{issuer}' is not a CA certificate (no basic constraints CA:TRUE)",
                whose(of)
            ),
            ChainError::BadSignature { of, issuer } => format!(
                "{} signature does not verify with the key of '{issuer}'",
                whose(of)
            ),
            ChainError::TooLong => format!(
                "no chain to {given} within {MAX_CHAIN_DEPTH} intermediate certificates and {MAX_ISSUERS_TRIED} issuers tried"
            ),
        }
    }
}

/// At most this many issuers are tried for one chain: a file full of certificates with the
/// same name must not make the search take forever.
const MAX_ISSUERS_TRIED: usize = 32;

/// Checks that `leaf` chains to one of `roots`, possibly through `intermediates`: at every
/// link the issuer's name matches, the issuer is a CA (basic constraints CA:TRUE) and its key
/// verifies the signature. A certificate that *is* one of the roots counts as chained. When no
/// path works, the error is the first problem met on the way up.
pub fn chain(leaf: &Cert, roots: &[Cert], intermediates: &[Cert]) -> Result<(), ChainError> {
    chain_and_tries(leaf, roots, intermediates).0
}

/// [`chain`], and how many issuers it tried.
fn chain_and_tries(
    leaf: &Cert,
    roots: &[Cert],
    intermediates: &[Cert],
) -> (Result<(), ChainError>, usize) {
    let mut search = Search {
        roots,
        intermediates,
        path: Vec::new(),
        tried: 0,
    };
    (search.walk(leaf), search.tried)
}

struct Search<'a> {
    roots: &'a [Cert],
    intermediates: &'a [Cert],
    /// The intermediates above the certificate being walked (a loop never closes).
    path: Vec<&'a [u8]>,
    tried: usize,
}

impl<'a> Search<'a> {
    fn walk(&mut self, cert: &Cert) -> Result<(), ChainError> {
        if self.roots.iter().any(|r| r.der == cert.der) {
            return Ok(());
        }
        let candidates: Vec<(&'a Cert, bool)> = self
            .roots
            .iter()
            .map(|r| (r, true))
            .chain(self.intermediates.iter().map(|i| (i, false)))
            .filter(|(c, _)| c.subject_raw == cert.issuer_raw && c.der != cert.der)
            .filter(|(c, _)| !self.path.contains(&c.der.as_slice()))
            .collect();
        let mut first_error = None;
        for (issuer, is_root) in candidates {
            self.tried += 1;
            if self.tried > MAX_ISSUERS_TRIED {
                return Err(ChainError::TooLong);
            }
            let link = if !issuer.is_ca {
                Err(ChainError::IssuerNotCa {
                    of: cert.subject.clone(),
                    issuer: issuer.subject.clone(),
                })
            } else if !cert.is_issued_by(issuer) {
                Err(ChainError::BadSignature {
                    of: cert.subject.clone(),
                    issuer: issuer.subject.clone(),
                })
            } else if is_root {
                Ok(())
            } else if self.path.len() >= MAX_CHAIN_DEPTH {
                Err(ChainError::TooLong)
            } else {
                self.path.push(&issuer.der);
                let up = self.walk(issuer);
                self.path.pop();
                up
            };
            match link {
                Ok(()) => return Ok(()),
                // out of budget: stop everywhere, not only on this branch
                Err(_) if self.tried > MAX_ISSUERS_TRIED => return Err(ChainError::TooLong),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| ChainError::MissingIssuer {
            of: cert.subject.clone(),
            issuer: cert.issuer.clone(),
        }))
    }
}

/// Whether `leaf` chains to one of `roots`, possibly through `intermediates` (see [`chain`]).
pub fn chains_to(leaf: &Cert, roots: &[Cert], intermediates: &[Cert]) -> bool {
    chain(leaf, roots, intermediates).is_ok()
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

    use crate::test_pki::{self, root};

    #[test]
    fn a_leaf_chains_through_two_intermediates_to_its_root() {
        let ca = root("Root CA");
        let ica = ca.below("Intermediate CA", true);
        let ica2 = ica.below("Issuing CA", true);
        let leaf = test_pki::cert(&ica2.leaf("peer0", "peer", 2025, 2099).0);
        let inter = [ica2.cert.clone(), ica.cert.clone()];
        assert_eq!(chain(&leaf, std::slice::from_ref(&ca.cert), &inter), Ok(()));
        // a root itself counts as chained; an intermediate chains too
        assert_eq!(chain(&ca.cert, std::slice::from_ref(&ca.cert), &[]), Ok(()));
        assert_eq!(
            chain(&ica2.cert, std::slice::from_ref(&ca.cert), &inter),
            Ok(())
        );
    }

    #[test]
    fn a_missing_intermediate_names_the_issuer_not_found() {
        let ca = root("Root CA");
        let ica = ca.below("Intermediate CA", true);
        let ica2 = ica.below("Issuing CA", true);
        let leaf = test_pki::cert(&ica2.leaf("peer0", "peer", 2025, 2099).0);
        let roots = std::slice::from_ref(&ca.cert);
        // the leaf's own issuer is missing
        let e = chain(&leaf, roots, std::slice::from_ref(&ica.cert)).unwrap_err();
        assert_eq!(
            e,
            ChainError::MissingIssuer {
                of: leaf.subject.clone(),
                issuer: ica2.cert.subject.clone()
            }
        );
        assert_eq!(
            e.describe(&leaf, "roots or intermediates"),
            "its issuer is not in roots or intermediates (is an intermediate certificate missing?)"
        );
        // the one above the leaf's issuer is missing
        let e = chain(&leaf, roots, std::slice::from_ref(&ica2.cert)).unwrap_err();
        assert_eq!(
            e,
            ChainError::MissingIssuer {
                of: ica2.cert.subject.clone(),
                issuer: ica.cert.subject.clone()
            }
        );
        assert!(e.describe(&leaf, "x").starts_with("the issuer 'O=example.com, CN=Intermediate CA' of the intermediate 'O=example.com, CN=Issuing CA'"), "{}", e.describe(&leaf, "x"));
    }

    #[test]
    fn every_issuer_must_be_a_ca() {
        let ca = root("Root CA");
        let not_ca = ca.below("Signs Anyway", false);
        let leaf = test_pki::cert(&not_ca.leaf("admin", "admin", 2025, 2099).0);
        let e = chain(
            &leaf,
            std::slice::from_ref(&ca.cert),
            std::slice::from_ref(&not_ca.cert),
        )
        .unwrap_err();
        assert_eq!(
            e,
            ChainError::IssuerNotCa {
                of: leaf.subject.clone(),
                issuer: not_ca.cert.subject.clone()
            }
        );
        // a root without CA:TRUE may not issue either
        let e = chain(&leaf, std::slice::from_ref(&not_ca.cert), &[]).unwrap_err();
        assert!(matches!(e, ChainError::IssuerNotCa { .. }), "{e:?}");
    }

    #[test]
    fn a_name_match_without_the_signature_is_not_an_issuer() {
        let real = root("Org CA");
        let impostor = root("Org CA");
        let leaf = test_pki::cert(&real.leaf("admin", "admin", 2025, 2099).0);
        let e = chain(&leaf, std::slice::from_ref(&impostor.cert), &[]).unwrap_err();
        assert!(matches!(e, ChainError::BadSignature { .. }), "{e:?}");
        // with both, the right one is found
        let both = [impostor.cert.clone(), real.cert.clone()];
        assert_eq!(chain(&leaf, &both, &[]), Ok(()));
    }

    #[test]
    fn loops_and_crowds_of_same_name_issuers_end() {
        let ca = root("Root CA");
        // CA certificates of one name and one key: each verifies every other, a maze of loops
        let crowd = test_pki::crowd("Crowd CA", 6);
        let leaf = test_pki::cert(&crowd[0].leaf("peer0", "peer", 2025, 2099).0);
        let inter: Vec<Cert> = crowd.iter().map(|s| s.cert.clone()).collect();
        let (found, tried) = chain_and_tries(&leaf, std::slice::from_ref(&ca.cert), &inter);
        assert_eq!(found, Err(ChainError::TooLong));
        assert_eq!(tried, MAX_ISSUERS_TRIED + 1);
        // a self-issued intermediate alone never leads anywhere
        let (found, tried) = chain_and_tries(
            &inter[0],
            std::slice::from_ref(&ca.cert),
            std::slice::from_ref(&inter[0]),
        );
        assert!(matches!(found, Err(ChainError::MissingIssuer { .. })));
        assert_eq!(tried, 0);
    }

    #[test]
    fn validity_is_judged_at_the_given_now() {
        let ca = root("Root CA");
        let future = test_pki::cert(&ca.leaf("later", "client", 2090, 2099).0);
        assert_eq!(
            validity(&future, test_pki::now()),
            Validity::NotYetValid {
                from: "2090-01-01".into()
            }
        );
        let at = UNIX_EPOCH + std::time::Duration::from_secs(3_800_000_000); // 2090-06
        assert_eq!(validity(&future, at), Validity::Valid);
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        let err = Cert::from_der(&[0x30, 0x03, 0x02, 0x01, 0x01]).unwrap_err();
        assert!(err.contains("not a valid X.509"), "{err}");
    }
}
