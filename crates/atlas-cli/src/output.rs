//! Printing results: aligned columns for people, JSON for scripts.

use serde::Serialize;

/// `text` safe for a terminal: control characters (a file or component name may hold escape
/// sequences that recolour or rewrite the screen) are shown escaped, never sent as they are.
pub fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// Prints `rows` as aligned columns under `header`.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| printable(cell)).collect())
        .collect();
    let rows = &rows;
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(header.iter().map(|h| h.to_string()).collect());
    for row in rows {
        line(row.clone());
    }
}

/// Warns, on standard error, of each console that could not be read, and what that leaves out.
pub fn warn_unread(unread: &[atlas_core::ipc::UnreadRegion], missing: &str) {
    for region in unread {
        eprintln!(
            "warning: {} could not be read, {missing}: {}",
            region.name,
            printable(&region.message)
        );
    }
}

pub fn json<T: Serialize + ?Sized>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("output types always serialize")
    );
}

/// A date for people (UTC), from seconds since the epoch.
pub fn date(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|_| format!("{secs} s after 1970"))
}

/// `2026-12-05 22:31:04` (UTC) from milliseconds since the epoch.
pub fn utc_time(at_ms: u64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    i64::try_from(at_ms / 1000)
        .ok()
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| format!("{at_ms} ms after 1970"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(printable("Org1 Peer1"), "Org1 Peer1");
        assert_eq!(printable("a\u{1b}[2Jb\nc"), "a\\u{1b}[2Jb\\nc");
    }
}
