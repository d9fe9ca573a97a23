//! A Fabric CA server on its own (no console around it), for tests that need CAs named as
//! they like — the CA conformance test maps the recorded servers onto three of these. Its
//! PKI (a root per CA, a TLS certificate from the first) and registries persist in its data
//! folder, like a region's CAs.

use anyhow::{ensure, Context, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::authority::Ca;
use super::{handler, CaServer};
use crate::options::CaAdmin;
use crate::pki::{Authority, Subject};
use crate::server::{bind_loopback, serve, DownWhen};
use crate::store::Store;
use crate::{nodes, private_files, region};

const PKI: &str = "fabric_ca_pki";

/// How to start a [`FabricCaServer`].
#[derive(Debug, Clone)]
pub struct FabricCaOptions {
    /// The CAs' names; the first is the default (requests naming none). At least one.
    pub ca_names: Vec<String>,
    /// Every CA's bootstrap identity.
    pub admin: CaAdmin,
    /// Where its store lives (`fabric-ca.redb`); the same folder gives back the same CAs.
    pub data_dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct SavedCa {
    name: String,
    cert_pem: String,
    key_pem: String,
}

#[derive(Serialize, Deserialize, Default)]
struct SavedPki {
    tls_cert_pem: String,
    tls_key_pem: String,
    cas: Vec<SavedCa>,
}

/// A running Fabric CA server on `https://127.0.0.1:PORT`. Dropping it stops it
/// ([`FabricCaServer::shutdown`] also waits until its store is closed).
pub struct FabricCaServer {
    url: String,
    tls_cert_pem: String,
    ca_certs: Vec<(String, String)>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

/// A root like fabric-ca-server's own (`C=US, O=Hyperledger, OU=Fabric, CN=<name>`).
fn new_root(name: &str) -> Result<SavedCa> {
    let root = Authority::new_root(Subject {
        org: "Hyperledger",
        unit: "Fabric",
        common_name: name,
    })?;
    Ok(SavedCa {
        name: name.into(),
        cert_pem: root.issued.cert_pem,
        key_pem: root.issued.key_pem,
    })
}

/// The saved PKI, completed with a root for every CA named and a TLS certificate.
fn pki(store: &Store, names: &[String]) -> Result<SavedPki> {
    let mut pki: SavedPki = match store.meta(PKI)? {
        Some(json) => serde_json::from_str(&json).context("corrupt saved PKI")?,
        None => SavedPki::default(),
    };
    for name in names {
        if !pki.cas.iter().any(|c| &c.name == name) {
            pki.cas.push(new_root(name)?);
        }
    }
    if pki.tls_cert_pem.is_empty() {
        let first = pki
            .cas
            .iter()
            .find(|c| c.name == names[0])
            .context("first CA")?;
        let issuer = Authority::from_pem(&first.cert_pem, &first.key_pem)?;
        let tls = issuer.issue(
            Subject {
                org: "Hyperledger",
                unit: "Fabric",
                common_name: "localhost",
            },
            true,
        )?;
        (pki.tls_cert_pem, pki.tls_key_pem) = (tls.cert_pem, tls.key_pem);
    }
    store.set_meta(PKI, &serde_json::to_string(&pki)?)?;
    Ok(pki)
}

impl FabricCaServer {
    /// Opens (or creates) the server's store and PKI, and listens on a free loopback port.
    pub async fn start(opts: FabricCaOptions) -> Result<FabricCaServer> {
        ensure!(!opts.ca_names.is_empty(), "a Fabric CA server needs a CA");
        for (i, name) in opts.ca_names.iter().enumerate() {
            ensure!(!name.is_empty(), "a CA needs a name");
            ensure!(
                !opts.ca_names[..i].contains(name),
                "CA '{name}' is named twice"
            );
        }
        private_files::create_dir(&opts.data_dir)
            .with_context(|| format!("creating {}", opts.data_dir.display()))?;
        let store = Arc::new(region::open_store(&opts.data_dir.join("fabric-ca.redb")).await?);
        let pki = pki(&store, &opts.ca_names)?;
        let mut cas = Vec::new();
        let mut ca_certs = Vec::new();
        for name in &opts.ca_names {
            let saved = pki
                .cas
                .iter()
                .find(|c| &c.name == name)
                .context("saved CA")?;
            cas.push(Ca::open(
                store.clone(),
                format!("standalone/{name}"),
                name,
                &B64.encode(saved.cert_pem.as_bytes()),
                Some(&saved.key_pem),
                &opts.admin,
            )?);
            ca_certs.push((name.clone(), saved.cert_pem.clone()));
        }
        let listener = bind_loopback(0).await?;
        let url = format!("https://127.0.0.1:{}", listener.local_addr()?.port());
        let acceptor = nodes::tls_acceptor(&pki.tls_cert_pem, &pki.tls_key_pem)?;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let (_never, never_down) = watch::channel(false);
        let task = tokio::spawn(serve(
            listener,
            handler(Arc::new(CaServer::new(cas))),
            DownWhen::new(never_down),
            shutdown_rx,
            Some(acceptor),
        ));
        Ok(FabricCaServer {
            url,
            tls_cert_pem: pki.tls_cert_pem,
            ca_certs,
            shutdown,
            task: Some(task),
        })
    }

    /// `https://127.0.0.1:PORT`, no trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server's TLS certificate (PEM), issued by the first CA, SANs localhost and
    /// 127.0.0.1.
    pub fn tls_cert_pem(&self) -> &str {
        &self.tls_cert_pem
    }

    /// CA `name`'s root certificate (PEM).
    pub fn ca_cert_pem(&self, name: &str) -> Option<&str> {
        self.ca_certs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, pem)| pem.as_str())
    }

    /// Stops serving and waits until the store is closed.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for FabricCaServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}
