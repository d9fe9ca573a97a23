//! [`Finding`]: one problem found in an artifact file, naming the file, the field and the reason.

use std::fmt;

use serde::Serialize;
use ts_rs::TS;

/// How bad a [`Finding`] is. An error refuses the file; a warning is shown and the file is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A fix the application can apply for the user when a finding offers one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Remedy {
    /// The private key is SEC1 (`BEGIN EC PRIVATE KEY`); [`super::sec1_to_pkcs8`] converts it.
    ConvertSec1ToPkcs8,
}

/// The field name used when a finding is about the whole document rather than one field.
pub const WHOLE_FILE: &str = "$";

/// One problem in one field of one file.
///
/// `field` is a JSON path into the file as written (`msp.component.tls_cert`, `[1].api_url`,
/// `root_certs[0]`, `private_key`), or [`WHOLE_FILE`] (`$`) for the document itself. For an
/// entry of a bulk ZIP, `file` is `archive.zip/Folder/entry.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Finding {
    pub file: String,
    pub field: String,
    pub severity: Severity,
    pub reason: String,
    /// A conversion the application can offer (only set on findings that have one).
    pub remedy: Option<Remedy>,
}

impl Finding {
    pub fn error(
        file: impl Into<String>,
        field: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::new(file, field, Severity::Error, reason)
    }

    pub fn warning(
        file: impl Into<String>,
        field: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::new(file, field, Severity::Warning, reason)
    }

    fn new(
        file: impl Into<String>,
        field: impl Into<String>,
        severity: Severity,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            field: field.into(),
            severity,
            reason: reason.into(),
            remedy: None,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    /// `Org1 CA_ca.json: msp.component.tls_cert: certificate expired on 2025-01-01`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.field, self.reason)
    }
}

/// True when any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

/// Joins a JSON path prefix and a key or index: `("msp", "ca")` → `msp.ca`,
/// `("root_certs", "[0]")` → `root_certs[0]`, `("", "api_url")` → `api_url`.
pub(crate) fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() || prefix == WHOLE_FILE {
        field.to_string()
    } else if field.is_empty() || field == WHOLE_FILE {
        prefix.to_string()
    } else if field.starts_with('[') {
        format!("{prefix}{field}")
    } else {
        format!("{prefix}.{field}")
    }
}

/// Collects the findings of one file (or one item of it, below `prefix`).
#[derive(Debug, Clone)]
pub(crate) struct Sink {
    pub file: String,
    pub prefix: String,
    pub findings: Vec<Finding>,
}

impl Sink {
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_string(),
            prefix: String::new(),
            findings: Vec::new(),
        }
    }

    pub fn with_prefix(file: &str, prefix: &str) -> Self {
        Self {
            prefix: prefix.to_string(),
            ..Self::new(file)
        }
    }

    pub fn path(&self, field: &str) -> String {
        let p = join(&self.prefix, field);
        if p.is_empty() {
            WHOLE_FILE.to_string()
        } else {
            p
        }
    }

    pub fn error(&mut self, field: &str, reason: impl Into<String>) {
        let f = Finding::error(self.file.clone(), self.path(field), reason);
        self.findings.push(f);
    }

    pub fn warn(&mut self, field: &str, reason: impl Into<String>) {
        let f = Finding::warning(self.file.clone(), self.path(field), reason);
        self.findings.push(f);
    }

    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub fn has_errors(&self) -> bool {
        has_errors(&self.findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_field_and_reason() {
        let f = Finding::error(
            "Org1 CA_ca.json",
            "msp.component.tls_cert",
            "certificate expired on 2025-01-01",
        );
        assert_eq!(
            f.to_string(),
            "Org1 CA_ca.json: msp.component.tls_cert: certificate expired on 2025-01-01"
        );
    }

    #[test]
    fn paths_join_like_json_paths() {
        assert_eq!(join("", "api_url"), "api_url");
        assert_eq!(join("[1]", "api_url"), "[1].api_url");
        assert_eq!(join("root_certs", "[0]"), "root_certs[0]");
        assert_eq!(join("msp", "component.tls_cert"), "msp.component.tls_cert");
        let mut s = Sink::with_prefix("f.json", "raft[2]");
        s.warn("msp_id", "x");
        s.error("", "y");
        assert_eq!(s.findings[0].field, "raft[2].msp_id");
        assert_eq!(s.findings[1].field, "raft[2]");
        assert!(s.has_errors());
        let mut root = Sink::new("f.json");
        root.error("", "z");
        assert_eq!(root.findings[0].field, WHOLE_FILE);
    }
}
