//! The `atlas` binary: everything is in the library (`lib.rs`).

fn main() -> std::process::ExitCode {
    atlas_cli::main()
}
