//! Behaviour beyond the recordings: persistence (and its owner-only files), duplicates, the
//! sandbox's own components vs imports, lockout, rate limits, faults, status probes across
//! regions, the sandbox's certificates. The control
//! API has its own file, `control.rs`.

mod common;

use console_emulator::{Emulator, Limits, RegionInfo, Scenario};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

async fn get(region: &RegionInfo, path: &str) -> (u16, Value) {
    let resp = common::client("behaviour-test")
        .get(format!("{}{path}", region.console_url))
        .basic_auth(&region.api_key, Some(&region.api_secret))
        .send()
        .await
        .expect("answer");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn post(region: &RegionInfo, path: &str, body: &Value) -> (u16, Value) {
    let resp = common::client("behaviour-test")
        .post(format!("{}{path}", region.console_url))
        .basic_auth(&region.api_key, Some(&region.api_secret))
        .json(body)
        .send()
        .await
        .expect("answer");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn ids(list: &Value) -> Vec<String> {
    list["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// A certificate from region 1 of the sandbox, to build valid import bodies with.
async fn sandbox_components(emu: &Emulator) -> Vec<Value> {
    let (status, list) = get(
        &emu.regions()[0],
        "/ak/api/v3/components?deployment_attrs=included",
    )
    .await;
    assert_eq!(status, 200);
    list["components"].as_array().unwrap().clone()
}

fn by_type<'a>(list: &'a [Value], kind: &str) -> &'a Value {
    list.iter()
        .find(|c| c["type"] == kind)
        .expect("component of that type")
}

fn msp_body(msp: &Value) -> Value {
    json!({
        "display_name": msp["display_name"], "msp_id": msp["msp_id"],
        "root_certs": msp["root_certs"], "admins": msp["admins"],
        "tls_root_certs": msp["tls_root_certs"],
    })
}

fn node_body(node: &Value) -> Value {
    json!({
        "display_name": node["display_name"], "msp_id": node["msp_id"],
        "api_url": node["api_url"], "grpcwp_url": node["grpcwp_url"],
        "operations_url": node["operations_url"],
        "msp": {
            "ca": {"root_certs": node["msp"]["ca"]["root_certs"]},
            "tlsca": {"root_certs": node["msp"]["tlsca"]["root_certs"]},
            "component": {"tls_cert": node["msp"]["component"]["tls_cert"]},
        },
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_and_keys_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 3, Scenario::Sandbox, Limits::default()).await;
    let before = emu.regions().to_vec();
    let components = sandbox_components(&emu).await;
    let (status, created) = post(
        &before[2],
        "/ak/api/v3/components/msp",
        &msp_body(by_type(&components, "msp")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(created["id"], "org1msp");
    let admin = emu.admin_login(1);
    emu.shutdown().await;

    let emu = common::start(dir.path(), 3, Scenario::Sandbox, Limits::default()).await;
    let after = emu.regions().to_vec();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            (&b.api_key, &b.api_secret, &b.name),
            (&a.api_key, &a.api_secret, &a.name)
        );
    }
    assert_eq!(emu.admin_login(1), admin);
    // the same components, at the same node ports
    assert_eq!(sandbox_components(&emu).await, components);
    let (_, list) = get(&after[2], "/ak/api/v3/components").await;
    assert_eq!(ids(&list), vec!["org1msp"]);
    let peer = by_type(&components, "fabric-peer")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, statuses) = post(
        &after[0],
        "/ak/api/v3/components/status",
        &json!({"components": {peer.clone(): {"skip_cache": true}}}),
    )
    .await;
    assert_eq!(status, 207);
    assert_eq!(
        statuses[&peer]["status"], "ok",
        "nodes are served again after a restart"
    );
    emu.shutdown().await;
}

/// The data folder holds every console's secrets: owner-only, also when an older emulator left it
/// (or its stores) readable by others.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let stores = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    };
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    let emu = common::start(&dir, 2, Scenario::Sandbox, Limits::default()).await;
    emu.shutdown().await;
    let files = stores(&dir);
    assert_eq!(
        files
            .iter()
            .map(|f| f.file_name().unwrap().to_str().unwrap())
            .collect::<Vec<_>>(),
        ["region-1.redb", "region-2.redb"],
        "the emulator writes no other file"
    );
    assert_eq!(mode(&dir), 0o700);
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }

    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    for file in &files {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let emu = common::start(&dir, 2, Scenario::Sandbox, Limits::default()).await;
    assert_eq!(mode(&dir), 0o700, "an open folder is tightened");
    for file in &files {
        assert_eq!(mode(file), 0o600, "{} is tightened", file.display());
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_get_new_ids() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 2, Scenario::Sandbox, Limits::default()).await;
    let components = sandbox_components(&emu).await;
    let target = &emu.regions()[1];
    let msp = msp_body(by_type(&components, "msp"));
    let peer = node_body(by_type(&components, "fabric-peer"));
    let mut got = Vec::new();
    for (path, body) in [
        ("msp", &msp),
        ("msp", &msp),
        ("msp", &msp),
        ("fabric-peer", &peer),
        ("fabric-peer", &peer),
    ] {
        let (status, created) = post(target, &format!("/ak/api/v3/components/{path}"), body).await;
        assert_eq!(status, 200, "{created}");
        got.push(created["id"].as_str().unwrap().to_string());
    }
    assert_eq!(
        got,
        [
            "org1msp",
            "org1msp_0",
            "org1msp_1",
            "org1peer1",
            "org1peer2"
        ]
    );
    emu.shutdown().await;
}

/// What the sandbox's region 1 deployed is its own (no `imported` mark, as only the import
/// routes set it); what a client imports is marked, whatever its body says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_holds_its_own_and_imports_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 2, Scenario::Sandbox, Limits::default()).await;
    let components = sandbox_components(&emu).await;
    assert_eq!(components.len(), 4);
    for c in &components {
        assert!(c.get("imported").is_none(), "{c}");
    }
    let target = &emu.regions()[1];
    let mut msp = msp_body(by_type(&components, "msp"));
    msp["imported"] = json!(false);
    for (path, body) in [
        ("msp", msp),
        (
            "fabric-peer",
            node_body(by_type(&components, "fabric-peer")),
        ),
    ] {
        let (status, created) = post(target, &format!("/ak/api/v3/components/{path}"), &body).await;
        assert_eq!(
            (status, &created["imported"]),
            (200, &json!(true)),
            "{created}"
        );
    }
    let (_, list) = get(target, "/ak/api/v3/components").await;
    for c in list["components"].as_array().unwrap() {
        assert_eq!(c["imported"], true, "{c}");
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failed_auths_lock_a_client_out() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 1, Scenario::Empty, Limits::default()).await;
    let r = &emu.regions()[0];
    let url = format!("{}/ak/api/v3/components", r.console_url);
    let client = common::client("locked-client");
    for _ in 0..5 {
        let resp = client
            .get(&url)
            .basic_auth(&r.api_key, Some("wrong"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
        assert_eq!(resp.text().await.unwrap(), "Unauthorized");
    }
    let resp = client
        .get(&url)
        .basic_auth(&r.api_key, Some(&r.api_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 402, "even valid credentials are refused");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["failures"], 5);
    let other = common::client("another-client");
    let resp = other
        .get(&url)
        .basic_auth(&r.api_key, Some(&r.api_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "another User-Agent is another client");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_limit_is_429_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        get_per_min: 8,
        non_get_per_min: 3,
        ..Limits::default()
    };
    let emu = common::start(dir.path(), 1, Scenario::Empty, limits).await;
    let r = &emu.regions()[0];
    for remaining in [2, 1, 0] {
        let resp = common::client("rate-test")
            .post(format!("{}/ak/api/v3/components/msp", r.console_url))
            .basic_auth(&r.api_key, Some(&r.api_secret))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);
        assert_eq!(resp.headers()["x-ratelimit-limit"], "3");
        assert_eq!(
            resp.headers()["x-ratelimit-remaining"],
            remaining.to_string().as_str()
        );
    }
    let resp = common::client("rate-test")
        .post(format!("{}/ak/api/v3/components/msp", r.console_url))
        .basic_auth(&r.api_key, Some(&r.api_secret))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "60");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["rate_limit"], "3/min");
    let (status, _) = get(r, "/ak/api/v3/components").await;
    assert_eq!(status, 200, "GETs have their own budget");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_down_latency_and_forced_status() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 2, Scenario::Sandbox, Limits::default()).await;
    let r1 = emu.regions()[0].clone();
    let components = sandbox_components(&emu).await;
    let ops = by_type(&components, "fabric-peer")["operations_url"]
        .as_str()
        .unwrap()
        .to_string();
    let client = common::client("fault-test");

    // open a keep-alive connection first: once the region is down it must not answer either
    let health = format!("{}/ak/api/v3/healthcheck", r1.console_url);
    assert_eq!(client.get(&health).send().await.unwrap().status(), 200);
    emu.clear_request_log(1);
    emu.set_down(1, true);
    let err = client
        .get(&health)
        .send()
        .await
        .expect_err("a down console does not answer");
    assert!(
        err.status().is_none(),
        "a connection error, not an HTTP answer: {err}"
    );
    assert!(
        client.get(format!("{ops}/healthz")).send().await.is_err(),
        "its nodes are down too"
    );
    assert!(
        emu.request_log(1).is_empty(),
        "no request reached the console"
    );
    assert_eq!(
        get(&emu.regions()[1], "/ak/api/v3/healthcheck").await.0,
        200,
        "other regions are up"
    );
    emu.set_down(1, false);
    assert_eq!(get(&r1, "/ak/api/v3/healthcheck").await.0, 200);
    assert!(client
        .get(format!("{ops}/healthz"))
        .send()
        .await
        .unwrap()
        .status()
        .is_success());

    emu.set_latency(1, Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(get(&r1, "/ak/api/v3/healthcheck").await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    emu.set_latency(1, Duration::ZERO);

    emu.set_fail_status(1, Some(503));
    assert_eq!(get(&r1, "/ak/api/v3/components").await.0, 503);
    assert_eq!(
        get(&r1, "/api/v3/settings").await.0,
        200,
        "only /ak/ routes fail"
    );
    emu.set_fail_status(1, None);
    assert_eq!(get(&r1, "/ak/api/v3/components").await.0, 200);

    let log = emu.request_log(1);
    assert!(log
        .iter()
        .any(|e| e.status == 503 && e.path == "/ak/api/v3/components"));
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_follows_the_hosting_region() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 2, Scenario::Sandbox, Limits::default()).await;
    let components = sandbox_components(&emu).await;
    let r2 = emu.regions()[1].clone();
    // region 2 imports region 1's peer, as step 6 of the HA guide does
    let (status, peer) = post(
        &r2,
        "/ak/api/v3/components/fabric-peer",
        &node_body(by_type(&components, "fabric-peer")),
    )
    .await;
    assert_eq!(status, 200);
    let id = peer["id"].as_str().unwrap().to_string();
    let ask =
        json!({"components": {id.clone(): {"skip_cache": true, "include_status_resp": true}}});

    let (status, answer) = post(&r2, "/ak/api/v3/components/status", &ask).await;
    assert_eq!(status, 207);
    assert_eq!(answer[&id]["status"], "ok");
    assert_eq!(answer[&id]["status_resp"]["status"], "OK");

    emu.set_down(1, true);
    let (_, answer) = post(&r2, "/ak/api/v3/components/status", &ask).await;
    assert_eq!(answer[&id]["status"], "not ok", "the peer's region is down");
    emu.set_down(1, false);
    let (_, answer) = post(&r2, "/ak/api/v3/components/status", &ask).await;
    assert_eq!(answer[&id]["status"], "ok");
    emu.shutdown().await;
}

fn decode_cert(b64: &str) -> Vec<u8> {
    use base64::Engine;
    let pem = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let (_, pem) = x509_parser::pem::parse_x509_pem(&pem).unwrap();
    pem.contents
}

fn check_cert(der: &[u8], days: i64, tls: bool) {
    let (_, cert) = X509Certificate::from_der(der).expect("X.509");
    let spki = cert.public_key();
    assert_eq!(
        spki.algorithm.algorithm.to_id_string(),
        "1.2.840.10045.2.1",
        "EC key"
    );
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok());
    assert_eq!(
        curve.map(|c| c.to_id_string()).as_deref(),
        Some("1.2.840.10045.3.1.7"),
        "P-256"
    );
    let subject = cert.subject().to_string();
    for part in ["C=US", "O=", "OU=", "CN="] {
        assert!(subject.contains(part), "{subject} has {part}");
    }
    let validity = cert.validity();
    let lifetime = (validity.not_after.timestamp() - validity.not_before.timestamp()) / 86_400;
    assert!(
        (days - 1..=days + 1).contains(&lifetime),
        "{subject}: {lifetime} days"
    );
    if tls {
        let sans = cert
            .subject_alternative_name()
            .unwrap()
            .expect("SANs")
            .value
            .general_names
            .clone();
        assert!(sans
            .iter()
            .any(|n| matches!(n, GeneralName::DNSName("localhost"))));
        assert!(sans
            .iter()
            .any(|n| matches!(n, GeneralName::IPAddress([127, 0, 0, 1]))));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_certificates_are_real() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 3, Scenario::Sandbox, Limits::default()).await;
    let names: Vec<_> = emu
        .regions()
        .iter()
        .map(|r| (r.name.as_str(), r.location.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("US East", "us-east-1"),
            ("US West", "us-west-2"),
            ("Canada", "ca-central-1")
        ]
    );
    let components = sandbox_components(&emu).await;
    let mut names: Vec<_> = components
        .iter()
        .map(|c| c["display_name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Ordering Service Node 1",
            "Org1 CA",
            "Org1 MSP",
            "Org1 Peer1"
        ]
    );

    let msp = by_type(&components, "msp");
    assert_eq!(msp["msp_id"], "Org1MSP");
    check_cert(
        &decode_cert(msp["root_certs"][0].as_str().unwrap()),
        3650,
        false,
    );
    check_cert(
        &decode_cert(msp["tls_root_certs"][0].as_str().unwrap()),
        3650,
        false,
    );
    check_cert(&decode_cert(msp["admins"][0].as_str().unwrap()), 365, false);
    for kind in ["fabric-ca", "fabric-peer", "fabric-orderer"] {
        let node = by_type(&components, kind);
        check_cert(
            &decode_cert(node["msp"]["component"]["tls_cert"].as_str().unwrap()),
            365,
            true,
        );
        check_cert(
            &decode_cert(node["msp"]["tlsca"]["root_certs"][0].as_str().unwrap()),
            3650,
            false,
        );
    }
    assert_eq!(
        by_type(&components, "fabric-orderer")["msp_id"],
        "OrdererMSP"
    );
    let (_, empty) = get(&emu.regions()[1], "/ak/api/v3/components").await;
    assert_eq!(
        empty["components"],
        json!([]),
        "regions 2 and 3 start empty"
    );

    let identities = emu.identities(1);
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].kind, "identity");
    assert_eq!(identities[0].cert, msp["admins"][0].as_str().unwrap());
    emu.shutdown().await;
}
