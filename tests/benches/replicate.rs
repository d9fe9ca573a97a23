//! Replicate an org (its MSP, CA and admin identity) from region 1 to regions 2 and 3, with 50 ms
//! of latency injected on every console call, and report the time against the round-trip lower
//! bound.
//!
//! Lower bound: the calls that must follow one another. On the source: one list (to find the
//! org's components) and one fresh read per component. On each target, in parallel: one list,
//! then per component an import and a read-back, then one fresh list to check the admin identity
//! against the MSP now there. Run: `cargo bench -p atlas-tests --bench replicate`.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use atlas_core::import::ItemOutcome;

#[path = "../tests/support.rs"]
mod support;

const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 5;

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut ratios = Vec::new();
        for run in 1..=RUNS {
            let h = support::sandbox().await;
            let config = tempfile::tempdir().unwrap();
            let atlas = h.atlas(config.path());
            with_org_admin(&h, &atlas).await;
            for region in 1..=3 {
                h.emulator.set_latency(region, LATENCY);
            }
            let never = AtomicBool::new(false);
            let started = Instant::now();
            let report = atlas
                .replicate_org("r1", "Org1MSP", &["r2".into(), "r3".into()], false, &never, &|_| {})
                .await
                .unwrap();
            let elapsed = started.elapsed();
            let all = || report.targets.iter().flat_map(|t| &t.items);
            assert!(all().all(|i| matches!(i.outcome, ItemOutcome::Created { .. })));
            assert_eq!(all().filter(|i| i.kind == "identity").count(), 2);
            let items = report.targets[0].items.iter().filter(|i| i.kind != "identity").count() as u32;
            // source: list + one read per item; target: list + (import + read-back) per item + list.
            let sequential_calls = (1 + items) + (1 + 2 * items + 1);
            let bound = LATENCY * sequential_calls;
            let ratio = elapsed.as_secs_f64() / bound.as_secs_f64();
            println!(
                "run {run}: {items} components and the admin identity to 2 regions in {:.0} ms; lower bound {} calls x {} ms = {} ms; ratio {ratio:.2}",
                elapsed.as_secs_f64() * 1000.0,
                sequential_calls,
                LATENCY.as_millis(),
                bound.as_millis()
            );
            ratios.push(ratio);
        }
        ratios.sort_by(f64::total_cmp);
        println!("replicate org, median ratio to the round-trip lower bound: {:.2}", ratios[RUNS / 2]);
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
