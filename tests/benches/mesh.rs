//! Full mesh of the sandbox (the guide's step 6) through configured regions, with 50 ms injected
//! on every console call; time and request count against the floor.
//!
//! Floor, from the work's dependency graph: every console is both a source (its nodes) and a
//! target (its holdings, checked before importing into it), and all those reads are independent:
//! round trip 1 lists the three consoles at once. Round trip 2 sends every import at once: the
//! sandbox's region 1 holds one peer and one ordering node, regions 2 and 3 hold none, so each
//! of regions 2 and 3 imports 2 nodes. Floor: 2 round trips (in a fresh process, after reading
//! the consoles' secrets from the keyring at once: `floor::before_first_request`); requests:
//! 3 lists + 2 x 2 imports.
//! Run: `make bench`.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use atlas_core::import::ItemOutcome;

mod floor;
#[path = "../tests/support.rs"]
mod support;

use floor::*;

/// Nodes on region 1 (see `floor`): one peer, one ordering node.
const NODES: usize = 2;
const TARGETS: usize = 2;

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        for process in PROCESSES {
            let floor = Floor {
                before: before_first_request(process, 3),
                round_trips: 2,
                requests: 3 + TARGETS * NODES,
            };
            let mut ratios = Vec::new();
            for run in 1..=RUNS {
                let h = support::sandbox().await;
                assert_sandbox_region_1(&contents(&h, 1).await);
                let config = tempfile::tempdir().unwrap();
                let atlas = fresh_or_warm(&h, config.path(), process).await;
                for region in 1..=3 {
                    h.emulator.set_latency(region, LATENCY);
                }
                clear_logs(&h);
                let never = AtomicBool::new(false);
                let started = Instant::now();
                let reports = atlas.mesh(false, &never, &|_| {}).await.unwrap();
                let elapsed = started.elapsed();
                let created = reports
                    .iter()
                    .flat_map(|t| &t.items)
                    .filter(|i| matches!(i.outcome, ItemOutcome::Created { .. }))
                    .count();
                assert_eq!(created, TARGETS * NODES, "{reports:?}");
                let what = format!("{process}: {NODES} nodes to {TARGETS} regions");
                let requests = requests(&h);
                ratios.push(floor.report(run, &what, elapsed, requests));
            }
            let median = median(ratios);
            println!("full mesh ({process}), median time ratio to the floor: {median:.2}");
        }
    });
}
