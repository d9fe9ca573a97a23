//! File names made of names from elsewhere (a console's display name), safe to write under.

/// One safe file-name component made of a name from elsewhere (a console's display name): no
/// path separators, no `.` or `..`, no control or reserved characters, not hidden, not empty,
/// at most 120 bytes; the extension is kept.
pub fn safe_file_name(name: &str) -> String {
    const RESERVED: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || RESERVED.contains(&c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let (stem, extension) = match trimmed.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 8 => (stem, Some(ext)),
        _ => (trimmed, None),
    };
    let suffix = extension.map(|e| format!(".{e}")).unwrap_or_default();
    let mut stem: String = stem.trim_end_matches('.').to_owned();
    while stem.len() + suffix.len() > 120 {
        stem.pop();
    }
    if stem.trim().is_empty() {
        stem = "export".to_owned();
    }
    format!("{stem}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_a_console_become_one_safe_file_name() {
        for (name, safe) in [
            ("Org1 MSP_msp.json", "Org1 MSP_msp.json"),
            (
                "../../../etc/passwd_peer.json",
                "_.._.._etc_passwd_peer.json",
            ),
            ("/etc/cron.d/x_msp.json", "_etc_cron.d_x_msp.json"),
            ("..", "export"),
            (".hidden_ca.json", "hidden_ca.json"),
            ("a\nb\u{1b}[31m_peer.json", "a_b_[31m_peer.json"),
            ("C:\\Windows\\x_peer.json", "C__Windows_x_peer.json"),
            ("", "export"),
        ] {
            assert_eq!(safe_file_name(name), safe, "{name:?}");
        }
        let long = safe_file_name(&format!("{}_peer.json", "x".repeat(500)));
        assert_eq!(long.len(), 120);
        assert!(long.ends_with(".json"));
    }
}
