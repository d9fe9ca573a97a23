//! `atlas region …` and `atlas components`.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use std::sync::Arc;

use atlas_core::atlas::{Atlas, AtlasOptions};
use atlas_core::client::ClientKind;
use atlas_core::component::ComponentKind;
use atlas_core::fleet::{FleetStore, NewRegion};
use atlas_core::secrets::{KeyringStore, KEYRING_SERVICE};
use atlas_core::AppError;
use clap::Subcommand;
use serde::Serialize;

use crate::output;

/// Files the keyring entries under another service name: a test seam, in debug builds only.
const KEYRING_SERVICE_ENV: &str = "FABRIC_ATLAS_KEYRING_SERVICE";

#[derive(Subcommand)]
pub enum RegionCommand {
    /// Add a region. The API secret is read from the environment variable named by
    /// --secret-env, or else from the first line of standard input; it goes to the OS keyring.
    Add {
        #[arg(long)]
        name: String,
        /// A cloud region id from the catalogue (e.g. us-east-1, ca-tor, westeurope).
        #[arg(long)]
        location: String,
        /// The console's URL, e.g. https://console.example.org.
        #[arg(long)]
        url: String,
        #[arg(long)]
        api_key: String,
        /// Read the API secret from this environment variable instead of stdin.
        #[arg(long, value_name = "VAR")]
        secret_env: Option<String>,
        /// Accept a plain http:// URL to another machine: the API key and secret would cross
        /// the network unencrypted.
        #[arg(long)]
        insecure_http: bool,
        /// Trust this PEM certificate (the console's own, or its CA) for this console, on top
        /// of the system's roots.
        #[arg(long, value_name = "PEM")]
        ca_file: Option<PathBuf>,
    },
    /// List the configured regions.
    List,
    /// Give a region's console a new API secret (from --secret-env or stdin), e.g. after the
    /// console refused the old one; the refusal remembered for it is forgotten.
    SetSecret {
        id: String,
        #[arg(long, value_name = "VAR")]
        secret_env: Option<String>,
    },
    /// Remove a region and its secret.
    Remove { id: String },
}

pub struct Context {
    pub config_dir: Option<PathBuf>,
    pub json: bool,
    /// `--max-wait`: the bound on waiting for a console's rate limit or another operation.
    pub max_wait: Option<Duration>,
}

impl Context {
    fn store(&self) -> Result<FleetStore, AppError> {
        match &self.config_dir {
            Some(dir) => Ok(FleetStore::in_dir(dir)),
            None => FleetStore::default_location(),
        }
    }

    pub fn keyring(&self) -> KeyringStore {
        let service = std::env::var(KEYRING_SERVICE_ENV)
            .ok()
            .filter(|_| cfg!(debug_assertions))
            .unwrap_or_else(|| KEYRING_SERVICE.into());
        KeyringStore::with_service(service)
    }

    /// The application service over this configuration (no health polling).
    pub fn atlas(&self) -> Result<Atlas, AppError> {
        let mut options = AtlasOptions::default();
        options.client.kind = ClientKind::Cli;
        if let Some(wait) = self.max_wait {
            options.client.max_rate_limit_wait = wait;
            options.console_lock_wait = wait;
        }
        Atlas::open(self.store()?, Arc::new(self.keyring()), options)
    }
}

pub async fn run(ctx: &Context, command: RegionCommand) -> Result<ExitCode, AppError> {
    match command {
        RegionCommand::Add {
            name,
            location,
            url,
            api_key,
            secret_env,
            insecure_http,
            ca_file,
        } => {
            let api_secret = read_secret(secret_env.as_deref(), "--secret-env", "API secret")?;
            let trusted_certificate = ca_file.as_deref().map(read_certificate).transpose()?;
            let region = ctx.atlas()?.add_region(NewRegion {
                name,
                location,
                console_url: url,
                api_key,
                api_secret,
                allow_insecure_http: Some(insecure_http),
                trusted_certificate,
            })?;
            if ctx.json {
                output::json(&region);
            } else {
                println!("added region '{}' ({})", region.id, region.console_url);
            }
        }
        RegionCommand::List => {
            let regions = ctx.atlas()?.regions();
            if ctx.json {
                output::json(&regions);
            } else if regions.is_empty() {
                println!("No regions yet: add one with `atlas region add`.");
            } else {
                let rows: Vec<Vec<String>> = regions
                    .iter()
                    .map(|r| {
                        vec![
                            r.id.clone(),
                            r.name.clone(),
                            r.location.id.clone(),
                            r.console_url.clone(),
                            r.api_key.clone(),
                        ]
                    })
                    .collect();
                output::table(&["ID", "NAME", "LOCATION", "CONSOLE", "API KEY"], &rows);
            }
        }
        RegionCommand::SetSecret { id, secret_env } => {
            let secret = read_secret(secret_env.as_deref(), "--secret-env", "API secret")?;
            let region = ctx.atlas()?.set_region_secret(&id, &secret)?;
            if ctx.json {
                output::json(&region);
            } else {
                println!("region '{}' has a new API secret", region.id);
            }
        }
        RegionCommand::Remove { id } => {
            ctx.atlas()?.remove_region(&id)?;
            if !ctx.json {
                println!("removed region '{id}'");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct ComponentRow {
    id: String,
    display_name: String,
    kind: ComponentKind,
    msp_id: Option<String>,
    api_url: Option<String>,
}

pub async fn components(ctx: &Context, region_id: &str) -> Result<ExitCode, AppError> {
    let rows: Vec<ComponentRow> = ctx
        .atlas()?
        .components(region_id)
        .await?
        .into_iter()
        .map(|c| ComponentRow {
            kind: c.kind,
            id: c.id,
            display_name: c.display_name,
            msp_id: c.msp_id,
            api_url: c.api_url,
        })
        .collect();
    if ctx.json {
        output::json(&rows);
    } else {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.id.clone(),
                    format!("{:?}", r.kind).to_lowercase(),
                    r.display_name.clone(),
                    r.msp_id.clone().unwrap_or_default(),
                    r.api_url.clone().unwrap_or_default(),
                ]
            })
            .collect();
        output::table(&["ID", "KIND", "NAME", "MSP ID", "API URL"], &cells);
    }
    Ok(ExitCode::SUCCESS)
}

/// A secret from the environment variable `env` when given, else one line of stdin (prompted on
/// a terminal). `what` names it ("API secret"), `flag` is the option naming the variable.
pub fn read_secret(env: Option<&str>, flag: &str, what: &str) -> Result<String, AppError> {
    if let Some(var) = env {
        return std::env::var(var).map_err(|_| {
            AppError::invalid(format!(
                "{flag}: the environment variable '{var}' is not set"
            ))
        });
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{what}: ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| AppError::invalid(format!("stdin: {e}")))?;
    let secret = line.trim_end_matches(['\r', '\n']).to_owned();
    if secret.is_empty() {
        return Err(AppError::invalid(format!(
            "the {what} is required: pipe it on stdin or use {flag} VAR"
        )));
    }
    Ok(secret)
}

/// A PEM certificate file to trust; its fingerprint, subject and expiry are printed, as the app
/// shows them before the user trusts a certificate.
fn read_certificate(path: &std::path::Path) -> Result<String, AppError> {
    let bytes = atlas_core::user_files::read_limited(path, 64 * 1024).map_err(|reason| {
        AppError::invalid_field("caFile", format!("{}: {reason}", path.display()))
    })?;
    let pem = String::from_utf8(bytes).map_err(|_| {
        AppError::invalid_field("caFile", format!("{}: is not PEM text", path.display()))
    })?;
    let summary = atlas_core::tls_trust::summarize_trusted(&pem).map_err(|e| {
        AppError::invalid_field("caFile", format!("{}: {}", path.display(), e.message))
    })?;
    eprintln!(
        "trusting {} (issued by {}, valid until {}), SHA-256 {}",
        summary.subject,
        summary.issuer,
        output::date(summary.not_after),
        summary.sha256
    );
    Ok(pem)
}
