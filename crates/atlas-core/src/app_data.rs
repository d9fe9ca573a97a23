//! The desktop app's data directory (its sandbox and its logs), named here because `atlas
//! --version` names the app's log too.

use std::path::PathBuf;

/// Overrides the app's data directory (tests give each run its own).
pub const DATA_DIR_ENV: &str = "FABRIC_ATLAS_DATA_DIR";

/// `$FABRIC_ATLAS_DATA_DIR`, else the platform's local data dir for Fabric Atlas.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "Fabric Atlas", "fabric-atlas")
        .map(|dirs| dirs.data_local_dir().to_path_buf())
}

/// Where the app writes its daily log files: `logs/` in its data dir; on macOS, where Console.app
/// looks (`~/Library/Logs/Fabric Atlas`) unless the data dir is overridden.
pub fn log_dir() -> Option<PathBuf> {
    #[cfg(target_os = "macos")]
    if std::env::var_os(DATA_DIR_ENV).is_none_or(|d| d.is_empty()) {
        return directories::BaseDirs::new()
            .map(|dirs| dirs.home_dir().join("Library/Logs/Fabric Atlas"));
    }
    data_dir().map(|dir| dir.join("logs"))
}
