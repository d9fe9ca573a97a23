//! Replicate an org and build the full mesh against the emulator: the guide's steps 3, 4 and 6.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use atlas_core::import::ItemOutcome;

async fn names_of(h: &support::Harness, region: usize, kinds: &[&str]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for c in h.documents(region).await {
        if kinds.contains(&c["type"].as_str().unwrap()) {
            *counts
                .entry(c["display_name"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    counts
}

fn once(names: &[&str]) -> BTreeMap<String, usize> {
    names.iter().map(|n| (n.to_string(), 1)).collect()
}

#[tokio::test]
async fn replicate_org_brings_its_msp_and_ca_to_the_chosen_regions() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    h.keep_ca_admins(&atlas).await;
    let never = AtomicBool::new(false);
    let report = atlas
        .replicate_org(
            "r1",
            "Org1MSP",
            &["r2".into(), "r3".into()],
            false,
            &never,
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.targets.len(), 2);
    for region in [2, 3] {
        assert_eq!(
            names_of(&h, region, &["msp", "fabric-ca"]).await,
            once(&["Org1 CA", "Org1 MSP"])
        );
        assert!(names_of(&h, region, &["fabric-peer", "fabric-orderer"])
            .await
            .is_empty());
    }
    let missing = atlas
        .replicate_org("r1", "Org9MSP", &["r2".into()], false, &never, &|_| {})
        .await
        .unwrap_err();
    assert!(missing.message.contains("Org9MSP"));
}

#[tokio::test]
async fn the_full_mesh_gives_every_console_every_node_once_and_a_rerun_changes_nothing() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let never = AtomicBool::new(false);

    // Region 2 gets a peer of its own (the guide's step 5), built from region 1's peer.
    let mut peer = h
        .client(1)
        .get_component("org1peer1")
        .await
        .unwrap()
        .document;
    let body = serde_json::json!({
        "display_name": "Org1 Peer2",
        "msp_id": peer["msp_id"].take(),
        "api_url": "grpcs://127.0.0.1:17051",
        "operations_url": "https://127.0.0.1:19443",
        "grpcwp_url": "https://127.0.0.1:17443",
        "msp": peer["msp"].take(),
    });
    h.client(2)
        .import_component("fabric-peer", &body)
        .await
        .unwrap();

    let plan = atlas.mesh(true, &never, &|_| {}).await.unwrap();
    let would: usize = plan
        .iter()
        .flat_map(|t| &t.items)
        .filter(|i| i.outcome == ItemOutcome::WouldCreate)
        .count();
    // r1 needs Peer2; r2 needs Peer1 + the orderer; r3 needs all three.
    assert_eq!(would, 6, "{plan:?}");
    assert!(
        names_of(&h, 3, &["fabric-peer"]).await.is_empty(),
        "a dry run changes nothing"
    );

    let applied = atlas.mesh(false, &never, &|_| {}).await.unwrap();
    assert!(applied.iter().all(|t| t.error.is_none()), "{applied:?}");
    let every_node = once(&["Ordering Service Node 1", "Org1 Peer1", "Org1 Peer2"]);
    for region in 1..=3 {
        assert_eq!(
            names_of(&h, region, &["fabric-peer", "fabric-orderer"]).await,
            every_node,
            "region {region}"
        );
    }

    let again = atlas.mesh(false, &never, &|_| {}).await.unwrap();
    assert!(
        again
            .iter()
            .flat_map(|t| &t.items)
            .all(|i| matches!(i.outcome, ItemOutcome::AlreadyThere { .. })),
        "{again:?}"
    );
}
