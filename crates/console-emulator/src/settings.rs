//! The console's `/settings` (42 public keys, from a live console 2.5.2 in import-only
//! mode, with this region's URL, port, limits and clock) and `/health` documents.

use serde_json::{json, Value};
use std::sync::atomic::Ordering;

use crate::region::RegionState;
use crate::util::{friendly_bytes, friendly_ms, now_ms};

const TEMPLATE: &str = include_str!("settings.json");

/// athena re-reads its settings every 40 minutes.
const SETTINGS_PERIOD_MS: u64 = 40 * 60 * 1000;

pub(crate) fn settings(state: &RegionState) -> Value {
    let mut s: Value = serde_json::from_str(TEMPLATE).unwrap_or_else(|_| json!({}));
    let now = now_ms();
    let up = now.saturating_sub(state.born_ms);
    let url = state.console_url.clone();
    let fields = [
        ("ATHENA_ID", json!(state.instance_id)),
        ("HOST_URL", json!(url)),
        ("LANDING_URL", json!(url)),
        ("PROXY_TLS_HTTP_URL", json!(url)),
        ("PROXY_TLS_WS_URL", json!(url)),
        ("PORT", json!(state.port)),
        // the console reports the general limit under both names
        ("MAX_REQ_PER_MIN", json!(state.limits.non_get_per_min)),
        ("MAX_REQ_PER_MIN_AK", json!(state.limits.non_get_per_min)),
        ("REGION", json!(state.location)),
        (
            "TIMESTAMPS",
            json!({
                "born": state.born_ms,
                "next_settings_update": friendly_ms((SETTINGS_PERIOD_MS - up % SETTINGS_PERIOD_MS) as f64),
                "now": now,
                "up_time": friendly_ms(up as f64),
            }),
        ),
    ];
    if let Some(obj) = s.as_object_mut() {
        for (k, v) in fields {
            obj.insert(k.to_string(), v);
        }
    }
    s
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// A `/proc/meminfo` field in bytes.
fn meminfo(field: &str) -> u64 {
    read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn process_rss() -> u64 {
    read("/proc/self/statm")
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn cpus() -> Vec<Value> {
    let model = read("/proc/cpuinfo")
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|m| m.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let stat = read("/proc/stat");
    let mut list: Vec<Value> = stat
        .lines()
        .filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit))
        .map(|l| {
            // jiffies (1/100 s) to milliseconds, as Node's os.cpus() reports
            let n: Vec<u64> = l
                .split_whitespace()
                .skip(1)
                .map(|x| x.parse::<u64>().unwrap_or(0) * 10)
                .collect();
            let at = |i: usize| n.get(i).copied().unwrap_or(0);
            json!({
                "model": model,
                "speed": 0,
                "times": {"idle": at(3), "irq": at(5), "nice": at(1), "sys": at(2), "user": at(0)},
            })
        })
        .collect();
    if list.is_empty() {
        let count = std::thread::available_parallelism().map_or(1, |n| n.get());
        list = (0..count)
            .map(|_| json!({"model": model, "speed": 0, "times": {"idle": 0, "irq": 0, "nice": 0, "sys": 0, "user": 0}}))
            .collect();
    }
    list
}

fn loadavg() -> Vec<f64> {
    let text = read("/proc/loadavg");
    let mut v: Vec<f64> = text
        .split_whitespace()
        .take(3)
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    v.resize(3, 0.0);
    v
}

fn os_uptime_ms() -> f64 {
    read("/proc/uptime")
        .split_whitespace()
        .next()
        .and_then(|s| s.parse::<f64>().ok())
        .map_or(0.0, |s| s * 1000.0)
}

fn cache_stats(keys: usize, hits: u64, misses: u64, size: u64) -> Value {
    json!({"cache_size": friendly_bytes(size), "hits": hits, "keys": keys, "misses": misses})
}

/// `GET /ak/api/v3/health`: process and machine facts.
pub(crate) fn health(state: &RegionState) -> Value {
    let now = now_ms();
    let docs = state.store.components().map(|d| d.len()).unwrap_or(0);
    let rss = process_rss();
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    let os_type = match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Darwin",
        "windows" => "Windows_NT",
        other => other,
    };
    json!({
        "OPTOOLS": {
            "born": state.born_ms,
            "couch_cache_stats": cache_stats(
                docs,
                state.cache_hits.load(Ordering::Relaxed),
                state.cache_misses.load(Ordering::Relaxed),
                docs as u64 * 1600,
            ),
            "iam_cache_stats": null,
            "instance_id": state.instance_id,
            "memory_usage": {
                "arrayBuffers": friendly_bytes(0),
                "external": friendly_bytes(0),
                "heapTotal": friendly_bytes(rss),
                "heapUsed": friendly_bytes(rss),
                "rss": friendly_bytes(rss),
            },
            "now": now,
            "proxy_cache": cache_stats(0, 0, 0, 0),
            "session_cache_stats": cache_stats(0, 0, 0, 0),
            "up_time": friendly_ms(now.saturating_sub(state.born_ms) as f64),
        },
        "OS": {
            "arch": arch,
            "cpus": cpus(),
            "endian": if cfg!(target_endian = "little") { "LE" } else { "BE" },
            "free_memory": friendly_bytes(meminfo("MemAvailable:")),
            "loadavg": loadavg(),
            "total_memory": friendly_bytes(meminfo("MemTotal:")),
            "type": os_type,
            "up_time": friendly_ms(os_uptime_ms()),
        }
    })
}
