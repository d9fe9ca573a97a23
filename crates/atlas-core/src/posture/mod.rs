//! Does the network survive the loss of a region? The HA posture, computed from what every
//! console holds (pure: lists in, figures and findings out): where each node lives
//! ([`nodes`]), each ordering service's Raft quorum and each org's peers per home region, what
//! is left when regions are lost (the what-if), how far apart consenters are ([`distance`]),
//! and findings with their fixes ([`findings`]).

pub mod distance;
mod findings;
pub mod nodes;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use ts_rs::TS;

use crate::component::{Component, ComponentKind};
use crate::fleet::Region;
use crate::geo;
use crate::homes::HomeRecords;
use crate::org;

pub use distance::RegionDistance;
pub use findings::{FindingCode, FindingFix, FindingLevel, PostureFinding};
pub use nodes::{node_homes, HeldBy, HomeRule, NodeHome};

/// What the posture is computed from.
pub struct Inputs<'a> {
    /// Every region, in the fleet's order.
    pub regions: &'a [Region],
    /// Per region (same order): its console's components, or why it could not be read.
    pub lists: &'a [Result<Vec<Component>, String>],
    /// (region id, component id) of the records a console reports not ok now.
    pub down: &'a BTreeSet<(String, String)>,
    pub records: &'a HomeRecords,
    /// The regions supposed lost (the what-if).
    pub lost: &'a BTreeSet<String>,
}

/// The HA posture of the whole network, with `lost` regions gone.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Posture {
    pub lost: Vec<String>,
    pub regions: Vec<RegionPosture>,
    pub ordering_services: Vec<ServicePosture>,
    pub orgs: Vec<OrgPosture>,
    /// Every node and CA once, with its home and the rule that decided it.
    pub nodes: Vec<NodeHome>,
    pub findings: Vec<PostureFinding>,
    /// Whether what is left survives the loss of any one more region; `None` when there is
    /// nothing to judge (no peer and no ordering node anywhere).
    pub survives_any_one_region: Option<bool>,
    /// Why not: per region whose loss breaks something, what breaks.
    pub why_not: Vec<String>,
}

/// A region and what is homed there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionPosture {
    pub id: String,
    pub name: String,
    pub lost: bool,
    /// Its console answered (else what only it holds is missing from the posture).
    pub read: bool,
    pub peers: u32,
    pub consenters: u32,
    pub cas: u32,
}

/// One ordering service (its nodes across every console, by the console's cluster id).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServicePosture {
    pub key: String,
    pub name: String,
    pub nodes: u32,
    /// Per region id of the fleet, the nodes homed there.
    pub nodes_by_region: BTreeMap<String, u32>,
    pub unplaced: u32,
    /// Reported not ok now.
    pub down: u32,
    /// Raft's quorum: a majority, ⌊n/2⌋+1.
    pub quorum: u32,
    /// Nodes that still work with the lost regions gone.
    pub available: u32,
    pub has_quorum: bool,
    /// Per region id: whether the service keeps quorum without that region as well.
    pub survives_loss_of: BTreeMap<String, bool>,
    /// Between the regions holding its consenters.
    pub distances: Vec<RegionDistance>,
    /// Per region (not lost, read), the service's nodes its console does not know.
    pub lacking: Vec<Lacking>,
}

/// An org (by MSP id) that has peers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrgPosture {
    pub msp_id: String,
    pub peers: u32,
    pub peers_by_region: BTreeMap<String, u32>,
    pub unplaced: u32,
    pub down: u32,
    pub available: u32,
    /// Per region id: whether the org keeps a peer without that region as well.
    pub survives_loss_of: BTreeMap<String, bool>,
    /// The home of its CA (the CA whose roots are its MSP's), when one is known and placed.
    pub ca_region: Option<String>,
    pub ca_names: Vec<String>,
    /// Regions whose consoles hold its MSP definition.
    pub msp_known_by: Vec<String>,
    /// Regions (read, not lost) whose consoles lack it.
    pub msp_missing_in: Vec<String>,
    /// Per region (not lost, read), the org's peers its console does not know.
    pub lacking: Vec<Lacking>,
}

/// The nodes a region's console does not know (the guide's last step makes every console know
/// every node, so any console can manage the network when a region is lost).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Lacking {
    pub region_id: String,
    pub components: Vec<String>,
}

/// Raft's quorum of `n` consenters.
pub fn quorum(n: u32) -> u32 {
    n / 2 + 1
}

/// The posture of the network the inputs describe.
pub fn assess(inputs: &Inputs<'_>) -> Posture {
    let lists: Vec<Option<&[Component]>> = inputs
        .lists
        .iter()
        .map(|l| l.as_ref().ok().map(Vec::as_slice))
        .collect();
    let nodes = node_homes(inputs.regions, &lists, inputs.down, inputs.records);
    let world = World {
        regions: inputs.regions,
        lists: &lists,
        lost: inputs.lost,
        nodes: &nodes,
    };
    let ordering_services = world.services();
    let orgs = world.orgs();
    let (survives_any_one_region, why_not) = world.verdict(&ordering_services, &orgs);
    let findings = findings::all(&world, inputs.lists, &ordering_services, &orgs);
    Posture {
        lost: inputs.lost.iter().cloned().collect(),
        regions: world.region_postures(),
        ordering_services,
        orgs,
        findings,
        survives_any_one_region,
        why_not,
        nodes,
    }
}

/// What the figures are computed over.
struct World<'a> {
    regions: &'a [Region],
    lists: &'a [Option<&'a [Component]>],
    lost: &'a BTreeSet<String>,
    nodes: &'a [NodeHome],
}

impl World<'_> {
    fn name(&self, region_id: &str) -> String {
        self.regions
            .iter()
            .find(|r| r.id == region_id)
            .map_or_else(|| region_id.to_owned(), |r| r.name.clone())
    }

    /// The lost regions and `also`.
    fn lost_with(&self, also: &str) -> BTreeSet<String> {
        let mut lost = self.lost.clone();
        lost.insert(also.to_owned());
        lost
    }

    /// Regions whose consoles answered and are not supposed lost.
    fn standing_read(&self) -> impl Iterator<Item = (&Region, &[Component])> {
        self.regions
            .iter()
            .zip(self.lists)
            .filter(|(r, _)| !self.lost.contains(&r.id))
            .filter_map(|(r, l)| l.map(|l| (r, l)))
    }

    fn by_region(&self, nodes: &[&NodeHome]) -> BTreeMap<String, u32> {
        self.regions
            .iter()
            .map(|r| {
                let homed = nodes
                    .iter()
                    .filter(|n| n.home.as_ref() == Some(&r.id))
                    .count();
                (r.id.clone(), homed as u32)
            })
            .collect()
    }

    /// Per region: whether `holds(lost)` with that region lost too.
    fn survives_each(&self, holds: impl Fn(&BTreeSet<String>) -> bool) -> BTreeMap<String, bool> {
        self.regions
            .iter()
            .map(|r| (r.id.clone(), holds(&self.lost_with(&r.id))))
            .collect()
    }

    /// Per standing region, which of `nodes` its console does not know.
    fn lacking(&self, nodes: &[&NodeHome]) -> Vec<Lacking> {
        self.standing_read()
            .filter_map(|(region, _)| {
                let missing: Vec<String> = nodes
                    .iter()
                    .filter(|n| !n.holds(&region.id))
                    .map(|n| n.display_name.clone())
                    .collect();
                (!missing.is_empty()).then(|| Lacking {
                    region_id: region.id.clone(),
                    components: missing,
                })
            })
            .collect()
    }

    fn services(&self) -> Vec<ServicePosture> {
        let mut keys: Vec<&String> = Vec::new();
        for key in self.nodes.iter().filter_map(|n| n.service_key.as_ref()) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys.into_iter()
            .map(|key| {
                let members: Vec<&NodeHome> = self
                    .nodes
                    .iter()
                    .filter(|n| n.service_key.as_ref() == Some(key))
                    .collect();
                let n = members.len() as u32;
                let q = quorum(n);
                let left = |lost: &BTreeSet<String>| {
                    members.iter().filter(|m| m.available(lost)).count() as u32
                };
                let available = left(self.lost);
                ServicePosture {
                    key: key.clone(),
                    name: members[0]
                        .service_name
                        .clone()
                        .unwrap_or_else(|| "Ordering service".into()),
                    nodes: n,
                    nodes_by_region: self.by_region(&members),
                    unplaced: members.iter().filter(|m| m.home.is_none()).count() as u32,
                    down: members.iter().filter(|m| m.down).count() as u32,
                    quorum: q,
                    available,
                    has_quorum: available >= q,
                    survives_loss_of: self.survives_each(|lost| left(lost) >= q),
                    distances: self.distances(&members),
                    lacking: self.lacking(&members),
                }
            })
            .collect()
    }

    /// Between every two regions homing consenters (of known location).
    fn distances(&self, members: &[&NodeHome]) -> Vec<RegionDistance> {
        let placed: Vec<(&str, geo::Location)> = self
            .regions
            .iter()
            .filter(|r| members.iter().any(|m| m.home.as_ref() == Some(&r.id)))
            .filter_map(|r| geo::location(&r.location).map(|l| (r.id.as_str(), l)))
            .collect();
        let mut pairs = Vec::new();
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                pairs.push(distance::between((a.0, &a.1), (b.0, &b.1)));
            }
        }
        pairs
    }

    fn orgs(&self) -> Vec<OrgPosture> {
        let msp_ids: BTreeSet<&String> = self
            .nodes
            .iter()
            .filter(|n| n.kind == ComponentKind::Peer)
            .filter_map(|n| n.msp_id.as_ref())
            .collect();
        msp_ids
            .into_iter()
            .map(|msp_id| {
                let peers: Vec<&NodeHome> = self
                    .nodes
                    .iter()
                    .filter(|n| n.kind == ComponentKind::Peer && n.msp_id.as_ref() == Some(msp_id))
                    .collect();
                let any_left = |lost: &BTreeSet<String>| peers.iter().any(|p| p.available(lost));
                let cas = self.cas_of(msp_id);
                let msp_known_by: Vec<String> = self
                    .regions
                    .iter()
                    .zip(self.lists)
                    .filter(|(_, l)| l.is_some_and(|l| !org::msps(l, Some(msp_id)).is_empty()))
                    .map(|(r, _)| r.id.clone())
                    .collect();
                OrgPosture {
                    msp_id: msp_id.clone(),
                    peers: peers.len() as u32,
                    peers_by_region: self.by_region(&peers),
                    unplaced: peers.iter().filter(|p| p.home.is_none()).count() as u32,
                    down: peers.iter().filter(|p| p.down).count() as u32,
                    available: peers.iter().filter(|p| p.available(self.lost)).count() as u32,
                    survives_loss_of: self.survives_each(any_left),
                    ca_region: cas.iter().find_map(|c| c.home.clone()),
                    ca_names: cas.iter().map(|c| c.display_name.clone()).collect(),
                    msp_missing_in: self
                        .standing_read()
                        .filter(|(r, _)| !msp_known_by.contains(&r.id))
                        .map(|(r, _)| r.id.clone())
                        .collect(),
                    msp_known_by,
                    lacking: self.lacking(&peers),
                }
            })
            .collect()
    }

    /// The CAs whose roots are among org `msp_id`'s MSP roots (as any console defines it).
    fn cas_of(&self, msp_id: &str) -> Vec<&NodeHome> {
        let roots: BTreeSet<String> = self
            .lists
            .iter()
            .flatten()
            .flat_map(|l| org::msps(l, Some(msp_id)))
            .flat_map(org::msp_roots)
            .collect();
        self.nodes
            .iter()
            .filter(|n| n.kind == ComponentKind::Ca)
            .filter(|n| n.ca_roots.iter().any(|r| roots.contains(r)))
            .collect()
    }

    /// Whether what is left survives the loss of any one more region, and why not.
    fn verdict(
        &self,
        services: &[ServicePosture],
        orgs: &[OrgPosture],
    ) -> (Option<bool>, Vec<String>) {
        if services.is_empty() && orgs.is_empty() {
            return (None, Vec::new());
        }
        let mut why = Vec::new();
        let broken_now: Vec<String> = services
            .iter()
            .filter(|s| !s.has_quorum)
            .map(|s| format!("{} has no quorum", s.name))
            .chain(
                orgs.iter()
                    .filter(|o| o.available == 0)
                    .map(|o| format!("{} has no peer", o.msp_id)),
            )
            .collect();
        if !broken_now.is_empty() {
            why.push(format!("already: {}", broken_now.join("; ")));
        }
        for region in self.regions.iter().filter(|r| !self.lost.contains(&r.id)) {
            let breaks: Vec<String> = services
                .iter()
                .filter(|s| s.has_quorum && s.survives_loss_of.get(&region.id) == Some(&false))
                .map(|s| format!("{} loses quorum", s.name))
                .chain(
                    orgs.iter()
                        .filter(|o| o.available > 0)
                        .filter(|o| o.survives_loss_of.get(&region.id) == Some(&false))
                        .map(|o| format!("{} has no peer left", o.msp_id)),
                )
                .collect();
            if !breaks.is_empty() {
                why.push(format!("without {}: {}", region.name, breaks.join("; ")));
            }
        }
        (Some(why.is_empty()), why)
    }

    fn region_postures(&self) -> Vec<RegionPosture> {
        self.regions
            .iter()
            .zip(self.lists)
            .map(|(r, list)| {
                let homed = |kind| {
                    self.nodes
                        .iter()
                        .filter(|n| n.kind == kind && n.home.as_ref() == Some(&r.id))
                        .count() as u32
                };
                RegionPosture {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    lost: self.lost.contains(&r.id),
                    read: list.is_some(),
                    peers: homed(ComponentKind::Peer),
                    consenters: homed(ComponentKind::Orderer),
                    cas: homed(ComponentKind::Ca),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
