//! `console-emulator`: runs emulated consoles until SIGINT/SIGTERM (or, with
//! `--exit-on-stdin-close`, until standard input closes) and prints one line per region and
//! one for the control API, in a fixed `key=value` format, once everything listens.

use anyhow::Result;
use clap::Parser;
use console_emulator::{CaAdmin, Emulator, EmulatorOptions, Limits, Scenario};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "console-emulator",
    version,
    about = "Emulated Fabric Operations Consoles on 127.0.0.1"
)]
struct Args {
    /// Number of regions (consoles).
    #[arg(long, default_value_t = 3)]
    regions: usize,
    /// First console port; region i listens on base+i-1 and the control API on base+N.
    /// 0 picks free ports.
    #[arg(long, default_value_t = 0)]
    base_port: u16,
    /// Folder of the regions' databases; the same folder gives back the same data.
    #[arg(long)]
    data_dir: PathBuf,
    /// empty | sandbox | ha (ha needs at least 3 regions)
    #[arg(long, default_value_t = Scenario::Sandbox)]
    scenario: Scenario,
    /// GET requests per minute per client on /ak/.
    #[arg(long)]
    get_per_min: Option<u32>,
    /// Non-GET requests per minute per client on /ak/.
    #[arg(long)]
    non_get_per_min: Option<u32>,
    /// Bootstrap identity of every simulated Fabric CA (enrollment and TLS CA alike).
    #[arg(long, value_name = "ID:SECRET", default_value = "admin:adminpw")]
    ca_admin: CaAdmin,
    /// Stop when standard input closes (so a test harness never leaves it running).
    #[arg(long)]
    exit_on_stdin_close: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber_init();
    let args = Args::parse();
    let defaults = Limits::default();
    let limits = Limits {
        get_per_min: args.get_per_min.unwrap_or(defaults.get_per_min),
        non_get_per_min: args.non_get_per_min.unwrap_or(defaults.non_get_per_min),
        ..defaults
    };
    let emulator = Emulator::start_with_ca_admin(
        EmulatorOptions {
            regions: args.regions,
            base_port: args.base_port,
            data_dir: args.data_dir,
            scenario: args.scenario,
            limits,
        },
        args.ca_admin,
    )
    .await?;

    let mut out = std::io::stdout().lock();
    for r in emulator.regions() {
        writeln!(
            out,
            "region={} name=\"{}\" location={} url={} api_key={} api_secret={}",
            r.index, r.name, r.location, r.console_url, r.api_key, r.api_secret
        )?;
    }
    writeln!(
        out,
        "control url={} token={}",
        emulator.control_url(),
        emulator.control_token()
    )?;
    out.flush()?;
    drop(out);

    wait_for_stop(args.exit_on_stdin_close).await;
    emulator.shutdown().await;
    Ok(())
}

/// Logs go to stderr (stdout carries the parseable lines), `warn` unless RUST_LOG says more.
fn tracing_subscriber_init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

async fn wait_for_stop(on_stdin_close: bool) {
    let stdin_closed = async {
        if on_stdin_close {
            // a blocking read on a plain thread: tokio's stdin would keep the runtime busy
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            std::thread::spawn(move || {
                let mut sink = Vec::new();
                let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
                let _ = tx.send(());
            });
            let _ = rx.await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = stdin_closed => {}
        _ = signal() => {}
    }
}

#[cfg(unix)]
async fn signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn signal() {
    let _ = tokio::signal::ctrl_c().await;
}
