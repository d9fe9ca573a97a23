//! Transformed bodies against the console emulator (which validates like the console: unknown
//! keys, certificates, URLs): what `import_requests` produces is accepted, and a component
//! exported, re-read and re-imported comes back the same.

#[path = "corpus/support.rs"]
mod support;

use atlas_core::artifacts::{self as art, ArtifactKind};
use serde_json::{json, Value};
use support::*;

fn requests_of(name: &str, bytes: &[u8], now: std::time::SystemTime) -> Vec<art::ImportRequest> {
    let parsed = art::read_file(name, bytes, now).unwrap_or_else(|f| panic!("{name}: {f:#?}"));
    parsed
        .artifacts()
        .flat_map(|a| art::import_requests(a, &art::TransformOptions::default()))
        .collect()
}

fn templates() -> Vec<(String, Vec<u8>)> {
    let dir = fixtures_dir().join("console-export-templates");
    let ca_root = b64(&pki("org1-ca.crt.pem"));
    let ca_tls = b64(&pki("org1-ca-tls.crt.pem"));
    let mut out = Vec::new();
    for folder in [
        "Certificate_Authorities",
        "Peers",
        "Ordering_Services",
        "Organizations",
    ] {
        for e in std::fs::read_dir(dir.join(folder)).unwrap() {
            let e = e.unwrap();
            let text = std::fs::read_to_string(e.path()).unwrap();
            let text = text
                .replace("<CERT>", &ca_root)
                .replace("<TLS_CERT>", &ca_tls);
            out.push((
                e.file_name().to_string_lossy().to_string(),
                text.into_bytes(),
            ));
        }
    }
    out
}

#[tokio::test]
async fn transformed_bodies_are_accepted_by_the_console() {
    let (emu, _dir) = emulator().await;
    let region = &emu.regions()[0];
    let mut files: Vec<(String, Vec<u8>, std::time::SystemTime)> = Vec::new();
    for name in [
        "Org1 CA_ca.json",
        "Org1 Peer0_peer.json",
        "Org1 Ordering Service_orderer.json",
        "raft_orderer.json",
        "Org1 MSP_msp.json",
        "Org2 MSP_msp.json",
        "legacy raw pem_ca.json",
        "Org3 CA_ca.json",
        "Org3 Peer0_peer.json",
        "Org3 Ordering Service_orderer.json",
        "Org3 MSP_msp.json",
    ] {
        files.push((name.to_string(), good(name), corpus_now()));
    }
    for (name, bytes) in templates() {
        files.push((name, bytes, corpus_now()));
    }
    // the recordings' import bodies written as console exports (with type and legacy keys)
    for (nn, kind) in [
        ("11-", ArtifactKind::Ca),
        ("13-", ArtifactKind::Msp),
        ("14-", ArtifactKind::Peer),
        ("15-", ArtifactKind::Orderer),
    ] {
        let mut body = recording(nn)["request"]["body"].clone();
        body["type"] = json!(kind.type_name());
        body["name"] = body["display_name"].clone();
        body["scheme_version"] = json!("v1");
        body["imported"] = json!(true);
        body["id"] = json!("will-not-be-sent");
        let name = format!(
            "{}_{}.json",
            body["display_name"].as_str().unwrap(),
            kind.suffix()
        );
        files.push((name, body.to_string().into_bytes(), fixtures_now()));
    }
    let mut sent = 0;
    for (name, bytes, now) in &files {
        for req in requests_of(name, bytes, *now) {
            let (status, answer) = post(region, req.route, &req.body).await;
            assert_eq!(
                status, 200,
                "{name}: {} refused: {answer}\nbody: {}",
                req.route, req.body
            );
            assert_eq!(answer["type"], req.route, "{name}");
            assert_ne!(answer["id"], "will-not-be-sent");
            sent += 1;
        }
    }
    // corpus: 5 single files + two 2-node ordering services, Org3's 3 files + its 2 nodes;
    // 9 templates; 4 recordings
    assert_eq!(sent, 5 + 4 + 3 + 2 + 9 + 4, "requests sent");
    // control: the same peer file posted untransformed is refused (legacy keys)
    let peer: Value = serde_json::from_slice(&good("Org1 Peer0_peer.json")).unwrap();
    let (status, answer) = post(region, "fabric-peer", &peer).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.to_string().contains("is an unknown key"), "{answer}");
    emu.shutdown().await;
}

fn strip(v: &Value) -> Value {
    let mut v = v.clone();
    for key in ["id", "timestamp", "tags"] {
        v.as_object_mut().unwrap().remove(key);
    }
    v
}

/// Import a recorded body, export what the console returns, read the file, transform it,
/// import it again: the second component equals the first apart from id, time and tags.
#[tokio::test]
async fn export_reread_reimport_round_trip() {
    let (emu, _dir) = emulator().await;
    let region = &emu.regions()[0];
    let opts = art::ExportOptions::default();
    for (nn, route) in [
        ("11-", "fabric-ca"),
        ("13-", "msp"),
        ("14-", "fabric-peer"),
        ("15-", "fabric-orderer"),
    ] {
        let original = recording(nn)["request"]["body"].clone();
        let (status, first) = post(region, route, &original).await;
        assert_eq!(status, 200, "{first}");
        let first = get(region, first["id"].as_str().unwrap()).await;

        let file = if route == "fabric-orderer" {
            art::export_ordering_service(std::slice::from_ref(&first), &opts).unwrap()
        } else {
            art::export_component(&first, &opts).unwrap()
        };
        let reqs = requests_of(&file.file_name, &file.contents, fixtures_now());
        assert_eq!(reqs.len(), 1);
        let (status, second) = post(region, reqs[0].route, &reqs[0].body).await;
        assert_eq!(status, 200, "{second}");
        let second = get(region, second["id"].as_str().unwrap()).await;
        assert_ne!(first["id"], second["id"]);
        assert_eq!(strip(&second), strip(&first), "{nn}");
        if route == "fabric-orderer" {
            assert!(
                second["tags"].as_array().unwrap().contains(&json!("raft1")),
                "{second}"
            );
        }
    }
    emu.shutdown().await;
}

/// Org3's files, whose certificates are all below intermediate CAs: the intermediates go to
/// the console after the roots (its v3 API refuses `msp.intermediate_ca`), so what it then
/// holds, exported, reads without an error and imports again unchanged.
#[tokio::test]
async fn intermediate_ca_files_survive_import_and_export() {
    let (emu, _dir) = emulator().await;
    let region = &emu.regions()[0];
    let opts = art::ExportOptions::default();
    let chain = |root: &str, ica: &str| json!([b64(&pki(root)), b64(&pki(ica))]);
    let ca_chain = chain("org3-ca.crt.pem", "org3-ica.crt.pem");
    let tls_chain = chain("org3-tlsca.crt.pem", "org3-tlsica.crt.pem");
    for name in [
        "Org3 CA_ca.json",
        "Org3 Peer0_peer.json",
        "Org3 Ordering Service_orderer.json",
        "Org3 MSP_msp.json",
    ] {
        for req in requests_of(name, &good(name), corpus_now()) {
            let body = &req.body;
            if req.route == "msp" {
                assert_eq!(
                    body["intermediate_certs"],
                    json!([b64(&pki("org3-ica.crt.pem"))])
                );
                assert_eq!(
                    body["tls_intermediate_certs"],
                    json!([b64(&pki("org3-tlsica.crt.pem"))])
                );
            } else {
                assert_eq!(body["msp"]["ca"]["root_certs"], ca_chain, "{name}");
                assert_eq!(body["msp"]["tlsca"]["root_certs"], tls_chain, "{name}");
                assert!(body["msp"].get("intermediate_ca").is_none(), "{name}");
                assert!(body["msp"].get("intermediate_tlsca").is_none(), "{name}");
            }
            let (status, answer) = post(region, req.route, body).await;
            assert_eq!(status, 200, "{name}: {answer}");
            let stored = get(region, answer["id"].as_str().unwrap()).await;
            let file = if req.route == "fabric-orderer" {
                art::export_ordering_service(std::slice::from_ref(&stored), &opts).unwrap()
            } else {
                art::export_component(&stored, &opts).unwrap()
            };
            let again = requests_of(&file.file_name, &file.contents, corpus_now());
            assert_eq!(again.len(), 1);
            let (status, second) = post(region, again[0].route, &again[0].body).await;
            assert_eq!(status, 200, "{second}");
            let second = get(region, second["id"].as_str().unwrap()).await;
            assert_eq!(strip(&second), strip(&stored), "{name}");
        }
    }
    emu.shutdown().await;
}
