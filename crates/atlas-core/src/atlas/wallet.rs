//! The wallet and the CA admins: identities (keys in the keyring), which org each one
//! administers on which region, and the CA admin enroll credentials a copied CA needs.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::Atlas;
use crate::artifacts::{self, Artifact, ExportedFile, Finding, Identity, IdentityFormat};
use crate::ca_admins::CaAdminStatus;
use crate::component::Component;
use crate::error::{AppError, ErrorCode};
use crate::files::{self, ImportReport};
use crate::identities::{self, IdentityView, RegionAdminReport};
use crate::import::{ItemOutcome, ItemReport, ItemSource};
use crate::ipc::Change;
use crate::org;
use crate::secrets::Secret;
use crate::transfer::TransferReport;
use crate::wallet::WalletEntry;

impl Atlas {
    pub fn identities(&self) -> Vec<IdentityView> {
        let entries = self.wallet().entries().to_vec();
        entries
            .iter()
            .map(|e| identities::view(e, |id| self.region_name(id)))
            .collect()
    }

    /// Imports identity files (console or Ansible format, or age-encrypted with `passphrase`)
    /// into the wallet.
    /// Puts the sandbox's own identities (its org admin) in the wallet, marked as the sandbox's,
    /// unless they are there already: what the sandbox made is usable from its first start.
    /// Answers their names.
    pub fn add_sandbox_identities(
        &self,
        files: &[(String, Vec<u8>)],
    ) -> Result<Vec<String>, AppError> {
        let inputs: Vec<files::FileInput> = files
            .iter()
            .map(|(name, bytes)| files::FileInput {
                name: name.clone(),
                bytes: bytes.clone(),
            })
            .collect();
        let batch = files::read_batch(&inputs, SystemTime::now()).map_err(|findings| {
            let reasons: Vec<String> = findings.iter().map(ToString::to_string).collect();
            AppError::new(
                ErrorCode::Internal,
                format!("the sandbox's identities: {}", reasons.join("; ")),
            )
        })?;
        let mut wallet = self.wallet();
        let mut names = Vec::new();
        for (source, identity) in &batch.identities {
            let report =
                identities::add_to_wallet(&mut wallet, self.keyring.as_ref(), source, identity);
            if matches!(report.outcome, ItemOutcome::Created { .. }) {
                wallet.set_sandbox(&identity.name)?;
            }
            names.push(identity.name.clone());
        }
        drop(wallet);
        self.changed(Change::Wallet);
        Ok(names)
    }

    /// Removes the sandbox's identities (and their keys): the app runs on real consoles now.
    pub fn forget_sandbox_identities(&self) -> Result<(), AppError> {
        let mut wallet = self.wallet();
        let sandbox: Vec<String> = wallet
            .entries()
            .iter()
            .filter(|e| e.sandbox)
            .map(|e| e.name.clone())
            .collect();
        for name in &sandbox {
            wallet.remove(name, self.keyring.as_ref())?;
        }
        drop(wallet);
        if !sandbox.is_empty() {
            self.changed(Change::Wallet);
        }
        Ok(())
    }

    pub fn import_identities(
        &self,
        paths: &[PathBuf],
        passphrase: Option<&Secret>,
    ) -> Result<ImportReport, AppError> {
        let read = files::read_identity_paths(paths, passphrase, SystemTime::now());
        let (batch, warnings) = match read {
            Ok(read) => read,
            Err(findings) => return Ok(ImportReport::refused("wallet", false, findings)),
        };
        let mut wallet = self.wallet();
        let items = batch
            .iter()
            .map(|(source, identity)| {
                identities::add_to_wallet(&mut wallet, self.keyring.as_ref(), source, identity)
            })
            .collect();
        drop(wallet);
        self.changed(Change::Wallet);
        Ok(ImportReport {
            region_id: "wallet".into(),
            dry_run: false,
            refused: false,
            findings: warnings,
            items,
            cas_lacking_admins: Vec::new(),
        })
    }

    /// An identity as a file (console format, or age-encrypted).
    pub fn export_identity(
        &self,
        name: &str,
        passphrase: Option<&Secret>,
    ) -> Result<ExportedFile, AppError> {
        let mut file = identities::export(&self.wallet(), self.keyring.as_ref(), name, passphrase)?;
        file.file_name = crate::user_files::safe_file_name(&file.file_name);
        Ok(file)
    }

    pub fn remove_identity(&self, name: &str) -> Result<(), AppError> {
        self.wallet().remove(name, self.keyring.as_ref())?;
        self.changed(Change::Wallet);
        Ok(())
    }

    /// Makes a wallet identity an admin identity of an org whose MSP definition is on a region's
    /// console: refused with findings unless its certificate chains to that MSP's roots (the
    /// console only lets such identities manage the org's nodes).
    pub async fn associate_identity(
        &self,
        name: &str,
        region_id: &str,
        msp_component_id: &str,
    ) -> Result<Vec<Finding>, AppError> {
        let component = self
            .client_of(region_id)?
            .get_component(msp_component_id)
            .await?;
        let entry = self.wallet_entry(name)?;
        let (msp_id, findings) = check_identity_against_msp(&entry, region_id, &component)?;
        if let (false, Some(msp_id)) = (artifacts::has_errors(&findings), msp_id) {
            self.wallet().set_region_admin(name, region_id, &msp_id)?;
            self.changed(Change::Wallet);
        }
        Ok(findings)
    }

    /// An identity dropped on a region becomes the org's admin identity there: the region must
    /// hold the org's MSP definition, and the identity's certificate must chain to its roots.
    /// Recorded in the wallet; the console itself never sees the identity.
    pub async fn make_region_admin(
        &self,
        name: &str,
        region_id: &str,
    ) -> Result<RegionAdminReport, AppError> {
        let entry = self.wallet_entry(name)?;
        let components = self.components(region_id).await?;
        self.admin_against(&entry, region_id, &components)
    }

    /// Every CA on a region, each with the admin enroll ids kept for it.
    pub async fn ca_admins_on(&self, region_id: &str) -> Result<Vec<CaAdminStatus>, AppError> {
        let components = self.components(region_id).await?;
        self.ca_admin_statuses(region_id, components.iter())
    }

    /// A CA component of a region, with the admin enroll ids kept for it.
    pub async fn ca_admin_status(
        &self,
        region_id: &str,
        component_id: &str,
    ) -> Result<CaAdminStatus, AppError> {
        let component = self
            .client_of(region_id)?
            .get_component(component_id)
            .await?;
        let ca = CaAdminStatus::unknown(component_id, &component.document)
            .map(|ca| ca.on_region(region_id))
            .ok_or_else(|| {
                AppError::invalid(format!(
                    "'{component_id}' on region '{region_id}' is not a certificate authority"
                ))
            })?;
        self.ca_admins().with_kept(ca, self.keyring.as_ref())
    }

    /// The CA in a file (a console export), with the admin enroll ids kept for it.
    pub fn ca_admin_status_in_file(&self, path: &Path) -> Result<CaAdminStatus, AppError> {
        let batch = files::read_paths(&[path.to_path_buf()], SystemTime::now()).map_err(|f| {
            let reasons: Vec<String> = f.iter().map(ToString::to_string).collect();
            AppError::invalid_field("file", reasons.join("; "))
        })?;
        let ca = batch
            .items
            .iter()
            .find_map(CaAdminStatus::of_import)
            .ok_or_else(|| {
                AppError::invalid_field(
                    "file",
                    format!("{} holds no certificate authority", path.display()),
                )
            })?;
        self.ca_admins().with_kept(ca, self.keyring.as_ref())
    }

    fn ca_admin_statuses<'a>(
        &self,
        region_id: &str,
        components: impl Iterator<Item = &'a Component>,
    ) -> Result<Vec<CaAdminStatus>, AppError> {
        let admins = self.ca_admins();
        components
            .filter_map(|c| CaAdminStatus::unknown(&c.id, &c.document))
            .map(|ca| ca.on_region(region_id))
            .map(|ca| admins.with_kept(ca, self.keyring.as_ref()))
            .collect()
    }

    /// The third part of an org: the wallet identities that administer `msp_id` become its admin
    /// identity on every target the replication reached (one `identity` item each per target),
    /// checked against the MSP the target now holds (`holds`, per target, from the operation).
    pub(super) fn carry_org_admins(
        &self,
        msp_id: &str,
        report: &mut TransferReport,
        holds: &[Vec<Component>],
    ) {
        let admins: Vec<WalletEntry> = self
            .wallet()
            .entries()
            .iter()
            .filter(|e| e.msp_id.as_deref() == Some(msp_id))
            .cloned()
            .collect();
        let dry_run = report.dry_run;
        for (target, holds) in report.targets.iter_mut().zip(holds) {
            if target.error.is_some() {
                continue;
            }
            for entry in &admins {
                let outcome = self.admin_outcome(entry, &target.region_id, holds, dry_run);
                target.items.push(ItemReport {
                    source: ItemSource::Wallet {
                        identity: entry.name.clone(),
                    },
                    display_name: entry.name.clone(),
                    kind: "identity".to_owned(),
                    outcome,
                });
            }
        }
    }

    fn admin_outcome(
        &self,
        entry: &WalletEntry,
        region_id: &str,
        holds: &[Component],
        dry_run: bool,
    ) -> ItemOutcome {
        let already = entry.admin_of.iter().any(|r| r == region_id);
        if dry_run {
            // A dry run only says what would change: the target may not hold the MSP yet.
            return if already {
                ItemOutcome::AlreadyThere {
                    id: entry.name.clone(),
                }
            } else {
                ItemOutcome::WouldCreate
            };
        }
        match self.admin_against(entry, region_id, holds) {
            Ok(RegionAdminReport {
                msp_component_id: Some(id),
                ..
            }) if already => ItemOutcome::AlreadyThere { id },
            Ok(RegionAdminReport {
                msp_component_id: Some(id),
                ..
            }) => ItemOutcome::Created { id },
            Ok(refused) => ItemOutcome::Failed {
                reason: refused
                    .findings
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.reason))
                    .collect::<Vec<_>>()
                    .join("; "),
            },
            Err(e) => ItemOutcome::Failed { reason: e.message },
        }
    }

    /// Makes `entry` its org's admin identity on `region_id` when one of the region's MSP
    /// definitions (in `components`) of that org accepts its certificate.
    fn admin_against(
        &self,
        entry: &WalletEntry,
        region_id: &str,
        components: &[Component],
    ) -> Result<RegionAdminReport, AppError> {
        let name = entry.name.as_str();
        let msps = org::msps(components, entry.msp_id.as_deref());
        if msps.is_empty() {
            let org = entry
                .msp_id
                .as_deref()
                .map(|m| format!(" for org '{m}'"))
                .unwrap_or_default();
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!(
                    "region '{region_id}' has no MSP definition{org}: copy the org's MSP there first"
                ),
            ));
        }
        let mut refusals = Vec::new();
        for msp in msps {
            let (msp_id, findings) = check_identity_against_msp(entry, region_id, msp)?;
            match msp_id {
                Some(msp_id) if !artifacts::has_errors(&findings) => {
                    self.wallet().set_region_admin(name, region_id, &msp_id)?;
                    self.changed(Change::Wallet);
                    return Ok(RegionAdminReport {
                        identity: name.to_owned(),
                        region_id: region_id.to_owned(),
                        msp_id: Some(msp_id),
                        msp_component_id: Some(msp.id.clone()),
                        findings,
                    });
                }
                _ => refusals.extend(findings),
            }
        }
        Ok(RegionAdminReport {
            identity: name.to_owned(),
            region_id: region_id.to_owned(),
            msp_id: None,
            msp_component_id: None,
            findings: refusals,
        })
    }

    fn wallet_entry(&self, name: &str) -> Result<WalletEntry, AppError> {
        self.wallet().get(name).cloned().ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("no identity named '{name}' in the wallet"),
            )
        })
    }
}

/// Checks a wallet identity against an MSP definition read from a console: its MSP id, and the
/// findings (errors when the identity does not chain to the MSP's roots).
pub(super) fn check_identity_against_msp(
    entry: &WalletEntry,
    region_id: &str,
    msp: &Component,
) -> Result<(Option<String>, Vec<Finding>), AppError> {
    let msp_file = format!("{} on {region_id}", msp.id);
    let definition = match artifacts::read_file(
        &msp_file,
        msp.document.to_string().as_bytes(),
        SystemTime::now(),
    ) {
        Ok(parsed) => parsed.items.into_iter().find_map(|i| match i.artifact {
            Artifact::Msp(msp) => Some(msp),
            _ => None,
        }),
        Err(findings) => return Ok((None, findings)),
    }
    .ok_or_else(|| {
        AppError::invalid(format!(
            "'{}' on {region_id} is not an MSP definition",
            msp.id
        ))
    })?;
    let identity = Identity {
        name: entry.name.clone(),
        cert: entry.cert.clone(),
        private_key: None,
        ca: entry.ca.clone(),
        hsm: false,
        format: IdentityFormat::Console,
    };
    let findings = artifacts::validate_identity_for_msp(
        &format!("identity '{}'", entry.name),
        &identity,
        &definition,
        SystemTime::now(),
    );
    Ok((definition.msp_id, findings))
}
