//! The data folder holds every console's secrets in plain text (see the README), so on unix it
//! is readable by its owner only: the folder 0700, its files 0600. What an older emulator left
//! with wider modes is tightened on open.

use std::fs::File;
use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) owner-only, and tightens it if it already existed.
pub(crate) fn create_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        restrict(dir, 0o700)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Opens `path` for reading and writing, creating it owner-only; an existing file is tightened
/// through the opened descriptor (no window in which another name is changed).
pub(crate) fn open_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o777 != 0o600 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

/// Sets `path`'s mode unless it already has it (a folder someone else owns that is already
/// tight is fine; one that is not cannot be fixed by us and is an error).
#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::metadata(path)?.permissions().mode() & 0o777 == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_and_old_folders_and_files_become_owner_only() {
        let root = tempfile::tempdir().unwrap();
        let fresh = root.path().join("a/b");
        create_dir(&fresh).unwrap();
        assert_eq!(mode(&fresh), 0o700);

        let old = root.path().join("old");
        std::fs::create_dir(&old).unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
        create_dir(&old).unwrap();
        assert_eq!(mode(&old), 0o700);

        let file = fresh.join("new.redb");
        open_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);

        let old_file = old.join("old.redb");
        std::fs::write(&old_file, b"kept").unwrap();
        std::fs::set_permissions(&old_file, std::fs::Permissions::from_mode(0o644)).unwrap();
        open_file(&old_file).unwrap();
        assert_eq!(mode(&old_file), 0o600);
        assert_eq!(
            std::fs::read(&old_file).unwrap(),
            b"kept",
            "never truncated"
        );
    }
}
