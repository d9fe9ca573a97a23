//! Console-to-console transfer against the emulator: parallel targets, faults on one target,
//! retries that never duplicate, cancellation, and the exact final component lists.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_core::atlas::AtlasOptions;
use atlas_core::client::ClientSettings;
use atlas_core::clock::ManualClock;
use atlas_core::import::{ItemOutcome, ItemSource};
use atlas_core::transfer::{TransferEvent, TransferReport};

const ORG1: [&str; 4] = ["org1ca", "org1msp", "org1peer1", "orderingservicenode1"];

fn ids() -> Vec<String> {
    ORG1.iter().map(|s| s.to_string()).collect()
}

fn targets(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Display names on a region's console, with how many times each is there.
async fn names(h: &support::Harness, region: usize) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for c in h.documents(region).await {
        *counts
            .entry(c["display_name"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    counts
}

fn org1_once() -> BTreeMap<String, usize> {
    [
        "Org1 CA",
        "Org1 MSP",
        "Org1 Peer1",
        "Ordering Service Node 1",
    ]
    .iter()
    .map(|n| (n.to_string(), 1))
    .collect()
}

fn outcomes(report: &TransferReport, target: &str) -> Vec<String> {
    let t = report
        .targets
        .iter()
        .find(|t| t.region_id == target)
        .unwrap();
    t.items
        .iter()
        .map(|i| match &i.outcome {
            ItemOutcome::Created { .. } => "created".to_owned(),
            ItemOutcome::AlreadyThere { .. } => "already_there".to_owned(),
            ItemOutcome::Conflict { .. } => "conflict".to_owned(),
            ItemOutcome::WouldCreate => "would_create".to_owned(),
            ItemOutcome::Failed { reason } => format!("failed: {reason}"),
        })
        .collect()
}

#[tokio::test]
async fn an_org_reaches_two_regions_in_parallel_with_progress_for_every_item() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    h.keep_ca_admins(&atlas).await;
    h.emulator.clear_request_log(1);
    let events = Mutex::new(Vec::new());
    let report = atlas
        .transfer(
            "r1",
            &ids(),
            &targets(&["r2", "r3"]),
            false,
            &AtomicBool::new(false),
            &|e| events.lock().unwrap().push(e),
        )
        .await
        .unwrap();
    // At the floor: every console listed once, one import per item whose answer is the
    // verification (no read-back), nothing else.
    assert_eq!(methods(&h, 1), ["GET"]);
    for target in [2, 3] {
        assert_eq!(methods(&h, target), ["GET", "POST", "POST", "POST", "POST"]);
        let agent = format!("FabricAtlas/{} (app)", env!("CARGO_PKG_VERSION"));
        let log = h.emulator.request_log(target);
        assert!(log.iter().all(|r| r.user_agent == agent), "{log:?}");
    }
    for target in ["r2", "r3"] {
        assert_eq!(outcomes(&report, target), vec!["created"; 4]);
    }
    // Each item says, as a struct, which console and component it was read from.
    let sources: Vec<ItemSource> = report.targets[0]
        .items
        .iter()
        .map(|i| i.source.clone())
        .collect();
    let expected: Vec<ItemSource> = ORG1
        .iter()
        .map(|id| ItemSource::console("r1", id))
        .collect();
    assert_eq!(sources, expected);
    assert_eq!(names(&h, 2).await, org1_once());
    assert_eq!(names(&h, 3).await, org1_once());
    let events = events.into_inner().unwrap();
    assert_eq!(events[0], TransferEvent::Read { items: 4 });
    let items = events
        .iter()
        .filter(|e| matches!(e, TransferEvent::Item { .. }))
        .count();
    assert_eq!(items, 8);
    let done = events
        .iter()
        .filter(|e| matches!(e, TransferEvent::TargetDone { .. }))
        .count();
    assert_eq!(done, 2);
    // Per target and item: the intent before it was sent, the outcome after, each at its moment.
    let audited = atlas.audit_entries().unwrap().entries;
    assert_eq!(audited.len(), 16);
    // The source region is recorded as such, for views to name it.
    assert!(audited
        .iter()
        .all(|e| e.source_region_id.as_deref() == Some("r1")));
    for target in ["r2", "r3"] {
        let of_target: Vec<_> = audited.iter().filter(|e| e.target == target).collect();
        let first_outcome = of_target.iter().position(|e| e.outcome != "sending");
        assert_eq!(first_outcome, Some(4), "intents first: {of_target:?}");
        assert!(of_target.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
    }
}

#[tokio::test]
async fn a_ca_without_its_admin_credentials_is_refused_before_anything_is_sent() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let no_cancel = AtomicBool::new(false);
    let (ids, to) = (ids(), targets(&["r2"]));
    let transfer = |dry_run| atlas.transfer("r1", &ids, &to, dry_run, &no_cancel, &|_| {});

    // A dry run says what would be created, CA included.
    let plan = transfer(true).await.unwrap();
    assert_eq!(outcomes(&plan, "r2"), vec!["would_create"; 4]);

    let refused = transfer(false).await.unwrap_err();
    assert_eq!(refused.code, atlas_core::ErrorCode::InvalidInput);
    assert_eq!(refused.field.as_deref(), Some("caAdmins"));
    assert!(refused.message.contains("'Org1 CA'"), "{}", refused.message);
    assert_eq!(methods(&h, 2), ["GET", "GET"], "only the two plans' lists");
    assert!(names(&h, 2).await.is_empty());
    assert!(atlas.audit_entries().unwrap().entries.is_empty());

    // Once they are kept, the same copy goes through; without the CA nothing was ever needed.
    h.keep_ca_admins(&atlas).await;
    assert_eq!(
        outcomes(&transfer(false).await.unwrap(), "r2"),
        vec!["created"; 4]
    );
    assert_eq!(names(&h, 2).await, org1_once());
}

/// The methods of the `/ak` requests a region received, in order.
fn methods(h: &support::Harness, region: usize) -> Vec<String> {
    h.log(region)
        .iter()
        .filter(|l| l.contains(" /ak/"))
        .map(|l| l.split(' ').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_region_down_fails_alone_and_the_retry_completes_without_a_duplicate() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    h.keep_ca_admins(&atlas).await;
    let no_cancel = AtomicBool::new(false);
    h.emulator.set_down(3, true);
    let first = atlas
        .transfer(
            "r1",
            &ids(),
            &targets(&["r2", "r3"]),
            false,
            &no_cancel,
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(outcomes(&first, "r2"), vec!["created"; 4]);
    let r3 = first.targets.iter().find(|t| t.region_id == "r3").unwrap();
    assert!(
        r3.error.as_deref().unwrap().contains("cannot reach"),
        "{r3:?}"
    );

    h.emulator.set_down(3, false);
    let retry = atlas
        .transfer(
            "r1",
            &ids(),
            &targets(&["r2", "r3"]),
            false,
            &no_cancel,
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(outcomes(&retry, "r2"), vec!["already_there"; 4]);
    assert_eq!(outcomes(&retry, "r3"), vec!["created"; 4]);
    assert_eq!(names(&h, 2).await, org1_once());
    assert_eq!(names(&h, 3).await, org1_once());
}

#[tokio::test]
async fn a_failing_target_reports_each_item_and_a_rerun_fills_only_the_gaps() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    h.keep_ca_admins(&atlas).await;
    let no_cancel = AtomicBool::new(false);
    // Region 2 already has the MSP: that item must be skipped, never duplicated.
    atlas
        .transfer(
            "r1",
            &["org1msp".into()],
            &targets(&["r2"]),
            false,
            &no_cancel,
            &|_| {},
        )
        .await
        .unwrap();
    h.emulator.set_fail_status(3, Some(503));
    let report = atlas
        .transfer(
            "r1",
            &ids(),
            &targets(&["r2", "r3"]),
            false,
            &no_cancel,
            &|_| {},
        )
        .await
        .unwrap();
    let r2 = outcomes(&report, "r2");
    assert_eq!(
        r2.iter().filter(|o| *o == "already_there").count(),
        1,
        "{r2:?}"
    );
    assert_eq!(r2.iter().filter(|o| *o == "created").count(), 3, "{r2:?}");
    let r3 = report.targets.iter().find(|t| t.region_id == "r3").unwrap();
    assert!(r3.error.as_deref().unwrap().contains("503"), "{r3:?}");

    h.emulator.set_fail_status(3, None);
    atlas
        .transfer(
            "r1",
            &ids(),
            &targets(&["r2", "r3"]),
            false,
            &no_cancel,
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(names(&h, 2).await, org1_once());
    assert_eq!(names(&h, 3).await, org1_once());
}

#[tokio::test]
async fn a_cancelled_or_dry_run_transfer_changes_nothing() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    h.keep_ca_admins(&atlas).await;
    let dry = atlas
        .transfer(
            "r1",
            &ids(),
            &targets(&["r2"]),
            true,
            &AtomicBool::new(false),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(outcomes(&dry, "r2"), vec!["would_create"; 4]);
    let cancelled = atlas
        .transfer(
            "r1",
            &ids(),
            &targets(&["r2"]),
            false,
            &AtomicBool::new(true),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        outcomes(&cancelled, "r2"),
        vec!["failed: not attempted: cancelled"; 4]
    );
    assert!(names(&h, 2).await.is_empty());
    let refused = atlas
        .transfer(
            "r1",
            &ids(),
            &targets(&["r1"]),
            false,
            &AtomicBool::new(false),
            &|_| {},
        )
        .await
        .unwrap_err();
    assert!(refused.message.contains("its own transfer target"));
}

async fn transfer_org1(atlas: &atlas_core::atlas::Atlas, to: &[&str]) -> TransferReport {
    atlas
        .transfer(
            "r1",
            &ids(),
            &targets(to),
            false,
            &AtomicBool::new(false),
            &|_| {},
        )
        .await
        .unwrap()
}

fn error_of<'a>(report: &'a TransferReport, target: &str) -> &'a str {
    report
        .targets
        .iter()
        .find(|t| t.region_id == target)
        .and_then(|t| t.error.as_deref())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_429_on_one_target_is_waited_out_as_the_console_asks_and_nothing_is_duplicated() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::default());
    let options = AtlasOptions {
        client: ClientSettings {
            clock: clock.clone(),
            ..ClientSettings::default()
        },
        ..AtlasOptions::default()
    };
    let atlas = h.atlas_with_options(config.path(), options);
    h.keep_ca_admins(&atlas).await;
    h.emulator.clear_request_log(3);
    h.emulator.set_fail_next(3, 429, 2);

    let report = transfer_org1(&atlas, &["r2", "r3"]).await;
    assert_eq!(outcomes(&report, "r2"), vec!["created"; 4]);
    assert_eq!(outcomes(&report, "r3"), vec!["created"; 4]);
    let log = h.log(3);
    assert_eq!(
        log.iter().filter(|l| l.ends_with(" 429")).count(),
        2,
        "{log:?}"
    );
    // Each 429 was waited out for the console's `Retry-After: 1`, on the injected clock.
    assert_eq!(clock.slept(), [Duration::from_secs(1); 2]);
    assert_eq!(names(&h, 2).await, org1_once());
    assert_eq!(names(&h, 3).await, org1_once());
}

#[tokio::test]
async fn a_401_on_one_target_stops_it_after_one_request_and_the_others_finish() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let wrong = h.atlas_with_secrets(config.path(), |index, secret| {
        if index == 3 {
            "not-the-secret".into()
        } else {
            secret.to_owned()
        }
    });
    h.keep_ca_admins(&wrong).await;
    h.emulator.clear_request_log(3);

    let report = transfer_org1(&wrong, &["r2", "r3"]).await;
    assert_eq!(outcomes(&report, "r2"), vec!["created"; 4]);
    assert!(error_of(&report, "r3").contains("401"), "{report:?}");
    assert!(outcomes(&report, "r3").is_empty(), "{report:?}");
    // One refused request, never retried: five would lock the client out.
    let log = h.log(3);
    assert_eq!(log.len(), 1, "{log:?}");
    assert!(log[0].ends_with(" 401"), "{log:?}");
    assert!(names(&h, 3).await.is_empty());

    // With the right secret, a re-run completes region 3 and leaves region 2 as it was.
    let config = tempfile::tempdir().unwrap();
    let right = h.atlas(config.path());
    h.keep_ca_admins(&right).await;
    let rerun = transfer_org1(&right, &["r2", "r3"]).await;
    assert_eq!(outcomes(&rerun, "r2"), vec!["already_there"; 4]);
    assert_eq!(outcomes(&rerun, "r3"), vec!["created"; 4]);
    assert_eq!(names(&h, 2).await, org1_once());
    assert_eq!(names(&h, 3).await, org1_once());
}

#[tokio::test]
async fn a_target_that_times_out_is_reported_and_the_retry_completes_without_a_duplicate() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    // The client gives up after 300 ms (a real console gets 20 s); region 3 answers after 1 s.
    let options = AtlasOptions {
        client: ClientSettings {
            request_timeout: Duration::from_millis(300),
            ..ClientSettings::default()
        },
        ..AtlasOptions::default()
    };
    let atlas = h.atlas_with_options(config.path(), options);
    h.keep_ca_admins(&atlas).await;
    h.emulator.set_latency(3, Duration::from_secs(1));

    let report = transfer_org1(&atlas, &["r2", "r3"]).await;
    assert_eq!(outcomes(&report, "r2"), vec!["created"; 4]);
    assert!(
        error_of(&report, "r3").contains("did not answer in time"),
        "{report:?}"
    );

    h.emulator.set_latency(3, Duration::ZERO);
    let retry = transfer_org1(&atlas, &["r2", "r3"]).await;
    assert_eq!(outcomes(&retry, "r2"), vec!["already_there"; 4]);
    assert_eq!(outcomes(&retry, "r3"), vec!["created"; 4]);
    assert_eq!(names(&h, 2).await, org1_once());
    assert_eq!(names(&h, 3).await, org1_once());
}
