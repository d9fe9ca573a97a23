//! `atlas validate`, `atlas export`, `atlas import`, `atlas wallet …`, `atlas audit`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use atlas_core::artifacts::{has_errors, Finding, Severity};
use atlas_core::atlas::Atlas;
use atlas_core::files::{self, ImportReport};
use atlas_core::import::ItemOutcome;
use atlas_core::operation::Operation;
use atlas_core::secrets::Secret;
use atlas_core::transfer::{TargetReport, TransferEvent};
use atlas_core::AppError;
use clap::Subcommand;
use std::sync::atomic::AtomicBool;

use crate::output;
use crate::regions::Context;

#[derive(Subcommand)]
pub enum WalletCommand {
    /// List the wallet's identities (never their keys).
    List,
    /// Import identity files (console or Ansible format, or age-encrypted).
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Read the passphrase of encrypted files from this environment variable.
        #[arg(long, value_name = "VAR")]
        passphrase_env: Option<String>,
    },
    /// Write an identity file (owner-only permissions), encrypted when a passphrase is given.
    Export {
        name: String,
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, value_name = "VAR")]
        passphrase_env: Option<String>,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Make an identity the admin identity of an org whose MSP is on a region's console
    /// (refused unless its certificate chains to that MSP).
    Associate {
        name: String,
        #[arg(long)]
        region: String,
        /// The MSP component id on that region's console; without it, the region's MSP that
        /// the identity belongs to.
        #[arg(long)]
        msp: Option<String>,
    },
    /// Remove an identity and its key from the keyring.
    Remove { name: String },
}

/// Checks files the way an import would, without any console.
pub fn validate(ctx: &Context, paths: &[PathBuf]) -> Result<ExitCode, AppError> {
    let (findings, ok) = match files::read_paths(paths, SystemTime::now()) {
        Ok(batch) => (batch.warnings, true),
        Err(findings) => (findings, false),
    };
    if ctx.json {
        output::json(&serde_json::json!({ "valid": ok, "findings": findings }));
    } else {
        print_findings(&findings);
        if ok {
            println!("valid: {} file(s)", paths.len());
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Writes an export: a new file, or over an existing one only with `--force`.
fn write_out(path: &Path, contents: &[u8], private: bool, force: bool) -> Result<(), AppError> {
    if force {
        files::write_export_replacing(path, contents, private)
    } else {
        files::write_export(path, contents, private)
    }
}

pub async fn export(
    ctx: &Context,
    region: &str,
    component: Option<&str>,
    output: PathBuf,
    force: bool,
) -> Result<ExitCode, AppError> {
    let atlas = ctx.atlas()?;
    let written = match component {
        Some(id) => {
            let file = atlas.export_component(region, id).await?;
            let path = if output.is_dir() {
                output.join(&file.file_name)
            } else {
                output
            };
            write_out(&path, &file.contents, false, force)?;
            path
        }
        None => {
            let zip = atlas.export_region_zip(region).await?;
            write_out(&output, &zip, false, force)?;
            output
        }
    };
    if ctx.json {
        output::json(&serde_json::json!({ "path": written }));
    } else {
        println!("wrote {}", written.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn import(
    ctx: &Context,
    region: &str,
    paths: &[PathBuf],
    dry_run: bool,
) -> Result<ExitCode, AppError> {
    let report = ctx
        .atlas()?
        .import_files(region, paths, dry_run, &say_waiting)
        .await?;
    print_report(ctx, &report);
    Ok(exit_for(&report))
}

/// Plans `operation` (`--dry-run`) or applies it, and prints one report per target.
pub async fn run(ctx: &Context, operation: Operation, dry_run: bool) -> Result<ExitCode, AppError> {
    let atlas = ctx.atlas()?;
    if !dry_run {
        let report = atlas.apply(&operation, &NEVER, &report_failures).await?;
        return Ok(print_targets(ctx, &atlas, &report.targets, false));
    }
    let plan = atlas.plan(&operation).await?;
    if ctx.json {
        output::json(&plan);
    } else {
        print_target_lines(ctx, &atlas, &plan.targets, true);
    }
    if let Operation::Copy {
        source_region_id, ..
    }
    | Operation::ReplicateOrg {
        source_region_id, ..
    } = &operation
    {
        for ca in &plan.cas_lacking_admins {
            eprintln!(
                "CA '{}' needs its admin enroll credentials before it is copied: \
                 atlas ca-admin set {source_region_id} {} --ca-admin ID --tlsca-admin ID",
                ca.display_name, ca.component_id
            );
        }
    }
    Ok(exit_code(
        has_problems(&plan.targets) || !plan.cas_lacking_admins.is_empty(),
    ))
}

/// The command line has no cancel button: Ctrl-C ends the process between requests.
static NEVER: AtomicBool = AtomicBool::new(false);

fn report_failures(event: TransferEvent) {
    match &event {
        TransferEvent::TargetFailed { target, reason } => eprintln!("{target}: {reason}"),
        TransferEvent::Waiting { target } => say_waiting(target),
        _ => {}
    }
}

fn say_waiting(region: &str) {
    eprintln!("{region}: waiting for another Fabric Atlas operation on its console…");
}

/// Prints one report per target; exit 1 when any target or item failed or conflicted.
fn print_targets(
    ctx: &Context,
    atlas: &Atlas,
    targets: &[TargetReport],
    dry_run: bool,
) -> ExitCode {
    if ctx.json {
        output::json(targets);
    } else {
        print_target_lines(ctx, atlas, targets, dry_run);
    }
    exit_code(has_problems(targets))
}

fn print_target_lines(ctx: &Context, atlas: &Atlas, targets: &[TargetReport], dry_run: bool) {
    for target in targets {
        let failure = target
            .error
            .as_deref()
            .map(|e| format!(": failed: {e}"))
            .unwrap_or_default();
        println!("-> {}{failure}", named(atlas, &target.region_id));
        print_report(ctx, &as_import(target, dry_run));
    }
}

fn as_import(target: &TargetReport, dry_run: bool) -> ImportReport {
    ImportReport {
        region_id: target.region_id.clone(),
        dry_run,
        items: target.items.clone(),
        ..ImportReport::default()
    }
}

fn has_problems(targets: &[TargetReport]) -> bool {
    targets
        .iter()
        .any(|t| t.error.is_some() || as_import(t, false).has_problems())
}

fn exit_code(problems: bool) -> ExitCode {
    if problems {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub async fn wallet(ctx: &Context, command: WalletCommand) -> Result<ExitCode, AppError> {
    let atlas = ctx.atlas()?;
    match command {
        WalletCommand::List => {
            let identities = atlas.identities();
            if ctx.json {
                output::json(&identities);
            } else {
                let rows: Vec<Vec<String>> = identities
                    .iter()
                    .map(|i| {
                        vec![
                            i.name.clone(),
                            i.subject.clone(),
                            i.not_after.clone(),
                            i.msp_id.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                output::table(&["NAME", "SUBJECT", "EXPIRES", "MSP ID"], &rows);
            }
            Ok(ExitCode::SUCCESS)
        }
        WalletCommand::Import {
            files,
            passphrase_env,
        } => {
            let passphrase = passphrase_env.as_deref().map(read_env_secret).transpose()?;
            let report = atlas.import_identities(&files, passphrase.as_ref())?;
            print_report(ctx, &report);
            Ok(exit_for(&report))
        }
        WalletCommand::Export {
            name,
            output,
            passphrase_env,
            force,
        } => {
            let passphrase = passphrase_env.as_deref().map(read_env_secret).transpose()?;
            let file = atlas.export_identity(&name, passphrase.as_ref())?;
            let path = if output.is_dir() {
                output.join(&file.file_name)
            } else {
                output
            };
            write_out(&path, &file.contents, true, force)?;
            if !ctx.json {
                println!("wrote {} (owner-only)", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        WalletCommand::Associate {
            name,
            region,
            msp: Some(msp),
        } => {
            let findings = atlas.associate_identity(&name, &region, &msp).await?;
            print_findings(&findings);
            if has_errors(&findings) {
                return Ok(ExitCode::from(1));
            }
            if !ctx.json {
                let region = named(&atlas, &region);
                println!("'{name}' is now an admin identity for {msp} on {region}");
            }
            Ok(ExitCode::SUCCESS)
        }
        WalletCommand::Associate {
            name,
            region,
            msp: None,
        } => {
            let report = atlas.make_region_admin(&name, &region).await?;
            print_findings(&report.findings);
            if ctx.json {
                output::json(&report);
            }
            match report.msp_id {
                Some(msp_id) => {
                    if !ctx.json {
                        let region = named(&atlas, &region);
                        println!("'{name}' is now {msp_id}'s admin identity on {region}");
                    }
                    Ok(ExitCode::SUCCESS)
                }
                None => Ok(ExitCode::from(1)),
            }
        }
        WalletCommand::Remove { name } => {
            atlas.remove_identity(&name)?;
            if !ctx.json {
                println!("removed identity '{name}'");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn audit(ctx: &Context) -> Result<ExitCode, AppError> {
    let read = ctx.atlas()?.audit_entries()?;
    if !read.unreadable_lines.is_empty() {
        let lines: Vec<String> = read
            .unreadable_lines
            .iter()
            .map(|n| n.to_string())
            .collect();
        eprintln!(
            "warning: the audit log has unreadable lines (a crash in the middle of a write?): {}",
            lines.join(", ")
        );
    }
    if ctx.json {
        output::json(&read.entries);
    } else {
        // People read names and times; the ids and milliseconds are in --json.
        let name = |id: &str| {
            let named = read.regions.iter().find(|r| r.id == id);
            named.map_or_else(|| id.to_owned(), ToString::to_string)
        };
        let rows: Vec<Vec<String>> = read
            .entries
            .iter()
            .map(|e| {
                vec![
                    output::utc_time(e.at_ms),
                    e.operation.clone(),
                    e.artifact.clone(),
                    e.source_region_id
                        .as_deref()
                        .map_or_else(|| e.source.clone(), name),
                    name(&e.target),
                    e.outcome.clone(),
                ]
            })
            .collect();
        output::table(
            &["AT (UTC)", "OPERATION", "ARTIFACT", "FROM", "TO", "OUTCOME"],
            &rows,
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn read_env_secret(var: &str) -> Result<Secret, AppError> {
    std::env::var(var)
        .map(Secret::new)
        .map_err(|_| AppError::invalid(format!("the environment variable '{var}' is not set")))
}

fn exit_for(report: &ImportReport) -> ExitCode {
    if report.has_problems() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_findings(findings: &[Finding]) {
    for f in findings {
        let label = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        eprintln!("{label}: {}", output::printable(&f.to_string()));
    }
}

fn print_report(ctx: &Context, report: &ImportReport) {
    if ctx.json {
        output::json(report);
        return;
    }
    print_findings(&report.findings);
    if report.refused {
        eprintln!("refused: nothing was sent to any console");
        return;
    }
    let rows: Vec<Vec<String>> = report
        .items
        .iter()
        .map(|i| {
            let outcome = match &i.outcome {
                ItemOutcome::Created { id } => format!("created {id}"),
                ItemOutcome::AlreadyThere { id } => format!("already there as {id} (skipped)"),
                ItemOutcome::Conflict { id, .. } => {
                    format!("conflict with {id}: same name, different content (not imported)")
                }
                ItemOutcome::WouldCreate => "would create".into(),
                ItemOutcome::Failed { reason } => format!("failed: {reason}"),
            };
            vec![
                i.kind.clone(),
                i.display_name.clone(),
                i.source.to_string(),
                outcome,
            ]
        })
        .collect();
    output::table(&["KIND", "NAME", "SOURCE", "OUTCOME"], &rows);
}

/// Region `id` as a person reads it (ids are for typing, and for --json).
fn named(atlas: &Atlas, id: &str) -> String {
    atlas.region_name(id).to_string()
}
