//! `atlas ca-admin …`: the CA admin and TLS CA admin enroll credentials a console needs to use an
//! imported CA. Kept once per CA (ids in `ca-admins.json`, secrets in the keyring) and known on
//! every region the CA is copied to; the secrets are never printed. The core refuses to copy a CA
//! whose credentials are not kept, naming this command.

use std::path::PathBuf;
use std::process::ExitCode;

use atlas_core::ca_admins::{CaAdminCredentials, CaAdminStatus, EnrollCredentials};
use atlas_core::AppError;
use clap::Subcommand;

use crate::output;
use crate::regions::{read_secret, Context};

#[derive(Subcommand)]
pub enum CaAdminCommand {
    /// The region's CAs and the enroll ids kept for each.
    List { region: String },
    /// Keep a CA's admin and TLS CA admin enroll credentials. The secrets come from the named
    /// environment variables, else from stdin: two lines, the CA admin's then the TLS CA admin's.
    Set {
        /// The region whose console holds the CA.
        #[arg(required_unless_present = "file", requires = "ca")]
        region: Option<String>,
        /// The CA's component id on that region's console.
        #[arg(required_unless_present = "file")]
        ca: Option<String>,
        /// Or the CA's file (a console export), before it is imported anywhere.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["region", "ca"])]
        file: Option<PathBuf>,
        /// The CA admin's enroll id.
        #[arg(long, value_name = "ENROLL_ID")]
        ca_admin: String,
        /// The TLS CA admin's enroll id.
        #[arg(long, value_name = "ENROLL_ID")]
        tlsca_admin: String,
        #[arg(long, value_name = "VAR")]
        ca_admin_secret_env: Option<String>,
        #[arg(long, value_name = "VAR")]
        tlsca_admin_secret_env: Option<String>,
    },
}

pub async fn run(ctx: &Context, command: CaAdminCommand) -> Result<ExitCode, AppError> {
    let atlas = ctx.atlas()?;
    match command {
        CaAdminCommand::List { region } => {
            print_statuses(ctx, &atlas.ca_admins_on(&region).await?);
        }
        CaAdminCommand::Set {
            region,
            ca,
            file,
            ca_admin,
            tlsca_admin,
            ca_admin_secret_env,
            tlsca_admin_secret_env,
        } => {
            let credentials = CaAdminCredentials {
                ca_admin: EnrollCredentials {
                    enroll_secret: read_secret(
                        ca_admin_secret_env.as_deref(),
                        "--ca-admin-secret-env",
                        "CA admin enroll secret",
                    )?,
                    enroll_id: ca_admin,
                },
                tlsca_admin: EnrollCredentials {
                    enroll_secret: read_secret(
                        tlsca_admin_secret_env.as_deref(),
                        "--tlsca-admin-secret-env",
                        "TLS CA admin enroll secret",
                    )?,
                    enroll_id: tlsca_admin,
                },
            };
            let which = match (file, region, ca) {
                (Some(file), _, _) => atlas.ca_admin_status_in_file(&file)?,
                (None, Some(region), Some(ca)) => atlas.ca_admin_status(&region, &ca).await?,
                _ => unreachable!("clap requires a region and a CA, or a file"),
            };
            print_statuses(ctx, &[atlas.save_ca_admins(&which, &credentials).await?]);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_statuses(ctx: &Context, statuses: &[CaAdminStatus]) {
    if ctx.json {
        output::json(statuses);
        return;
    }
    let kept = |id: &Option<String>| id.clone().unwrap_or_else(|| "(not kept)".into());
    let rows: Vec<Vec<String>> = statuses
        .iter()
        .map(|s| {
            vec![
                s.component_id.clone(),
                s.display_name.clone(),
                s.api_url.clone(),
                kept(&s.ca_admin_enroll_id),
                kept(&s.tlsca_admin_enroll_id),
            ]
        })
        .collect();
    output::table(
        &["ID", "NAME", "API URL", "CA ADMIN", "TLS CA ADMIN"],
        &rows,
    );
}
