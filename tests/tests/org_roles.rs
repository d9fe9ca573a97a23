//! Who may act for an org in each region: an identity dropped on a region becomes the org's admin
//! identity there, and a CA's admin enroll credentials are asked for once and serve every copy.

mod support;

use std::sync::atomic::AtomicBool;

use atlas_core::error::ErrorCode;
use atlas_core::operation::Operation;

fn corpus() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/atlas-core/tests/corpus/bad")
}

async fn copy(atlas: &atlas_core::atlas::Atlas, ids: &[&str], to: &str) {
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let report = atlas
        .transfer(
            "r1",
            &ids,
            &[to.into()],
            false,
            &AtomicBool::new(false),
            &|_| {},
        )
        .await
        .unwrap();
    assert!(
        report.targets.iter().all(|t| t.error.is_none()),
        "{report:?}"
    );
}

/// Puts console 1's org admin and an identity of another org (`org2admin`) in the wallet.
fn import_admins(atlas: &atlas_core::atlas::Atlas, admin: &console_emulator::IdentityFile) {
    let files = tempfile::tempdir().unwrap();
    let own = files.path().join("admin_identity.json");
    std::fs::write(&own, serde_json::to_vec(admin).unwrap()).unwrap();
    let foreign = corpus().join("org2admin_identity.json");
    let report = atlas.import_identities(&[own, foreign], None).unwrap();
    assert!(!report.refused, "{report:?}");
}

#[tokio::test]
async fn an_identity_dropped_on_a_region_becomes_the_orgs_admin_there_only_if_it_belongs_to_the_org(
) {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let admin = &h.emulator.identities(1)[0];
    import_admins(&atlas, admin);

    // Region 2 does not know the org yet: nothing to administer.
    let err = atlas
        .make_region_admin(&admin.name, "r2")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(
        err.message.contains("copy the org's MSP there first"),
        "{err:?}"
    );

    copy(&atlas, &["org1msp"], "r2").await;
    let made = atlas.make_region_admin(&admin.name, "r2").await.unwrap();
    assert_eq!(made.msp_id.as_deref(), Some("Org1MSP"));
    assert!(made.msp_component_id.is_some());
    let refused = atlas.make_region_admin("org2admin", "r2").await.unwrap();
    assert_eq!(refused.msp_id, None);
    assert!(
        refused.findings.iter().any(|f| f.field == "cert"),
        "{refused:?}"
    );

    let admin_of = |name: &str| {
        atlas
            .identities()
            .into_iter()
            .find(|i| i.name == name)
            .map(|i| i.admin_of)
            .unwrap()
    };
    assert_eq!(admin_of(&admin.name), ["r2"]);
    assert!(admin_of("org2admin").is_empty());
}

#[tokio::test]
async fn a_ca_is_copied_only_with_its_admin_credentials_given_once_for_every_region_it_reaches() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let copy_to = |source: &str, ids: &[String], target: &str| Operation::Copy {
        source_region_id: source.into(),
        component_ids: ids.to_vec(),
        target_region_ids: vec![target.into()],
    };
    let org1 = copy_to("r1", &["org1ca".into(), "org1msp".into()], "r2");

    let plan = atlas.plan(&org1).await.unwrap();
    let lacking: Vec<&str> = plan
        .cas_lacking_admins
        .iter()
        .map(|c| c.component_id.as_str())
        .collect();
    assert_eq!(lacking, ["org1ca"], "only the CA needs credentials");
    let before = h.documents(2).await.len();
    let refused = atlas
        .apply(&org1, &AtomicBool::new(false), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("caAdmins"), "{refused:?}");
    assert_eq!(h.documents(2).await.len(), before, "nothing was copied");

    let credentials = support::ca_credentials();
    let saved = atlas
        .save_ca_admins(&plan.cas_lacking_admins[0], &credentials)
        .await
        .unwrap();
    assert!(saved.known());
    assert!(atlas
        .plan(&org1)
        .await
        .unwrap()
        .cas_lacking_admins
        .is_empty());

    copy(&atlas, &["org1ca"], "r2").await;
    let on_r2 = atlas.ca_admins_on("r2").await.unwrap();
    assert_eq!(on_r2.len(), 1, "{on_r2:?}");
    assert_eq!(on_r2[0].ca_admin_enroll_id.as_deref(), Some("admin"));
    assert_eq!(on_r2[0].tlsca_admin_enroll_id.as_deref(), Some("admin"));
    assert!(
        on_r2[0].verified,
        "both admins enrolled with the CA when given"
    );
    let onwards = copy_to("r2", &[on_r2[0].component_id.clone()], "r3");
    assert!(atlas
        .plan(&onwards)
        .await
        .unwrap()
        .cas_lacking_admins
        .is_empty());

    let file = std::fs::read_to_string(config.path().join("ca-admins.json")).unwrap();
    assert!(file.contains("\"admin\"") && !file.contains("adminpw"));
}

#[tokio::test]
async fn replicating_an_org_carries_its_admin_identity_to_every_region_it_reaches() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    h.keep_ca_admins(&atlas).await;
    let admin = &h.emulator.identities(1)[0];
    import_admins(&atlas, admin);
    // The admin of Org1MSP on region 1, where the org lives; org2admin administers nothing.
    let made = atlas.make_region_admin(&admin.name, "r1").await.unwrap();
    assert_eq!(made.msp_id.as_deref(), Some("Org1MSP"));
    let never = AtomicBool::new(false);
    let targets = ["r2".to_string(), "r3".to_string()];
    let identity_items = |report: &atlas_core::transfer::TransferReport| {
        report
            .targets
            .iter()
            .map(|t| {
                let items: Vec<(String, String)> = t
                    .items
                    .iter()
                    .filter(|i| i.kind == "identity")
                    .map(|i| {
                        let outcome = serde_json::to_value(&i.outcome).unwrap();
                        (
                            i.display_name.clone(),
                            outcome["outcome"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect();
                (t.region_id.clone(), items)
            })
            .collect::<Vec<_>>()
    };
    let expect = |outcome: &str| {
        ["r2", "r3"]
            .map(|r| (r.to_owned(), vec![(admin.name.clone(), outcome.to_owned())]))
            .to_vec()
    };
    let admin_of = || {
        atlas
            .identities()
            .into_iter()
            .map(|i| (i.name, i.admin_of))
            .collect::<Vec<_>>()
    };

    let plan = atlas
        .replicate_org("r1", "Org1MSP", &targets, true, &never, &|_| {})
        .await
        .unwrap();
    assert_eq!(identity_items(&plan), expect("would_create"));
    assert_eq!(
        admin_of(),
        [
            (admin.name.clone(), vec!["r1".into()]),
            ("org2admin".into(), vec![])
        ],
        "a dry run records nothing"
    );

    // Region 3 is down: it gets nothing, not even the admin record; region 2 gets all three parts.
    h.emulator.set_down(3, true);
    let partial = atlas
        .replicate_org("r1", "Org1MSP", &targets, false, &never, &|_| {})
        .await
        .unwrap();
    let items = identity_items(&partial);
    assert_eq!(
        items[0],
        (String::from("r2"), expect("created")[0].1.clone())
    );
    assert_eq!(items[1], (String::from("r3"), vec![]));
    assert!(partial.targets[1].error.is_some(), "{partial:?}");
    assert_eq!(
        admin_of(),
        [
            (admin.name.clone(), vec!["r1".into(), "r2".into()]),
            ("org2admin".into(), vec![])
        ]
    );

    h.emulator.set_down(3, false);
    let rerun = atlas
        .replicate_org("r1", "Org1MSP", &targets, false, &never, &|_| {})
        .await
        .unwrap();
    assert_eq!(
        identity_items(&rerun),
        [
            (
                "r2".to_owned(),
                vec![(admin.name.clone(), "already_there".to_owned())]
            ),
            (
                "r3".to_owned(),
                vec![(admin.name.clone(), "created".to_owned())]
            ),
        ]
    );
    assert_eq!(
        admin_of(),
        [
            (
                admin.name.clone(),
                vec!["r1".into(), "r2".into(), "r3".into()]
            ),
            ("org2admin".into(), vec![])
        ]
    );
}
