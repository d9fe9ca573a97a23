//! The user's files, read and written without trusting what names them. Reading takes only regular files (checked
//! on the opened descriptor, so a path swapped after a check changes nothing; opened
//! non-blocking, so a FIFO never hangs the open), each read with a limit whatever its size
//! claims (devices and `/proc` files claim 0), and a limit on the files and bytes of one batch.
//! Every refusal says why, for the caller to name the file. Writing makes one safe file name of
//! a name from elsewhere, never follows a symlink, and never replaces a file unless asked.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

use crate::artifacts::{MAX_JSON_BYTES, MAX_ZIP_BYTES};
use crate::storage::complete_beside;

/// The largest file read: the console's own limit for a JSON file or a bulk ZIP.
pub const MAX_FILE_BYTES: u64 = if MAX_JSON_BYTES > MAX_ZIP_BYTES {
    MAX_JSON_BYTES as u64
} else {
    MAX_ZIP_BYTES as u64
};

/// The most files one import, validation or wallet import takes.
pub const MAX_BATCH_FILES: usize = 100;

/// The most bytes one batch reads, all files together.
pub const MAX_BATCH_BYTES: u64 = 16 * 1024 * 1024;

/// Reads the regular file at `path`, refusing it past `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = open_for_reading(path).map_err(|e| format!("cannot be read: {e}"))?;
    let metadata = file
        .metadata()
        .map_err(|e| format!("cannot be read: {e}"))?;
    if !metadata.is_file() {
        return Err(format!(
            "is not a regular file ({}); only files can be read",
            kind_of(&metadata)
        ));
    }
    if metadata.len() > limit {
        return Err(too_big(metadata.len(), limit));
    }
    // The size seen above may be stale, or false (a growing file): the read is bounded anyway.
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("grew past {limit} bytes while it was read"));
    }
    Ok(bytes)
}

/// Why a batch of `count` files is refused before any is read, if it is.
pub fn batch_too_many(count: usize) -> Option<String> {
    (count > MAX_BATCH_FILES).then(|| {
        format!("{count} files at once; one batch takes at most {MAX_BATCH_FILES}: split it")
    })
}

fn too_big(size: u64, limit: u64) -> String {
    format!(
        "is {size} bytes; at most {limit} are read (the console accepts at most \
         {MAX_JSON_BYTES} bytes for a JSON file and {MAX_ZIP_BYTES} for a ZIP)"
    )
}

/// Opens without blocking (a FIFO with no writer would block the open forever); reads on a
/// regular file are unaffected.
fn open_for_reading(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn kind_of(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a pipe";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if metadata.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// One safe file-name component made of a name from elsewhere (a console's display name).
pub use atlas_artifacts::safe_file_name;

/// Creates `path` with `contents`, complete and fsynced before it appears; refuses an existing
/// file or symlink there (`AlreadyExists`). Owner-only when `private`.
pub fn write_new(path: &Path, contents: &[u8], private: bool) -> std::io::Result<()> {
    complete_beside(path, contents, private)?
        .persist_noclobber(path)
        .map(drop)
        .map_err(|e| e.error)
}

/// Replaces whatever is at `path` (a symlink itself, never its target) with `contents`,
/// complete and fsynced before it appears. Owner-only when `private`.
pub fn write_replacing(path: &Path, contents: &[u8], private: bool) -> std::io::Result<()> {
    complete_beside(path, contents, private)?
        .persist(path)
        .map(drop)
        .map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_whole_within_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("peer.json");
        std::fs::write(&path, b"{}").unwrap();
        assert_eq!(read_limited(&path, 2).unwrap(), b"{}");
        let refused = read_limited(&path, 1).unwrap_err();
        assert!(
            refused.starts_with("is 2 bytes; at most 1 are read"),
            "{refused}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn pipes_devices_directories_and_symlink_loops_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // No writer: a blocking open would never return.
        assert!(read_limited(&fifo, MAX_FILE_BYTES)
            .unwrap_err()
            .contains("a pipe"));
        let zero = read_limited(Path::new("/dev/zero"), MAX_FILE_BYTES).unwrap_err();
        assert!(zero.contains("a device"), "{zero}");
        assert!(read_limited(dir.path(), MAX_FILE_BYTES)
            .unwrap_err()
            .contains("a directory"));
        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert!(read_limited(&a, MAX_FILE_BYTES)
            .unwrap_err()
            .starts_with("cannot be read"));
    }

    #[test]
    fn a_sparse_file_claiming_gigabytes_is_refused_by_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.json");
        let file = File::create(&path).unwrap();
        file.set_len(8 * 1024 * 1024 * 1024).unwrap();
        let refused = read_limited(&path, MAX_FILE_BYTES).unwrap_err();
        assert!(refused.starts_with("is 8589934592 bytes"), "{refused}");
    }

    #[test]
    fn a_new_file_never_replaces_a_file_or_follows_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("peer.json");
        write_new(&path, b"one", false).unwrap();
        let again = write_new(&path, b"two", false).unwrap_err();
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");

        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, b"keep").unwrap();
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&outside, &link).unwrap();
            assert!(write_new(&link, b"evil", false).is_err());
            write_replacing(&link, b"mine", true).unwrap();
            assert_eq!(
                std::fs::read(&outside).unwrap(),
                b"keep",
                "the target is untouched"
            );
            assert!(!std::fs::symlink_metadata(&link).unwrap().is_symlink());
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&link), 0o600, "private");
            assert_eq!(mode(&path), 0o644);
        }
    }

    #[test]
    fn a_batch_of_too_many_files_is_refused_before_reading() {
        assert_eq!(batch_too_many(MAX_BATCH_FILES), None);
        assert!(batch_too_many(MAX_BATCH_FILES + 1)
            .unwrap()
            .contains("split it"));
    }
}
