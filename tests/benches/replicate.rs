//! Replicate an org (its MSP and CA) from region 1 to regions 2 and 3, with 50 ms of latency
//! injected on every console call, and report the time against the round-trip lower bound.
//!
//! Lower bound: the calls that must follow one another. On the source: one list (to find the
//! org's components) and one fresh read per component. On each target, in parallel: one list,
//! then per component an import and a read-back. Run: `cargo bench -p atlas-tests --bench replicate`.

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
            let items = report.targets[0].items.len() as u32;
            assert!(report
                .targets
                .iter()
                .flat_map(|t| &t.items)
                .all(|i| matches!(i.outcome, ItemOutcome::Created { .. })));
            // source: list + one read per item; target: list + (import + read-back) per item.
            let sequential_calls = (1 + items) + (1 + 2 * items);
            let bound = LATENCY * sequential_calls;
            let ratio = elapsed.as_secs_f64() / bound.as_secs_f64();
            println!(
                "run {run}: {items} components to 2 regions in {:.0} ms; lower bound {} calls x {} ms = {} ms; ratio {ratio:.2}",
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
