//! `atlas`: Fabric Atlas without a window, over the same core as the desktop app.
//!
//! Exit codes, for scripts: 0 success; 1 refused input or an item that failed; 2 usage;
//! 3 a console could not be reached or refused us; 4 configuration or keyring trouble.

mod output;
mod regions;

use std::path::PathBuf;
use std::process::ExitCode;

use atlas_core::{AppError, ErrorCode};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "atlas", version, about = "Fabric Atlas on the command line")]
struct Cli {
    /// The configuration directory (default: $FABRIC_ATLAS_CONFIG_DIR, else the platform's).
    #[arg(long, global = true, value_name = "DIR")]
    config_dir: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    let ctx = regions::Context::new(cli.config_dir, cli.json);
    let result = runtime.block_on(async {
        match cli.command {
            Command::Region(cmd) => regions::run(&ctx, cmd).await,
            Command::Components { region } => regions::components(&ctx, &region).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("atlas: {}", e.message);
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
