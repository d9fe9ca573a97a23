//! Drift against real consoles: copies of one node or MSP that differ are found field by field,
//! and "make equal" edits the others through the console's edit route, audited.

mod support;

use console_emulator::{Limits, Scenario};
use serde_json::json;

async fn ha() -> support::Harness {
    support::emulator(Scenario::Ha, 3, Limits::default()).await
}

async fn field(h: &support::Harness, index: usize, name: &str, pointer: &str) -> serde_json::Value {
    h.documents(index)
        .await
        .into_iter()
        .find(|d| d["display_name"] == name)
        .unwrap()
        .pointer(pointer)
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn copies_that_differ_are_found_and_made_equal_through_the_edit_route_audited() {
    let h = ha().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    assert!(
        atlas.drift().await.unwrap().drifts.is_empty(),
        "the ha network's copies agree"
    );

    // Someone edited the copies in region 2: an extra admin on the MSP, another operations URL
    // on the CA.
    let extra_admin = field(&h, 1, "Org1 Peer1", "/msp/component/tls_cert").await;
    let msp2 = h.id_of(2, "Org1 MSP").await;
    let mut admins = field(&h, 1, "Org1 MSP", "/admins").await;
    admins.as_array_mut().unwrap().push(extra_admin);
    h.client(2)
        .edit_component(&msp2, &json!({ "admins": admins }))
        .await
        .unwrap();
    let ca2 = h.id_of(2, "Org1 CA").await;
    h.client(2)
        .edit_component(&ca2, &json!({ "operations_url": "https://127.0.0.1:1" }))
        .await
        .unwrap();

    let report = atlas.drift().await.unwrap();
    assert!(report.unread.is_empty());
    let keys: Vec<&str> = report.drifts.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys.len(), 2, "{report:#?}");
    let msp = report
        .drifts
        .iter()
        .find(|d| d.key == "msp:Org1MSP")
        .unwrap();
    let regions: Vec<&str> = msp.copies.iter().map(|c| c.region_id.as_str()).collect();
    assert_eq!(regions, ["r1", "r2", "r3"]);
    assert_eq!(msp.fields.len(), 1);
    assert_eq!(msp.fields[0].label, "Admins");
    assert_eq!(msp.fields[0].values[0], msp.fields[0].values[2]);
    assert_ne!(msp.fields[0].values[0], msp.fields[0].values[1]);
    let ca = report
        .drifts
        .iter()
        .find(|d| d.display_name == "Org1 CA")
        .unwrap();
    assert_eq!(ca.fields[0].label, "Operations URL");
    assert_eq!(
        ca.fields[0].values[1].as_deref(),
        Some("https://127.0.0.1:1")
    );

    // Make every copy equal to region 1's: only region 2's copy changes.
    for region in 1..=3 {
        h.emulator.clear_request_log(region);
    }
    let made = atlas.make_equal("msp:Org1MSP", "r1").await.unwrap();
    assert_eq!(made.from_region_id, "r1");
    let edited: Vec<(&str, &[String])> = made
        .copies
        .iter()
        .map(|c| (c.region_id.as_str(), c.edited.as_slice()))
        .collect();
    assert_eq!(
        edited,
        [("r2", &["Admins".to_owned()][..]), ("r3", &[][..])]
    );
    assert!(made
        .copies
        .iter()
        .all(|c| c.left.is_empty() && c.error.is_none()));
    assert_eq!(
        field(&h, 2, "Org1 MSP", "/admins").await,
        field(&h, 1, "Org1 MSP", "/admins").await
    );
    let puts = |region| {
        h.log(region)
            .into_iter()
            .filter(|l| l.starts_with("PUT "))
            .collect::<Vec<_>>()
    };
    assert_eq!(puts(2), [format!("PUT /ak/api/v3/components/{msp2} 200")]);
    assert!(puts(1).is_empty() && puts(3).is_empty());
    let audit = atlas.audit_entries().unwrap().entries;
    let outcomes: Vec<(&str, &str, &str)> = audit
        .iter()
        .map(|e| (e.operation.as_str(), e.target.as_str(), e.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("make equal", "r2", "sending"),
            (
                "make equal",
                "r2",
                format!("edited {msp2} (Admins)").as_str()
            )
        ]
    );
    assert_eq!(audit[0].source_region_id.as_deref(), Some("r1"));

    let report = atlas.drift().await.unwrap();
    assert_eq!(report.drifts.len(), 1, "only the CA's drift is left");
    let again = atlas.make_equal("msp:Org1MSP", "r1").await.unwrap();
    assert!(
        again.copies.iter().all(|c| c.edited.is_empty()),
        "nothing left to send"
    );

    let nowhere = atlas.make_equal("msp:Org9MSP", "r1").await.unwrap_err();
    assert!(
        nowhere.message.contains("msp:Org9MSP"),
        "{}",
        nowhere.message
    );
    let bad_region = atlas
        .make_equal("msp:Org1MSP", "nowhere")
        .await
        .unwrap_err();
    assert_eq!(bad_region.field.as_deref(), Some("from"));
}
