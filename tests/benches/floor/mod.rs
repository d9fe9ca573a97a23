//! What the benchmarks measure against: the floor of a console operation, from the work's own
//! dependency graph and the sandbox's known contents, never from the code under test.
//!
//! The sandbox scenario seeds region 1 with what the HA guide's step 1 leaves behind: Org1's CA
//! and MSP definition, one peer and one ordering node; regions 2 and 3 start empty. `contents`
//! checks that with plain HTTP (not our client), so a changed scenario fails the benchmark
//! instead of skewing its floor.

use std::time::Duration;

use atlas_core::atlas::Atlas;

use super::support::Harness;

/// The two situations an operation runs in: a fresh process (the CLI: each region's client is
/// built and its secret read from the keyring during the operation, one D-Bus round trip each,
/// all at once: [`before_first_request`]), and the app, whose region clients are already built
/// (its health pollers use them).
pub const PROCESSES: [&str; 2] = ["fresh process", "running app"];

/// A service over the harness's regions: fresh, or with every region's client built (by one
/// list each, before the clock runs and the request logs are cleared).
pub async fn fresh_or_warm(h: &Harness, config: &std::path::Path, process: &str) -> Atlas {
    let atlas = h.atlas(config);
    if process == PROCESSES[1] {
        for region in 1..=h.emulator.regions().len() {
            atlas.components(&format!("r{region}")).await.unwrap();
        }
    }
    atlas
}

/// What must happen before an operation's first request and is not a console call: a fresh
/// process reads the secrets of the `regions` consoles it talks to from the OS keyring (they are
/// independent, so at once); the running app has them behind it (zero). Measured with the
/// keyring crate alone — throwaway entries under a service of the benchmark's own, each read
/// through a new entry on a thread of its own, as a new process would — never through the code
/// under test; the median of 5, measured once per run of the benchmark.
pub fn before_first_request(process: &str, regions: usize) -> Duration {
    static FRESH: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();
    if process != PROCESSES[0] {
        return Duration::ZERO;
    }
    *FRESH.get_or_init(|| keyring_reads_at_once(regions))
}

fn keyring_reads_at_once(n: usize) -> Duration {
    let service = format!("fabric-atlas-bench-floor-{}", std::process::id());
    let entry = |i: usize| keyring::Entry::new(&service, &format!("region-{i}")).unwrap();
    for i in 0..n {
        entry(i).set_password("floor").unwrap();
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = std::time::Instant::now();
            std::thread::scope(|scope| {
                for i in 0..n {
                    let entry = &entry;
                    scope.spawn(move || entry(i).get_password().unwrap());
                }
            });
            started.elapsed()
        })
        .collect();
    for i in 0..n {
        entry(i).delete_credential().unwrap();
    }
    times.sort();
    times[RUNS / 2]
}

/// Latency injected on every console call.
pub const LATENCY: Duration = Duration::from_millis(50);
pub const RUNS: usize = 5;

/// How many components of each console type a region holds, read with plain HTTP.
pub async fn contents(h: &Harness, region: usize) -> std::collections::BTreeMap<String, usize> {
    let info = &h.emulator.regions()[region - 1];
    let list: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/ak/api/v3/components?cache=skip",
            info.console_url
        ))
        .basic_auth(&info.api_key, Some(&info.api_secret))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut counts = std::collections::BTreeMap::new();
    for c in list["components"].as_array().unwrap() {
        *counts
            .entry(c["type"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    counts
}

/// The sandbox's region 1, as the scenario defines it.
pub fn assert_sandbox_region_1(counts: &std::collections::BTreeMap<String, usize>) {
    let expected = [
        ("fabric-ca", 1),
        ("fabric-orderer", 1),
        ("fabric-peer", 1),
        ("msp", 1),
    ];
    let expected: std::collections::BTreeMap<String, usize> =
        expected.iter().map(|(k, n)| (k.to_string(), *n)).collect();
    assert_eq!(
        counts, &expected,
        "the sandbox scenario changed: refit the floor"
    );
}

/// The `/ak` requests every region received since its log was cleared.
pub fn requests(h: &Harness) -> usize {
    (1..=h.emulator.regions().len())
        .map(|r| {
            h.emulator
                .request_log(r)
                .iter()
                .filter(|l| l.path.starts_with("/ak/"))
                .count()
        })
        .sum()
}

pub fn clear_logs(h: &Harness) {
    for r in 1..=h.emulator.regions().len() {
        h.emulator.clear_request_log(r);
    }
}

/// An operation's floor: what precedes its first request (see [`before_first_request`]), its
/// round trips and its requests, from the work's dependency graph.
pub struct Floor {
    pub before: Duration,
    pub round_trips: u32,
    pub requests: usize,
}

impl Floor {
    pub fn time(&self) -> Duration {
        self.before + LATENCY * self.round_trips
    }

    /// One run's line: time against the floor's, requests against the floor's; the time ratio.
    pub fn report(&self, run: usize, what: &str, elapsed: Duration, requests: usize) -> f64 {
        let floor = self.time();
        let ratio = elapsed.as_secs_f64() / floor.as_secs_f64();
        let keyring = if self.before.is_zero() {
            String::new()
        } else {
            format!(
                "keyring reads {:.1} ms + ",
                self.before.as_secs_f64() * 1000.0
            )
        };
        println!(
            "run {run}: {what} in {:.0} ms; floor {keyring}{} round trips x {} ms = {:.0} ms; ratio {ratio:.2}; requests {requests} (floor {})",
            elapsed.as_secs_f64() * 1000.0,
            self.round_trips,
            LATENCY.as_millis(),
            floor.as_secs_f64() * 1000.0,
            self.requests
        );
        ratio
    }
}

pub fn median(mut ratios: Vec<f64>) -> f64 {
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}
