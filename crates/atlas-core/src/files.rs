//! Artifact files to and from consoles: read and validate dropped or chosen files, import them
//! duplicate-safely into a region, export components in the console UI's format.
//!
//! Validation comes first and is all-or-nothing: when any file has an error finding, nothing is
//! sent to any console and nothing enters the wallet.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;
use ts_rs::TS;

use crate::artifacts::{
    self, import_requests, Artifact, ExportOptions, ExportedFile, Finding, Identity,
    TransformOptions, WHOLE_FILE,
};
use crate::audit::AuditLog;
use crate::ca_admins::CaAdminStatus;
use crate::client::ConsoleClient;
use crate::error::{AppError, ErrorCode};
use crate::import::{
    self, ApplyOptions, AuditTrail, ImportItem, ItemOutcome, ItemReport, ItemSource, PlannedItem,
};
use crate::user_files::{self, batch_too_many, read_limited, MAX_BATCH_BYTES, MAX_FILE_BYTES};

/// A file's name (for messages and kind hints) and its bytes.
#[derive(Debug, Clone)]
pub struct FileInput {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl FileInput {
    /// Reads a file from disk: a regular file only, never more than the console would take.
    pub fn read(path: &Path) -> Result<Self, Finding> {
        let name = file_name(path);
        read_limited(path, MAX_FILE_BYTES)
            .map(|bytes| Self {
                name: name.clone(),
                bytes,
            })
            .map_err(|reason| Finding::error(&name, WHOLE_FILE, reason))
    }

    /// Reads every file of a batch, within the batch's limits: the inputs read, and a finding
    /// for each file refused.
    pub fn read_all(paths: &[PathBuf]) -> (Vec<Self>, Vec<Finding>) {
        if let Some(reason) = batch_too_many(paths.len()) {
            return (
                Vec::new(),
                vec![Finding::error("(batch)", WHOLE_FILE, reason)],
            );
        }
        let mut inputs: Vec<Self> = Vec::new();
        let mut refused = Vec::new();
        let mut total = 0u64;
        for path in paths {
            if total >= MAX_BATCH_BYTES {
                refused.push(Finding::error(
                    file_name(path),
                    WHOLE_FILE,
                    format!(
                        "was not read: the files before it already hold {total} bytes, and one \
                         batch reads at most {MAX_BATCH_BYTES}"
                    ),
                ));
                continue;
            }
            match Self::read(path) {
                Ok(input) => {
                    total += input.bytes.len() as u64;
                    inputs.push(input);
                }
                Err(finding) => refused.push(finding),
            }
        }
        (inputs, refused)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// What reading a batch of files produced: console components and wallet identities.
#[derive(Debug, Default)]
pub struct ReadBatch {
    pub items: Vec<ImportItem>,
    pub identities: Vec<(String, Identity)>,
    pub warnings: Vec<Finding>,
}

/// Reads and validates every file. Any error finding refuses the whole batch.
pub fn read_batch(files: &[FileInput], now: SystemTime) -> Result<ReadBatch, Vec<Finding>> {
    let mut batch = ReadBatch::default();
    let mut errors = Vec::new();
    let mut parsed_files = Vec::new();
    for file in files {
        match artifacts::read_file(&file.name, &file.bytes, now) {
            Err(findings) => errors.extend(findings),
            Ok(parsed) => parsed_files.push(parsed),
        }
    }
    // An identity file given with MSP definitions must belong to one of them.
    let (refusals, notes): (Vec<Finding>, Vec<Finding>) =
        artifacts::check_batch(&parsed_files, now)
            .into_iter()
            .partition(Finding::is_error);
    errors.extend(refusals);
    batch.warnings.extend(notes);
    for parsed in parsed_files {
        batch.warnings.extend(parsed.all_warnings().cloned());
        for item in parsed.items {
            match &item.artifact {
                Artifact::Identity(identity) => {
                    batch
                        .identities
                        .push((item.source.clone(), identity.clone()));
                }
                artifact => {
                    for request in import_requests(artifact, &TransformOptions::default()) {
                        batch.items.push(ImportItem {
                            source: ItemSource::file(&item.source),
                            route: request.route.to_owned(),
                            body: request.body,
                        });
                    }
                }
            }
        }
    }
    // read_file only answers Err when something is an error; keep its warnings with them.
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(batch)
}

/// Reads files from disk into a batch; unreadable or oversized files are findings.
pub fn read_paths(paths: &[PathBuf], now: SystemTime) -> Result<ReadBatch, Vec<Finding>> {
    let (inputs, mut errors) = FileInput::read_all(paths);
    match read_batch(&inputs, now) {
        Ok(batch) if errors.is_empty() => Ok(batch),
        Ok(_) => Err(errors),
        Err(mut findings) => {
            errors.append(&mut findings);
            Err(errors)
        }
    }
}

/// The answer to an import, for the UI and the CLI.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub region_id: String,
    pub dry_run: bool,
    /// True when validation refused the batch: nothing was sent, nothing was stored.
    pub refused: bool,
    /// Errors (when refused) and warnings.
    pub findings: Vec<Finding>,
    /// One line per console component (and per wallet identity).
    pub items: Vec<ItemReport>,
    /// The CAs it would create whose admin credentials are not kept: the import is refused
    /// until they are given (a dry run names them).
    pub cas_lacking_admins: Vec<CaAdminStatus>,
}

impl ImportReport {
    pub fn refused(region_id: &str, dry_run: bool, findings: Vec<Finding>) -> Self {
        Self {
            region_id: region_id.to_owned(),
            dry_run,
            refused: true,
            findings,
            items: Vec::new(),
            cas_lacking_admins: Vec::new(),
        }
    }

    /// Whether anything failed or conflicted (scripts exit non-zero on it).
    pub fn has_problems(&self) -> bool {
        self.refused
            || !self.cas_lacking_admins.is_empty()
            || self.items.iter().any(|i| {
                matches!(
                    i.outcome,
                    ItemOutcome::Failed { .. } | ItemOutcome::Conflict { .. }
                )
            })
    }
}

/// What importing the batch's components would do on the region's console, from one fresh read
/// of what it holds (duplicate-safe: see [`import::plan`]).
pub async fn plan_components(
    client: &ConsoleClient,
    items: Vec<ImportItem>,
) -> Result<Vec<PlannedItem>, AppError> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let existing = client.list_components(true).await?;
    Ok(import::plan(items, &existing))
}

/// Sends what the plan creates (or, as a dry run, reports it), each change audited.
pub async fn apply_components(
    client: &ConsoleClient,
    region_id: &str,
    plan: Vec<PlannedItem>,
    dry_run: bool,
    audit: &AuditLog,
) -> Result<Vec<ItemReport>, AppError> {
    if plan.is_empty() {
        return Ok(Vec::new());
    }
    let options = ApplyOptions {
        dry_run,
        cancel: None,
        audit: Some(AuditTrail {
            log: audit,
            operation: "import",
            target: region_id,
        }),
    };
    let applied = import::apply(client, plan, &options, &|_| {}).await?;
    match applied.audit_failed {
        Some(e) => Err(e),
        None => Ok(applied.reports),
    }
}

/// A component of a console, exported as the console UI would download it.
pub async fn export_component(
    client: &ConsoleClient,
    component_id: &str,
) -> Result<ExportedFile, AppError> {
    let component = client.get_component(component_id).await?;
    let mut file = artifacts::export_component(&component.document, &ExportOptions::default())
        .map_err(|f| AppError::new(ErrorCode::Console, f.to_string()))?;
    // The name comes from the console's display name: any text at all.
    file.file_name = user_files::safe_file_name(&file.file_name);
    Ok(file)
}

/// A whole region as the console's bulk ZIP (components only: identities live in the wallet).
pub async fn export_region_zip(client: &ConsoleClient) -> Result<Vec<u8>, AppError> {
    let documents: Vec<_> = client
        .list_components(true)
        .await?
        .into_iter()
        .map(|c| c.document)
        .collect();
    artifacts::write_bulk_zip(&documents, &[], &ExportOptions::default())
        .map_err(|f| AppError::new(ErrorCode::Console, f.to_string()))
}

/// Writes an exported file that must not exist yet (a file there, or a symlink, is refused:
/// nothing is overwritten unless the user says so, see [`write_export_replacing`]).
pub fn write_export(path: &Path, contents: &[u8], private: bool) -> Result<(), AppError> {
    user_files::write_new(path, contents, private).map_err(|e| export_error(path, &e))
}

/// Writes an exported file over whatever is at `path` (the user confirmed it: `--force`, a save
/// dialog): the new file is complete before it replaces the old one, and a symlink there is
/// replaced, never followed.
pub fn write_export_replacing(path: &Path, contents: &[u8], private: bool) -> Result<(), AppError> {
    user_files::write_replacing(path, contents, private).map_err(|e| export_error(path, &e))
}

fn export_error(path: &Path, e: &std::io::Error) -> AppError {
    let reason = if e.kind() == std::io::ErrorKind::AlreadyExists {
        "already exists; nothing was written (overwrite it with --force)".to_owned()
    } else {
        e.to_string()
    };
    AppError::new(ErrorCode::Config, format!("{}: {reason}", path.display()))
}

/// Reads identity files for the wallet: console or Ansible format, or age-encrypted (then
/// `passphrase` opens them). Anything that is not an identity is refused with the file named.
#[allow(clippy::type_complexity)]
pub fn read_identity_paths(
    paths: &[PathBuf],
    passphrase: Option<&crate::secrets::Secret>,
    now: SystemTime,
) -> Result<(Vec<(String, Identity)>, Vec<Finding>), Vec<Finding>> {
    let mut identities = Vec::new();
    let mut warnings = Vec::new();
    let (inputs, mut errors) = FileInput::read_all(paths);
    for input in inputs {
        if is_encrypted(&input.bytes) {
            let Some(passphrase) = passphrase else {
                errors.push(Finding::error(
                    &input.name,
                    WHOLE_FILE,
                    "is encrypted: enter its passphrase to import it",
                ));
                continue;
            };
            match artifacts::decrypt_identity(&input.name, &input.bytes, passphrase, now) {
                Ok((identity, mut found)) => {
                    warnings.append(&mut found);
                    identities.push((input.name.clone(), identity));
                }
                Err(mut found) => errors.append(&mut found),
            }
            continue;
        }
        match artifacts::read_file(&input.name, &input.bytes, now) {
            Err(mut found) => errors.append(&mut found),
            Ok(parsed) => {
                warnings.extend(parsed.all_warnings().cloned());
                for item in parsed.items {
                    match item.artifact {
                        Artifact::Identity(identity) => identities.push((item.source, identity)),
                        other => errors.push(Finding::error(
                            &item.source,
                            WHOLE_FILE,
                            format!(
                                "is {}, not an identity: import it into a region instead",
                                other.kind().described()
                            ),
                        )),
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok((identities, warnings))
    } else {
        Err(errors)
    }
}

fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
        || bytes.starts_with(b"age-encryption.org/")
}
