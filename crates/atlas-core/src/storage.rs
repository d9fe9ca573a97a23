//! Small, durable files in the config dir: written atomically (temp file in the same directory,
//! fsync, rename), so a crash leaves either the old file or the new one, never half of one.

use std::fs;
use std::io::Write;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{AppError, ErrorCode};

/// Replaces `path` with `bytes` atomically, creating its directory when needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    written_beside(path, bytes)?
        .persist(path)
        .map_err(|e| config_error(path, &e.error.to_string()))?;
    Ok(())
}

/// `bytes` in a temp file in `path`'s directory (created when needed), complete and fsynced.
fn written_beside(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, AppError> {
    let dir = path
        .parent()
        .ok_or_else(|| config_error(path, "has no parent directory"))?;
    fs::create_dir_all(dir).map_err(|e| config_error(dir, &e.to_string()))?;
    complete_beside(path, bytes, true).map_err(|e| config_error(path, &e.to_string()))
}

/// `bytes` in a temp file in `path`'s directory, complete and fsynced, for a rename over `path`:
/// a reader never sees half a file, and a crash leaves the old one. Owner-only when `private`
/// (tempfile's mode), else readable by others as files usually are.
pub(crate) fn complete_beside(
    path: &Path,
    bytes: &[u8],
    private: bool,
) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    #[cfg(unix)]
    if !private {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = private;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// The config dir's lock, held for every read-modify-write of a config file (fleet, wallet, CA
/// admins): the app and any number of `atlas` runs share the files, and none may write over a
/// change another made after it read. Released when dropped. Held only for moments (a read, a
/// keyring call and a write), so it is taken blocking.
#[derive(Debug)]
pub struct ConfigLock {
    _file: fs::File,
}

/// Takes the lock of config dir `dir` (creating the dir), waiting for another holder.
pub fn lock_config(dir: &Path) -> Result<ConfigLock, AppError> {
    fs::create_dir_all(dir).map_err(|e| config_error(dir, &e.to_string()))?;
    let path = dir.join(".lock");
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| config_error(&path, &e.to_string()))?;
    file.lock()
        .map_err(|e| config_error(&path, &format!("cannot be locked: {e}")))?;
    Ok(ConfigLock { _file: file })
}

/// Creates `path` with `bytes` (complete, fsynced) unless it exists: when another process made it
/// first, theirs stays and this is not an error.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    match written_beside(path, bytes)?.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(config_error(path, &e.error.to_string())),
    }
}

/// Reads `path`; `None` when it does not exist yet.
pub fn read_optional(path: &Path) -> Result<Option<String>, AppError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(config_error(path, &e.to_string())),
    }
}

/// Reads a versioned JSON file (`{"version": N, …}`) as a `T`; `None` when it does not exist yet.
/// `what` names the kind of file in messages ("a wallet file").
pub fn read_versioned<T: DeserializeOwned>(
    path: &Path,
    version: u32,
    what: &str,
) -> Result<Option<T>, AppError> {
    let Some(text) = read_optional(path)? else {
        return Ok(None);
    };
    let not_it = |e: serde_json::Error| config_error(path, &format!("not {what}: {e}"));
    let value: Value = serde_json::from_str(&text).map_err(not_it)?;
    let found = value.get("version").and_then(Value::as_u64);
    if found != Some(u64::from(version)) {
        let found = found.map_or_else(|| "missing".to_owned(), |v| v.to_string());
        return Err(config_error(
            path,
            &format!(
                "field 'version': {found} is not supported by this build (it reads version {version})"
            ),
        ));
    }
    serde_json::from_value(value).map(Some).map_err(not_it)
}

/// Writes `value` as pretty JSON, atomically.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), AppError> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| config_error(path, &format!("cannot be written: {e}")))?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

pub fn config_error(path: &Path, reason: &str) -> AppError {
    AppError::new(ErrorCode::Config, format!("{}: {reason}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_files_and_creates_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/state.json");
        assert_eq!(read_optional(&path).unwrap(), None);
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(read_optional(&path).unwrap().as_deref(), Some("second"));
        // No temp files are left behind.
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }
}
