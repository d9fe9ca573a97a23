//! The version and commit a Fabric Atlas build was made from, shared by the app and `atlas` so
//! both name the same build the same way.

/// The workspace's version, e.g. `0.1.0`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The commit's short hash (`FABRIC_ATLAS_COMMIT` at build time, else git), or `unknown`.
pub const COMMIT: &str = env!("FABRIC_ATLAS_BUILD_COMMIT");

/// `0.1.0 (commit 1a2b3c4d5e6f)`: how a person reads which build this is.
pub fn version_line() -> String {
    format!("{VERSION} (commit {COMMIT})")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_version_line_names_the_workspace_version_and_a_commit() {
        let line = super::version_line();
        assert!(line.starts_with(env!("CARGO_PKG_VERSION")), "{line}");
        let commit = super::COMMIT;
        assert!(
            commit == "unknown"
                || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
            "commit {commit:?}"
        );
    }
}
