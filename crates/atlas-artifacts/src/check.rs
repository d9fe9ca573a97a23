//! Field-level checks shared by every kind: names, URLs, MSP ids, tags, certificates.
//! Each check reports into a [`Sink`] with the field's JSON path.

use std::time::SystemTime;

use super::finding::Sink;
use super::pem::{self, PemEncoding};
use super::x509::{self, Cert, Validity};

/// Longest display name the console API takes (peer, orderer, MSP; CAs follow suit here).
pub const MAX_NAME_CHARS: usize = 64;
/// Longest display name the console UI's forms and bulk import accept.
pub const UI_MAX_NAME_CHARS: usize = 30;
/// The console UI's "no special first character" set (`SPECIAL_CHARS` in `helper.js`).
const SPECIAL_FIRST_CHARS: &str = "!@#$%^&*()-_=+[{}]:;\"',<.>?";

/// What a certificate field is expected to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertRole {
    /// A CA certificate (basic constraints CA:TRUE): MSP roots, intermediates, TLS roots.
    Authority,
    /// Any certificate (end-entity or CA).
    Any,
    /// A CA chain: one or more CA certificates in one value (the Ansible identity's `ca`).
    Chain,
}

/// Invisible characters that change how a name reads (bidi overrides, zero-width).
fn is_format_control(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

pub(crate) struct Checker<'a> {
    pub sink: &'a mut Sink,
    pub now: SystemTime,
}

/// Strictness of a name check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameRules {
    /// Component display names: the API's rules are errors, the UI's are warnings.
    Display,
    /// Wallet identity names: the UI's rules are errors (only the UI uses them).
    Identity,
}

impl Checker<'_> {
    /// A required name (display name, identity name).
    pub fn name(&mut self, field: &str, value: Option<&str>, rules: NameRules) {
        let Some(name) = value else {
            self.sink.error(field, "is missing: a name is required");
            return;
        };
        if name.is_empty() {
            self.sink.error(field, "is empty: a name is required");
            return;
        }
        if name.trim().is_empty() {
            self.sink
                .error(field, "is only whitespace: a name is required");
            return;
        }
        if let Some(c) = name
            .chars()
            .find(|c| c.is_control() || is_format_control(*c))
        {
            self.sink.error(
                field,
                format!(
                    "contains the invisible control character U+{:04X}",
                    u32::from(c)
                ),
            );
        }
        let len = name.chars().count();
        if len > MAX_NAME_CHARS {
            self.sink.error(
                field,
                format!("is {len} characters long; at most {MAX_NAME_CHARS} are allowed"),
            );
        }
        let ui_problem = |sink: &mut Sink, reason: String| match rules {
            NameRules::Display => sink.warn(
                field,
                format!("{reason} (the console UI refuses it; its API accepts it)"),
            ),
            NameRules::Identity => sink.error(field, reason),
        };
        if rules == NameRules::Display && len > UI_MAX_NAME_CHARS && len <= MAX_NAME_CHARS {
            self.sink.warn(
                field,
                format!(
                    "is {len} characters long; the console UI accepts at most {UI_MAX_NAME_CHARS}"
                ),
            );
        }
        if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
            ui_problem(self.sink, "starts or ends with whitespace".into());
        }
        if let Some(c) = name
            .chars()
            .next()
            .filter(|c| SPECIAL_FIRST_CHARS.contains(*c))
        {
            ui_problem(
                self.sink,
                format!("starts with the special character '{c}'"),
            );
        }
        if rules == NameRules::Display && name.contains(['<', '>', '`']) {
            self.sink
                .warn(field, "contains '<', '>' or '`', which the console removes");
        }
    }

    /// An MSP id: `[A-Za-z0-9.-]`, at most 250 characters, not `.` or `..`.
    pub fn msp_id(&mut self, field: &str, value: Option<&str>) {
        let Some(id) = value.filter(|v| !v.is_empty()) else {
            self.sink.error(field, "is missing: an MSP id is required");
            return;
        };
        if let Some(c) = id
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-'))
        {
            self.sink.error(
                field,
                format!(
                    "contains '{}'; an MSP id may only hold letters, digits, '.' and '-'",
                    c.escape_default()
                ),
            );
        }
        if id.chars().count() > 250 {
            self.sink.error(field, "is longer than 250 characters");
        }
        if id == "." || id == ".." {
            self.sink.error(field, "cannot be '.' or '..'");
        }
    }

    /// A gRPC endpoint: `grpcs://host:port` (the console's `^grpcs?://[\w-._~]+:\d{1,5}$`).
    pub fn grpc_url(&mut self, field: &str, value: Option<&str>, required: bool) {
        let Some(url) = self.present(field, value, required) else {
            return;
        };
        let rest = url
            .strip_prefix("grpcs://")
            .or_else(|| url.strip_prefix("grpc://"));
        let parts = rest.and_then(|r| r.rsplit_once(':'));
        let ok = parts.is_some_and(|(host, port)| {
            !host.is_empty()
                && host.chars().all(host_char)
                && (1..=5).contains(&port.len())
                && port.chars().all(|c| c.is_ascii_digit())
        });
        if !ok {
            self.sink.error(
                field,
                format!("'{url}' is not a gRPC URL with protocol, host and port, like grpcs://peer0.example.com:7051 (no path)"),
            );
            return;
        }
        if let Some((_, port)) = parts {
            self.port(field, port);
        }
        if url.starts_with("grpc://") {
            self.sink.warn(
                field,
                "uses grpc:// (no TLS); Fabric nodes normally speak grpcs://",
            );
        }
    }

    /// An HTTP URL: `https://host[:port][/path]` (the console's `^https?://[\w-._~]+`).
    /// A missing port is a warning (the console assumes 443 or 80).
    pub fn http_url(&mut self, field: &str, value: Option<&str>, required: bool) {
        let Some(url) = self.present(field, value, required) else {
            return;
        };
        let (scheme, rest) = match url
            .strip_prefix("https://")
            .map(|r| ("https", r))
            .or_else(|| url.strip_prefix("http://").map(|r| ("http", r)))
        {
            Some(x) => x,
            None => {
                self.sink.error(
                    field,
                    format!("'{url}' is not an http(s) URL with protocol, host and port, like https://console.example.com:443"),
                );
                return;
            }
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if host.is_empty() || !host.chars().all(host_char) {
            self.sink.error(
                field,
                format!("'{url}' has no valid host name or IPv4 address after {scheme}://"),
            );
            return;
        }
        match port {
            Some(p) => self.port(field, p),
            None => self.sink.warn(
                field,
                format!(
                    "'{url}' has no port; the console assumes {}",
                    if scheme == "https" { 443 } else { 80 }
                ),
            ),
        }
    }

    fn port(&mut self, field: &str, port: &str) {
        match port.parse::<u32>() {
            Ok(p) if (1..=65535).contains(&p) => {}
            Ok(p) => self
                .sink
                .error(field, format!("port {p} is out of range (1–65535)")),
            Err(_) => self
                .sink
                .error(field, format!("port '{port}' is not a number")),
        }
    }

    fn present<'v>(
        &mut self,
        field: &str,
        value: Option<&'v str>,
        required: bool,
    ) -> Option<&'v str> {
        match value {
            None | Some("") if required => {
                self.sink.error(field, "is missing: a URL is required");
                None
            }
            None | Some("") => None,
            Some(v) if v.chars().any(char::is_whitespace) => {
                self.sink
                    .error(field, format!("'{}' contains whitespace", v.trim()));
                None
            }
            Some(v) => Some(v),
        }
    }

    /// Component tags: strings of at most 32 characters.
    pub fn tags(&mut self, field: &str, tags: Option<&[String]>) {
        for (i, tag) in tags.unwrap_or_default().iter().enumerate() {
            if tag.chars().count() > 32 {
                self.sink.error(
                    &format!("{field}[{i}]"),
                    "is longer than 32 characters (the console's limit for a tag)",
                );
            }
        }
    }

    /// `location`: at most 1024 characters; `ibm_saas` is dropped on import.
    pub fn location(&mut self, field: &str, value: Option<&str>) {
        match value {
            Some("ibm_saas") => self.sink.warn(
                field,
                "is 'ibm_saas' (deployed by its console); it is left out on import, as the console requires",
            ),
            Some(v) if v.chars().count() > 1024 => {
                self.sink.error(field, "is longer than 1024 characters")
            }
            _ => {}
        }
    }

    /// A certificate value (base64 PEM or PEM): decodes it, parses the first certificate and
    /// checks its validity at `now` (expired or not yet valid = error). Returns the certificate
    /// unless it is unreadable.
    pub fn cert(&mut self, field: &str, value: &str, role: CertRole) -> Option<Cert> {
        let decoded = match pem::decode(value) {
            Ok(d) => d,
            Err(reason) => {
                self.sink.error(field, format!("certificate {reason}"));
                return None;
            }
        };
        let Some(first) = decoded.blocks.first() else {
            self.sink.error(field, "certificate holds no PEM block");
            return None;
        };
        if first.label != "CERTIFICATE" {
            self.sink.error(
                field,
                format!("holds a '{}' PEM block, not a certificate", first.label),
            );
            return None;
        }
        if decoded.encoding == PemEncoding::Raw {
            self.sink.warn(
                field,
                "certificate is raw PEM, not base64-encoded PEM; it is accepted and will be base64-encoded",
            );
        }
        if decoded.stray_text {
            self.sink
                .warn(field, "text outside the PEM block is ignored");
        }
        if decoded.blocks.len() > 1 && role != CertRole::Chain {
            self.sink.warn(
                field,
                format!(
                    "holds {} PEM blocks; the console uses only the first certificate",
                    decoded.blocks.len()
                ),
            );
        }
        let cert = match Cert::from_der(&first.der) {
            Ok(c) => c,
            Err(reason) => {
                self.sink.error(field, format!("certificate {reason}"));
                return None;
            }
        };
        match x509::validity(&cert, self.now) {
            Validity::Valid => {}
            Validity::Expired { on } => self
                .sink
                .error(field, format!("certificate expired on {on}")),
            Validity::ExpiresSoon { on, days } => self.sink.warn(
                field,
                format!("certificate expires on {on} (in {days} days)"),
            ),
            // Fabric refuses a certificate before its notBefore as it does after its notAfter
            Validity::NotYetValid { from } => self.sink.error(
                field,
                format!("certificate is not valid before {from} (its notBefore is in the future)"),
            ),
        }
        if role != CertRole::Any && !cert.is_ca {
            self.sink.error(
                field,
                format!(
                    "certificate '{}' is not a CA certificate (no basic constraints CA:TRUE)",
                    cert.subject
                ),
            );
        }
        Some(cert)
    }

    /// A list of certificates (`field[0]`, `field[1]`, …); returns the readable ones.
    pub fn certs(&mut self, field: &str, values: &[String], role: CertRole) -> Vec<Cert> {
        values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.cert(&format!("{field}[{i}]"), v, role))
            .collect()
    }
}

fn host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '~')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::test_pki::{self, root};

    fn findings(pem: &str, now: SystemTime) -> Vec<(Severity, String)> {
        let mut sink = Sink::new("f.json");
        Checker {
            sink: &mut sink,
            now,
        }
        .cert("cert", pem, CertRole::Any);
        sink.findings
            .into_iter()
            .map(|f| (f.severity, f.reason))
            .collect()
    }

    #[test]
    fn a_certificate_not_yet_valid_is_an_error_at_the_given_now() {
        let ca = root("Root CA");
        let later = pem::to_base64_pem(&ca.leaf("later", "client", 2090, 2099).0);
        assert_eq!(
            findings(&later, test_pki::now()),
            vec![(
                Severity::Error,
                "certificate is not valid before 2090-01-01 (its notBefore is in the future)"
                    .to_string()
            )]
        );
        // the clock is the caller's: the same certificate is fine once its time has come
        let in_2091 = std::time::UNIX_EPOCH + std::time::Duration::from_secs(3_830_000_000);
        assert_eq!(findings(&later, in_2091), vec![]);
    }
}
