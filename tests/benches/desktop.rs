//! The desktop app as a user runs it: the release build (`make package`) under Xvfb, each run with
//! a new profile, on its built-in sandbox of three regions. Prints each figure next to its target:
//!
//! - start: from exec to the UI's ready mark (the regions on the map, interactive): the first
//!   start on a new profile (the sandbox makes its consoles and certificates), then the median
//!   of 5 cold starts (no app process running) on that profile;
//! - idle CPU: the app's and its web view's processes together over 60 s of idling (polling three
//!   consoles every 5 s), from 15 s after the ready mark (the first health answers, the first
//!   paints and the sandbox's first-start work are start-up, not idling);
//! - idle memory: the same processes' PSS at the end of that minute, and its anonymous part (the
//!   rest is shared libraries: WebKitGTK, JavaScriptCore, GTK, ICU);
//! - the `.deb`'s size and its installed size.
//!
//! Run: `make bench` (which builds the package first and provides the display and the keyring).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 5;
const READY: &str = "window ready";
const IDLE: Duration = Duration::from_secs(60);
const SETTLE: Duration = Duration::from_secs(15);

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let app = repo.join("target/release/fabric-atlas");
    assert!(
        app.exists(),
        "{} is missing: run `make package` first",
        app.display()
    );
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no DISPLAY: run under xvfb-run (`make bench`)"
    );

    let profile = tempfile::tempdir().unwrap();
    let mut first = Started::launch(&app, profile.path());
    let first_start = first.ready_after;
    println!(
        "first start on a new profile: {} ms",
        first_start.as_millis()
    );
    first.stop();
    let mut starts = Vec::new();
    for run in 1..=RUNS {
        let mut started = Started::launch(&app, profile.path());
        println!("start {run}/{RUNS}: {} ms", started.ready_after.as_millis());
        starts.push(started.ready_after);
        if run < RUNS {
            started.stop();
            continue;
        }
        // The last run idles: CPU over 60 s once settled, then memory at the end of it.
        std::thread::sleep(SETTLE);
        let cpu_before = tree_cpu_ticks(started.child.id());
        let idle_from = Instant::now();
        std::thread::sleep(IDLE);
        let cpu = tree_cpu_ticks(started.child.id()) - cpu_before;
        let cpu_percent =
            cpu as f64 / clock_ticks_per_second() / idle_from.elapsed().as_secs_f64() * 100.0;
        let (pss_kib, anon_kib, processes) = tree_pss_kib(started.child.id());
        started.stop();
        starts.sort();
        let median = starts[RUNS / 2];
        println!();
        figure(
            "first start on a new profile",
            format!("{} ms", first_start.as_millis()),
            "≤ 1000 ms",
            first_start <= Duration::from_secs(1),
        );
        figure(
            "cold start to the interactive map (median of 5)",
            format!("{} ms", median.as_millis()),
            "≤ 1000 ms",
            median <= Duration::from_secs(1),
        );
        figure(
            &format!("idle memory after 75 s ({processes} processes, PSS)"),
            format!("{:.1} MB", pss_kib as f64 / 1024.0),
            "≤ 150 MB",
            pss_kib <= 150 * 1024,
        );
        let anon = format!("{:.1} MB", anon_kib as f64 / 1024.0);
        println!(
            "{:<52} {anon:>10}",
            "  of which anonymous (the rest: shared libraries)"
        );
        figure(
            "idle CPU over 60 s (of one core)",
            format!("{cpu_percent:.2} %"),
            "≤ 1 %",
            cpu_percent <= 1.0,
        );
    }
    match deb(&repo) {
        Some(deb) => {
            let bytes = std::fs::metadata(&deb).map(|m| m.len()).unwrap_or(0);
            figure(
                ".deb size",
                format!("{:.1} MB", bytes as f64 / 1e6),
                "≤ 20 MB",
                bytes <= 20_000_000,
            );
            let installed = Command::new("dpkg-deb")
                .args(["-f"])
                .arg(&deb)
                .arg("Installed-Size")
                .output();
            if let Some(kib) = installed
                .ok()
                .and_then(|o| String::from_utf8(o.stdout).ok())
                .and_then(|s| s.trim().parse::<u64>().ok())
            {
                println!(
                    "{:<52} {:>10}",
                    "installed size",
                    format!("{:.1} MB", kib as f64 / 1024.0)
                );
            }
        }
        None => println!("no .deb in target/release/bundle/deb: `make package` builds it"),
    }
}

fn figure(what: &str, value: String, target: &str, met: bool) {
    let verdict = if met { "met" } else { "NOT MET" };
    println!("{what:<52} {value:>10}   target {target:<10} {verdict}");
}

/// A launched app that has set its ready mark.
struct Started {
    child: Child,
    ready_after: Duration,
}

impl Started {
    /// Launches the app on `profile` and waits (at most 60 s) for its ready mark on stderr.
    fn launch(app: &Path, profile: &Path) -> Self {
        let dir = |name: &str| profile.join(name);
        let exec = Instant::now();
        let mut child = Command::new(app)
            .env("FABRIC_ATLAS_CONFIG_DIR", dir("config"))
            .env("FABRIC_ATLAS_DATA_DIR", dir("data"))
            .env("FABRIC_ATLAS_STATE_DIR", dir("state"))
            .env("XDG_CONFIG_HOME", dir("xdg-config"))
            .env("XDG_CACHE_HOME", dir("xdg-cache"))
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains(READY) {
                    let _ = tx.send(exec.elapsed());
                }
            }
        });
        let ready_after = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the app set its ready mark within 60 s");
        Self { child, ready_after }
    }

    fn stop(&mut self) {
        for pid in descendants(self.child.id()) {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `pid` and every process below it (the web view's processes are the app's children).
fn descendants(pid: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| Some((p, stat_fields(p)?.get(1)?.parse().ok()?)))
        .collect();
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree
}

/// The fields of /proc/PID/stat after the command name (state, ppid, …).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    Some(after_name.split_whitespace().map(str::to_owned).collect())
}

/// User + system CPU ticks of the whole tree.
fn tree_cpu_ticks(pid: u32) -> u64 {
    descendants(pid)
        .into_iter()
        .filter_map(stat_fields)
        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
        .map(|f| f[11].parse::<u64>().unwrap_or(0) + f[12].parse::<u64>().unwrap_or(0))
        .sum()
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100.0)
}

/// The proportional set size of the whole tree, its anonymous part, and how many processes.
fn tree_pss_kib(pid: u32) -> (u64, u64, usize) {
    let tree = descendants(pid);
    let rollups: Vec<String> = tree
        .iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).ok())
        .collect();
    let sum = |field: &str| -> u64 {
        rollups
            .iter()
            .filter_map(|rollup| {
                let line = rollup.lines().find(|l| l.starts_with(field))?;
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
            .sum()
    };
    (sum("Pss:"), sum("Pss_Anon:"), tree.len())
}

fn deb(repo: &Path) -> Option<PathBuf> {
    std::fs::read_dir(repo.join("target/release/bundle/deb"))
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .find(|p| p.extension().is_some_and(|x| x == "deb"))
}
