//! Component ids, derived from display names the way athena's `build_id` does it.

use std::collections::HashSet;

use crate::util::random_lower;

/// athena's `MAX_SHORT_NAME_LENGTH`.
const MAX_ID_LENGTH: usize = 32;

/// Builds an id from `source` (usually the display name): keeps `[A-Za-z0-9_-]`, lower-cases,
/// prefixes `c` unless it starts with a letter, truncates to 32 characters. With `taken`,
/// a clash increments the trailing number (`org1peer0` -> `org1peer1`) or appends `_0`.
pub(crate) fn build_id(source: Option<&str>, taken: Option<&HashSet<String>>) -> String {
    let mut id: String = source
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect::<String>()
        .to_lowercase();
    if id.is_empty() {
        id = random_lower(6);
    }
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id = format!("c{id}");
    }
    id.truncate(MAX_ID_LENGTH);

    if let Some(taken) = taken {
        let mut attempts = 0;
        while taken.contains(&id) && attempts < 1000 {
            id = next_candidate(&id);
            attempts += 1;
        }
        if taken.contains(&id) || id.len() > MAX_ID_LENGTH {
            // athena leaves the id to CouchDB then, which picks a uuid
            id = crate::util::random_hex(32);
        }
    }
    id
}

/// `abc7` -> `abc8`, `abc` -> `abc_0`, `abc_0` -> `abc_1`.
fn next_candidate(id: &str) -> String {
    let digits_start = id
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i);
    match digits_start {
        None => format!("{id}_0"),
        Some(start) => {
            let number: u128 = id[start..].parse().unwrap_or(0);
            format!("{}{}", &id[..start], number + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ids_come_from_display_names() {
        assert_eq!(build_id(Some("Org1 CA"), None), "org1ca");
        assert_eq!(build_id(Some("1st peer"), None), "c1stpeer");
        assert_eq!(build_id(Some("Peer Org1 - 1"), None), "peerorg1-1");
        assert_eq!(build_id(Some(&"x".repeat(40)), None).len(), 32);
    }

    #[test]
    fn duplicates_get_new_ids() {
        assert_eq!(
            build_id(Some("Org1 Peer0"), Some(&taken(&["org1peer0"]))),
            "org1peer1"
        );
        assert_eq!(
            build_id(Some("Org1 MSP"), Some(&taken(&["org1msp"]))),
            "org1msp_0"
        );
        assert_eq!(
            build_id(Some("Org1 MSP"), Some(&taken(&["org1msp", "org1msp_0"]))),
            "org1msp_1"
        );
        assert_eq!(
            build_id(Some("Orderer0"), Some(&taken(&["orderer0"]))),
            "orderer1"
        );
        assert_eq!(build_id(Some("peer01"), Some(&taken(&["peer01"]))), "peer2");
    }
}
