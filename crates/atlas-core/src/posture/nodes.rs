//! Every node and CA the consoles hold, once (the same node is the same normalised API URL on
//! every console, as the duplicate check decides), with its home region and the rule that
//! decided it:
//! 1. the region whose console holds it as its own (the console marks imports);
//! 2. the home recorded when this app copied it (a copy keeps its source's home);
//! 3. the only region whose console holds it, when exactly one does and every console answered;
//! 4. the administrator's placement;
//! 5. otherwise unplaced — never guessed.

use std::collections::BTreeSet;

use serde::Serialize;
use ts_rs::TS;

use crate::component::{url_key, Component, ComponentKind};
use crate::fleet::Region;
use crate::homes::HomeRecords;
use crate::org;

/// Which rule decided a node's home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HomeRule {
    Own,
    Copied,
    OnlyHolder,
    Placed,
    Unplaced,
}

impl HomeRule {
    /// The rule in words, after "home: US East (…)".
    pub fn words(self) -> &'static str {
        match self {
            Self::Own => "its console holds it as its own",
            Self::Copied => "recorded when Fabric Atlas copied it",
            Self::OnlyHolder => "the only console that holds it",
            Self::Placed => "placed by the administrator",
            Self::Unplaced => "unplaced: no rule decides it",
        }
    }
}

/// One console's record of a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeldBy {
    pub region_id: String,
    pub component_id: String,
    /// The console holds it as an import.
    pub imported: bool,
}

/// A node (peer, ordering node) or CA, once across every console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NodeHome {
    /// Its normalised API URL (what `atlas place` and the app's "Place…" name it by).
    pub key: String,
    pub display_name: String,
    pub kind: ComponentKind,
    pub msp_id: Option<String>,
    /// Ordering nodes: the key of their ordering service.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub service_key: Option<String>,
    /// The region id it lives in; `None` when unplaced.
    pub home: Option<String>,
    pub rule: HomeRule,
    /// Every console that holds a record of it, in the fleet's order.
    pub held_by: Vec<HeldBy>,
    /// A console reports it not ok now: counted as unavailable.
    pub down: bool,
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) service_name: Option<String>,
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) ca_roots: Vec<String>,
}

impl NodeHome {
    /// Whether it still works with `lost` regions gone: not down, and homed outside them. An
    /// unplaced node may live in any region, so any loss may take it (the posture says so).
    pub fn available(&self, lost: &BTreeSet<String>) -> bool {
        !self.down
            && match &self.home {
                Some(home) => !lost.contains(home),
                None => lost.is_empty(),
            }
    }

    pub fn holds(&self, region_id: &str) -> bool {
        self.held_by.iter().any(|h| h.region_id == region_id)
    }
}

/// The nodes and CAs of every console that answered (`lists[i]` is `regions[i]`'s, `None`
/// when it did not answer), each with its home. `down` holds (region id, component id) of the
/// records a console reports not ok.
pub fn node_homes(
    regions: &[Region],
    lists: &[Option<&[Component]>],
    down: &BTreeSet<(String, String)>,
    records: &HomeRecords,
) -> Vec<NodeHome> {
    let mut nodes: Vec<NodeHome> = Vec::new();
    for (region, list) in regions.iter().zip(lists) {
        for component in list.iter().flat_map(|l| l.iter()) {
            if !matches!(
                component.kind,
                ComponentKind::Peer | ComponentKind::Orderer | ComponentKind::Ca
            ) {
                continue;
            }
            let key = node_key(&region.id, component);
            let held = HeldBy {
                region_id: region.id.clone(),
                component_id: component.id.clone(),
                imported: component.imported,
            };
            let is_down = down.contains(&(region.id.clone(), component.id.clone()));
            match nodes.iter_mut().find(|n| n.key == key) {
                Some(node) => {
                    // What a node is called and belongs to is read from its own console's record.
                    if !component.imported && node.held_by.iter().all(|h| h.imported) {
                        describe(node, component);
                    }
                    node.held_by.push(held);
                    node.down |= is_down;
                }
                None => {
                    let mut node = NodeHome {
                        key,
                        display_name: String::new(),
                        kind: component.kind,
                        msp_id: None,
                        service_key: None,
                        home: None,
                        rule: HomeRule::Unplaced,
                        held_by: vec![held],
                        down: is_down,
                        service_name: None,
                        ca_roots: Vec::new(),
                    };
                    describe(&mut node, component);
                    nodes.push(node);
                }
            }
        }
    }
    let every_console_read = lists.iter().all(Option::is_some);
    let in_fleet = |id: &String| regions.iter().any(|r| &r.id == id);
    for node in &mut nodes {
        let holders: BTreeSet<&String> = node.held_by.iter().map(|h| &h.region_id).collect();
        let (home, rule) = if let Some(own) = node.held_by.iter().find(|h| !h.imported) {
            (Some(own.region_id.clone()), HomeRule::Own)
        } else if let Some(home) = records.copied.get(&node.key).filter(|r| in_fleet(r)) {
            (Some(home.clone()), HomeRule::Copied)
        } else if every_console_read && holders.len() == 1 {
            let only = holders.into_iter().next().expect("one holder");
            (Some(only.clone()), HomeRule::OnlyHolder)
        } else if let Some(home) = records.placed.get(&node.key).filter(|r| in_fleet(r)) {
            (Some(home.clone()), HomeRule::Placed)
        } else {
            (None, HomeRule::Unplaced)
        };
        node.home = home;
        node.rule = rule;
    }
    nodes
}

/// A node's identity across consoles: its normalised API URL; one without an API URL is only
/// itself on its console.
pub fn node_key(region_id: &str, component: &Component) -> String {
    match component.api_url.as_deref().map(url_key) {
        Some(key) if !key.is_empty() => key,
        _ => format!("{region_id}/{}", component.id),
    }
}

fn describe(node: &mut NodeHome, component: &Component) {
    node.display_name = component.display_name.clone();
    node.msp_id = component.msp_id.clone();
    if component.kind == ComponentKind::Orderer {
        node.service_key = Some(org::service_key(component));
        node.service_name = Some(org::service_name(component));
    }
    if component.kind == ComponentKind::Ca {
        node.ca_roots = org::ca_roots(component);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn region(id: &str) -> Region {
        Region {
            id: id.into(),
            name: id.to_uppercase(),
            location: "us-east-1".into(),
            console_url: format!("https://{id}.example"),
            api_key: "k".into(),
            trusted_certificate: None,
        }
    }

    fn peer(id: &str, url: &str, imported: bool) -> Component {
        Component::from_document(json!({ "id": id, "type": "fabric-peer", "display_name": id,
            "msp_id": "Org1MSP", "api_url": url, "imported": imported }))
        .unwrap()
    }

    fn homes_of(
        lists: &[Option<Vec<Component>>],
        records: &HomeRecords,
    ) -> Vec<(String, Option<String>, HomeRule)> {
        let regions = [region("a"), region("b"), region("c")];
        let lists: Vec<Option<&[Component]>> = lists.iter().map(|l| l.as_deref()).collect();
        node_homes(&regions, &lists, &BTreeSet::new(), records)
            .into_iter()
            .map(|n| (n.display_name, n.home, n.rule))
            .collect()
    }

    fn home(
        name: &str,
        region: Option<&str>,
        rule: HomeRule,
    ) -> (String, Option<String>, HomeRule) {
        (name.into(), region.map(str::to_owned), rule)
    }

    #[test]
    fn the_console_holding_a_node_as_its_own_is_its_home_whoever_lists_it_first() {
        let lists = [
            Some(vec![peer("p1_copy", "grpcs://P1:7051/", true)]),
            Some(vec![peer("p1", "grpcs://p1:7051", false)]),
            Some(vec![]),
        ];
        assert_eq!(
            homes_of(&lists, &HomeRecords::default()),
            [home("p1", Some("b"), HomeRule::Own)],
            "one node (same URL), named as its own console names it"
        );
    }

    #[test]
    fn a_copy_keeps_its_recorded_home_before_the_only_holder_rule() {
        let mut records = HomeRecords::default();
        records.copied.insert("grpcs://p1:7051".into(), "a".into());
        let lists = [
            Some(vec![]),
            Some(vec![]),
            Some(vec![peer("p1", "grpcs://p1:7051", true)]),
        ];
        assert_eq!(
            homes_of(&lists, &records),
            [home("p1", Some("a"), HomeRule::Copied)]
        );
        // A record naming a region no longer in the fleet decides nothing.
        records
            .copied
            .insert("grpcs://p1:7051".into(), "gone".into());
        assert_eq!(
            homes_of(&lists, &records),
            [home("p1", Some("c"), HomeRule::OnlyHolder)]
        );
    }

    #[test]
    fn the_only_holder_counts_only_when_every_console_answered_then_placement_then_unplaced() {
        let imported = || Some(vec![peer("p1", "grpcs://p1:7051", true)]);
        assert_eq!(
            homes_of(&[imported(), Some(vec![]), None], &HomeRecords::default()),
            [home("p1", None, HomeRule::Unplaced)],
            "the console that did not answer may hold it as its own"
        );
        let mut records = HomeRecords::default();
        records.placed.insert("grpcs://p1:7051".into(), "b".into());
        assert_eq!(
            homes_of(&[imported(), Some(vec![]), None], &records),
            [home("p1", Some("b"), HomeRule::Placed)]
        );
        assert_eq!(
            homes_of(&[imported(), imported(), Some(vec![])], &records),
            [home("p1", Some("b"), HomeRule::Placed)],
            "two consoles hold imports: the placement decides"
        );
        assert_eq!(
            homes_of(
                &[imported(), imported(), Some(vec![])],
                &HomeRecords::default()
            ),
            [home("p1", None, HomeRule::Unplaced)]
        );
    }

    #[test]
    fn an_unplaced_node_is_available_only_while_no_region_is_lost() {
        let lists = [
            Some(vec![peer("p1", "grpcs://p1:7051", true)]),
            None,
            Some(vec![]),
        ];
        let regions = [region("a"), region("b"), region("c")];
        let lists: Vec<Option<&[Component]>> = lists.iter().map(|l| l.as_deref()).collect();
        let down = BTreeSet::new();
        let node = &node_homes(&regions, &lists, &down, &HomeRecords::default())[0];
        assert!(node.available(&BTreeSet::new()));
        assert!(!node.available(&BTreeSet::from(["c".to_owned()])));
        let down = BTreeSet::from([("a".to_owned(), "p1".to_owned())]);
        let node = &node_homes(&regions, &lists, &down, &HomeRecords::default())[0];
        assert!(node.down && !node.available(&BTreeSet::new()));
    }
}
