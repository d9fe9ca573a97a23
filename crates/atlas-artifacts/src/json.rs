//! JSON in and out the way the console UI does it: the input limits (size, UTF-8, nesting, no
//! duplicate keys) and the export writer (`Helper.sortKeys` + `JSON.stringify(x, null, 4)`).

use std::cmp::Ordering;

use serde_json::Value;

use super::finding::{Sink, WHOLE_FILE};
use super::strict_json::parse_strict;

/// The console UI refuses JSON files larger than this (`JSON_LIMIT` in apollo's `helper.js`).
pub const MAX_JSON_BYTES: usize = 1_024_000;
/// The console UI refuses bulk ZIP files larger than this (1 MiB, `ImportModal.js`).
pub const MAX_ZIP_BYTES: usize = 1024 * 1024;
/// Deeper nesting than this is refused before parsing (console files nest 4 levels at most).
pub const MAX_DEPTH: usize = 64;

/// At most this many duplicate keys are named one by one; the rest are counted.
const MAX_DUPLICATES_NAMED: usize = 20;

/// Checks the limits and parses `bytes` as JSON. A refusal names the whole file (`$`), or
/// the path of a key an object holds twice (`msp.component.tls_cert`).
pub(crate) fn parse_document(bytes: &[u8], sink: &mut Sink) -> Option<Value> {
    if bytes.len() > MAX_JSON_BYTES {
        sink.error(
            WHOLE_FILE,
            format!(
                "the file is {} bytes; the console accepts JSON files of at most {MAX_JSON_BYTES} bytes",
                bytes.len()
            ),
        );
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            sink.error(
                WHOLE_FILE,
                format!(
                    "the file is not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            );
            return None;
        }
    };
    if text.trim().is_empty() {
        sink.error(WHOLE_FILE, "the file is empty");
        return None;
    }
    let depth = nesting_depth(text);
    if depth > MAX_DEPTH {
        sink.error(
            WHOLE_FILE,
            format!("JSON nested {depth} levels deep; at most {MAX_DEPTH} are accepted"),
        );
        return None;
    }
    let mut duplicates = Vec::new();
    match parse_strict(text, &mut duplicates) {
        Ok(_) if !duplicates.is_empty() => {
            for (path, key) in duplicates.iter().take(MAX_DUPLICATES_NAMED) {
                sink.error(
                    path,
                    format!(
                        "duplicate key '{key}': this object holds it more than once and only one value can count (the console silently keeps the last); remove the others"
                    ),
                );
            }
            if duplicates.len() > MAX_DUPLICATES_NAMED {
                sink.error(
                    WHOLE_FILE,
                    format!(
                        "{} more duplicate keys",
                        duplicates.len() - MAX_DUPLICATES_NAMED
                    ),
                );
            }
            None
        }
        Ok(v) => Some(v),
        Err(e) => {
            sink.error(
                WHOLE_FILE,
                format!(
                    "malformed JSON at line {} column {}: {}",
                    e.line(),
                    e.column(),
                    describe_json_error(&e)
                ),
            );
            None
        }
    }
}

fn describe_json_error(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C"; we already say where
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

/// The deepest nesting of `[`/`{` outside strings (a scan that cannot recurse).
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The console UI's key order: `a.localeCompare(b, {numeric: true, caseFirst: 'upper'})`.
/// Punctuation sorts before digits, digit runs compare by value, letters compare without case
/// first and upper case wins a tie.
pub(crate) fn console_key_order(a: &str, b: &str) -> Ordering {
    primary(a, b)
        .then_with(|| case_tiebreak(a, b))
        .then_with(|| a.cmp(b))
}

fn class(c: char) -> u8 {
    if c.is_ascii_digit() {
        1
    } else if c.is_alphabetic() {
        2
    } else {
        0
    }
}

fn primary(a: &str, b: &str) -> Ordering {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (ca, cb) = (a[i], b[j]);
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let na: String = a[si..i].iter().collect::<String>();
            let nb: String = b[sj..j].iter().collect::<String>();
            let (na, nb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
            let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if ord != Ordering::Equal {
                return ord;
            }
            continue;
        }
        let ord = class(ca).cmp(&class(cb)).then_with(|| {
            let la: String = ca.to_lowercase().collect();
            let lb: String = cb.to_lowercase().collect();
            la.cmp(&lb)
        });
        if ord != Ordering::Equal {
            return ord;
        }
        i += 1;
        j += 1;
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn case_tiebreak(a: &str, b: &str) -> Ordering {
    for (ca, cb) in a.chars().zip(b.chars()) {
        if ca != cb && ca.to_lowercase().eq(cb.to_lowercase()) {
            // upper case first
            return if ca.is_uppercase() {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
    }
    Ordering::Equal
}

/// `JSON.stringify(Helper.sortKeys(value), null, 4)`: keys sorted the console's way at every
/// level, four-space indent, no trailing newline.
pub fn to_console_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, 0, &mut out);
    out
}

fn indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn write_value(value: &Value, level: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| console_key_order(a, b));
            out.push('{');
            for (n, key) in keys.iter().enumerate() {
                out.push_str(if n == 0 { "\n" } else { ",\n" });
                indent(level + 1, out);
                out.push_str(&Value::String((*key).clone()).to_string());
                out.push_str(": ");
                write_value(&map[key.as_str()], level + 1, out);
            }
            out.push('\n');
            indent(level, out);
            out.push('}');
        }
        Value::Array(list) if !list.is_empty() => {
            out.push('[');
            for (n, item) in list.iter().enumerate() {
                out.push_str(if n == 0 { "\n" } else { ",\n" });
                indent(level + 1, out);
                write_value(item, level + 1, out);
            }
            out.push('\n');
            indent(level, out);
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_like_json_stringify_with_four_spaces() {
        let v = json!({"type": "msp", "admins": [], "msp": {"b": 1, "a": [true, null]}, "e": {}});
        assert_eq!(
            to_console_json(&v),
            "{\n    \"admins\": [],\n    \"e\": {},\n    \"msp\": {\n        \"a\": [\n            true,\n            null\n        ],\n        \"b\": 1\n    },\n    \"type\": \"msp\"\n}"
        );
    }

    #[test]
    fn key_order_is_locale_compare() {
        let mut keys = vec![
            "tls_cert",
            "tls_ca_root_cert",
            "associatedIdentityName",
            "api_url",
            "X509_version",
            "x2",
            "x10",
            "Type",
            "type",
        ];
        keys.sort_by(|a, b| console_key_order(a, b));
        assert_eq!(
            keys,
            vec![
                "api_url",
                "associatedIdentityName",
                "tls_ca_root_cert",
                "tls_cert",
                "Type",
                "type",
                "x2",
                "x10",
                "X509_version"
            ]
        );
    }

    fn refusals(text: &str) -> Vec<(String, String)> {
        let mut sink = Sink::new("f.json");
        assert!(parse_document(text.as_bytes(), &mut sink).is_none());
        sink.findings
            .into_iter()
            .map(|f| {
                assert!(f.is_error());
                (f.field, f.reason)
            })
            .collect()
    }

    #[test]
    fn duplicate_keys_refuse_the_file_naming_key_and_path() {
        let top = refusals(r#"{"msp_id": "Org2MSP", "display_name": "x", "msp_id": "Org1MSP"}"#);
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].0, "msp_id");
        assert!(
            top[0].1.starts_with("duplicate key 'msp_id': "),
            "{}",
            top[0].1
        );
        let nested = refusals(
            r#"{"raft": [{"msp": {"tlsca": {}}}, {"msp": {"component": {"tls_cert": "a", "tls_cert": "b"}}}]}"#,
        );
        assert_eq!(nested.len(), 1);
        assert_eq!(nested[0].0, "raft[1].msp.component.tls_cert");
        assert!(nested[0].1.contains("'tls_cert'"));
        // the same key in sibling objects is fine
        let mut sink = Sink::new("f.json");
        let ok = parse_document(br#"[{"a": 1}, {"a": 2}]"#, &mut sink);
        assert!(ok.is_some() && sink.findings.is_empty());
    }

    #[test]
    fn many_duplicates_are_counted_past_the_first_ones() {
        let keys: Vec<String> = (0..30)
            .map(|i| format!("\"k{i}\": 1, \"k{i}\": 2"))
            .collect();
        let found = refusals(&format!("{{{}}}", keys.join(", ")));
        assert_eq!(found.len(), MAX_DUPLICATES_NAMED + 1);
        assert_eq!(
            found.last().unwrap(),
            &("$".to_string(), "10 more duplicate keys".to_string())
        );
    }

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth(r#"{"a": "[[[[{{{{", "b": [[1]]}"#), 3);
        assert_eq!(nesting_depth(r#"{"a": "\"[[["}"#), 1);
    }
}
