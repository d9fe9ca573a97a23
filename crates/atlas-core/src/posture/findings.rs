//! What the posture finds, each with a stable code, the regions and components involved, a plain
//! explanation, and the fix: an operation the app runs, a placement, or the step the
//! administrator takes.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use super::{Lacking, NodeHome, OrgPosture, ServicePosture, World};
use crate::operation::Operation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindingLevel {
    Error,
    Warning,
    Info,
}

/// Stable codes: scripts and tests match on them, never on the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    /// An ordering service has fewer working nodes than its quorum.
    QuorumLost,
    /// Losing one more region would leave an ordering service without quorum.
    QuorumNeedsRegion,
    /// An even number of consenters tolerates no more losses than one fewer.
    ServiceEvenSize,
    /// Two regions holding consenters of one service are further apart than the guide advises.
    ConsentersFarApart,
    /// An org has no working peer left.
    PeersLost,
    /// Losing one more region would leave an org without a working peer.
    PeersNeedRegion,
    /// An org's CA runs in one region: its outage stops enrolment and registration.
    CaOneRegion,
    /// An org's CA is in a lost region.
    CaLost,
    /// Consoles lack an org's MSP definition.
    MspMissing,
    /// Consoles do not know every peer and ordering node.
    MeshIncomplete,
    /// No rule decides where a node lives.
    NodeUnplaced,
    /// A node does not answer its health check now.
    NodeDown,
    /// A console could not be read: what only it holds is missing.
    RegionUnread,
}

/// How a finding is fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FindingFix {
    /// The app does it: this operation, applied like any other (plan first, then confirm).
    Operation { label: String, operation: Operation },
    /// The administrator says where the node lives (`atlas place`, "Place…" in the app).
    #[serde(rename_all = "camelCase")]
    Place { node_key: String },
    /// A step the administrator takes outside the app.
    Step { text: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PostureFinding {
    pub severity: FindingLevel,
    pub code: FindingCode,
    pub message: String,
    /// Region ids involved.
    pub regions: Vec<String>,
    /// Components involved, by name.
    pub components: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fix: Option<FindingFix>,
}

fn finding(
    severity: FindingLevel,
    code: FindingCode,
    message: String,
    regions: Vec<String>,
    components: Vec<String>,
) -> PostureFinding {
    PostureFinding {
        severity,
        code,
        message,
        regions,
        components,
        fix: None,
    }
}

fn with_fix(mut f: PostureFinding, fix: FindingFix) -> PostureFinding {
    f.fix = Some(fix);
    f
}

fn step(text: String) -> FindingFix {
    FindingFix::Step { text }
}

/// "A, B and C".
fn listed(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Every finding, errors first.
pub(super) fn all(
    world: &World<'_>,
    lists: &[Result<Vec<crate::component::Component>, String>],
    services: &[ServicePosture],
    orgs: &[OrgPosture],
) -> Vec<PostureFinding> {
    let mut found = Vec::new();
    for (region, list) in world.regions.iter().zip(lists) {
        if let Err(why) = list {
            found.push(finding(
                FindingLevel::Warning,
                FindingCode::RegionUnread,
                format!(
                    "{}'s console could not be read ({why}): nodes only it knows are missing \
                     here, and homes that depend on it may be unplaced.",
                    region.name
                ),
                vec![region.id.clone()],
                Vec::new(),
            ));
        }
    }
    for node in world.nodes {
        found.extend(node_findings(world, node));
    }
    for service in services {
        found.extend(service_findings(world, service));
    }
    for org in orgs {
        found.extend(org_findings(world, org));
    }
    found.extend(mesh_finding(world, services, orgs));
    found.sort_by_key(|f| f.severity);
    found
}

fn node_findings(world: &World<'_>, node: &NodeHome) -> Vec<PostureFinding> {
    let mut found = Vec::new();
    let names = vec![node.display_name.clone()];
    if node.home.is_none() {
        let holders: Vec<String> = node
            .held_by
            .iter()
            .map(|h| world.name(&h.region_id))
            .collect();
        found.push(with_fix(
            finding(
                FindingLevel::Warning,
                FindingCode::NodeUnplaced,
                format!(
                    "Where {} runs is not known: {} only as an import, and Fabric Atlas did not \
                     copy it. Until it is placed, any lost region counts it as lost.",
                    node.display_name,
                    match holders.len() {
                        1 => format!("{}'s console holds it", holders[0]),
                        _ => format!("the consoles of {} hold it", listed(&holders)),
                    }
                ),
                node.held_by.iter().map(|h| h.region_id.clone()).collect(),
                names.clone(),
            ),
            FindingFix::Place {
                node_key: node.key.clone(),
            },
        ));
    }
    if node.down {
        let home = node.home.as_deref().map_or_else(
            || "unplaced".to_owned(),
            |h| format!("in {}", world.name(h)),
        );
        found.push(finding(
            FindingLevel::Warning,
            FindingCode::NodeDown,
            format!(
                "{} ({home}) does not answer its health check now: it is counted as unavailable.",
                node.display_name
            ),
            node.home.iter().cloned().collect(),
            names,
        ));
    }
    found
}

fn service_findings(world: &World<'_>, s: &ServicePosture) -> Vec<PostureFinding> {
    let mut found = Vec::new();
    let tolerates = s.nodes - s.quorum;
    let spread = if tolerates == 0 {
        format!(
            "With {} ordering node{} it tolerates no loss: add ordering nodes in other regions \
             (five nodes as 2-2-1 over three regions survive the loss of any one).",
            s.nodes,
            if s.nodes == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "Spread its ordering nodes so that no region holds more than {tolerates} of them \
             (five nodes as 2-2-1 over three regions survive the loss of any one)."
        )
    };
    if !s.has_quorum {
        found.push(with_fix(
            finding(
                FindingLevel::Error,
                FindingCode::QuorumLost,
                format!(
                    "{} has {} of {} ordering nodes working and needs {} to order \
                     transactions: no new blocks until nodes come back.",
                    s.name, s.available, s.nodes, s.quorum
                ),
                world.lost.iter().cloned().collect(),
                vec![s.name.clone()],
            ),
            step(spread.clone()),
        ));
    } else {
        let (breaking, names) = breaking(world, &s.survives_loss_of);
        if !breaking.is_empty() {
            found.push(with_fix(
                finding(
                    FindingLevel::Warning,
                    FindingCode::QuorumNeedsRegion,
                    format!(
                        "If {} is lost, {} keeps fewer than the {} of its {} ordering nodes it \
                         needs: it stops ordering.",
                        listed_or(&names),
                        s.name,
                        s.quorum,
                        s.nodes
                    ),
                    breaking,
                    vec![s.name.clone()],
                ),
                step(spread),
            ));
        }
    }
    if s.nodes >= 2 && s.nodes.is_multiple_of(2) {
        found.push(finding(
            FindingLevel::Info,
            FindingCode::ServiceEvenSize,
            format!(
                "{} has {} ordering nodes: it tolerates the loss of {}, as {} would; one more \
                 tolerates {}.",
                s.name,
                s.nodes,
                tolerates,
                s.nodes - 1,
                tolerates + 1
            ),
            Vec::new(),
            vec![s.name.clone()],
        ));
    }
    for d in s.distances.iter().filter(|d| d.too_far) {
        found.push(with_fix(
            finding(
                FindingLevel::Warning,
                FindingCode::ConsentersFarApart,
                format!(
                    "{} and {} hold consenters of {} {} km apart: about {} ms per round trip \
                     (light in fibre, routes {}× the great circle), above the {} ms of close \
                     regions. Every block waits for it.",
                    world.name(&d.a),
                    world.name(&d.b),
                    s.name,
                    d.km,
                    d.rtt_ms,
                    super::distance::ROUTE_FACTOR,
                    super::distance::MAX_CONSENTER_RTT_MS
                ),
                vec![d.a.clone(), d.b.clone()],
                vec![s.name.clone()],
            ),
            step(
                "Keep an ordering service's consenters in regions close together (the guide: \
                  US East + US West + Canada beats US West + Tokyo)."
                    .to_owned(),
            ),
        ));
    }
    found
}

/// The regions still standing whose loss (in addition to the lost ones) breaks what
/// `survives_loss_of` answers for: their ids and names.
fn breaking(
    world: &World<'_>,
    survives_loss_of: &BTreeMap<String, bool>,
) -> (Vec<String>, Vec<String>) {
    world
        .regions
        .iter()
        .filter(|r| !world.lost.contains(&r.id))
        .filter(|r| survives_loss_of.get(&r.id) == Some(&false))
        .map(|r| (r.id.clone(), r.name.clone()))
        .unzip()
}

/// "US East" or "US East or Canada".
fn listed_or(items: &[String]) -> String {
    match items {
        [init @ .., last] if !init.is_empty() => format!("{} or {last}", init.join(", ")),
        _ => listed(items),
    }
}

fn org_findings(world: &World<'_>, o: &OrgPosture) -> Vec<PostureFinding> {
    let mut found = Vec::new();
    let without_peers: Vec<String> = world
        .regions
        .iter()
        .filter(|r| !world.lost.contains(&r.id))
        .filter(|r| o.peers_by_region.get(&r.id).copied().unwrap_or(0) == 0)
        .map(|r| r.name.clone())
        .collect();
    let add_peer = || {
        let target = without_peers
            .first()
            .cloned()
            .unwrap_or_else(|| "another region".to_owned());
        step(format!(
            "Add a peer for {} in {target} — the guide's step 4 (register its identity with \
             the org's CA, create the peer, join it to the channels).",
            o.msp_id
        ))
    };
    if o.available == 0 {
        found.push(with_fix(
            finding(
                FindingLevel::Error,
                FindingCode::PeersLost,
                format!(
                    "{} has no working peer left (of {}): it cannot endorse or query until one \
                     comes back.",
                    o.msp_id, o.peers
                ),
                world.lost.iter().cloned().collect(),
                vec![o.msp_id.clone()],
            ),
            add_peer(),
        ));
    } else {
        let (breaking, names) = breaking(world, &o.survives_loss_of);
        if !breaking.is_empty() {
            found.push(with_fix(
                finding(
                    FindingLevel::Warning,
                    FindingCode::PeersNeedRegion,
                    format!(
                        "If {} is lost, {} has no working peer left: every one it has runs there.",
                        listed_or(&names),
                        o.msp_id
                    ),
                    breaking,
                    vec![o.msp_id.clone()],
                ),
                add_peer(),
            ));
        }
    }
    if let Some(ca_region) = &o.ca_region {
        let ca = listed(&o.ca_names);
        if world.lost.contains(ca_region) {
            found.push(finding(
                FindingLevel::Warning,
                FindingCode::CaLost,
                format!(
                    "{} is lost with {}: no identity of {} can be enrolled or registered until \
                     it is back. Transactions go on.",
                    world.name(ca_region),
                    ca,
                    o.msp_id
                ),
                vec![ca_region.clone()],
                o.ca_names.clone(),
            ));
        } else {
            found.push(finding(
                FindingLevel::Info,
                FindingCode::CaOneRegion,
                format!(
                    "{}'s CA ({ca}) runs in {}: while {} is lost, no identity of {} can be \
                     enrolled or registered. Transactions go on.",
                    o.msp_id,
                    world.name(ca_region),
                    world.name(ca_region),
                    o.msp_id
                ),
                vec![ca_region.clone()],
                o.ca_names.clone(),
            ));
        }
    }
    if !o.msp_missing_in.is_empty() {
        let names: Vec<String> = o.msp_missing_in.iter().map(|r| world.name(r)).collect();
        // Only a region still standing can be copied from.
        let source = o.msp_known_by.iter().find(|r| !world.lost.contains(*r));
        let message = format!(
            "The consoles of {} lack {}'s MSP definition: they cannot create its peers or \
             manage its nodes (the guide's steps 3 and 4).",
            listed(&names),
            o.msp_id
        );
        let f = finding(
            FindingLevel::Warning,
            FindingCode::MspMissing,
            message,
            o.msp_missing_in.clone(),
            vec![o.msp_id.clone()],
        );
        found.push(match source {
            Some(source) => with_fix(
                f,
                FindingFix::Operation {
                    label: format!(
                        "Replicate {} from {} to {}",
                        o.msp_id,
                        world.name(source),
                        listed(&names)
                    ),
                    operation: Operation::ReplicateOrg {
                        source_region_id: source.clone(),
                        msp_id: o.msp_id.clone(),
                        target_region_ids: o.msp_missing_in.clone(),
                    },
                },
            ),
            None => f,
        });
    }
    found
}

/// One finding for every console that does not know every peer and ordering node.
fn mesh_finding(
    world: &World<'_>,
    services: &[ServicePosture],
    orgs: &[OrgPosture],
) -> Option<PostureFinding> {
    let mut lacking: Vec<Lacking> = Vec::new();
    let gaps = services
        .iter()
        .flat_map(|s| &s.lacking)
        .chain(orgs.iter().flat_map(|o| &o.lacking));
    for gap in gaps {
        match lacking.iter_mut().find(|l| l.region_id == gap.region_id) {
            Some(l) => l.components.extend(gap.components.iter().cloned()),
            None => lacking.push(gap.clone()),
        }
    }
    if lacking.is_empty() {
        return None;
    }
    let per_region: Vec<String> = lacking
        .iter()
        .map(|l| {
            format!(
                "{} lacks {}",
                world.name(&l.region_id),
                listed(&l.components)
            )
        })
        .collect();
    let mut components: Vec<String> = lacking.iter().flat_map(|l| l.components.clone()).collect();
    components.sort();
    components.dedup();
    Some(with_fix(
        finding(
            FindingLevel::Warning,
            FindingCode::MeshIncomplete,
            format!(
                "Not every console knows every node: {}. When a region is lost, the consoles \
                 left cannot manage the nodes they do not know (the guide's last step).",
                per_region.join("; ")
            ),
            lacking.iter().map(|l| l.region_id.clone()).collect(),
            components,
        ),
        FindingFix::Operation {
            label: "Full mesh: every console learns every node".to_owned(),
            operation: Operation::Mesh,
        },
    ))
}
