//! The HA posture against real consoles (the emulator on loopback): homes by every rule, quorum
//! and peers per home region, the what-if, node outages, and homes kept through a full mesh.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use atlas_core::posture::{FindingCode, FindingFix, FindingLevel, HomeRule, Posture};
use atlas_core::ErrorCode;
use console_emulator::{Limits, Scenario};
use serde_json::json;

async fn ha() -> support::Harness {
    support::emulator(Scenario::Ha, 3, Limits::default()).await
}

fn lost(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn codes(p: &Posture) -> Vec<(FindingLevel, FindingCode)> {
    p.findings.iter().map(|f| (f.severity, f.code)).collect()
}

fn has_code(p: &Posture, code: FindingCode) -> bool {
    p.findings.iter().any(|f| f.code == code)
}

fn counts(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
    pairs.iter().map(|(r, n)| (r.to_string(), *n)).collect()
}

fn survives(map: &BTreeMap<String, bool>) -> [bool; 3] {
    [map["r1"], map["r2"], map["r3"]]
}

/// Homes of the peers and ordering nodes, by name.
fn homes(p: &Posture) -> BTreeMap<String, (Option<String>, HomeRule)> {
    p.nodes
        .iter()
        .filter(|n| n.kind.is_node())
        .map(|n| (n.display_name.clone(), (n.home.clone(), n.rule)))
        .collect()
}

#[tokio::test]
async fn five_consenters_2_2_1_and_peers_2_1_1_survive_any_one_region_and_the_what_if_recomputes() {
    let h = ha().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());

    let p = atlas.posture(&[]).await.unwrap();
    let service = &p.ordering_services[0];
    assert_eq!(p.ordering_services.len(), 1);
    assert_eq!(
        service.nodes_by_region,
        counts(&[("r1", 2), ("r2", 2), ("r3", 1)])
    );
    assert_eq!((service.nodes, service.quorum, service.unplaced), (5, 3, 0));
    assert_eq!(survives(&service.survives_loss_of), [true, true, true]);
    let org = &p.orgs[0];
    assert_eq!(org.msp_id, "Org1MSP");
    assert_eq!(
        org.peers_by_region,
        counts(&[("r1", 2), ("r2", 1), ("r3", 1)])
    );
    assert_eq!(org.ca_region.as_deref(), Some("r1"));
    assert_eq!(org.msp_known_by, ["r1", "r2", "r3"]);
    assert_eq!(p.survives_any_one_region, Some(true), "{:?}", p.why_not);
    assert!(homes(&p).values().all(|(_, rule)| *rule == HomeRule::Own));
    assert!(
        !codes(&p)
            .iter()
            .any(|(level, _)| *level == FindingLevel::Error),
        "{:#?}",
        p.findings
    );
    assert!(has_code(&p, FindingCode::CaOneRegion));
    assert!(
        has_code(&p, FindingCode::MeshIncomplete),
        "each console knows only its own nodes"
    );

    // What if region 1 is lost: 3 of 5 keep quorum, the CA is gone, one more loss breaks it.
    let p = atlas.posture(&lost(&["r1"])).await.unwrap();
    let service = &p.ordering_services[0];
    assert_eq!((service.available, service.has_quorum), (3, true));
    assert_eq!(survives(&service.survives_loss_of), [true, false, false]);
    assert!(has_code(&p, FindingCode::CaLost));
    assert!(has_code(&p, FindingCode::QuorumNeedsRegion));
    assert_eq!(p.survives_any_one_region, Some(false));

    // What if regions 1 and 2 are lost: 1 of 5, no quorum — an error.
    let p = atlas.posture(&lost(&["r1", "r2"])).await.unwrap();
    assert!(!p.ordering_services[0].has_quorum);
    assert!(codes(&p).contains(&(FindingLevel::Error, FindingCode::QuorumLost)));
    assert_eq!(p.orgs[0].available, 1, "Canada's peer is left");

    let unknown = atlas.posture(&lost(&["nowhere"])).await.unwrap_err();
    assert_eq!(unknown.field.as_deref(), Some("lost"));
}

#[tokio::test]
async fn a_node_down_now_is_counted_as_unavailable_from_one_status_call_per_console() {
    let h = ha().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let osn5 = h.id_of(3, "Ordering Service Node 5").await;
    h.emulator.set_node_down(3, &osn5, true).unwrap();
    for region in 1..=3 {
        h.emulator.clear_request_log(region);
    }

    let p = atlas.posture(&lost(&["r1"])).await.unwrap();
    let service = &p.ordering_services[0];
    assert_eq!(
        (service.down, service.available, service.has_quorum),
        (1, 2, false)
    );
    assert!(codes(&p).contains(&(FindingLevel::Warning, FindingCode::NodeDown)));
    assert!(codes(&p).contains(&(FindingLevel::Error, FindingCode::QuorumLost)));
    for region in 1..=3 {
        let log = h.log(region);
        assert_eq!(
            log.iter()
                .filter(|l| l.starts_with("GET /ak/api/v3/components"))
                .count(),
            1,
            "region {region}: {log:?}"
        );
        assert_eq!(
            log.iter()
                .filter(|l| l.starts_with("POST /ak/api/v3/components/status"))
                .count(),
            1,
            "region {region}: {log:?}"
        );
        assert_eq!(log.len(), 2, "nothing else: {log:?}");
    }

    h.emulator.set_node_down(3, &osn5, false).unwrap();
    let p = atlas.posture(&lost(&["r1"])).await.unwrap();
    assert!(p.ordering_services[0].has_quorum);
    assert!(!has_code(&p, FindingCode::NodeDown));
}

#[tokio::test]
async fn a_copied_node_keeps_its_home_after_a_full_mesh() {
    let h = ha().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let before = homes(&atlas.posture(&[]).await.unwrap());
    atlas
        .mesh(false, &AtomicBool::new(false), &|_| {})
        .await
        .unwrap();

    let p = atlas.posture(&[]).await.unwrap();
    assert_eq!(
        homes(&p),
        before,
        "every console now holds every node; homes stay"
    );
    assert!(p
        .nodes
        .iter()
        .filter(|n| n.kind.is_node())
        .all(|n| n.held_by.len() == 3));
    assert!(
        !has_code(&p, FindingCode::MeshIncomplete),
        "{:#?}",
        p.findings
    );
    assert_eq!(p.survives_any_one_region, Some(true));

    // With region 1's console gone, its nodes are known from the copies and keep their home by
    // the record the mesh made (rule 2), so the what-if still counts them in region 1.
    h.emulator.set_down(1, true);
    let p = atlas.posture(&[]).await.unwrap();
    assert!(has_code(&p, FindingCode::RegionUnread));
    let peer1 = &homes(&p)["Org1 Peer1"];
    assert_eq!(peer1, &(Some("r1".to_owned()), HomeRule::Copied));
    assert_eq!(
        p.ordering_services[0].nodes_by_region,
        counts(&[("r1", 2), ("r2", 2), ("r3", 1)])
    );
    let recorded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(config.path().join("homes.json")).unwrap()).unwrap();
    assert_eq!(recorded["version"], 1);
    assert_eq!(
        recorded["copied"].as_object().unwrap().len(),
        10,
        "{recorded:#}"
    );
}

#[tokio::test]
async fn homes_by_the_only_holder_then_by_placement_else_unplaced() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    // The sandbox's region 1 deployed its nodes: its own.
    let p = atlas.posture(&[]).await.unwrap();
    assert_eq!(
        homes(&p)["Org1 Peer1"],
        (Some("r1".to_owned()), HomeRule::Own)
    );

    // A peer of another org imported into region 3 only: the only holder is its home.
    // (Its certificates are borrowed from region 1's peer: the console checks their form only.)
    let mut borrowed = h
        .client(1)
        .get_component(&h.id_of(1, "Org1 Peer1").await)
        .await
        .unwrap()
        .document;
    let outside = json!({ "display_name": "Org2 Peer1", "msp_id": "Org2MSP",
        "api_url": "grpcs://peer1.org2.example.com:7051",
        "grpcwp_url": "https://peer1.org2.example.com:7443", "msp": borrowed["msp"].take() });
    h.client(3)
        .import_component("fabric-peer", &outside)
        .await
        .unwrap();
    let p = atlas.posture(&[]).await.unwrap();
    assert_eq!(
        homes(&p)["Org2 Peer1"],
        (Some("r3".to_owned()), HomeRule::OnlyHolder)
    );

    // Imported into region 2 as well: no rule decides; never guessed.
    h.client(2)
        .import_component("fabric-peer", &outside)
        .await
        .unwrap();
    let p = atlas.posture(&[]).await.unwrap();
    assert_eq!(homes(&p)["Org2 Peer1"], (None, HomeRule::Unplaced));
    let finding = p
        .findings
        .iter()
        .find(|f| f.code == FindingCode::NodeUnplaced)
        .unwrap();
    assert_eq!(finding.components, ["Org2 Peer1"]);
    assert_eq!(
        finding.fix,
        Some(FindingFix::Place {
            node_key: "grpcs://peer1.org2.example.com:7051".into()
        })
    );
    assert!(
        !p.orgs[1].survives_loss_of["r1"],
        "unplaced: any loss may take it"
    );

    // Placed by its component id (both consoles' copies are one node).
    let id = h.id_of(2, "Org2 Peer1").await;
    let key = atlas.place(&id, "r2").await.unwrap();
    assert_eq!(key, "grpcs://peer1.org2.example.com:7051");
    let p = atlas.posture(&[]).await.unwrap();
    assert_eq!(
        homes(&p)["Org2 Peer1"],
        (Some("r2".to_owned()), HomeRule::Placed)
    );
    assert!(!p
        .findings
        .iter()
        .any(|f| f.code == FindingCode::NodeUnplaced));
    // Another process sees the placement (it is in the config).
    let other = h.atlas(config.path());
    assert_eq!(
        homes(&other.posture(&[]).await.unwrap())["Org2 Peer1"].1,
        HomeRule::Placed
    );

    let missing = atlas.place("nosuchnode", "r2").await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    let nowhere = atlas.place(&id, "nowhere").await.unwrap_err();
    assert_eq!(nowhere.field.as_deref(), Some("region"));
}

#[tokio::test]
async fn the_sandbox_after_step_1_does_not_survive_and_says_what_to_do() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let p = atlas.posture(&[]).await.unwrap();
    assert_eq!(p.survives_any_one_region, Some(false));
    assert_eq!(
        p.why_not,
        ["without r1: Ordering Service loses quorum; Org1MSP has no peer left"]
    );
    for code in [
        FindingCode::QuorumNeedsRegion,
        FindingCode::PeersNeedRegion,
        FindingCode::MspMissing,
        FindingCode::MeshIncomplete,
        FindingCode::CaOneRegion,
    ] {
        assert!(has_code(&p, code), "{code:?} in {:#?}", p.findings);
    }

    // Peer1 copied to region 2 keeps its home by the copy's record once region 1 is gone.
    let peer = h.id_of(1, "Org1 Peer1").await;
    atlas
        .transfer(
            "r1",
            &[peer],
            &["r2".into()],
            false,
            &AtomicBool::new(false),
            &|_| {},
        )
        .await
        .unwrap();
    h.emulator.set_down(1, true);
    let p = atlas.posture(&[]).await.unwrap();
    assert_eq!(
        homes(&p)["Org1 Peer1"],
        (Some("r1".to_owned()), HomeRule::Copied)
    );
    assert!(
        p.ordering_services.is_empty(),
        "the ordering node was only in region 1"
    );
}

#[tokio::test]
async fn a_components_details_name_its_home_its_copies_and_its_certificates_in_full() {
    let h = ha().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let peer4 = h.id_of(3, "Org1 Peer4").await;
    let now = std::time::SystemTime::now();
    let d = atlas.component_details("r3", &peer4, now).await.unwrap();
    assert_eq!(
        (d.display_name.as_str(), d.msp_id.as_deref()),
        ("Org1 Peer4", Some("Org1MSP"))
    );
    assert_eq!(
        (d.home.as_deref(), d.rule),
        (Some("r3"), Some(HomeRule::Own))
    );
    let labels: Vec<&str> = d.endpoints.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["API", "Operations", "gRPC-web proxy"]);
    assert_eq!(d.held_by.len(), 1);
    assert!(d.health.is_empty(), "no poller here");
    let tls = d
        .certificates
        .iter()
        .find(|c| c.field == "msp.component.tls_cert")
        .unwrap();
    assert!(
        tls.days_left <= 20,
        "the ha scenario's short-lived certificate: {tls:?}"
    );
    assert_eq!(tls.due, atlas_core::artifacts::Due::Within30Days);
    assert!(
        !tls.sans.is_empty(),
        "a TLS certificate names its hosts: {tls:?}"
    );
    assert!(d
        .certificates
        .iter()
        .any(|c| c.field == "msp.ca.root_certs"));

    // After the mesh every console holds a copy; a copy's details name the same home.
    atlas
        .mesh(false, &AtomicBool::new(false), &|_| {})
        .await
        .unwrap();
    let copy = h.id_of(1, "Org1 Peer4").await;
    let d = atlas.component_details("r1", &copy, now).await.unwrap();
    assert!(d.imported);
    assert_eq!(
        (d.home.as_deref(), d.rule),
        (Some("r3"), Some(HomeRule::Own))
    );
    let holders: Vec<&str> = d.held_by.iter().map(|c| c.region_id.as_str()).collect();
    assert_eq!(holders, ["r1", "r2", "r3"]);
    // The org's MSP: its copies on every console.
    let msp = h.id_of(2, "Org1 MSP").await;
    let d = atlas.component_details("r2", &msp, now).await.unwrap();
    assert_eq!(d.held_by.len(), 3);
    assert_eq!(
        (d.home.clone(), d.rule),
        (None, None),
        "an MSP is data: no home"
    );

    let missing = atlas
        .component_details("r2", "nosuch", now)
        .await
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn an_even_service_and_consenters_an_ocean_apart_are_findings() {
    let h = ha().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    // A sixth ordering node, imported into Canada's console only: its only holder is its home.
    // (Its health is read from Node 5's operations service, so it counts as working.)
    let mut osn5 = h
        .client(3)
        .get_component(&h.id_of(3, "Ordering Service Node 5").await)
        .await
        .unwrap()
        .document;
    let sixth = json!({ "display_name": "Ordering Service Node 6", "msp_id": "OrdererMSP",
        "cluster_id": osn5["cluster_id"].take(), "cluster_name": "Ordering Service",
        "api_url": "grpcs://osn6.example.com:7050", "grpcwp_url": "https://osn6.example.com:7443",
        "operations_url": osn5["operations_url"].take(), "msp": osn5["msp"].take() });
    h.client(3)
        .import_component("fabric-orderer", &sixth)
        .await
        .unwrap();
    // Canada's console moves to Tokyo.
    let canada = atlas.regions().into_iter().find(|r| r.id == "r3").unwrap();
    atlas
        .edit_region(
            "r3",
            atlas_core::fleet::RegionEdit {
                name: canada.name,
                location: "ap-northeast-1".into(),
                console_url: canada.console_url,
                api_key: canada.api_key,
                api_secret: None,
                allow_insecure_http: None,
                trusted_certificate: None,
            },
        )
        .unwrap();

    let p = atlas.posture(&[]).await.unwrap();
    let service = &p.ordering_services[0];
    assert_eq!((service.nodes, service.quorum), (6, 4));
    assert_eq!(
        service.nodes_by_region,
        counts(&[("r1", 2), ("r2", 2), ("r3", 2)])
    );
    let even = p
        .findings
        .iter()
        .find(|f| f.code == FindingCode::ServiceEvenSize)
        .unwrap();
    assert!(
        even.message.contains("tolerates the loss of 2, as 5 would"),
        "{}",
        even.message
    );
    let far: Vec<&Vec<String>> = p
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::ConsentersFarApart)
        .map(|f| &f.regions)
        .collect();
    assert_eq!(
        far,
        [
            &vec!["r1".to_owned(), "r3".to_owned()],
            &vec!["r2".to_owned(), "r3".to_owned()]
        ]
    );
    assert!(service
        .distances
        .iter()
        .any(|d| d.a == "r1" && d.b == "r2" && !d.too_far));
    // Losing any one region leaves 4 of 6: quorum holds.
    assert_eq!(survives(&service.survives_loss_of), [true, true, true]);
}
