//! One CA's registry in the region's store (fabric-ca's `users`, `certificates` and
//! `affiliations` tables): identities with their secrets hashed, the certificates it issued
//! and whether they are revoked, its affiliations. Keys are `<scope>\u{1f}<key>`, the scope
//! naming the CA (`<component id>/<CA name>`), so several CAs share the store's tables.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

use crate::store::{CaTable, Store};
use crate::util::random_hex;

const SEP: char = '\u{1f}';
const AFFILIATIONS: &str = "affiliations";
const CRL_NUMBER: &str = "crl_number";

/// An identity attribute, as the API shows it (`ecert` only when true).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Attr {
    pub name: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ecert: bool,
}

impl Attr {
    pub(crate) fn new(name: &str, value: &str, ecert: bool) -> Attr {
        Attr {
            name: name.into(),
            value: value.into(),
            ecert,
        }
    }
}

/// An identity of the registry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Identity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub affiliation: String,
    pub attrs: Vec<Attr>,
    /// -1: no limit.
    pub max_enrollments: i64,
    /// fabric-ca's `state`: enrollments so far, -1 once revoked.
    pub state: i64,
    pub salt: String,
    /// SHA-256 of salt and secret: enough for a test CA, and fast (no bcrypt cost).
    pub secret_hash: String,
    /// Registration order (the order fabric-ca lists identities in).
    pub seq: u64,
}

impl Identity {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    pub(crate) fn set_secret(&mut self, secret: &str) {
        self.salt = random_hex(32);
        self.secret_hash = hash(&self.salt, secret);
    }

    pub(crate) fn secret_is(&self, secret: &str) -> bool {
        hash(&self.salt, secret) == self.secret_hash
    }

    pub(crate) fn revoked(&self) -> bool {
        self.state < 0
    }
}

fn hash(salt: &str, secret: &str) -> String {
    let digest = Sha256::digest(format!("{salt}:{secret}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A certificate the CA issued. Serial and AKI are lower-case hex without leading zeros,
/// fabric-ca's form.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CertRecord {
    pub id: String,
    pub serial: String,
    pub aki: String,
    pub pem: String,
    /// `good` or `revoked`.
    pub status: String,
    pub reason: u8,
    /// Unix seconds; 0 while good.
    pub revoked_at: i64,
    pub not_after: i64,
    pub seq: u64,
}

impl CertRecord {
    pub(crate) fn revoked(&self) -> bool {
        self.status == "revoked"
    }
}

/// fabric-ca's normal form of a serial or AKI: lower case, no colons, no leading zeros.
pub(crate) fn normal_hex(s: &str) -> String {
    s.to_ascii_lowercase()
        .replace(':', "")
        .trim_start_matches('0')
        .to_string()
}

pub(crate) struct CaStore {
    store: Arc<Store>,
    scope: String,
}

impl CaStore {
    pub(crate) fn new(store: Arc<Store>, scope: String) -> CaStore {
        CaStore { store, scope }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{SEP}{key}", self.scope)
    }

    fn list<T: for<'de> Deserialize<'de>>(&self, table: CaTable) -> Result<Vec<T>> {
        self.store
            .ca_list(table, &self.key(""))?
            .into_iter()
            .map(|(_, v)| serde_json::from_str(&v).context("corrupt CA record"))
            .collect()
    }

    pub(crate) fn identity(&self, id: &str) -> Result<Option<Identity>> {
        self.store
            .ca_get(CaTable::Identities, &self.key(id))?
            .map(|v| serde_json::from_str(&v).context("corrupt identity"))
            .transpose()
    }

    pub(crate) fn put_identity(&self, identity: &Identity) -> Result<()> {
        self.store.ca_put(
            CaTable::Identities,
            &self.key(&identity.id),
            &serde_json::to_string(identity)?,
        )
    }

    /// Every identity, in registration order.
    pub(crate) fn identities(&self) -> Result<Vec<Identity>> {
        let mut all: Vec<Identity> = self.list(CaTable::Identities)?;
        all.sort_by_key(|i| i.seq);
        Ok(all)
    }

    pub(crate) fn next_seq(&self) -> Result<u64> {
        Ok(self
            .identities()?
            .iter()
            .map(|i| i.seq + 1)
            .max()
            .unwrap_or(0))
    }

    pub(crate) fn cert(&self, serial: &str, aki: &str) -> Result<Option<CertRecord>> {
        self.store
            .ca_get(CaTable::Certs, &self.key(&format!("{serial}:{aki}")))?
            .map(|v| serde_json::from_str(&v).context("corrupt certificate record"))
            .transpose()
    }

    pub(crate) fn put_cert(&self, cert: &CertRecord) -> Result<()> {
        self.store.ca_put(
            CaTable::Certs,
            &self.key(&format!("{}:{}", cert.serial, cert.aki)),
            &serde_json::to_string(cert)?,
        )
    }

    /// Every certificate issued, oldest first.
    pub(crate) fn certs(&self) -> Result<Vec<CertRecord>> {
        let mut all: Vec<CertRecord> = self.list(CaTable::Certs)?;
        all.sort_by_key(|c| c.seq);
        Ok(all)
    }

    /// The affiliations, in the order they were added; `None` before the CA was set up.
    pub(crate) fn affiliations(&self) -> Result<Option<Vec<String>>> {
        self.store
            .ca_get(CaTable::Meta, &self.key(AFFILIATIONS))?
            .map(|v| serde_json::from_str(&v).context("corrupt affiliations"))
            .transpose()
    }

    pub(crate) fn set_affiliations(&self, names: &[String]) -> Result<()> {
        self.store.ca_put(
            CaTable::Meta,
            &self.key(AFFILIATIONS),
            &serde_json::to_string(names)?,
        )
    }

    /// The next CRL number (kept, so CRLs of one CA never repeat a number).
    pub(crate) fn next_crl_number(&self) -> Result<u64> {
        let n = self
            .store
            .ca_get(CaTable::Meta, &self.key(CRL_NUMBER))?
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        self.store
            .ca_put(CaTable::Meta, &self.key(CRL_NUMBER), &n.to_string())?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_kept_hashed() {
        let mut id = Identity {
            id: "peer1".into(),
            kind: "peer".into(),
            affiliation: String::new(),
            attrs: vec![],
            max_enrollments: -1,
            state: 0,
            salt: String::new(),
            secret_hash: String::new(),
            seq: 0,
        };
        id.set_secret("peer1pw");
        assert!(id.secret_is("peer1pw"));
        assert!(!id.secret_is("peer1pW"));
        assert!(!serde_json::to_string(&id).unwrap().contains("peer1pw"));
    }

    #[test]
    fn serials_and_akis_have_one_form() {
        assert_eq!(normal_hex("00:AB:0c"), "ab0c");
        assert_eq!(normal_hex("1234"), "1234");
    }

    #[test]
    fn each_scope_sees_its_own_records() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("r.redb")).unwrap());
        let a = CaStore::new(store.clone(), "ca1/ca".into());
        let b = CaStore::new(store, "ca1/cab".into());
        a.set_affiliations(&["org1".into()]).unwrap();
        assert_eq!(a.affiliations().unwrap().unwrap(), ["org1"]);
        assert!(b.affiliations().unwrap().is_none());
        assert_eq!(a.next_crl_number().unwrap(), 1);
        assert_eq!(a.next_crl_number().unwrap(), 2);
        assert_eq!(b.next_crl_number().unwrap(), 1);
    }
}
