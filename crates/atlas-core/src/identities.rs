//! Wallet identities from and to files: the glue between the artifact files and the wallet.
//! Only handles and metadata leave this module; a private key goes only to the keyring or to a
//! file the user asked for.

use serde::Serialize;
use ts_rs::TS;

use crate::artifacts::{self, pem, x509, ExportedFile, Finding, Identity, IdentityFormat};
use crate::error::{AppError, ErrorCode};
use crate::import::{ItemOutcome, ItemReport, ItemSource};
use crate::ipc::RegionName;
use crate::secrets::{Secret, SecretStore};
use crate::wallet::{Wallet, WalletEntry};

/// What the UI sees of an identity: never its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdentityView {
    pub name: String,
    pub subject: String,
    pub issuer: String,
    /// `YYYY-MM-DD`.
    pub not_after: String,
    pub msp_id: Option<String>,
    /// Regions on which this is the org's admin identity (ids).
    pub admin_of: Vec<String>,
    /// The same regions, as a person reads them (a removed one by the name it had).
    pub admin_regions: Vec<RegionName>,
}

/// The outcome of making an identity a region's org admin (an identity dropped on a region).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionAdminReport {
    pub identity: String,
    pub region_id: String,
    /// The org it now administers on that region; `None` when refused (see `findings`).
    pub msp_id: Option<String>,
    pub msp_component_id: Option<String>,
    pub findings: Vec<Finding>,
}

/// The identity as the UI sees it; `region_name` names the regions it administers.
pub fn view(entry: &WalletEntry, region_name: impl Fn(&str) -> RegionName) -> IdentityView {
    let cert = pem::decode(&entry.cert)
        .ok()
        .and_then(|p| p.blocks.into_iter().next())
        .and_then(|b| x509::Cert::from_der(&b.der).ok());
    IdentityView {
        name: entry.name.clone(),
        subject: cert.as_ref().map(|c| c.subject.clone()).unwrap_or_default(),
        issuer: cert.as_ref().map(|c| c.issuer.clone()).unwrap_or_default(),
        not_after: cert
            .as_ref()
            .map(|c| c.not_after_date())
            .unwrap_or_default(),
        msp_id: entry.msp_id.clone(),
        admin_of: entry.admin_of.clone(),
        admin_regions: entry.admin_of.iter().map(|id| region_name(id)).collect(),
    }
}

/// Adds a read identity to the wallet. The same identity (same name and certificate) is already
/// there; the same name with another certificate is a conflict, never a silent replacement.
pub fn add_to_wallet(
    wallet: &mut Wallet,
    secrets: &dyn SecretStore,
    source: &str,
    identity: &Identity,
) -> ItemReport {
    let report = |outcome| ItemReport {
        source: ItemSource::file(source),
        display_name: identity.name.clone(),
        kind: "identity".into(),
        outcome,
    };
    if let Some(existing) = wallet.get(&identity.name) {
        return report(if same_cert(&existing.cert, &identity.cert) {
            ItemOutcome::AlreadyThere {
                id: existing.name.clone(),
            }
        } else {
            ItemOutcome::Conflict {
                id: existing.name.clone(),
                existing: format!("certificate of '{}' in the wallet", existing.name),
                incoming: format!("another certificate from {source}"),
            }
        });
    }
    let Some(key) = &identity.private_key else {
        return report(ItemOutcome::Failed {
            reason: "the private key is in an HSM; the wallet needs the key itself".into(),
        });
    };
    let entry = WalletEntry {
        name: identity.name.clone(),
        cert: pem::to_base64_pem(&identity.cert),
        ca: identity.ca.clone(),
        msp_id: None,
        admin_of: Vec::new(),
        sandbox: false,
    };
    match wallet.add(entry, key, secrets) {
        Ok(()) => report(ItemOutcome::Created {
            id: identity.name.clone(),
        }),
        Err(e) => report(ItemOutcome::Failed { reason: e.message }),
    }
}

/// The identity as a console-format file, or age-encrypted with `passphrase`.
pub fn export(
    wallet: &Wallet,
    secrets: &dyn SecretStore,
    name: &str,
    passphrase: Option<&Secret>,
) -> Result<ExportedFile, AppError> {
    let entry = wallet.get(name).ok_or_else(|| {
        AppError::new(
            ErrorCode::NotFound,
            format!("no identity named '{name}' in the wallet"),
        )
    })?;
    let identity = Identity {
        name: entry.name.clone(),
        cert: entry.cert.clone(),
        private_key: Some(wallet.private_key(name, secrets)?),
        ca: None,
        hsm: false,
        format: IdentityFormat::Console,
    };
    let file = match passphrase {
        Some(p) => artifacts::encrypt_identity(&identity, p),
        None => artifacts::identity_file(&identity),
    };
    file.map_err(|f| AppError::invalid(f.to_string()))
}

fn same_cert(a: &str, b: &str) -> bool {
    let der = |v: &str| {
        pem::decode(v)
            .ok()
            .map(|p| p.blocks.into_iter().map(|b| b.der).collect::<Vec<_>>())
    };
    der(a).is_some() && der(a) == der(b)
}
