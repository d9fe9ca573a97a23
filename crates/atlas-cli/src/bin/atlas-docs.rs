//! Writes `atlas`'s shell completions (bash, zsh, fish) and man pages into a directory, for
//! packages to install: `atlas-docs DIR` → `DIR/completions/{atlas.bash,_atlas,atlas.fish}` and
//! `DIR/man1/atlas.1`, `atlas-region.1`, …. Not shipped itself.

use std::path::PathBuf;
use std::process::ExitCode;

use clap_complete::Shell;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: atlas-docs DIR");
        return ExitCode::from(2);
    };
    match write_docs(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("atlas-docs: {}: {e}", dir.display());
            ExitCode::from(1)
        }
    }
}

fn write_docs(dir: &std::path::Path) -> std::io::Result<()> {
    let completions = dir.join("completions");
    std::fs::create_dir_all(&completions)?;
    for (shell, file) in [
        (Shell::Bash, "atlas.bash"),
        (Shell::Zsh, "_atlas"),
        (Shell::Fish, "atlas.fish"),
    ] {
        let mut out = std::fs::File::create(completions.join(file))?;
        clap_complete::generate(shell, &mut atlas_cli::command(), "atlas", &mut out);
    }
    let man = dir.join("man1");
    std::fs::create_dir_all(&man)?;
    clap_mangen::generate_to(atlas_cli::command(), &man)
}
