//! Where the full mesh reads each node from. Every console learns every other console's peers
//! and ordering nodes, each once. A node several consoles hold is read from one whose record
//! shows it as its own (no `imported: true`), when there is one; otherwise (consoles that only
//! import, like the sandbox's) from the first holder in the fleet's order, marked as a copy, so
//! that no view names that console as where the node comes from.

use std::collections::BTreeSet;

use crate::component::Component;
use crate::error::AppError;
use crate::import::{ImportItem, ItemSource};
use crate::org;
use crate::transfer::{self, node_key};

/// One console's nodes, as import items.
pub struct Holder {
    pub region_id: String,
    /// Each node as an import item, and whether the console holds it as an import.
    pub items: Vec<(ImportItem, bool)>,
}

impl Holder {
    /// The nodes of a console's list.
    pub fn of(region_id: &str, components: &[Component]) -> Result<Self, AppError> {
        let mut items = Vec::new();
        for node in org::nodes(components) {
            for item in transfer::items_from(region_id, &[node])? {
                items.push((item, node.imported));
            }
        }
        Ok(Self {
            region_id: region_id.to_owned(),
            items,
        })
    }

    fn holds(&self, key: &(String, String)) -> bool {
        self.items
            .iter()
            .any(|(item, _)| node_key(item).as_ref() == Some(key))
    }
}

/// What `target` is offered: every other holder's nodes, each once, each from its best source.
pub fn items_for(target: &str, holders: &[Holder]) -> Vec<ImportItem> {
    let mut offered: Vec<&(ImportItem, bool)> = holders
        .iter()
        .filter(|h| h.region_id != target)
        .flat_map(|h| &h.items)
        .collect();
    // A console's own node first; among equals the fleet's order (the sort is stable).
    offered.sort_by_key(|(_, imported)| *imported);
    let mut seen = BTreeSet::new();
    let mut items = Vec::new();
    for (item, imported) in offered {
        let key = node_key(item);
        if key.as_ref().is_some_and(|k| !seen.insert(k.clone())) {
            continue;
        }
        let mut item = item.clone();
        let held_by_several =
            key.is_some_and(|k| holders.iter().filter(|h| h.holds(&k)).count() > 1);
        if let ItemSource::Console { copy, .. } = &mut item.source {
            *copy = *imported && held_by_several;
        }
        items.push(item);
    }
    items
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Org1 Peer1 as `region` holds it.
    fn peer(region: &str, imported: bool) -> (ImportItem, bool) {
        let item = ImportItem {
            source: ItemSource::console(region, "org1peer1"),
            route: "fabric-peer".into(),
            body: json!({ "display_name": "Org1 Peer1", "api_url": "grpcs://peer1.org1:7051" }),
        };
        (item, imported)
    }

    fn holder(region: &str, items: Vec<(ImportItem, bool)>) -> Holder {
        Holder {
            region_id: region.into(),
            items,
        }
    }

    /// (region read from, marked as a copy) of each item offered to `target`.
    fn sources(target: &str, holders: &[Holder]) -> Vec<(String, bool)> {
        items_for(target, holders)
            .into_iter()
            .map(|item| match item.source {
                ItemSource::Console {
                    region_id, copy, ..
                } => (region_id, copy),
                other => panic!("not from a console: {other:?}"),
            })
            .collect()
    }

    const fn from(region: &str, copy: bool) -> (&str, bool) {
        (region, copy)
    }

    fn owned(list: &[(&str, bool)]) -> Vec<(String, bool)> {
        list.iter().map(|(r, c)| ((*r).to_owned(), *c)).collect()
    }

    #[test]
    fn a_node_several_consoles_hold_is_read_from_the_one_that_holds_it_as_its_own() {
        // Canada imported the peer that US East deployed; Canada comes first in the fleet.
        let holders = [
            holder("canada", vec![peer("canada", true)]),
            holder("us-east", vec![peer("us-east", false)]),
            holder("us-west", vec![]),
        ];
        assert_eq!(
            sources("us-west", &holders),
            owned(&[from("us-east", false)])
        );
        // US East holds its own: the only other holder is Canada's copy, named as one.
        assert_eq!(sources("us-east", &holders), owned(&[from("canada", true)]));
    }

    #[test]
    fn when_every_holder_imported_it_the_source_is_named_as_a_copy() {
        let holders = [
            holder("us-east", vec![peer("us-east", true)]),
            holder("us-west", vec![]),
            holder("canada", vec![peer("canada", true)]),
        ];
        assert_eq!(
            sources("us-west", &holders),
            owned(&[from("us-east", true)])
        );
        assert_eq!(sources("us-east", &holders), owned(&[from("canada", true)]));
        // One holder: where it is read from is all there is to say.
        let alone = [
            holder("us-east", vec![peer("us-east", true)]),
            holder("us-west", vec![]),
        ];
        assert_eq!(sources("us-west", &alone), owned(&[from("us-east", false)]));
    }
}
