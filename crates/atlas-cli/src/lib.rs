//! `atlas`: Fabric Atlas without a window, over the same core as the desktop app. The binary is
//! `main.rs`; this library also gives `atlas-docs` the command's definition for the shell
//! completions and man pages that packages install.
//!
//! Exit codes, for scripts: 0 success; 1 refused input or an item that failed; 2 usage;
//! 3 a console could not be reached or refused us; 4 configuration or keyring trouble.

mod artifacts;
mod ca;
mod ca_admins;
mod certificates;
mod drift;
mod output;
mod posture;
mod regions;

use std::path::PathBuf;
use std::process::ExitCode;

use atlas_core::operation::Operation;
use atlas_core::{AppError, ErrorCode};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "atlas", about = "Fabric Atlas on the command line")]
struct Cli {
    /// The configuration directory (default: $FABRIC_ATLAS_CONFIG_DIR, else the platform's).
    #[arg(long, global = true, value_name = "DIR")]
    config_dir: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
    /// Wait at most this many seconds for a console's rate limit or for another Fabric Atlas
    /// operation on the same console, then give up with nothing sent (default: 65 for the rate
    /// limit, 120 for another operation; 0 gives up at once).
    #[arg(long, global = true, value_name = "SECONDS")]
    max_wait: Option<u64>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add, list or remove regions (one console each).
    #[command(subcommand)]
    Region(regions::RegionCommand),
    /// List the components a region's console manages.
    Components {
        /// The region id (see `atlas region list`).
        region: String,
    },
    /// Check console files (JSON or bulk ZIP) without importing them.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Export a component in the console's format, or (without --component) a region's bulk ZIP.
    Export {
        region: String,
        #[arg(long)]
        component: Option<String>,
        /// A file, or a directory for a component export (named like the console names it).
        #[arg(short, long)]
        output: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Validate, then import files into a region; duplicates are skipped, conflicts reported.
    Import {
        region: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Show what would change without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Copy components from one region's console to others: fresh from the source, duplicate-safe,
    /// verified, audited; targets in parallel.
    Transfer {
        /// The source region id.
        source: String,
        /// Component ids on the source console.
        #[arg(required = true)]
        components: Vec<String>,
        /// Target region ids (repeat, or comma-separate).
        #[arg(long = "to", required = true, value_delimiter = ',')]
        targets: Vec<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Bring an org (its MSP definition, CA and, from the wallet, its admin identity) from one
    /// region to others.
    Replicate {
        source: String,
        /// The org's MSP id, e.g. Org1MSP.
        #[arg(long)]
        msp_id: String,
        #[arg(long = "to", required = true, value_delimiter = ',')]
        targets: Vec<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Make every console know every other console's peers and ordering nodes, once each.
    Mesh {
        /// Show the plan (what goes where, what is already there) without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// The CA admin and TLS CA admin enroll credentials a console needs to use an imported CA.
    #[command(subcommand)]
    CaAdmin(ca_admins::CaAdminCommand),
    /// Fabric CA itself: a CA's info, its admins enrolled, identities registered, listed and
    /// enrolled into the wallet (the guide's step 4.1).
    #[command(subcommand)]
    Ca(ca::CaCommand),
    /// The identity wallet (keys in the OS keyring).
    #[command(subcommand)]
    Wallet(artifacts::WalletCommand),
    /// Every change made to a console, oldest first.
    Audit,
    /// Every certificate the consoles and the wallet hold, one line each, soonest expiry first,
    /// with where it is used. Exit 1 when one has expired, 3 when a console could not be read.
    Certs {
        /// Only those that expire within this many days (or have expired).
        #[arg(long, value_name = "DAYS")]
        within: Option<i64>,
    },
    /// Whether the network survives the loss of any one region: ordering services' quorum and
    /// orgs' peers by the region each node lives in, CA regions, consenter distances, and
    /// findings with their fixes. Exit 1 when a finding is an error.
    Posture {
        /// Suppose this region lost (id or name; repeat for several): every figure is
        /// recomputed for what is left.
        #[arg(long = "lose", value_name = "REGION")]
        lose: Vec<String>,
    },
    /// The nodes and MSPs whose copies on several consoles differ (certificates, URLs, admins,
    /// TLS roots), field by field. Exit 1 when some do, 3 when a console could not be read.
    Drift {
        /// Make every copy of this artifact (a key `atlas drift` prints: a node's API URL, or
        /// msp:MSPID) equal to the copy of region --from, through the console's edit route.
        #[arg(long, value_name = "KEY", requires = "from")]
        make_equal: Option<String>,
        /// The region whose copy the others are made equal to (id or name).
        #[arg(long, value_name = "REGION", requires = "make_equal")]
        from: Option<String>,
    },
    /// Say where a node lives when no console holds it as its own and no copy recorded it.
    Place {
        /// The node's component id on any console, or its API URL.
        node: String,
        /// The region it runs in (id or name).
        #[arg(long)]
        region: String,
    },
}

/// The `atlas` command, as clap describes it (also for its completions and man pages).
pub fn command() -> clap::Command {
    Cli::command().version(build_info::version_line())
}

/// What `--version` prints: the build, and where the desktop app writes its log (this user's,
/// so it is worked out when asked, never baked into the man page).
fn long_version() -> String {
    let log = atlas_core::app_data::log_dir()
        .map(|dir| dir.display().to_string())
        .unwrap_or_else(|| "none (no home directory)".to_owned());
    format!("{}\napp log: {log}", build_info::version_line())
}

/// Runs `atlas` with the process's arguments; the exit code is documented above.
pub fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&command().long_version(long_version()).get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    let ctx = regions::Context {
        config_dir: cli.config_dir,
        json: cli.json,
        max_wait: cli.max_wait.map(std::time::Duration::from_secs),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Region(cmd) => regions::run(&ctx, cmd).await,
            Command::Components { region } => regions::components(&ctx, &region).await,
            Command::Validate { files } => artifacts::validate(&ctx, &files),
            Command::Export {
                region,
                component,
                output,
                force,
            } => artifacts::export(&ctx, &region, component.as_deref(), output, force).await,
            Command::Import {
                region,
                files,
                dry_run,
            } => artifacts::import(&ctx, &region, &files, dry_run).await,
            Command::Transfer {
                source,
                components,
                targets,
                dry_run,
            } => {
                let operation = Operation::Copy {
                    source_region_id: source,
                    component_ids: components,
                    target_region_ids: targets,
                };
                artifacts::run(&ctx, operation, dry_run).await
            }
            Command::Replicate {
                source,
                msp_id,
                targets,
                dry_run,
            } => {
                let operation = Operation::ReplicateOrg {
                    source_region_id: source,
                    msp_id,
                    target_region_ids: targets,
                };
                artifacts::run(&ctx, operation, dry_run).await
            }
            Command::Mesh { dry_run } => artifacts::run(&ctx, Operation::Mesh, dry_run).await,
            Command::CaAdmin(cmd) => ca_admins::run(&ctx, cmd).await,
            Command::Ca(cmd) => ca::run(&ctx, cmd).await,
            Command::Wallet(cmd) => artifacts::wallet(&ctx, cmd).await,
            Command::Audit => artifacts::audit(&ctx),
            Command::Certs { within } => certificates::calendar(&ctx, within).await,
            Command::Posture { lose } => posture::posture(&ctx, &lose).await,
            Command::Place { node, region } => posture::place(&ctx, &node, &region).await,
            Command::Drift { make_equal, from } => match (make_equal, from) {
                (Some(key), Some(from)) => drift::make_equal(&ctx, &key, &from).await,
                _ => drift::drift(&ctx).await,
            },
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("atlas: {}", output::printable(&e.message));
            ExitCode::from(exit_code(&e))
        }
    }
}

fn exit_code(e: &AppError) -> u8 {
    match e.code {
        ErrorCode::InvalidInput | ErrorCode::NotFound | ErrorCode::Conflict => 1,
        ErrorCode::Unreachable
        | ErrorCode::Unauthorized
        | ErrorCode::LockedOut
        | ErrorCode::RateLimited
        | ErrorCode::Console => 3,
        ErrorCode::Keyring | ErrorCode::Config | ErrorCode::Internal => 4,
    }
}
