//! Replicate Org1 (its MSP, CA and admin identity) from region 1 to regions 2 and 3 through
//! configured regions (fleet file, secrets in the OS keyring), with 50 ms injected on every
//! console call; time and request count against the floor.
//!
//! Floor, from the work's dependency graph: the source must be read before anything can be
//! imported, and each target's holdings must be known before importing into it (the console
//! accepts duplicates); the two are independent, so round trip 1 lists the source and both
//! targets at once. Round trip 2 sends every import (each org component to each target) at
//! once; the console's answer carries the stored document, and the admin identity is checked
//! against it in memory. Floor: 2 round trips (in a fresh process, after reading the consoles'
//! secrets from the keyring at once: `floor::before_first_request`); requests: 3 lists +
//! 2 targets x 2 components.
//! Run: `make bench`.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use atlas_core::import::ItemOutcome;

mod floor;
#[path = "../tests/support.rs"]
mod support;

use floor::*;

/// Org1's components on region 1: its MSP definition and its CA (see `floor`).
const ORG_COMPONENTS: usize = 2;
const TARGETS: usize = 2;

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let targets = ["r2".to_owned(), "r3".to_owned()];
        for process in PROCESSES {
            let floor = Floor {
                before: before_first_request(process, 1 + TARGETS),
                round_trips: 2,
                requests: (1 + TARGETS) + TARGETS * ORG_COMPONENTS,
            };
            let mut ratios = Vec::new();
            for run in 1..=RUNS {
                let h = support::sandbox().await;
                assert_sandbox_region_1(&contents(&h, 1).await);
                let config = tempfile::tempdir().unwrap();
                let setup = h.atlas(config.path());
                with_org_admin(&h, &setup).await;
                h.keep_ca_admins(&setup).await;
                drop(setup);
                let atlas = fresh_or_warm(&h, config.path(), process).await;
                for region in 1..=3 {
                    h.emulator.set_latency(region, LATENCY);
                }
                clear_logs(&h);
                let never = AtomicBool::new(false);
                let started = Instant::now();
                let report = atlas
                    .replicate_org("r1", "Org1MSP", &targets, false, &never, &|_| {})
                    .await
                    .unwrap();
                let elapsed = started.elapsed();
                let all = || report.targets.iter().flat_map(|t| &t.items);
                assert!(all().all(|i| matches!(i.outcome, ItemOutcome::Created { .. })));
                assert_eq!(all().filter(|i| i.kind == "identity").count(), TARGETS);
                let what = format!(
                    "{process}: {ORG_COMPONENTS} components and the admin identity to {TARGETS} regions"
                );
                let requests = requests(&h);
                ratios.push(floor.report(run, &what, elapsed, requests));
            }
            let median = median(ratios);
            println!("replicate org ({process}), median time ratio to the floor: {median:.2}");
        }
    });
}

/// Console 1's org admin in the wallet, made admin of Org1MSP on region 1 (before the clock runs).
async fn with_org_admin(h: &support::Harness, atlas: &atlas_core::atlas::Atlas) {
    let files = tempfile::tempdir().unwrap();
    let admin = &h.emulator.identities(1)[0];
    let file = files.path().join("admin_identity.json");
    std::fs::write(&file, serde_json::to_vec(admin).unwrap()).unwrap();
    assert!(!atlas.import_identities(&[file], None).unwrap().refused);
    let made = atlas.make_region_admin(&admin.name, "r1").await.unwrap();
    assert_eq!(made.msp_id.as_deref(), Some("Org1MSP"));
}
