//! One region's persistent store: an embedded redb database holding component documents
//! (in athena's flat CouchDB form), API keys, access tokens, users, simulated node records,
//! the simulated Fabric CAs' registries and a few settings. Values are JSON strings so the
//! documents round-trip unchanged.

use anyhow::{Context, Result};
use redb::{Database, ReadableTable, TableDefinition};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::Path;

use crate::util::new_rev;

type Table = TableDefinition<'static, &'static str, &'static str>;

const COMPONENTS: Table = TableDefinition::new("components");
const API_KEYS: Table = TableDefinition::new("api_keys");
const TOKENS: Table = TableDefinition::new("access_tokens");
const USERS: Table = TableDefinition::new("users");
const NODES: Table = TableDefinition::new("nodes");
const META: Table = TableDefinition::new("meta");
const CA_IDENTITIES: Table = TableDefinition::new("ca_identities");
const CA_CERTS: Table = TableDefinition::new("ca_certs");
const CA_META: Table = TableDefinition::new("ca_meta");

/// The tables of the simulated Fabric CAs; every key starts with the CA's scope
/// (`fabric_ca::store`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum CaTable {
    Identities,
    Certs,
    Meta,
}

impl CaTable {
    fn table(self) -> Table {
        match self {
            CaTable::Identities => CA_IDENTITIES,
            CaTable::Certs => CA_CERTS,
            CaTable::Meta => CA_META,
        }
    }
}

/// A stored component document (`_id`, `_rev`, flat certificate fields, ...).
pub(crate) type Doc = Map<String, Value>;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ApiKeyRecord {
    pub roles: Vec<String>,
    pub description: String,
    pub salt: String,
    pub hashed_secret: String,
    pub timestamp: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TokenRecord {
    pub roles: Vec<String>,
    pub timestamp: u64,
    pub expiration: u64,
    pub expires_in: u64,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UserRecord {
    pub roles: Vec<String>,
    pub salt: String,
    pub hashed_secret: String,
    pub created: u64,
}

/// A simulated node hosted by this region: its ports and TLS identity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct NodeRecord {
    /// `fabric-ca`, `fabric-peer` or `fabric-orderer`.
    pub kind: String,
    /// Serves the node's API URL (CA `/cainfo`, peer/orderer gRPC-web stand-in).
    pub api_port: u16,
    /// Serves the operations URL (`/healthz`, `/version`).
    pub ops_port: u16,
    pub tls_cert_pem: String,
    pub tls_key_pem: String,
    /// CAs only: enrollment CA name and root chain (base64 PEM).
    pub ca_name: Option<String>,
    pub ca_chain: Option<String>,
    /// CAs only: TLS CA name and root chain (base64 PEM).
    pub tlsca_name: Option<String>,
    pub tlsca_chain: Option<String>,
    /// CAs only: the enrollment CA's and the TLS CA's signing keys (PKCS#8 PEM), so what they
    /// issue after a restart chains to the same roots. Absent in data folders seeded before
    /// the CAs could enroll: such a CA answers `cainfo` but cannot sign.
    #[serde(default)]
    pub ca_key_pem: Option<String>,
    #[serde(default)]
    pub tlsca_key_pem: Option<String>,
}

pub(crate) struct Store {
    db: Database,
}

/// True when `err` says another `Store` (in this process) still has the file open.
pub(crate) fn already_open(err: &anyhow::Error) -> bool {
    matches!(
        err.downcast_ref::<redb::DatabaseError>(),
        Some(redb::DatabaseError::DatabaseAlreadyOpen)
    )
}

impl Store {
    pub(crate) fn open(path: &Path) -> Result<Store> {
        let file = crate::private_files::open_file(path)
            .with_context(|| format!("opening database {}", path.display()))?;
        let db = Database::builder()
            .create_file(file)
            .with_context(|| format!("opening database {}", path.display()))?;
        let txn = db.begin_write()?;
        for table in [
            COMPONENTS,
            API_KEYS,
            TOKENS,
            USERS,
            NODES,
            META,
            CA_IDENTITIES,
            CA_CERTS,
            CA_META,
        ] {
            txn.open_table(table)?;
        }
        txn.commit()?;
        Ok(Store { db })
    }

    fn get_raw(&self, table: Table, key: &str) -> Result<Option<String>> {
        let txn = self.db.begin_read()?;
        let t = txn.open_table(table)?;
        Ok(t.get(key)?.map(|v| v.value().to_string()))
    }

    fn put_raw(&self, table: Table, key: &str, value: &str) -> Result<()> {
        let txn = self.db.begin_write()?;
        txn.open_table(table)?.insert(key, value)?;
        txn.commit()?;
        Ok(())
    }

    fn remove_raw(&self, table: Table, key: &str) -> Result<Option<String>> {
        let txn = self.db.begin_write()?;
        let old = txn
            .open_table(table)?
            .remove(key)?
            .map(|v| v.value().to_string());
        txn.commit()?;
        Ok(old)
    }

    fn list_raw(&self, table: Table) -> Result<Vec<(String, String)>> {
        let txn = self.db.begin_read()?;
        let t = txn.open_table(table)?;
        let mut out = Vec::new();
        for item in t.iter()? {
            let (k, v) = item?;
            out.push((k.value().to_string(), v.value().to_string()));
        }
        Ok(out)
    }

    fn get_json<T: DeserializeOwned>(&self, table: Table, key: &str) -> Result<Option<T>> {
        self.get_raw(table, key)?
            .map(|s| serde_json::from_str(&s).context("corrupt record"))
            .transpose()
    }

    fn put_json<T: Serialize>(&self, table: Table, key: &str, value: &T) -> Result<()> {
        self.put_raw(table, key, &serde_json::to_string(value)?)
    }

    fn list_json<T: DeserializeOwned>(&self, table: Table) -> Result<Vec<(String, T)>> {
        self.list_raw(table)?
            .into_iter()
            .map(|(k, v)| Ok((k, serde_json::from_str(&v).context("corrupt record")?)))
            .collect()
    }

    // ---- settings ----

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        self.get_raw(META, key)
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.put_raw(META, key, value)
    }

    // ---- components ----

    /// All component documents, ordered by id (CouchDB's view order).
    pub(crate) fn components(&self) -> Result<Vec<Doc>> {
        self.list_json::<Doc>(COMPONENTS)
            .map(|v| v.into_iter().map(|(_, d)| d).collect())
    }

    pub(crate) fn component(&self, id: &str) -> Result<Option<Doc>> {
        self.get_json(COMPONENTS, id)
    }

    /// Creates a document in one write transaction, so the id `build` picks from the taken
    /// ids cannot be taken meanwhile. `build` returns `Err` to abort without writing.
    pub(crate) fn create_component<E>(
        &self,
        build: impl FnOnce(&HashSet<String>) -> std::result::Result<Doc, E>,
    ) -> Result<std::result::Result<Doc, E>> {
        let txn = self.db.begin_write()?;
        let result = {
            let mut t = txn.open_table(COMPONENTS)?;
            let mut taken = HashSet::new();
            for item in t.iter()? {
                taken.insert(item?.0.value().to_string());
            }
            match build(&taken) {
                Err(e) => Err(e),
                Ok(mut doc) => {
                    let id = doc
                        .get("_id")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .context("document without _id")?;
                    doc.insert("_rev".into(), Value::String(new_rev(1)));
                    t.insert(id.as_str(), serde_json::to_string(&doc)?.as_str())?;
                    Ok(doc)
                }
            }
        };
        txn.commit()?;
        Ok(result)
    }

    /// Overwrites an existing document with the next revision; returns what was written.
    pub(crate) fn update_component(&self, mut doc: Doc) -> Result<Doc> {
        let id = doc
            .get("_id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .context("document without _id")?;
        let generation = doc
            .get("_rev")
            .and_then(Value::as_str)
            .and_then(|r| r.split('-').next())
            .and_then(|g| g.parse::<u64>().ok())
            .unwrap_or(0);
        doc.insert("_rev".into(), Value::String(new_rev(generation + 1)));
        self.put_json(COMPONENTS, &id, &doc)?;
        Ok(doc)
    }

    pub(crate) fn delete_component(&self, id: &str) -> Result<Option<Doc>> {
        self.remove_raw(COMPONENTS, id)?
            .map(|s| serde_json::from_str(&s).context("corrupt record"))
            .transpose()
    }

    // ---- API keys, tokens, users ----

    pub(crate) fn api_key(&self, key: &str) -> Result<Option<ApiKeyRecord>> {
        self.get_json(API_KEYS, key)
    }

    pub(crate) fn put_api_key(&self, key: &str, rec: &ApiKeyRecord) -> Result<()> {
        self.put_json(API_KEYS, key, rec)
    }

    pub(crate) fn api_keys(&self) -> Result<Vec<(String, ApiKeyRecord)>> {
        self.list_json(API_KEYS)
    }

    pub(crate) fn delete_api_key(&self, key: &str) -> Result<bool> {
        Ok(self.remove_raw(API_KEYS, key)?.is_some())
    }

    pub(crate) fn token(&self, token: &str) -> Result<Option<TokenRecord>> {
        self.get_json(TOKENS, token)
    }

    pub(crate) fn put_token(&self, token: &str, rec: &TokenRecord) -> Result<()> {
        self.put_json(TOKENS, token, rec)
    }

    pub(crate) fn delete_token(&self, token: &str) -> Result<bool> {
        Ok(self.remove_raw(TOKENS, token)?.is_some())
    }

    pub(crate) fn user(&self, email: &str) -> Result<Option<UserRecord>> {
        self.get_json(USERS, email)
    }

    pub(crate) fn put_user(&self, email: &str, rec: &UserRecord) -> Result<()> {
        self.put_json(USERS, email, rec)
    }

    // ---- simulated nodes ----

    pub(crate) fn nodes(&self) -> Result<Vec<(String, NodeRecord)>> {
        self.list_json(NODES)
    }

    pub(crate) fn put_node(&self, component_id: &str, rec: &NodeRecord) -> Result<()> {
        self.put_json(NODES, component_id, rec)
    }

    // ---- simulated Fabric CAs ----

    pub(crate) fn ca_get(&self, table: CaTable, key: &str) -> Result<Option<String>> {
        self.get_raw(table.table(), key)
    }

    pub(crate) fn ca_put(&self, table: CaTable, key: &str, value: &str) -> Result<()> {
        self.put_raw(table.table(), key, value)
    }

    /// Every entry whose key starts with `prefix`, in key order.
    pub(crate) fn ca_list(&self, table: CaTable, prefix: &str) -> Result<Vec<(String, String)>> {
        let txn = self.db.begin_read()?;
        let t = txn.open_table(table.table())?;
        let mut out = Vec::new();
        for item in t.range(prefix..)? {
            let (k, v) = item?;
            if !k.value().starts_with(prefix) {
                break;
            }
            out.push((k.value().to_string(), v.value().to_string()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.redb");
        {
            let store = Store::open(&path).unwrap();
            let doc = store
                .create_component(|taken| {
                    assert!(taken.is_empty());
                    Ok::<_, ()>(json!({"_id": "a", "x": 1}).as_object().unwrap().clone())
                })
                .unwrap()
                .unwrap();
            assert!(doc["_rev"].as_str().unwrap().starts_with("1-"));
            store.set_meta("k", "v").unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.component("a").unwrap().unwrap()["x"], 1);
        assert_eq!(store.meta("k").unwrap().as_deref(), Some("v"));
        let updated = store
            .update_component(store.component("a").unwrap().unwrap())
            .unwrap();
        assert!(updated["_rev"].as_str().unwrap().starts_with("2-"));
        assert!(store.delete_component("a").unwrap().is_some());
        assert!(store.component("a").unwrap().is_none());
    }

    #[test]
    fn ca_entries_list_by_prefix_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("r.redb")).unwrap();
        for key in ["a/ca\u{1f}x", "a/ca\u{1f}y", "a/cab\u{1f}z", "b/ca\u{1f}x"] {
            store.ca_put(CaTable::Identities, key, key).unwrap();
        }
        let keys: Vec<String> = store
            .ca_list(CaTable::Identities, "a/ca\u{1f}")
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["a/ca\u{1f}x", "a/ca\u{1f}y"]);
        assert!(store
            .ca_get(CaTable::Certs, "a/ca\u{1f}x")
            .unwrap()
            .is_none());
    }
}
