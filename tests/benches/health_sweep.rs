//! One health sweep of three consoles holding the console's maximum of 75 components each, with
//! 50 ms of latency injected on every console call, against the round-trip lower bound.
//!
//! A sweep per console is one component list and one status call (the console probes every node);
//! consoles are polled in parallel, so the lower bound is two round trips. The figure includes the
//! console's own probing of 75 node health endpoints. Run:
//! `cargo bench -p atlas-tests --bench health_sweep`.

use std::time::{Duration, Instant};

use atlas_core::health::{HealthMonitor, HealthState};
use serde_json::{json, Value};

#[path = "../tests/support.rs"]
mod support;

const LATENCY: Duration = Duration::from_millis(50);
const PER_CONSOLE: usize = 75;
const RUNS: usize = 5;

/// Peers that all report to the sandbox's real (simulated) peer node, so every probe is answered.
fn peers(template: &Value, count: usize, region: usize) -> Vec<Value> {
    (0..count)
        .map(|i| {
            json!({
                "type": "fabric-peer",
                "display_name": format!("Bench Peer {region}-{i}"),
                "msp_id": template["msp_id"],
                "api_url": format!("grpcs://127.0.0.1:{}", 20000 + region * 100 + i),
                "grpcwp_url": format!("https://127.0.0.1:{}", 30000 + region * 100 + i),
                "operations_url": template["operations_url"],
                "msp": template["msp"],
            })
        })
        .collect()
}

async fn fill(h: &support::Harness, template: &Value) {
    let http = reqwest::Client::new();
    for region in 1..=3 {
        let info = &h.emulator.regions()[region - 1];
        let present = h.client(region).list_components(true).await.unwrap();
        let runnable = present.iter().filter(|c| c.console_type() != "msp").count();
        let answer = http
            .post(format!("{}/ak/api/v3/components/bulk", info.console_url))
            .basic_auth(&info.api_key, Some(&info.api_secret))
            .json(&peers(template, PER_CONSOLE - runnable, region))
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success(),
            "bulk load: {}",
            answer.status()
        );
    }
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let h = support::sandbox().await;
        let template = h.client(1).get_component("org1peer1").await.unwrap().document;
        fill(&h, &template).await;
        for region in 1..=3 {
            h.emulator.set_latency(region, LATENCY);
        }
        let bound = LATENCY * 2;
        let mut ratios = Vec::new();
        for run in 1..=RUNS {
            let monitor = HealthMonitor::new(Duration::from_secs(3600));
            let mut rx = monitor.subscribe();
            let started = Instant::now();
            for region in 1..=3 {
                monitor.watch(&format!("r{region}"), h.client(region));
            }
            loop {
                let done = {
                    let snap = rx.borrow_and_update();
                    snap.regions.len() == 3
                        && snap.regions.iter().all(|r| {
                            r.state == HealthState::Healthy
                                && r.components.iter().filter(|c| c.kind != atlas_core::health::ComponentKind::Msp).count() == PER_CONSOLE
                        })
                };
                if done {
                    break;
                }
                rx.changed().await.unwrap();
            }
            let elapsed = started.elapsed();
            let ratio = elapsed.as_secs_f64() / bound.as_secs_f64();
            println!(
                "run {run}: 3 consoles x {PER_CONSOLE} components swept in {:.0} ms; lower bound 2 x {} ms = {} ms; ratio {ratio:.2}",
                elapsed.as_secs_f64() * 1000.0,
                LATENCY.as_millis(),
                bound.as_millis()
            );
            ratios.push(ratio);
        }
        ratios.sort_by(f64::total_cmp);
        println!("health sweep, median ratio to the round-trip lower bound: {:.2}", ratios[RUNS / 2]);
    });
}
