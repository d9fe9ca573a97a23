//! The audit log: every change Fabric Atlas makes to a console, appended as one JSON line, written
//! durably (fsync per entry), never rewritten. It names what changed where, never a secret. An
//! intent is written before each change is sent (nothing is sent when it cannot be) and the
//! outcome when it is known, each at its own moment; the processes of one profile append to one
//! file.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;
use crate::ipc::RegionName;
use crate::storage::config_error;

const AUDIT_FILE_NAME: &str = "audit.jsonl";

/// One change to a console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub at_ms: u64,
    /// `import`, `transfer`, `delete`, …
    pub operation: String,
    /// The artifact: its kind and display name (e.g. `msp Org1 MSP`).
    pub artifact: String,
    /// Where it came from: a file name, a component on a region, a wallet identity.
    pub source: String,
    /// The region it was copied from, when it came from a console: views show its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source_region_id: Option<String>,
    /// The region whose console was changed (or would have been).
    pub target: String,
    /// `sending` (the intent, written before the change), then `created org1msp`,
    /// `already there as org1msp`, `failed: …`.
    pub outcome: String,
}

impl AuditEntry {
    /// The entry, copied from region `region_id`'s console.
    pub fn from_region(mut self, region_id: Option<&str>) -> Self {
        self.source_region_id = region_id.map(str::to_owned);
        self
    }

    pub fn now(
        operation: &str,
        artifact: impl Into<String>,
        source: impl Into<String>,
        target: impl Into<String>,
        outcome: impl Into<String>,
    ) -> Self {
        Self {
            at_ms: crate::clock::unix_ms_now(),
            operation: operation.into(),
            artifact: artifact.into(),
            source: source.into(),
            source_region_id: None,
            target: target.into(),
            outcome: outcome.into(),
        }
    }
}

pub struct AuditLog {
    path: PathBuf,
    // Serialises appends from concurrent operations so lines never interleave.
    writer: Mutex<()>,
}

impl AuditLog {
    pub fn in_dir(dir: impl AsRef<Path>) -> Self {
        Self {
            path: dir.as_ref().join(AUDIT_FILE_NAME),
            writer: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How long the log is, in bytes (0 before its first entry): it only ever grows.
    pub fn size(&self) -> u64 {
        std::fs::metadata(&self.path).map_or(0, |m| m.len())
    }

    /// Appends entries and syncs them to disk before returning. A torn last line (a crash in the
    /// middle of a write) is ended first, so it never swallows what comes after it.
    pub fn append_all(&self, entries: &[AuditEntry]) -> Result<(), AppError> {
        let _guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| config_error(dir, &e.to_string()))?;
        }
        let mut text = String::new();
        for entry in entries {
            text.push_str(&serde_json::to_string(entry).expect("an audit entry always serializes"));
            text.push('\n');
        }
        let fail = |e: std::io::Error| config_error(&self.path, &format!("cannot be written: {e}"));
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(fail)?;
        if entries.is_empty() {
            return Ok(()); // `check_writable`
        }
        if !ends_a_line(&mut file).map_err(fail)? {
            text.insert(0, '\n');
        }
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(fail)
    }

    pub fn append(&self, entry: &AuditEntry) -> Result<(), AppError> {
        self.append_all(std::slice::from_ref(entry))
    }

    /// Whether entries can be appended now (it opens the log for appending; writes nothing).
    pub fn check_writable(&self) -> Result<(), AppError> {
        self.append_all(&[])
    }

    /// Every entry, oldest first, and the numbers of the lines that do not parse (a torn write
    /// after a power cut): reported, and never hiding the rest of the log.
    pub fn read(&self) -> Result<AuditRead, AppError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AuditRead::default()),
            Err(e) => return Err(config_error(&self.path, &e.to_string())),
        };
        let mut read = AuditRead::default();
        for (index, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| config_error(&self.path, &e.to_string()))?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str(&line) {
                Ok(entry) => read.entries.push(entry),
                Err(_) => read.unreadable_lines.push(index + 1),
            }
        }
        Ok(read)
    }
}

/// The log as read: its entries, and which lines could not be read.
#[derive(Debug, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditRead {
    pub entries: Vec<AuditEntry>,
    /// 1-based line numbers.
    #[ts(type = "number[]")]
    pub unreadable_lines: Vec<usize>,
    /// Every region the entries name (target or source), by the name the fleet knows it by now
    /// (a removed one's included): the log records ids.
    pub regions: Vec<RegionName>,
}

impl AuditRead {
    /// The ids of the regions the entries name, each once, in the order first met.
    pub fn region_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for entry in &self.entries {
            let named = std::iter::once(&entry.target).chain(entry.source_region_id.as_ref());
            for id in named {
                if !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
        }
        ids
    }
}

/// Whether the file is empty or its last byte ends a line.
fn ends_a_line(file: &mut std::fs::File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    if file.metadata()?.len() == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_appended_and_read_back_in_order_surviving_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_dir(dir.path());
        assert_eq!(log.read().unwrap(), AuditRead::default());
        let first = AuditEntry::now(
            "import",
            "msp Org1 MSP",
            "Org1 MSP_msp.json",
            "us-west",
            "created org1msp",
        );
        log.append(&first).unwrap();
        // A torn write from a crash (no line end) must not hide what came before or after.
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"{\"atMs\":12,\"oper")
            .unwrap();
        let second = AuditEntry::now(
            "import",
            "fabric-peer Org1 Peer1",
            "sandbox-1",
            "us-west",
            "already there as org1peer1",
        );
        log.append(&second).unwrap();
        let read = log.read().unwrap();
        assert_eq!(read.entries, vec![first, second]);
        assert_eq!(read.unreadable_lines, [2], "the torn line is reported");
    }
}
