//! One CA behind a server: its name, its chain, its signing key and its registry, set up
//! as a fresh fabric-ca-server sets itself up (bootstrap identity with every registrar
//! right, the default affiliations), and whether it issued a certificate. What it signs is
//! `signing.rs`'s.

use anyhow::{anyhow, Context, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use rcgen::{Issuer, KeyPair};
use std::sync::{Arc, Mutex, MutexGuard};
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::store::{normal_hex, Attr, CaStore, Identity};
use crate::options::CaAdmin;
use crate::store::Store;

/// fabric-ca-server's default affiliations.
const DEFAULT_AFFILIATIONS: [&str; 5] = [
    "org1",
    "org1.department1",
    "org1.department2",
    "org2",
    "org2.department1",
];

/// The attributes fabric-ca-server gives its bootstrap identity (as recorded, in that order).
const BOOTSTRAP_ATTRS: [(&str, &str); 7] = [
    ("hf.Registrar.Roles", "*"),
    ("hf.Registrar.DelegateRoles", "*"),
    ("hf.Revoker", "1"),
    ("hf.IntermediateCA", "1"),
    ("hf.GenCRL", "1"),
    ("hf.Registrar.Attributes", "*"),
    ("hf.AffiliationMgr", "1"),
];

pub(crate) struct Ca {
    pub name: String,
    /// `CAChain` as cainfo answers it: base64 of the PEM chain.
    pub chain_b64: String,
    root_key: VerifyingKey,
    /// The CA's subject key id: the AKI of everything it issues.
    pub(super) ski: Vec<u8>,
    /// The CA certificate's validity, which bounds what it issues.
    pub(super) not_before: OffsetDateTime,
    pub(super) not_after: OffsetDateTime,
    /// `None`: the data folder holds no key for this CA (seeded by an older emulator).
    pub(super) issuer: Option<Issuer<'static, KeyPair>>,
    pub store: CaStore,
    /// Held by every change to the registry, so checks and writes do not interleave.
    lock: Mutex<()>,
}

fn bootstrap_identity(admin: &CaAdmin, seq: u64) -> Identity {
    let mut identity = Identity {
        id: admin.enroll_id.clone(),
        kind: "client".into(),
        affiliation: String::new(),
        attrs: BOOTSTRAP_ATTRS
            .iter()
            .map(|(n, v)| Attr::new(n, v, false))
            .collect(),
        max_enrollments: -1,
        state: 0,
        salt: String::new(),
        secret_hash: String::new(),
        seq,
    };
    identity.set_secret(&admin.enroll_secret);
    identity
}

fn offset(t: x509_parser::time::ASN1Time) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t.timestamp()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Ca {
    /// Opens CA `name` (chain `chain_b64`, key `key_pem`) on `store` under `scope`, setting up
    /// its registry on first use; the bootstrap identity gets `admin`'s secret at every open.
    pub(crate) fn open(
        store: Arc<Store>,
        scope: String,
        name: &str,
        chain_b64: &str,
        key_pem: Option<&str>,
        admin: &CaAdmin,
    ) -> Result<Ca> {
        let chain_pem = B64
            .decode(chain_b64.trim())
            .context("CA chain is not base64")?;
        let (_, pem) = x509_parser::pem::parse_x509_pem(&chain_pem)
            .map_err(|e| anyhow!("CA chain is not PEM: {e:?}"))?;
        let (_, root) = X509Certificate::from_der(&pem.contents)
            .map_err(|e| anyhow!("CA certificate: {e:?}"))?;
        let root_key = VerifyingKey::from_sec1_bytes(&root.public_key().subject_public_key.data)
            .context("the CA's key is not P-256")?;
        let ski = root
            .iter_extensions()
            .find_map(|e| match e.parsed_extension() {
                x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(k) => {
                    Some(k.0.to_vec())
                }
                _ => None,
            })
            .context("CA certificate without subject key identifier")?;
        let issuer = match key_pem {
            Some(key) => Some(
                Issuer::from_ca_cert_der(
                    &pem.contents.clone().into(),
                    KeyPair::from_pem(key).context("CA key")?,
                )
                .context("CA certificate")?,
            ),
            None => None,
        };
        let ca = Ca {
            name: name.to_string(),
            chain_b64: chain_b64.trim().to_string(),
            root_key,
            ski,
            not_before: offset(root.validity().not_before),
            not_after: offset(root.validity().not_after),
            issuer,
            store: CaStore::new(store, scope),
            lock: Mutex::new(()),
        };
        ca.bootstrap(admin)?;
        Ok(ca)
    }

    fn bootstrap(&self, admin: &CaAdmin) -> Result<()> {
        let _guard = self.lock();
        if self.store.affiliations()?.is_none() {
            let defaults: Vec<String> =
                DEFAULT_AFFILIATIONS.iter().map(|a| a.to_string()).collect();
            self.store.set_affiliations(&defaults)?;
        }
        let identity = match self.store.identity(&admin.enroll_id)? {
            Some(mut existing) => {
                existing.set_secret(&admin.enroll_secret);
                existing
            }
            None => bootstrap_identity(admin, self.store.next_seq()?),
        };
        self.store.put_identity(&identity)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, ()> {
        self.lock.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The CA's AKI/SKI in fabric-ca's form.
    pub(crate) fn aki(&self) -> String {
        normal_hex(&hex(&self.ski))
    }

    /// Whether this CA signed `cert` (a certificate of another CA, even of the same server,
    /// is not its own).
    pub(crate) fn issued(&self, cert: &X509Certificate<'_>) -> bool {
        cert.signature_algorithm.algorithm == x509_parser::oid_registry::OID_SIG_ECDSA_WITH_SHA256
            && verifies(
                &self.root_key,
                cert.tbs_certificate.as_ref(),
                &cert.signature_value.data,
            )
    }
}

/// An ECDSA signature check that, unlike a token's, takes either S (Go's x509 does).
fn verifies(key: &VerifyingKey, message: &[u8], der: &[u8]) -> bool {
    let Ok(signature) = Signature::from_der(der) else {
        return false;
    };
    let low = signature.normalize_s().unwrap_or(signature);
    key.verify(message, &low).is_ok()
}

pub(crate) fn now_nanos() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fabric_ca::csr;
    use crate::fabric_ca::envelope::CaError;
    use crate::fabric_ca::signing::{Issue, Profile};
    use crate::fabric_ca::store::CertRecord;
    use crate::pki::{Authority, Subject};

    fn root(name: &str) -> (String, String) {
        let root = Authority::new_root(Subject {
            org: "Hyperledger",
            unit: "Fabric",
            common_name: name,
        })
        .unwrap();
        (B64.encode(&root.issued.cert_pem), root.issued.key_pem)
    }

    fn open(store: &Arc<Store>, chain: &str, key: Option<&str>, admin: &CaAdmin) -> Ca {
        Ca::open(store.clone(), "n/ca".into(), "ca", chain, key, admin).unwrap()
    }

    fn store() -> (tempfile::TempDir, Arc<Store>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("r.redb")).unwrap());
        (dir, store)
    }

    fn issue(ca: &Ca, cn: &str) -> Result<CertRecord, CaError> {
        let (pem, _) = csr::tests::make(cn, &[]);
        let csr = csr::parse(&pem).unwrap();
        ca.issue(
            cn,
            Issue {
                csr: &csr,
                profile: Profile::Default,
                ou: "client",
                hosts: None,
                attrs: None,
            },
        )
    }

    #[test]
    fn a_fresh_ca_is_set_up_like_fabric_ca_server_and_keeps_its_admins_secret_current() {
        let (_dir, store) = store();
        let (chain, key) = root("ca");
        let ca = open(&store, &chain, Some(&key), &CaAdmin::default());
        assert_eq!(ca.store.affiliations().unwrap().unwrap().len(), 5);
        let admin = ca.store.identity("admin").unwrap().unwrap();
        assert!(admin.secret_is("adminpw"));
        assert_eq!(admin.attr("hf.Registrar.Roles"), Some("*"));
        assert_eq!(
            (admin.kind.as_str(), admin.affiliation.as_str()),
            ("client", "")
        );
        let other = CaAdmin {
            enroll_id: "admin".into(),
            enroll_secret: "changed".into(),
        };
        let ca = open(&store, &chain, Some(&key), &other);
        let admin = ca.store.identity("admin").unwrap().unwrap();
        assert!(admin.secret_is("changed") && !admin.secret_is("adminpw"));
        assert_eq!(ca.store.identities().unwrap().len(), 1);
    }

    #[test]
    fn it_knows_what_it_issued_and_without_its_key_signs_nothing() {
        let (_dir, store) = store();
        let (chain, key) = root("ca");
        let ca = open(&store, &chain, Some(&key), &CaAdmin::default());
        let record = issue(&ca, "admin").unwrap();
        assert_eq!(record.aki, ca.aki());
        let der = x509_parser::pem::parse_x509_pem(record.pem.as_bytes())
            .unwrap()
            .1
            .contents;
        let (_, cert) = X509Certificate::from_der(&der).unwrap();
        assert!(ca.issued(&cert));
        let (other_chain, other_key) = root("ca");
        let (_dir2, store2) = self::store();
        let other = open(&store2, &other_chain, Some(&other_key), &CaAdmin::default());
        assert!(!other.issued(&cert), "same name, another key");

        let keyless = open(&store2, &other_chain, None, &CaAdmin::default());
        let refused = issue(&keyless, "admin").unwrap_err();
        assert_eq!((refused.status, refused.code), (500, 40));
        assert_eq!(keyless.crl().unwrap_err().code, 40);
    }
}
