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
    TransformOptions, MAX_JSON_BYTES, MAX_ZIP_BYTES, WHOLE_FILE,
};
use crate::audit::AuditLog;
use crate::ca_admins::CaAdminStatus;
use crate::client::ConsoleClient;
use crate::error::{AppError, ErrorCode};
use crate::import::{
    self, ApplyOptions, AuditTrail, ImportItem, ItemOutcome, ItemReport, ItemSource, PlannedItem,
};

/// A file's name (for messages and kind hints) and its bytes.
#[derive(Debug, Clone)]
pub struct FileInput {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl FileInput {
    /// Reads a file from disk, refusing oversized ones before reading them into memory.
    pub fn read(path: &Path) -> Result<Self, Finding> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let too_big = |size: u64| {
            Finding::error(
                &name,
                WHOLE_FILE,
                format!(
                    "is {size} bytes; the console accepts at most {MAX_JSON_BYTES} bytes for a JSON file and {MAX_ZIP_BYTES} for a ZIP"
                ),
            )
        };
        let size = std::fs::metadata(path)
            .map_err(|e| Finding::error(&name, WHOLE_FILE, format!("cannot be read: {e}")))?
            .len();
        if size > MAX_JSON_BYTES.max(MAX_ZIP_BYTES) as u64 {
            return Err(too_big(size));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| Finding::error(&name, WHOLE_FILE, format!("cannot be read: {e}")))?;
        Ok(Self { name, bytes })
    }
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
    for file in files {
        match artifacts::read_file(&file.name, &file.bytes, now) {
            Err(findings) => errors.extend(findings),
            Ok(parsed) => {
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
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match FileInput::read(path) {
            Ok(input) => inputs.push(input),
            Err(finding) => errors.push(finding),
        }
    }
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
    artifacts::export_component(&component.document, &ExportOptions::default())
        .map_err(|f| AppError::new(ErrorCode::Console, f.to_string()))
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

/// Writes an exported file. Identity files (private keys) are created owner-only (0600).
pub fn write_export(path: &Path, contents: &[u8], private: bool) -> Result<(), AppError> {
    use std::io::Write;
    let fail =
        |e: std::io::Error| AppError::new(ErrorCode::Config, format!("{}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    #[cfg(unix)]
    if private {
        // An existing file keeps its mode on open: tighten it before writing the key.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    #[cfg(not(unix))]
    let _ = private;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(fail)
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
    let mut errors = Vec::new();
    for path in paths {
        let input = match FileInput::read(path) {
            Ok(input) => input,
            Err(finding) => {
                errors.push(finding);
                continue;
            }
        };
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
