//! The posture's arithmetic and findings over hand-made console lists.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::*;
use crate::operation::Operation;

const REGIONS: [(&str, &str, &str); 3] = [
    ("east", "US East", "us-east-1"),
    ("west", "US West", "us-west-2"),
    ("canada", "Canada", "ca-central-1"),
];

fn regions() -> Vec<Region> {
    REGIONS
        .iter()
        .map(|(id, name, location)| Region {
            id: (*id).into(),
            name: (*name).into(),
            location: (*location).into(),
            console_url: format!("https://{id}.example"),
            api_key: "k".into(),
            trusted_certificate: None,
        })
        .collect()
}

fn component(doc: Value) -> Component {
    Component::from_document(doc).unwrap()
}

fn osn(n: u32, imported: bool) -> Component {
    component(json!({ "id": format!("osn{n}"), "type": "fabric-orderer",
        "display_name": format!("OSN{n}"), "msp_id": "OrdererMSP", "cluster_id": "os1",
        "cluster_name": "Ordering Service", "api_url": format!("grpcs://osn{n}:7050"),
        "imported": imported }))
}

fn peer(n: u32, imported: bool) -> Component {
    component(json!({ "id": format!("peer{n}"), "type": "fabric-peer",
        "display_name": format!("Org1 Peer{n}"), "msp_id": "Org1MSP",
        "api_url": format!("grpcs://peer{n}:7051"), "imported": imported }))
}

fn ca(imported: bool) -> Component {
    component(
        json!({ "id": "org1ca", "type": "fabric-ca", "display_name": "Org1 CA",
        "api_url": "https://ca.org1:7054", "msp": { "ca": { "name": "ca", "root_certs": ["R1"] } },
        "imported": imported }),
    )
}

fn msp() -> Component {
    component(
        json!({ "id": "org1msp", "type": "msp", "display_name": "Org1 MSP",
        "msp_id": "Org1MSP", "root_certs": ["R1"], "imported": true }),
    )
}

/// Own ordering nodes and peers per region (a 2-2-1 split is `[2, 2, 1]`), numbered across
/// regions; the CA and MSP in region 1, the MSP copied to the others.
fn network(osns: [u32; 3], peers: [u32; 3]) -> Vec<Result<Vec<Component>, String>> {
    let (mut next_osn, mut next_peer) = (1, 1);
    (0..3)
        .map(|i| {
            let mut list = if i == 0 {
                vec![ca(false), msp()]
            } else {
                vec![msp()]
            };
            for _ in 0..osns[i] {
                list.push(osn(next_osn, false));
                next_osn += 1;
            }
            for _ in 0..peers[i] {
                list.push(peer(next_peer, false));
                next_peer += 1;
            }
            Ok(list)
        })
        .collect()
}

struct Case {
    lists: Vec<Result<Vec<Component>, String>>,
    down: BTreeSet<(String, String)>,
    records: HomeRecords,
}

impl Case {
    fn new(lists: Vec<Result<Vec<Component>, String>>) -> Self {
        Self {
            lists,
            down: BTreeSet::new(),
            records: HomeRecords::default(),
        }
    }

    fn assess(&self, lost: &[&str]) -> Posture {
        let regions = regions();
        let lost: BTreeSet<String> = lost.iter().map(|r| r.to_string()).collect();
        assess(&Inputs {
            regions: &regions,
            lists: &self.lists,
            down: &self.down,
            records: &self.records,
            lost: &lost,
        })
    }
}

fn codes(p: &Posture) -> Vec<(FindingLevel, FindingCode)> {
    p.findings.iter().map(|f| (f.severity, f.code)).collect()
}

fn has(p: &Posture, code: FindingCode) -> &PostureFinding {
    p.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code:?} in {:#?}", p.findings))
}

fn survives(map: &BTreeMap<String, bool>) -> [bool; 3] {
    [map["east"], map["west"], map["canada"]]
}

#[test]
fn five_consenters_2_2_1_survive_the_loss_of_any_one_region() {
    let p = Case::new(network([2, 2, 1], [2, 1, 1])).assess(&[]);
    let s = &p.ordering_services[0];
    assert_eq!((s.nodes, s.quorum, s.available), (5, 3, 5));
    assert_eq!(
        s.nodes_by_region,
        BTreeMap::from([("east".into(), 2), ("west".into(), 2), ("canada".into(), 1)])
    );
    assert_eq!(survives(&s.survives_loss_of), [true, true, true]);
    assert_eq!(survives(&p.orgs[0].survives_loss_of), [true, true, true]);
    assert_eq!(p.survives_any_one_region, Some(true), "{:?}", p.why_not);
    assert!(!codes(&p).iter().any(|(l, _)| *l == FindingLevel::Error));
}

#[test]
fn three_one_one_does_not_survive_losing_the_region_with_three() {
    let case = Case::new(network([3, 1, 1], [2, 1, 1]));
    let p = case.assess(&[]);
    let s = &p.ordering_services[0];
    assert_eq!(survives(&s.survives_loss_of), [false, true, true]);
    assert_eq!(p.survives_any_one_region, Some(false));
    assert_eq!(
        p.why_not,
        ["without US East: Ordering Service loses quorum"]
    );
    let f = has(&p, FindingCode::QuorumNeedsRegion);
    assert_eq!(
        (f.severity, f.regions.clone()),
        (FindingLevel::Warning, vec!["east".to_owned()])
    );
    assert!(matches!(f.fix, Some(FindingFix::Step { .. })));

    // What if US East is lost: 2 of 5 left, quorum 3 — an error, and every figure recomputed.
    let p = case.assess(&["east"]);
    let s = &p.ordering_services[0];
    assert_eq!((s.available, s.has_quorum), (2, false));
    assert_eq!(
        has(&p, FindingCode::QuorumLost).severity,
        FindingLevel::Error
    );
    assert_eq!(p.lost, ["east"]);
    assert!(p.regions[0].lost);
    assert_eq!(p.survives_any_one_region, Some(false));
    assert!(
        p.why_not[0].starts_with("already: Ordering Service has no quorum"),
        "{:?}",
        p.why_not
    );
    // survivesLossOf answers each region on its own in addition to the lost ones.
    assert_eq!(survives(&s.survives_loss_of), [false, false, false]);
    assert_eq!(survives(&p.orgs[0].survives_loss_of), [true, true, true]);
}

#[test]
fn an_org_whose_peers_all_run_in_one_region_is_lost_with_it() {
    let case = Case::new(network([2, 2, 1], [2, 0, 0]));
    let p = case.assess(&[]);
    assert_eq!(survives(&p.orgs[0].survives_loss_of), [false, true, true]);
    let f = has(&p, FindingCode::PeersNeedRegion);
    assert_eq!(f.regions, ["east"]);
    match &f.fix {
        Some(FindingFix::Step { text }) => {
            assert!(
                text.starts_with("Add a peer for Org1MSP in US West — the guide's step 4"),
                "{text}"
            )
        }
        other => panic!("{other:?}"),
    }
    let p = case.assess(&["east"]);
    assert_eq!(
        has(&p, FindingCode::PeersLost).severity,
        FindingLevel::Error
    );
    assert_eq!(p.orgs[0].available, 0);
}

#[test]
fn the_ca_region_is_named_and_its_loss_stops_enrolment_not_transactions() {
    let case = Case::new(network([2, 2, 1], [2, 1, 1]));
    let p = case.assess(&[]);
    assert_eq!(p.orgs[0].ca_region.as_deref(), Some("east"));
    assert_eq!(p.orgs[0].ca_names, ["Org1 CA"]);
    let f = has(&p, FindingCode::CaOneRegion);
    assert_eq!(f.severity, FindingLevel::Info);
    assert!(f.message.contains("Transactions go on"), "{}", f.message);
    let p = case.assess(&["east"]);
    assert_eq!(has(&p, FindingCode::CaLost).severity, FindingLevel::Warning);
    assert!(p
        .findings
        .iter()
        .all(|f| f.code != FindingCode::CaOneRegion));
}

#[test]
fn an_even_service_and_far_apart_consenters_are_named() {
    let case = Case::new(network([2, 1, 1], [1, 1, 1]));
    let p = case.assess(&[]);
    assert_eq!(
        has(&p, FindingCode::ServiceEvenSize).severity,
        FindingLevel::Info
    );
    assert!(p
        .findings
        .iter()
        .all(|f| f.code != FindingCode::ConsentersFarApart));
    assert_eq!(p.ordering_services[0].distances.len(), 3);
    // Canada's console moved to Tokyo: its pairs are too far.
    let mut regions = regions();
    regions[2].location = "ap-northeast-1".into();
    let lost = BTreeSet::new();
    let p = assess(&Inputs {
        regions: &regions,
        lists: &case.lists,
        down: &case.down,
        records: &case.records,
        lost: &lost,
    });
    let far: Vec<&PostureFinding> = p
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::ConsentersFarApart)
        .collect();
    assert_eq!(far.len(), 2, "{:#?}", p.findings);
    assert!(far.iter().all(|f| f.regions.contains(&"canada".to_owned())));
}

#[test]
fn missing_msps_and_nodes_offer_the_apps_own_fixes() {
    // The guide after step 1: everything in region 1, the other consoles empty.
    let lists = vec![
        Ok(vec![ca(false), msp(), osn(1, false), peer(1, false)]),
        Ok(vec![]),
        Ok(vec![]),
    ];
    let p = Case::new(lists).assess(&[]);
    let f = has(&p, FindingCode::MspMissing);
    assert_eq!(f.regions, ["west", "canada"]);
    assert_eq!(
        f.fix,
        Some(FindingFix::Operation {
            label: "Replicate Org1MSP from US East to US West and Canada".into(),
            operation: Operation::ReplicateOrg {
                source_region_id: "east".into(),
                msp_id: "Org1MSP".into(),
                target_region_ids: vec!["west".into(), "canada".into()],
            },
        })
    );
    let f = has(&p, FindingCode::MeshIncomplete);
    assert_eq!(f.regions, ["west", "canada"]);
    assert_eq!(f.components, ["OSN1", "Org1 Peer1"]);
    assert!(matches!(
        &f.fix,
        Some(FindingFix::Operation {
            operation: Operation::Mesh,
            ..
        })
    ));
    assert_eq!(p.survives_any_one_region, Some(false));
    assert_eq!(
        p.why_not,
        ["without US East: Ordering Service loses quorum; Org1MSP has no peer left"]
    );
    assert_eq!(
        (
            p.regions[0].peers,
            p.regions[0].consenters,
            p.regions[0].cas
        ),
        (1, 1, 1)
    );
    match &has(&p, FindingCode::QuorumNeedsRegion).fix {
        Some(FindingFix::Step { text }) => {
            assert!(
                text.starts_with("With 1 ordering node it tolerates no loss"),
                "{text}"
            )
        }
        other => panic!("{other:?}"),
    }

    // With US East supposed lost, no standing region holds the MSP: no copy to offer.
    let lists = vec![
        Ok(vec![msp(), peer(1, false)]),
        Ok(vec![peer(2, false)]),
        Ok(vec![]),
    ];
    let p = Case::new(lists).assess(&["east"]);
    let f = has(&p, FindingCode::MspMissing);
    assert_eq!(f.regions, ["west", "canada"]);
    assert_eq!(f.fix, None, "the only copy is in a region supposed lost");
}

#[test]
fn a_copied_node_keeps_its_home_after_a_full_mesh() {
    // Every console holds every node after the mesh; only the home console holds it as its own.
    let mut lists = network([2, 2, 1], [2, 1, 1]);
    let all_imported: Vec<Component> = (1..=5)
        .map(|n| osn(n, true))
        .chain((1..=4).map(|n| peer(n, true)))
        .collect();
    for list in lists.iter_mut().flatten() {
        let own: Vec<String> = list.iter().map(|c| c.id.clone()).collect();
        list.extend(
            all_imported
                .iter()
                .filter(|c| !own.contains(&c.id))
                .cloned(),
        );
    }
    let p = Case::new(lists).assess(&[]);
    let homes: Vec<(&str, &str, HomeRule)> = p
        .nodes
        .iter()
        .filter(|n| n.kind == ComponentKind::Orderer)
        .map(|n| (n.display_name.as_str(), n.home.as_deref().unwrap(), n.rule))
        .collect();
    assert_eq!(
        homes,
        [
            ("OSN1", "east", HomeRule::Own),
            ("OSN2", "east", HomeRule::Own),
            ("OSN3", "west", HomeRule::Own),
            ("OSN4", "west", HomeRule::Own),
            ("OSN5", "canada", HomeRule::Own),
        ]
    );
    assert!(p
        .findings
        .iter()
        .all(|f| f.code != FindingCode::MeshIncomplete));
    let osn1 = p.nodes.iter().find(|n| n.display_name == "OSN1").unwrap();
    assert_eq!(osn1.held_by.len(), 3);
}

#[test]
fn unplaced_down_and_unread_are_findings_and_unplaced_nodes_count_as_lost_in_any_loss() {
    // Region 3's console does not answer; region 1 holds an import of OSN9 nobody homes.
    let mut lists = network([2, 2, 0], [1, 1, 0]);
    lists[0].as_mut().unwrap().push(osn(9, true));
    lists[2] = Err("connection refused".into());
    let mut case = Case::new(lists);
    case.down.insert(("west".into(), "peer2".into()));
    let p = case.assess(&[]);
    let unplaced = has(&p, FindingCode::NodeUnplaced);
    assert_eq!(unplaced.components, ["OSN9"]);
    assert_eq!(
        unplaced.fix,
        Some(FindingFix::Place {
            node_key: "grpcs://osn9:7050".into()
        })
    );
    assert_eq!(has(&p, FindingCode::NodeDown).components, ["Org1 Peer2"]);
    assert_eq!(has(&p, FindingCode::RegionUnread).regions, ["canada"]);
    let s = &p.ordering_services[0];
    assert_eq!((s.nodes, s.unplaced, s.quorum, s.available), (5, 1, 3, 5));
    // Losing Canada (which homes nothing known) still takes the unplaced node: 4 of 5 left.
    assert_eq!(survives(&s.survives_loss_of), [false, false, true]);
    assert_eq!(p.orgs[0].down, 1);
    assert_eq!(survives(&p.orgs[0].survives_loss_of), [false, true, true]);

    // Placed by the administrator: the placement decides, and the finding goes.
    case.records
        .placed
        .insert("grpcs://osn9:7050".into(), "canada".into());
    let p = case.assess(&[]);
    assert!(p
        .findings
        .iter()
        .all(|f| f.code != FindingCode::NodeUnplaced));
    let node = p.nodes.iter().find(|n| n.display_name == "OSN9").unwrap();
    assert_eq!(
        (node.home.as_deref(), node.rule),
        (Some("canada"), HomeRule::Placed)
    );
}

#[test]
fn errors_come_first_and_an_empty_network_has_nothing_to_judge() {
    let p = Case::new(network([3, 1, 1], [1, 0, 0])).assess(&["east"]);
    let levels: Vec<FindingLevel> = p.findings.iter().map(|f| f.severity).collect();
    let mut sorted = levels.clone();
    sorted.sort();
    assert_eq!(levels, sorted);
    assert_eq!(levels[0], FindingLevel::Error);
    let empty = Case::new(vec![Ok(vec![]), Ok(vec![]), Ok(vec![])]).assess(&[]);
    assert_eq!(empty.survives_any_one_region, None);
    assert!(empty.findings.is_empty());
}

#[test]
fn the_json_has_the_issues_shape() {
    let p = Case::new(network([2, 2, 1], [2, 1, 1])).assess(&["canada"]);
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["lost"], json!(["canada"]));
    let s = &v["orderingServices"][0];
    assert_eq!(s["name"], "Ordering Service");
    assert_eq!(s["nodesByRegion"]["west"], 2);
    assert_eq!(s["unplaced"], 0);
    assert_eq!(s["quorum"], 3);
    assert_eq!(s["survivesLossOf"]["canada"], true);
    assert_eq!(
        s["survivesLossOf"]["east"], false,
        "2 of 5 left without Canada and US East"
    );
    let o = &v["orgs"][0];
    assert_eq!(o["mspId"], "Org1MSP");
    assert_eq!(o["peersByRegion"]["east"], 2);
    assert_eq!(o["caRegion"], "east");
    assert_eq!(o["survivesLossOf"]["canada"], true);
    let f = &v["findings"][0];
    for key in ["severity", "code", "message", "regions", "components"] {
        assert!(f.get(key).is_some(), "{key} in {f}");
    }
}
