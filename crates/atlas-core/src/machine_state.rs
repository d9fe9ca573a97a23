//! The state every Fabric Atlas process of this user shares on this machine, whatever its config
//! dir: the consoles' locks (`console_lock`), what they refused (`refusals`) and their request
//! budgets (`budget`). Files in it are named after a console by a digest of its URL.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::component::url_key;
use crate::error::{AppError, ErrorCode};

/// Overrides the directory shared by every process of this user (tests give each run its own).
pub const STATE_DIR_ENV: &str = "FABRIC_ATLAS_STATE_DIR";

/// The directory this user's Fabric Atlas processes share on this machine.
pub fn machine_state_dir() -> Result<PathBuf, AppError> {
    if let Some(dir) = std::env::var_os(STATE_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "Fabric Atlas", "fabric-atlas")
        .map(|dirs| {
            dirs.state_dir()
                .unwrap_or_else(|| dirs.data_local_dir())
                .to_path_buf()
        })
        .ok_or_else(|| AppError::new(ErrorCode::Config, "no home directory to keep state in"))
}

/// A short hex digest of `parts`: a safe, fixed-length file name for anything.
pub(crate) fn digest(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The name a console goes by in the state dir: the same console under two spellings (with and
/// without its default port, a trailing slash) is one console.
pub(crate) fn console_key(url: &str) -> String {
    let normal = url::Url::parse(url.trim()).map_or_else(|_| url.to_owned(), String::from);
    url_key(&normal)
}
