//! Replays every recorded exchange of a live console 2.5.2 (`tests/fixtures/console-2.5.2`, copied from the shared reference set)
//! against the emulator, in numeric order from a fresh store, and compares status, content
//! type and body field by field. Only values that legitimately differ between two runs are
//! compared by type alone (timestamps, instance ids, revisions, clocks, machine facts, this
//! console's own URL and port).
//!
//! As in the recording: 01–75 run with the limits raised to 1000/min, 76–78 (lockout) right
//! after with their own User-Agents, 79–82 (rate limits) after a restart on the same data
//! folder with the limit lowered to 10/min (40 for GETs).

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use console_emulator::{Emulator, Limits, Scenario};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Recordings the emulator deliberately does not reproduce, with the reason. Empty: all 82
/// are replayed and compared.
const NOT_REPRODUCED: &[(u32, &str)] = &[];

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/console-2.5.2")
}

struct Exchange {
    number: u32,
    name: String,
    json: Value,
}

fn load_exchanges() -> Vec<Exchange> {
    let dir = fixtures_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fixtures folder {} is missing: {e}", dir.display()));
    let mut list: Vec<Exchange> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let number: u32 = name.split('-').next()?.parse().ok()?;
            name.ends_with(".json").then_some((number, name, e.path()))
        })
        .map(|(number, name, path)| Exchange {
            number,
            name,
            json: serde_json::from_str(&std::fs::read_to_string(&path).expect("readable fixture"))
                .expect("fixture is JSON"),
        })
        .collect();
    list.sort_by_key(|e| e.number);
    assert_eq!(
        list.len(),
        82,
        "expected the 82 recorded exchanges in {}",
        dir.display()
    );
    list
}

/// Values the replay learned (keys, secrets, token) and text rewrites.
#[derive(Default)]
struct Vars {
    subst: BTreeMap<String, String>,
}

impl Vars {
    fn apply(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (k, v) in &self.subst {
            out = out.replace(k.as_str(), v);
        }
        out
    }

    fn apply_value(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.apply(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.apply_value(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), self.apply_value(x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

struct Replay {
    base: String,
    admin: (String, String),
    vars: Vars,
    failures: Vec<String>,
}

struct Answer {
    status: u16,
    content_type: String,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

fn basic(user: &str, pass: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{pass}")))
}

impl Replay {
    fn authorization(&self, label: &str) -> Option<String> {
        let var = |k: &str| self.vars.subst.get(k).cloned().unwrap_or_default();
        match label {
            "none" => None,
            "apikey" => Some(basic(&var("<api_key>"), &var("<api_secret>"))),
            "reader-key" => Some(basic(&var("<reader_api_key>"), &var("<reader_api_secret>"))),
            "bearer" => Some(format!("Bearer {}", var("<access_token>"))),
            "wrong" => Some(basic(&var("<api_key>"), "not-the-secret")),
            "password" => Some(basic(&self.admin.0, &self.admin.1)),
            "wrong-password" => Some(basic(&self.admin.0, "not-the-password")),
            "bad-bearer" => Some("Bearer t.abc.def".to_string()),
            other => panic!("unknown auth label {other}"),
        }
    }

    async fn send(&self, request: &Value, user_agent: &str) -> Answer {
        let client = common::client(user_agent);
        let method: reqwest::Method = request["method"].as_str().unwrap().parse().unwrap();
        let path = self.vars.apply(request["path"].as_str().unwrap());
        let mut req = client.request(method, format!("{}{path}", self.base));
        req = req.header("Accept", "application/json");
        if let Some(auth) = self.authorization(request["auth"].as_str().unwrap()) {
            req = req.header("Authorization", auth);
        }
        if let Some(ct) = request["headers"]["content-type"].as_str() {
            req = req.header("Content-Type", ct);
        }
        req = match &request["body"] {
            Value::Null => req,
            Value::String(raw) => req.body(self.vars.apply(raw)),
            json => req.body(serde_json::to_vec(&self.vars.apply_value(json)).unwrap()),
        };
        let resp = req.send().await.expect("the console answers");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = resp.text().await.unwrap_or_default();
        let body = if content_type.starts_with("application/json") {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        } else {
            Value::String(text)
        };
        Answer {
            status,
            content_type,
            headers,
            body,
        }
    }

    /// Sends one recorded request and compares the answer with the recorded one.
    async fn check(&mut self, ex: &Exchange, user_agent: &str) -> Answer {
        let answer = self.send(&ex.json["request"], user_agent).await;
        self.learn(ex.number, &answer.body);
        let expected = &ex.json["response"];
        let mut errs = Vec::new();
        if expected["status"].as_u64() != Some(u64::from(answer.status)) {
            errs.push(format!(
                "status {} (expected {})",
                answer.status, expected["status"]
            ));
        }
        if expected["content_type"].as_str() != Some(answer.content_type.as_str()) {
            errs.push(format!(
                "content-type {:?} (expected {})",
                answer.content_type, expected["content_type"]
            ));
        }
        let expected_body = self.vars.apply_value(&expected["body"]);
        compare(
            ex.number,
            &expected_body,
            &answer.body,
            &mut Vec::new(),
            &mut errs,
        );
        if let Some(headers) = expected["headers"].as_object() {
            for (name, value) in headers {
                let got = answer
                    .headers
                    .get(name.as_str())
                    .and_then(|v| v.to_str().ok());
                let ok = match (name.as_str(), got) {
                    (_, None) => false,
                    ("x-ratelimit-reset", Some(g)) => g.chars().all(|c| c.is_ascii_digit()),
                    (_, Some(g)) => Some(g) == value.as_str(),
                };
                if !ok {
                    errs.push(format!("header {name}: {got:?} (expected {value})"));
                }
            }
        }
        for e in errs {
            self.failures.push(format!("{}: {e}", ex.name));
        }
        answer
    }

    /// Keys, secrets and the token the console handed out, for later requests.
    fn learn(&mut self, number: u32, body: &Value) {
        let mut set = |k: &str, v: &Value| {
            if let Some(s) = v.as_str() {
                self.vars.subst.insert(k.to_string(), s.to_string());
            }
        };
        match number {
            5 => {
                set("<api_key>", &body["api_key"]);
                set("<api_secret>", &body["api_secret"]);
                let lower = body["api_key"].as_str().unwrap_or_default().to_lowercase();
                set("<api_key_lowercase>", &Value::String(lower));
            }
            6 => {
                set("<reader_api_key>", &body["api_key"]);
                set("<reader_api_secret>", &body["api_secret"]);
            }
            10 => set("<access_token>", &body["access_token"]),
            _ => {}
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Exact,
    /// Differs from run to run: same JSON type is enough.
    Varies,
    /// Machine facts: same structure and types, any values and list lengths.
    Shape,
}

fn mode_for(number: u32, path: &[String]) -> Mode {
    const MACHINE: [&str; 5] = [
        "OS",
        "memory_usage",
        "couch_cache_stats",
        "proxy_cache",
        "session_cache_stats",
    ];
    if path.iter().any(|p| MACHINE.contains(&p.as_str())) {
        return Mode::Shape;
    }
    match path.last().map(String::as_str).unwrap_or_default() {
        "timestamp"
        | "edited_timestamp"
        | "ts_created"
        | "creation"
        | "expiration"
        | "_rev"
        | "rev"
        | "ATHENA_ID"
        | "instance_id"
        | "born"
        | "now"
        | "up_time"
        | "time_left"
        | "next_settings_update"
        | "time"
        | "HOST_URL"
        | "LANDING_URL"
        | "PROXY_TLS_HTTP_URL"
        | "PROXY_TLS_WS_URL"
        | "PORT"
        | "REGION" => Mode::Varies,
        // the healthcheck's `id` is the instance id
        "id" if matches!(number, 2 | 3) => Mode::Varies,
        _ => Mode::Exact,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compare(number: u32, exp: &Value, act: &Value, path: &mut Vec<String>, errs: &mut Vec<String>) {
    let at = if path.is_empty() {
        "body".to_string()
    } else {
        path.join(".")
    };
    match mode_for(number, path) {
        Mode::Varies => {
            if json_type(exp) != json_type(act) {
                errs.push(format!("{at}: {} (expected a {})", act, json_type(exp)));
            }
        }
        Mode::Shape => shape(exp, act, &at, errs),
        Mode::Exact => match (exp, act) {
            (Value::Object(e), Value::Object(a)) => {
                for k in e.keys().filter(|k| !a.contains_key(*k)) {
                    errs.push(format!("{at}: missing key {k}"));
                }
                for k in a.keys().filter(|k| !e.contains_key(*k)) {
                    errs.push(format!("{at}: unexpected key {k}"));
                }
                for (k, ev) in e {
                    if let Some(av) = a.get(k) {
                        path.push(k.clone());
                        compare(number, ev, av, path, errs);
                        path.pop();
                    }
                }
            }
            (Value::Array(e), Value::Array(a)) => {
                if e.len() != a.len() {
                    errs.push(format!("{at}: {} elements (expected {})", a.len(), e.len()));
                }
                for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                    let key = path.pop().unwrap_or_default();
                    path.push(format!("{key}[{i}]"));
                    compare(number, ev, av, path, errs);
                    path.pop();
                    path.push(key);
                }
            }
            (Value::Number(e), Value::Number(a)) => {
                if e.as_f64() != a.as_f64() {
                    errs.push(format!("{at}: {a} (expected {e})"));
                }
            }
            (e, a) => {
                if e != a {
                    errs.push(format!("{at}: {a} (expected {e})"));
                }
            }
        },
    }
}

fn shape(exp: &Value, act: &Value, at: &str, errs: &mut Vec<String>) {
    if json_type(exp) != json_type(act) {
        errs.push(format!(
            "{at}: a {} (expected a {})",
            json_type(act),
            json_type(exp)
        ));
        return;
    }
    match (exp, act) {
        (Value::Object(e), Value::Object(a)) => {
            let ek: Vec<_> = e.keys().collect();
            let ak: Vec<_> = a.keys().collect();
            if ek != ak {
                errs.push(format!("{at}: keys {ak:?} (expected {ek:?})"));
            }
            for (k, ev) in e {
                if let Some(av) = a.get(k) {
                    shape(ev, av, &format!("{at}.{k}"), errs);
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let Some(first) = e.first() {
                for (i, av) in a.iter().enumerate() {
                    shape(first, av, &format!("{at}[{i}]"), errs);
                }
            }
        }
        _ => {}
    }
}

async fn start(dir: &std::path::Path, limits: Limits) -> Emulator {
    common::start(dir, 1, Scenario::Empty, limits).await
}

/// The operations URL of a live simulated peer, standing in for the recording's fake
/// `https://127.0.0.1:9444` health endpoint (the only one that answered then).
async fn live_peer_operations_url(sandbox: &Emulator) -> String {
    let r = &sandbox.regions()[0];
    let list: Value = common::client("conformance-setup")
        .get(format!(
            "{}/ak/api/v3/components/types/fabric-peer",
            r.console_url
        ))
        .basic_auth(&r.api_key, Some(&r.api_secret))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["components"][0]["operations_url"]
        .as_str()
        .expect("sandbox peer")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replays_every_recorded_exchange() {
    let exchanges = load_exchanges();
    let skipped: Vec<u32> = NOT_REPRODUCED.iter().map(|(n, _)| *n).collect();

    let sandbox_dir = tempfile::tempdir().unwrap();
    let sandbox = common::start(sandbox_dir.path(), 1, Scenario::Sandbox, Limits::default()).await;
    let fake_peer = live_peer_operations_url(&sandbox).await;

    let dir = tempfile::tempdir().unwrap();
    let raised = Limits {
        get_per_min: 4000,
        non_get_per_min: 1000,
        ..Limits::default()
    };
    let emu = start(dir.path(), raised).await;
    let region = emu.regions()[0].clone();

    // a fresh console has no API key: drop the one the emulator made for its own callers
    let resp = common::client("conformance-setup")
        .delete(format!(
            "{}/ak/api/v3/permissions/keys/{}",
            region.console_url, region.api_key
        ))
        .basic_auth(&region.api_key, Some(&region.api_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "removing the bootstrap key");

    let mut replay = Replay {
        base: region.console_url.clone(),
        admin: emu.admin_login(1),
        vars: Vars::default(),
        failures: Vec::new(),
    };
    replay
        .vars
        .subst
        .insert("https://127.0.0.1:9444".into(), fake_peer.clone());

    let by_number = |n: u32| exchanges.iter().find(|e| e.number == n).unwrap();

    // 01–75: each with its own User-Agent, so the 401 cases cannot lock each other out
    for ex in exchanges
        .iter()
        .filter(|e| e.number <= 75 && !skipped.contains(&e.number))
    {
        replay
            .check(ex, &format!("conformance/{:02}", ex.number))
            .await;
    }

    // 76–78: five failed auths from one client, then the lockout
    if !skipped.contains(&76) {
        let wrong = serde_json::json!({
            "method": "GET", "path": "/ak/api/v3/components", "auth": "wrong",
            "headers": {}, "body": null
        });
        for _ in 0..5 {
            let a = replay.send(&wrong, "conformance/lockout").await;
            assert_eq!(
                a.status, 401,
                "a wrong secret is refused before the lockout"
            );
        }
        replay.check(by_number(76), "conformance/lockout").await;
        replay.check(by_number(77), "conformance/lockout").await;
        replay
            .check(by_number(78), "conformance/lockout-other")
            .await;
    }

    // 79–82: a restart on the same data folder with the limit at 10/min
    emu.shutdown().await;
    let lowered = Limits {
        get_per_min: 40,
        non_get_per_min: 10,
        ..Limits::default()
    };
    let emu = start(dir.path(), lowered).await;
    replay.base = emu.regions()[0].console_url.clone();
    let ua = "conformance/ratelimit";
    replay.check(by_number(79), ua).await;
    replay.check(by_number(80), ua).await;
    for _ in 0..9 {
        let a = replay.send(&by_number(80).json["request"], ua).await;
        assert_eq!(a.status, 400, "still under the limit");
    }
    replay.check(by_number(81), ua).await;
    replay.check(by_number(82), ua).await;

    emu.shutdown().await;
    sandbox.shutdown().await;
    assert!(
        replay.failures.is_empty(),
        "{} differences from the recordings:\n{}",
        replay.failures.len(),
        replay.failures.join("\n")
    );
}
