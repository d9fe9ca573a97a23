//! The certificate calendar: every certificate that console records and wallet identities carry,
//! one entry per certificate (by SHA-256 fingerprint) with everywhere it is used, soonest expiry
//! first, and how soon that is (30 and 7 days, expired).

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::pem;
use crate::x509::{self, Cert};

/// What a certificate is to the record that carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UsedAs {
    CaRoot,
    CaIntermediate,
    TlsRoot,
    TlsIntermediate,
    Admin,
    NodeEcert,
    NodeTls,
    /// A wallet identity's enrollment certificate.
    Identity,
}

impl UsedAs {
    /// As a person reads it.
    pub fn words(self) -> &'static str {
        match self {
            Self::CaRoot => "CA root",
            Self::CaIntermediate => "CA intermediate",
            Self::TlsRoot => "TLS root",
            Self::TlsIntermediate => "TLS intermediate",
            Self::Admin => "admin",
            Self::NodeEcert => "node ecert",
            Self::NodeTls => "node TLS",
            Self::Identity => "identity",
        }
    }
}

/// Where a console's component record holds each kind of certificate (the recorded list
/// answers: nodes and CAs under `msp.*`, MSP definitions at the top level).
const FIELDS: &[(&str, UsedAs)] = &[
    ("msp.ca.root_certs", UsedAs::CaRoot),
    ("msp.ca.intermediate_certs", UsedAs::CaIntermediate),
    ("msp.tlsca.root_certs", UsedAs::TlsRoot),
    ("msp.tlsca.intermediate_certs", UsedAs::TlsIntermediate),
    ("msp.component.ecert", UsedAs::NodeEcert),
    ("msp.component.tls_cert", UsedAs::NodeTls),
    ("msp.component.admin_certs", UsedAs::Admin),
    ("root_certs", UsedAs::CaRoot),
    ("intermediate_certs", UsedAs::CaIntermediate),
    ("tls_root_certs", UsedAs::TlsRoot),
    ("tls_intermediate_certs", UsedAs::TlsIntermediate),
    ("admins", UsedAs::Admin),
];

/// A certificate value a record carries: what it is there, the field, the value (base64 PEM or
/// PEM, possibly several certificates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub used_as: UsedAs,
    pub field: String,
    pub value: String,
}

/// Every certificate value in a console's component record.
pub fn certificates_in(document: &Value) -> Vec<Carried> {
    let mut carried = Vec::new();
    for (path, used_as) in FIELDS {
        let found = path.split('.').try_fold(document, |v, key| v.get(key));
        let values: Vec<&str> = match found {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        carried.extend(values.into_iter().map(|value| Carried {
            used_as: *used_as,
            field: (*path).to_owned(),
            value: value.to_owned(),
        }));
    }
    carried
}

/// How soon a certificate expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    Expired,
    #[serde(rename = "within_7_days")]
    Within7Days,
    #[serde(rename = "within_30_days")]
    Within30Days,
    Later,
}

/// One place a certificate is used: the holder (a console's component, a wallet identity, as
/// the caller names it), what it is there and the field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CertUse {
    pub holder: String,
    pub used_as: UsedAs,
    pub field: String,
}

/// One certificate of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CalendarEntry {
    /// Hex SHA-256 of the DER: the certificate's identity across consoles.
    pub sha256: String,
    pub subject: String,
    pub issuer: String,
    /// Seconds since the Unix epoch.
    #[ts(type = "number")]
    pub not_after: i64,
    /// `not_after` as a date (UTC).
    pub expires: String,
    /// Whole days from now to `not_after` (negative once expired).
    #[ts(type = "number")]
    pub days_left: i64,
    pub due: Due,
    pub uses: Vec<CertUse>,
}

/// The calendar of the certificates `carried` by their holders, at `now`: one entry per
/// certificate, soonest expiry first. A value that holds no readable certificate is left out
/// (validating the record is another job, which names it).
pub fn calendar(
    carried: impl IntoIterator<Item = (String, Carried)>,
    now: SystemTime,
) -> Vec<CalendarEntry> {
    let now = x509::epoch_secs(now);
    let mut entries: BTreeMap<String, CalendarEntry> = BTreeMap::new();
    for (holder, item) in carried {
        let Ok(decoded) = pem::decode(&item.value) else {
            continue;
        };
        for block in decoded.blocks.iter().filter(|b| b.label == "CERTIFICATE") {
            let Ok(cert) = Cert::from_der(&block.der) else {
                continue;
            };
            let sha256 = fingerprint(&block.der);
            let entry = entries
                .entry(sha256.clone())
                .or_insert_with(|| entry_of(&cert, sha256, now));
            let used = CertUse {
                holder: holder.clone(),
                used_as: item.used_as,
                field: item.field.clone(),
            };
            if !entry.uses.contains(&used) {
                entry.uses.push(used);
            }
        }
    }
    let mut calendar: Vec<CalendarEntry> = entries.into_values().collect();
    for entry in &mut calendar {
        entry.uses.sort();
    }
    calendar.sort_by(|a, b| (a.not_after, &a.sha256).cmp(&(b.not_after, &b.sha256)));
    calendar
}

/// How soon a certificate with `left` seconds to go is due.
pub(crate) fn due(left: i64) -> Due {
    match left {
        l if l < 0 => Due::Expired,
        l if l <= 7 * 86_400 => Due::Within7Days,
        l if l <= x509::EXPIRY_WARNING_DAYS * 86_400 => Due::Within30Days,
        _ => Due::Later,
    }
}

fn entry_of(cert: &Cert, sha256: String, now: i64) -> CalendarEntry {
    let left = cert.not_after - now;
    let due = due(left);
    CalendarEntry {
        sha256,
        subject: cert.subject.clone(),
        issuer: cert.issuer.clone(),
        not_after: cert.not_after,
        expires: cert.not_after_date(),
        days_left: left.div_euclid(86_400),
        due,
        uses: Vec::new(),
    }
}

pub(crate) fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use serde_json::json;

    use super::*;
    use crate::test_pki;

    fn b64(pem: &str) -> String {
        pem::encode_base64(pem)
    }

    #[test]
    fn a_record_carries_its_certificates_in_the_fields_the_console_uses() {
        let peer = json!({
            "type": "fabric-peer",
            "msp": {
                "ca": {"root_certs": ["r1", "r2"]},
                "tlsca": {"root_certs": ["t1"]},
                "component": {"tls_cert": "tls", "ecert": "e", "admin_certs": ["a"]}
            }
        });
        let found: Vec<(UsedAs, String)> = certificates_in(&peer)
            .into_iter()
            .map(|c| (c.used_as, c.value))
            .collect();
        assert_eq!(
            found,
            [
                (UsedAs::CaRoot, "r1".to_owned()),
                (UsedAs::CaRoot, "r2".to_owned()),
                (UsedAs::TlsRoot, "t1".to_owned()),
                (UsedAs::NodeEcert, "e".to_owned()),
                (UsedAs::NodeTls, "tls".to_owned()),
                (UsedAs::Admin, "a".to_owned()),
            ]
        );
        let msp =
            json!({"type": "msp", "root_certs": ["r"], "admins": ["a"], "tls_root_certs": ["t"]});
        let kinds: Vec<UsedAs> = certificates_in(&msp).iter().map(|c| c.used_as).collect();
        assert_eq!(kinds, [UsedAs::CaRoot, UsedAs::TlsRoot, UsedAs::Admin]);
    }

    #[test]
    fn one_entry_per_certificate_with_every_use_soonest_first_and_how_soon() {
        let root = test_pki::root("Org1 CA");
        let (soon, _) = root.leaf("peer1", "peer", 2025, 2031);
        let (expired, _) = root.leaf("old-admin", "admin", 2025, 2026);
        // 2030-12-21: the peer's certificate (to 2031-01-01) is due within 30 days.
        let now = UNIX_EPOCH + Duration::from_secs(1_924_041_600);
        let carried = [
            (
                "US East: Org1 MSP",
                UsedAs::CaRoot,
                "root_certs",
                b64(&root.pem),
            ),
            (
                "US West: Org1 MSP",
                UsedAs::CaRoot,
                "root_certs",
                root.pem.clone(),
            ),
            (
                "US East: Org1 Peer1",
                UsedAs::NodeEcert,
                "msp.component.ecert",
                b64(&soon),
            ),
            ("wallet: old-admin", UsedAs::Identity, "cert", b64(&expired)),
            (
                "US East: broken",
                UsedAs::Admin,
                "admins",
                "not a certificate".to_owned(),
            ),
        ]
        .map(|(holder, used_as, field, value)| {
            let field = field.to_owned();
            (
                holder.to_owned(),
                Carried {
                    used_as,
                    field,
                    value,
                },
            )
        });
        let calendar = calendar(carried, now);
        let subjects: Vec<&str> = calendar.iter().map(|e| e.subject.as_str()).collect();
        assert_eq!(subjects.len(), 3, "{subjects:?}");
        assert!(subjects[0].contains("old-admin") && subjects[1].contains("peer1"));
        assert!(subjects[2].contains("Org1 CA"));
        let dues: Vec<Due> = calendar.iter().map(|e| e.due).collect();
        assert_eq!(dues, [Due::Expired, Due::Within30Days, Due::Later]);
        assert_eq!(calendar[1].days_left, 11);
        assert_eq!(calendar[1].expires, "2031-01-01");
        let root_holders: Vec<&str> = calendar[2].uses.iter().map(|u| u.holder.as_str()).collect();
        assert_eq!(
            root_holders,
            ["US East: Org1 MSP", "US West: Org1 MSP"],
            "one root, two uses"
        );
        assert_eq!(calendar[2].sha256.len(), 64);
    }

    #[test]
    fn a_week_before_expiry_is_due_within_7_days() {
        let root = test_pki::root("Org1 CA");
        let (leaf, _) = root.leaf("peer1", "peer", 2025, 2031);
        // 2030-12-27, five days before it ends.
        let now = UNIX_EPOCH + Duration::from_secs(1_924_560_000);
        let carried = [(
            "US East: Org1 Peer1".to_owned(),
            Carried {
                used_as: UsedAs::NodeTls,
                field: "msp.component.tls_cert".to_owned(),
                value: b64(&leaf),
            },
        )];
        let calendar = calendar(carried, now);
        assert_eq!(calendar[0].due, Due::Within7Days);
        assert_eq!(calendar[0].days_left, 5);
    }
}
