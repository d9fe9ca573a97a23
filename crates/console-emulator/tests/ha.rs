//! The `ha` scenario (one network spread over three regions, seen through each console's API)
//! and per-node outages driven through the control API: a downed node is "not ok" from every
//! console holding a record of it, and only that node.

mod common;

use console_emulator::{Emulator, EmulatorOptions, Limits, RegionInfo, Scenario};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use x509_parser::prelude::{FromDer, X509Certificate};

async fn start_ha(dir: &std::path::Path) -> Emulator {
    common::start(dir, 3, Scenario::Ha, Limits::default()).await
}

/// Every component the region's console holds (deployment attributes included: ecerts).
async fn components(region: &RegionInfo) -> Vec<Value> {
    let resp = common::client("ha-test")
        .get(format!(
            "{}/ak/api/v3/components?deployment_attrs=included",
            region.console_url
        ))
        .basic_auth(&region.api_key, Some(&region.api_secret))
        .send()
        .await
        .expect("answer");
    assert_eq!(resp.status(), 200);
    let list: Value = resp.json().await.unwrap();
    list["components"].as_array().unwrap().clone()
}

fn named<'a>(list: &'a [Value], display_name: &str) -> &'a Value {
    list.iter()
        .find(|c| c["display_name"] == display_name)
        .unwrap_or_else(|| panic!("{display_name} is held"))
}

/// `(display name, type, imported)`, sorted. The mark is `true` or absent, never `false`.
fn holdings(list: &[Value]) -> Vec<(String, String, bool)> {
    let mut held: Vec<_> = list
        .iter()
        .map(|c| {
            let imported = match c.get("imported") {
                None => false,
                Some(Value::Bool(true)) => true,
                Some(other) => panic!("{}: imported = {other}", c["display_name"]),
            };
            (
                c["display_name"].as_str().unwrap().to_string(),
                c["type"].as_str().unwrap().to_string(),
                imported,
            )
        })
        .collect();
    held.sort();
    held
}

fn expected(items: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    let mut items: Vec<_> = items
        .iter()
        .map(|(n, t, i)| (n.to_string(), t.to_string(), *i))
        .collect();
    items.sort();
    items
}

/// The ids of the region's nodes (everything but MSPs): what has a status.
fn node_ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .filter(|c| c["type"] != "msp")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// `POST /components/status` for every node of the region, probes made afresh: id -> status.
async fn statuses(region: &RegionInfo) -> BTreeMap<String, String> {
    let ids = node_ids(&components(region).await);
    let ask: serde_json::Map<String, Value> = ids
        .iter()
        .map(|id| (id.clone(), json!({"skip_cache": true})))
        .collect();
    let resp = common::client("ha-test")
        .post(format!(
            "{}/ak/api/v3/components/status",
            region.console_url
        ))
        .basic_auth(&region.api_key, Some(&region.api_secret))
        .json(&json!({ "components": ask }))
        .send()
        .await
        .expect("the console answers");
    assert_eq!(resp.status(), 207);
    let answer: Value = resp.json().await.unwrap();
    ids.into_iter()
        .map(|id| {
            let status = answer[&id]["status"].as_str().unwrap_or("?").to_string();
            (id, status)
        })
        .collect()
}

/// Every node of the region answers "ok" except `down`, which answers "not ok".
async fn assert_only_down(region: &RegionInfo, down: &[&str]) {
    let got = statuses(region).await;
    assert!(!got.is_empty());
    for (id, status) in &got {
        let want = if down.contains(&id.as_str()) {
            "not ok"
        } else {
            "ok"
        };
        assert_eq!(status, want, "{} holds {id}: {got:?}", region.name);
    }
}

async fn control(emu: &Emulator, method: Method, path: &str) -> (u16, Value) {
    let resp = common::client("ha-test-control")
        .request(method, format!("{}{path}", emu.control_url()))
        .bearer_auth(emu.control_token())
        .send()
        .await
        .expect("answer");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn port(url: &Value) -> u16 {
    url.as_str()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Every certificate in a component (base64 PEM strings anywhere in it), with its JSON path.
fn certificates(value: &Value, path: String, out: &mut Vec<(String, i64)>) {
    use base64::Engine;
    match value {
        Value::String(s) => {
            let Ok(pem) = base64::engine::general_purpose::STANDARD.decode(s) else {
                return;
            };
            if !pem.starts_with(b"-----BEGIN CERTIFICATE") {
                return;
            }
            let (_, pem) = x509_parser::pem::parse_x509_pem(&pem).expect("a PEM");
            let (_, cert) = X509Certificate::from_der(&pem.contents).expect("X.509");
            out.push((path, cert.validity().not_after.timestamp()));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                certificates(item, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let path = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                certificates(v, path, out);
            }
        }
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ha_spreads_one_network_over_three_regions() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start_ha(dir.path()).await;
    let regions = emu.regions().to_vec();
    let names: Vec<_> = regions
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
    let (ca, msp, peer, orderer) = ("fabric-ca", "msp", "fabric-peer", "fabric-orderer");
    let held = [
        components(&regions[0]).await,
        components(&regions[1]).await,
        components(&regions[2]).await,
    ];
    assert_eq!(
        holdings(&held[0]),
        expected(&[
            ("Org1 CA", ca, false),
            ("Org1 MSP", msp, false),
            ("Org1 Peer1", peer, false),
            ("Org1 Peer2", peer, false),
            ("Ordering Service Node 1", orderer, false),
            ("Ordering Service Node 2", orderer, false),
        ])
    );
    assert_eq!(
        holdings(&held[1]),
        expected(&[
            ("Org1 CA", ca, true),
            ("Org1 MSP", msp, true),
            ("Org1 Peer3", peer, false),
            ("Ordering Service Node 3", orderer, false),
            ("Ordering Service Node 4", orderer, false),
        ])
    );
    assert_eq!(
        holdings(&held[2]),
        expected(&[
            ("Org1 CA", ca, true),
            ("Org1 MSP", msp, true),
            ("Org1 Peer4", peer, false),
            ("Ordering Service Node 5", orderer, false),
        ])
    );

    // the copies point at region 1's CA and name region 1's console as the MSP's host
    let original_ca = named(&held[0], "Org1 CA");
    assert_eq!(original_ca["msp"]["ca"]["name"], "ca");
    assert_eq!(original_ca["msp"]["tlsca"]["name"], "tlsca");
    for copies in &held[1..] {
        let copy = named(copies, "Org1 CA");
        for key in ["api_url", "operations_url", "msp"] {
            assert_eq!(copy[key], original_ca[key], "{key}");
        }
        let msp_copy = named(copies, "Org1 MSP");
        assert_eq!(msp_copy["host_url"], regions[0].console_url);
        for key in ["msp_id", "root_certs", "tls_root_certs", "admins"] {
            assert_eq!(msp_copy[key], named(&held[0], "Org1 MSP")[key], "{key}");
        }
    }

    // one ordering service, one org; every node on ports of its own
    let all: Vec<&Value> = held.iter().flatten().collect();
    let mut ports = BTreeSet::new();
    let mut nodes = 0;
    for c in &all {
        match c["type"].as_str().unwrap() {
            "fabric-orderer" => {
                assert_eq!(c["cluster_id"], "orderingservice");
                assert_eq!(c["cluster_name"], "Ordering Service");
                assert_eq!(c["msp_id"], "OrdererMSP");
            }
            "fabric-peer" => assert_eq!(c["msp_id"], "Org1MSP"),
            "msp" => {
                assert_eq!(c["msp_id"], "Org1MSP");
                continue;
            }
            _ => {}
        }
        if c.get("imported").is_none() {
            nodes += 1;
            assert!(ports.insert(port(&c["api_url"])), "{}", c["display_name"]);
            assert!(
                ports.insert(port(&c["operations_url"])),
                "{}",
                c["display_name"]
            );
        }
    }
    assert_eq!(nodes, 10, "1 CA, 4 peers, 5 ordering nodes");

    // exactly one certificate expires within 30 days: Org1 Peer4's TLS certificate
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut soon = Vec::new();
    let mut total = 0;
    for (index, list) in held.iter().enumerate() {
        for c in list {
            let mut found = Vec::new();
            certificates(c, String::new(), &mut found);
            total += found.len();
            for (path, not_after) in found {
                if not_after < now + 30 * 86_400 {
                    soon.push((index + 1, c["display_name"].clone(), path, not_after));
                }
            }
        }
    }
    assert!(
        total > 50,
        "every component carries its certificates ({total})"
    );
    assert_eq!(soon.len(), 1, "{soon:?}");
    let (region, name, path, not_after) = &soon[0];
    assert_eq!(
        (*region, name.as_str().unwrap(), path.as_str()),
        (3, "Org1 Peer4", "msp.component.tls_cert")
    );
    assert!(
        (now + 19 * 86_400..=now + 20 * 86_400).contains(not_after),
        "valid for 20 days"
    );

    // the org admin is region 1's wallet identity, as in the sandbox
    let (status, ids) = control(&emu, Method::GET, "/regions/1/identities").await;
    assert_eq!(status, 200);
    assert_eq!(ids["identities"].as_array().unwrap().len(), 1);
    assert_eq!(
        ids["identities"][0]["cert"],
        named(&held[0], "Org1 MSP")["admins"][0]
    );
    assert!(emu.identities(2).is_empty() && emu.identities(3).is_empty());

    // every node answers its health probe, from every console holding it
    for r in &regions {
        assert_only_down(r, &[]).await;
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_downed_node_is_not_ok_wherever_it_is_held() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start_ha(dir.path()).await;
    let regions = emu.regions().to_vec();

    // region 1's CA: regions 2 and 3 hold imported copies of it
    let (status, r1) = control(&emu, Method::POST, "/regions/1/components/org1ca/down").await;
    assert_eq!((status, &r1["nodes_down"]), (200, &json!(["org1ca"])));
    assert_eq!(r1["down"], false, "the region itself stays up");
    for r in &regions {
        assert_only_down(r, &["org1ca"]).await;
    }
    let (_, r2) = control(&emu, Method::GET, "/regions/2").await;
    assert_eq!(r2["nodes_down"], json!([]));

    // a peer (probed on its operations port) held by region 3 only
    let (status, r3) = control(&emu, Method::POST, "/regions/3/components/org1peer4/down").await;
    assert_eq!((status, &r3["nodes_down"]), (200, &json!(["org1peer4"])));
    assert_only_down(&regions[2], &["org1ca", "org1peer4"]).await;
    assert_only_down(&regions[1], &["org1ca"]).await;

    // the region's own down/up does not bring a downed node back
    control(&emu, Method::POST, "/regions/1/down").await;
    control(&emu, Method::POST, "/regions/1/up").await;
    assert_only_down(&regions[0], &["org1ca"]).await;

    let (status, r1) = control(&emu, Method::POST, "/regions/1/components/org1ca/up").await;
    assert_eq!((status, &r1["nodes_down"]), (200, &json!([])));
    emu.set_node_down(3, "org1peer4", false).unwrap();
    for r in &regions {
        assert_only_down(r, &[]).await;
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_hosted_nodes_can_be_downed() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start_ha(dir.path()).await;
    for (path, what) in [
        (
            "/regions/2/components/org1ca/down",
            "an imported copy: region 1 runs that CA",
        ),
        ("/regions/1/components/org1msp/down", "an MSP"),
        ("/regions/1/components/nothing/up", "an unknown id"),
        ("/regions/9/components/org1ca/down", "an unknown region"),
    ] {
        let (status, body) = control(&emu, Method::POST, path).await;
        assert_eq!(status, 404, "{what}");
        assert!(body["error"].is_string(), "{what}: {body}");
    }
    assert!(emu.set_node_down(2, "org1ca", true).is_err());
    let (_, all) = control(&emu, Method::GET, "/regions").await;
    for r in all["regions"].as_array().unwrap() {
        assert_eq!(r["nodes_down"], json!([]), "nothing changed");
    }
    assert_only_down(&emu.regions()[1], &[]).await;
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ha_is_seeded_once_and_whole() {
    let root = tempfile::tempdir().unwrap();
    let options = |dir: &std::path::Path, regions, scenario| EmulatorOptions {
        regions,
        base_port: 0,
        data_dir: dir.to_path_buf(),
        scenario,
        limits: Limits::default(),
    };

    // fewer regions than the network spans: refused before the data folder is touched
    let small = root.path().join("small");
    let err = Emulator::start(options(&small, 2, Scenario::Ha))
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("at least 3 regions"), "{err}");
    assert!(!small.exists());

    // a restart finds the network seeded: the same components, no second copy
    let dir = root.path().join("ha");
    let emu = Emulator::start(options(&dir, 4, Scenario::Ha))
        .await
        .unwrap();
    let mut before = Vec::new();
    for r in emu.regions() {
        before.push(components(r).await);
    }
    assert_eq!(emu.regions()[3].name, "Region 4");
    assert!(before[3].is_empty(), "a fourth region starts empty");
    emu.shutdown().await;
    let emu = Emulator::start(options(&dir, 4, Scenario::Ha))
        .await
        .unwrap();
    for (r, before) in emu.regions().iter().zip(&before) {
        assert_eq!(&components(r).await, before, "{}", r.name);
    }
    emu.shutdown().await;

    // regions seeded at different starts would not share one PKI: refused
    let mixed = root.path().join("mixed");
    let emu = Emulator::start(options(&mixed, 1, Scenario::Empty))
        .await
        .unwrap();
    emu.shutdown().await;
    let err = Emulator::start(options(&mixed, 3, Scenario::Ha))
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("new data folder"), "{err}");
}
