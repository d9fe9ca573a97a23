//! Records the commit this build was made from. `FABRIC_ATLAS_COMMIT` overrides it (a build from a
//! source tarball has no git); without either the commit reads "unknown".

use std::path::Path;
use std::process::Command;

const OVERRIDE: &str = "FABRIC_ATLAS_COMMIT";

fn main() {
    println!("cargo:rerun-if-env-changed={OVERRIDE}");
    let commit = std::env::var(OVERRIDE)
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown".to_owned());
    println!(
        "cargo:rustc-env=FABRIC_ATLAS_BUILD_COMMIT={}",
        commit.trim()
    );
}

/// The short hash of HEAD; asks Cargo to run this again when HEAD moves (a commit, a checkout),
/// and only then, so a commit rebuilds the two binaries and nothing else.
fn git_commit() -> Option<String> {
    let git = |args: &[&str]| {
        let out = Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let git_dir = git(&["rev-parse", "--absolute-git-dir"])?;
    for watched in ["HEAD", "logs/HEAD"] {
        let path = Path::new(&git_dir).join(watched);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(&["rev-parse", "--short=12", "HEAD"])
}
