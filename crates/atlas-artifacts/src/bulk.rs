//! The console's bulk ZIP ("Settings → Bulk data management"): one JSON object per entry in
//! `Certificate Authorities/`, `Peers/`, `Ordering Services/`, `Organizations/`, `Wallet/`
//! (the console's templates spell them with underscores; both are read). Directories and
//! `__MACOSX*` entries are skipped, as the console UI does.

use std::io::{Cursor, Read, Write};
use std::time::SystemTime;

use serde_json::Value;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::detect::{kind_from_file_name, kind_from_folder};
use super::export::{export_value, type_suffix, ExportOptions};
use super::finding::{has_errors, Finding, WHOLE_FILE};
use super::json::{to_console_json, MAX_JSON_BYTES, MAX_ZIP_BYTES};
use super::model::{ArtifactKind, Identity};
use super::read::{read_document, Hint, ParsedFile, ParsedItem};
use crate::safe_file_name;

/// At most this many entries are read from one archive.
pub const MAX_ZIP_ENTRIES: usize = 1000;
/// At most this many bytes are inflated from one archive (zip-bomb guard).
pub const MAX_ZIP_INFLATED: u64 = 32 * 1024 * 1024;

/// What one ZIP entry held.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkEntry {
    /// Path inside the archive.
    pub path: String,
    /// The kind its folder or name announces.
    pub hint: Option<ArtifactKind>,
    /// Its artifacts (an entry may hold an ordering service array), or why it is refused.
    pub outcome: Result<Vec<ParsedItem>, Vec<Finding>>,
}

/// Every entry of a bulk ZIP with its own outcome: the per-item report the UI shows.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkReport {
    pub archive: String,
    pub entries: Vec<BulkEntry>,
    /// Entries skipped on purpose (directories, `__MACOSX`), as notes.
    pub notes: Vec<Finding>,
}

impl BulkReport {
    /// True when no entry is refused.
    pub fn is_clean(&self) -> bool {
        self.entries.iter().all(|e| e.outcome.is_ok())
    }

    /// Every finding of every entry (errors of refused entries, warnings of accepted ones).
    pub fn findings(&self) -> Vec<&Finding> {
        let mut out: Vec<&Finding> = self.notes.iter().collect();
        for e in &self.entries {
            match &e.outcome {
                Ok(items) => out.extend(items.iter().flat_map(|i| i.warnings.iter())),
                Err(f) => out.extend(f.iter()),
            }
        }
        out
    }

    /// All-or-nothing: the artifacts when every entry is fine, else every finding.
    pub fn into_parsed_file(self) -> Result<ParsedFile, Vec<Finding>> {
        if !self.is_clean() {
            return Err(self.findings().into_iter().cloned().collect());
        }
        let mut items = Vec::new();
        for e in self.entries {
            items.extend(e.outcome.unwrap_or_default());
        }
        if items.is_empty() {
            return Err(vec![Finding::error(
                self.archive,
                WHOLE_FILE,
                "the archive holds no console artifacts",
            )]);
        }
        Ok(ParsedFile {
            name: self.archive,
            items,
            warnings: self.notes,
        })
    }
}

/// An entry name that would land outside the folder the archive is unpacked in.
fn escapes(path: &str) -> bool {
    path.starts_with('/')
        || path.contains('\\')
        || path.contains(':')
        || path.split('/').any(|part| part == "..")
}

fn skipped(path: &str) -> bool {
    path.ends_with('/') || path.contains("__MACOS")
}

/// Reads a bulk ZIP entry by entry. `Err` only when the archive itself is unusable (too big,
/// not a ZIP, too many entries); a bad entry is reported in its [`BulkEntry`].
pub fn read_bulk(name: &str, bytes: &[u8], now: SystemTime) -> Result<BulkReport, Vec<Finding>> {
    let refuse = |reason: String| vec![Finding::error(name, WHOLE_FILE, reason)];
    if bytes.len() > MAX_ZIP_BYTES {
        return Err(refuse(format!(
            "the archive is {} bytes; the console accepts bulk ZIP files of at most {MAX_ZIP_BYTES} bytes",
            bytes.len()
        )));
    }
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| refuse(format!("is not a readable ZIP archive ({e})")))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(refuse(format!(
            "the archive has {} entries; at most {MAX_ZIP_ENTRIES} are read",
            archive.len()
        )));
    }
    let mut report = BulkReport {
        archive: name.to_string(),
        entries: Vec::new(),
        notes: Vec::new(),
    };
    let mut inflated = 0u64;
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => return Err(refuse(format!("entry {i} cannot be read ({e})"))),
        };
        let path = entry.name().to_string();
        if entry.is_dir() || skipped(&path) {
            continue;
        }
        let label = format!("{name}/{path}");
        if escapes(&path) {
            // Never unpacked here, but such a name is a trap for whoever unpacks the archive.
            report.entries.push(BulkEntry {
                path,
                hint: None,
                outcome: Err(vec![Finding::error(
                    &label,
                    WHOLE_FILE,
                    "has a name that leaves the archive's folders (an absolute path or '..'); \
                     a console's export never does",
                )]),
            });
            continue;
        }
        let folder = path.split('/').rev().nth(1);
        let hint = kind_from_file_name(&path)
            .map(|kind| Hint {
                kind,
                from: "file name",
            })
            .or_else(|| {
                folder.and_then(kind_from_folder).map(|kind| Hint {
                    kind,
                    from: "folder",
                })
            });
        let mut data = Vec::new();
        let limit = (MAX_JSON_BYTES as u64 + 1).min(MAX_ZIP_INFLATED - inflated + 1);
        let outcome = match (&mut entry).take(limit).read_to_end(&mut data) {
            Err(e) => Err(vec![Finding::error(
                &label,
                WHOLE_FILE,
                format!("cannot be inflated ({e})"),
            )]),
            Ok(_) if inflated + data.len() as u64 > MAX_ZIP_INFLATED => {
                return Err(refuse(format!(
                    "the archive inflates to more than {MAX_ZIP_INFLATED} bytes"
                )))
            }
            Ok(_) => {
                inflated += data.len() as u64;
                read_document(&label, &label, &data, hint, true, now)
            }
        };
        let outcome = outcome.and_then(|items| folder_check(&label, folder, items));
        report.entries.push(BulkEntry {
            path,
            hint: hint.map(|h| h.kind),
            outcome,
        });
    }
    Ok(report)
}

/// An entry in a console folder must hold that folder's kind.
fn folder_check(
    label: &str,
    folder: Option<&str>,
    items: Vec<ParsedItem>,
) -> Result<Vec<ParsedItem>, Vec<Finding>> {
    let Some(expected) = folder.and_then(kind_from_folder) else {
        return Ok(items);
    };
    let wrong: Vec<Finding> = items
        .iter()
        .filter(|i| i.artifact.kind() != expected)
        .map(|i| {
            Finding::error(
                label,
                "type",
                format!(
                    "the folder '{}' holds {} files, but this is {}",
                    folder.unwrap_or_default(),
                    expected.suffix(),
                    i.artifact.kind().described()
                ),
            )
        })
        .collect();
    if has_errors(&wrong) {
        Err(wrong)
    } else {
        Ok(items)
    }
}

/// Writes a region's bulk ZIP the way the console exports it: `Folder/<id>_<type>.json`, one
/// object per file (orderer nodes one file each), without `id`; identities in `Wallet/`
/// (this file then holds private keys: protect it). Refused when it would exceed the 1 MiB
/// the console UI accepts.
pub fn write_bulk_zip(
    components: &[Value],
    identities: &[Identity],
    opts: &ExportOptions,
) -> Result<Vec<u8>, Finding> {
    let archive = "bulk export";
    let mut files: Vec<(String, String)> = Vec::new();
    for (i, c) in components.iter().enumerate() {
        let t = c.get("type").and_then(Value::as_str).unwrap_or_default();
        let Some(mut value) = export_value(c, opts) else {
            return Err(Finding::error(
                archive,
                format!("[{i}].type"),
                format!("cannot export a component of type '{t}'"),
            ));
        };
        let suffix = type_suffix(if t == "msp-external" { "msp" } else { t });
        let id = value
            .get("id")
            .or_else(|| value.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("component")
            .to_string();
        if let Some(obj) = value.as_object_mut() {
            obj.remove("id");
        }
        let folder = match suffix.as_str() {
            "ca" => ArtifactKind::Ca.folder(),
            "peer" => ArtifactKind::Peer.folder(),
            "orderer" => ArtifactKind::Orderer.folder(),
            _ => ArtifactKind::Msp.folder(),
        };
        // The id comes from the console: whoever unpacks the archive must get one file in the
        // folder, whatever it says.
        files.push((
            format!(
                "{folder}/{}",
                safe_file_name(&format!("{id}_{suffix}.json"))
            ),
            to_console_json(&value),
        ));
    }
    for id in identities {
        let file = super::identity::identity_file(id)?;
        let text = String::from_utf8(file.contents).unwrap_or_default();
        files.push((
            format!(
                "{}/{}",
                ArtifactKind::Identity.folder(),
                safe_file_name(&file.file_name)
            ),
            text,
        ));
    }
    files.sort();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o600);
    let fail =
        |e: String| Finding::error(archive, WHOLE_FILE, format!("cannot write the ZIP ({e})"));
    for (path, text) in &files {
        zip.start_file(path.as_str(), options)
            .map_err(|e| fail(e.to_string()))?;
        zip.write_all(text.as_bytes())
            .map_err(|e| fail(e.to_string()))?;
    }
    let bytes = zip.finish().map_err(|e| fail(e.to_string()))?.into_inner();
    if bytes.len() > MAX_ZIP_BYTES {
        return Err(Finding::error(
            archive,
            WHOLE_FILE,
            format!(
                "the archive would be {} bytes; the console UI imports at most {MAX_ZIP_BYTES}",
                bytes.len()
            ),
        ));
    }
    Ok(bytes)
}
