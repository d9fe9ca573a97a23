//! Reading, checking, transforming and writing console artifact files, without a console:
//! the recorded fixtures' bodies, the console's bulk templates, the good corpus, keys,
//! identity/MSP chains, encryption and the export format.

#[path = "corpus/support.rs"]
mod support;

use std::time::{Duration, UNIX_EPOCH};

use atlas_core::artifacts::{self as art, Artifact, ArtifactKind, Remedy, Severity};
use atlas_core::secrets::Secret;
use serde_json::{json, Value};
use support::*;

fn read_ok(name: &str, bytes: &[u8], now: std::time::SystemTime) -> art::ParsedFile {
    match art::read_file(name, bytes, now) {
        Ok(p) => p,
        Err(f) => panic!("{name} refused: {f:#?}"),
    }
}

fn warnings(p: &art::ParsedFile) -> Vec<String> {
    p.all_warnings().map(ToString::to_string).collect()
}

/// A recorded import request body written as the console exports it.
fn recorded_body_file(nn: &str, kind: ArtifactKind) -> (String, Vec<u8>) {
    let mut body = recording(nn)["request"]["body"].clone();
    body["type"] = json!(kind.type_name());
    let name = body["display_name"].as_str().unwrap().to_string();
    let v = if kind == ArtifactKind::Orderer {
        json!([body])
    } else {
        body
    };
    (
        format!("{name}_{}.json", kind.suffix()),
        art::to_console_json(&v).into_bytes(),
    )
}

#[test]
fn recorded_bodies_read_as_exports_and_expiry_is_judged_at_now() {
    for (nn, kind) in [
        ("11-", ArtifactKind::Ca),
        ("12-", ArtifactKind::Msp),
        ("13-", ArtifactKind::Msp),
        ("14-", ArtifactKind::Peer),
        ("15-", ArtifactKind::Orderer),
    ] {
        let (name, bytes) = recorded_body_file(nn, kind);
        let parsed = read_ok(&name, &bytes, fixtures_now());
        assert_eq!(parsed.items.len(), 1);
        assert_eq!(parsed.items[0].artifact.kind(), kind, "{name}");
        let w = warnings(&parsed);
        assert!(!w.iter().any(|w| w.contains("expire")), "{name}: {w:?}");
        if nn == "12-" {
            // the plain MSP has no host_url: the console UI would refuse it
            assert!(
                w.iter().any(|w| w.contains("host_url: is missing")),
                "{w:?}"
            );
        }
    }
    // the leaf certificates of the recordings end on 2027-11-26
    let (name, bytes) = recorded_body_file("14-", ArtifactKind::Peer);
    let soon = UNIX_EPOCH + Duration::from_secs(1_810_771_200); // 2027-05-20
    assert!(warnings(&read_ok(&name, &bytes, soon)).is_empty());
    let in_two_weeks = UNIX_EPOCH + Duration::from_secs(1_826_496_000); // 2027-11-18
    let w = warnings(&read_ok(&name, &bytes, in_two_weeks));
    assert_eq!(
        w,
        vec!["Org1 Peer0_peer.json: msp.component.tls_cert: certificate expires on 2027-11-26 (in 8 days)"]
    );
    let later = UNIX_EPOCH + Duration::from_secs(1_830_297_600); // 2028-01-01
    let err = art::read_file(&name, &bytes, later).unwrap_err();
    assert!(err.iter().any(|f| f.is_error()
        && f.to_string()
            == "Org1 Peer0_peer.json: msp.component.tls_cert: certificate expired on 2027-11-26"));
}

#[test]
fn recorded_get_responses_read_without_noise() {
    // a component exactly as GET returns it (id, imported, timestamp, tags, scheme_version)
    let body = recording("23-")["response"]["body"].clone();
    let parsed = read_ok(
        "org1peer0_peer.json",
        body.to_string().as_bytes(),
        fixtures_now(),
    );
    assert_eq!(warnings(&parsed), Vec::<String>::new());
    let Artifact::Peer(p) = &parsed.items[0].artifact else {
        panic!()
    };
    assert_eq!(p.node.msp_id.as_deref(), Some("Org1MSP"));
    assert_eq!(p.common.id.as_deref(), Some("org1peer0"));
}

fn templates_dir() -> std::path::PathBuf {
    fixtures_dir().join("console-export-templates")
}

/// The console's bulk templates with their placeholders filled with real certificates.
pub fn filled_templates() -> Vec<(String, Vec<u8>)> {
    let ca_root = b64(&pki("org1-ca.crt.pem"));
    let ca_tls = b64(&pki("org1-ca-tls.crt.pem"));
    let mut out = Vec::new();
    for folder in [
        "Certificate_Authorities",
        "Peers",
        "Ordering_Services",
        "Organizations",
    ] {
        let mut files: Vec<_> = std::fs::read_dir(templates_dir().join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(templates_dir().join(folder).join(&f)).unwrap();
            let text = text
                .replace("<CERT>", &ca_root)
                .replace("<TLS_CERT>", &ca_tls);
            out.push((format!("{folder}/{f}"), text.into_bytes()));
        }
    }
    out
}

#[test]
fn console_templates_parse_once_certificates_are_filled_in() {
    let files = filled_templates();
    assert_eq!(files.len(), 9);
    for (path, bytes) in &files {
        let name = path.rsplit('/').next().unwrap();
        let parsed = read_ok(name, bytes, corpus_now());
        let expected = art::kind_from_folder(path.split('/').next().unwrap()).unwrap();
        assert_eq!(parsed.items[0].artifact.kind(), expected, "{path}");
    }
    // as they stand (placeholders), they are refused, naming the certificate field
    let text = std::fs::read(templates_dir().join("Peers/org1_peer1-local_peer.json")).unwrap();
    let err = art::read_file("org1_peer1-local_peer.json", &text, corpus_now()).unwrap_err();
    assert!(
        err.iter()
            .any(|f| f.field == "msp.component.tls_cert" && f.is_error()),
        "{err:#?}"
    );

    // the same files zipped with the templates' underscore folders read as one bulk archive
    let zip = zip_files(&files);
    let report = art::read_bulk("templates.zip", &zip, corpus_now()).unwrap();
    assert!(report.is_clean(), "{:#?}", report.findings());
    assert_eq!(report.entries.len(), 9);
    let parsed = art::read_file("templates.zip", &zip, corpus_now()).unwrap();
    let kinds: Vec<_> = parsed.artifacts().map(Artifact::kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == ArtifactKind::Msp).count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == ArtifactKind::Ca).count(), 3);
}

pub fn zip_files(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        zip.start_file(name.as_str(), opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn good_corpus_reads_with_only_the_expected_warnings() {
    for (name, expected_warnings) in [
        ("Org1 CA_ca.json", 0),
        ("Org1 Peer0_peer.json", 0),
        ("Org1 Ordering Service_orderer.json", 0),
        ("raft_orderer.json", 0),
        ("Org1 MSP_msp.json", 0),
        ("Org2 MSP_msp.json", 0),
        ("org1admin_identity.json", 0),
        ("org1client_ansible.json", 0),
        ("legacy raw pem_ca.json", 1),
        ("Org3 CA_ca.json", 0),
        ("Org3 Peer0_peer.json", 0),
        ("Org3 Ordering Service_orderer.json", 0),
        ("Org3 MSP_msp.json", 0),
        ("org3admin_identity.json", 0),
    ] {
        let parsed = read_ok(name, &good(name), corpus_now());
        assert_eq!(
            warnings(&parsed).len(),
            expected_warnings,
            "{name}: {:?}",
            warnings(&parsed)
        );
    }
    let raft = read_ok(
        "raft_orderer.json",
        &good("raft_orderer.json"),
        corpus_now(),
    );
    let Artifact::OrderingService(os) = &raft.items[0].artifact else {
        panic!()
    };
    assert_eq!((os.shape, os.nodes.len()), (art::OrdererShape::Raft, 2));
    let ansible = read_ok(
        "org1client_ansible.json",
        &good("org1client_ansible.json"),
        corpus_now(),
    );
    let Artifact::Identity(id) = &ansible.items[0].artifact else {
        panic!()
    };
    assert_eq!(id.format, art::IdentityFormat::Ansible);
    // a single orderer node object is an ordering service of one
    let nodes: Value = serde_json::from_slice(&good("Org1 Ordering Service_orderer.json")).unwrap();
    let one = read_ok(
        "Orderer0_orderer.json",
        nodes[0].to_string().as_bytes(),
        corpus_now(),
    );
    let Artifact::OrderingService(os) = &one.items[0].artifact else {
        panic!()
    };
    assert_eq!((os.shape, os.nodes.len()), (art::OrdererShape::Single, 1));
}

#[test]
fn file_name_is_only_a_hint() {
    // no suffix: the content decides
    let p = read_ok(
        "download (3).json",
        &good("Org1 MSP_msp.json"),
        corpus_now(),
    );
    assert_eq!(p.items[0].artifact.kind(), ArtifactKind::Msp);
    // no type and no suffix, but an identity's fields
    let mut id: Value = serde_json::from_slice(&good("org1admin_identity.json")).unwrap();
    id.as_object_mut().unwrap().remove("type");
    let p = read_ok("admin.json", id.to_string().as_bytes(), corpus_now());
    assert_eq!(p.items[0].artifact.kind(), ArtifactKind::Identity);
}

fn identity(name: &str) -> art::Identity {
    let p = read_ok(name, &good(name), corpus_now());
    match &p.items[0].artifact {
        Artifact::Identity(i) => i.clone(),
        other => panic!("{other:?}"),
    }
}

fn msp(name: &str) -> art::MspDefinition {
    let p = read_ok(name, &good(name), corpus_now());
    match &p.items[0].artifact {
        Artifact::Msp(m) => m.clone(),
        other => panic!("{other:?}"),
    }
}

fn cert(name: &str) -> art::x509::Cert {
    let d = art::pem::decode(&pki(name)).unwrap();
    art::x509::Cert::from_der(&d.blocks[0].der).unwrap()
}

#[test]
fn private_key_must_match_its_certificate() {
    let admin = cert("org1-admin.crt.pem");
    let key = Secret::new(b64(&pki("org1-admin.key.pem")));
    assert_eq!(art::check_key_matches(&key, &admin), Ok(()));
    // raw PEM works too
    assert_eq!(
        art::check_key_matches(&Secret::new(pki("org1-admin.key.pem")), &admin),
        Ok(())
    );
    let other = Secret::new(b64(&pki("org1-admin2.key.pem")));
    assert_eq!(
        art::check_key_matches(&other, &admin),
        Err(art::KeyProblem::Mismatch)
    );
    let p384 = Secret::new(pki("p384.key.pem"));
    assert_eq!(
        art::key_format(p384.expose()),
        Ok(art::KeyFormat::Pkcs8(art::x509::KeyKind::EcP384))
    );
    assert!(matches!(
        art::check_key_matches(&p384, &admin),
        Err(art::KeyProblem::TypeMismatch { .. })
    ));
    let not_a_key = Secret::new(b64(&pki("org1-ca.crt.pem")));
    let err = art::check_key_matches(&not_a_key, &admin).unwrap_err();
    assert!(
        err.reason()
            .contains("'CERTIFICATE' PEM block, not a private key"),
        "{}",
        err.reason()
    );
}

#[test]
fn sec1_key_is_refused_with_an_offer_and_the_conversion_works() {
    let sec1 = Secret::new(b64(&pki("org1-admin.sec1.key.pem")));
    let admin = cert("org1-admin.crt.pem");
    assert_eq!(art::key_format(sec1.expose()), Ok(art::KeyFormat::Sec1));
    assert_eq!(
        art::check_key_matches(&sec1, &admin),
        Err(art::KeyProblem::Sec1)
    );

    let mut file: Value = serde_json::from_slice(&good("org1admin_identity.json")).unwrap();
    file["private_key"] = json!(sec1.expose());
    let err = art::read_file(
        "org1admin_identity.json",
        file.to_string().as_bytes(),
        corpus_now(),
    )
    .unwrap_err();
    let offer = err
        .iter()
        .find(|f| f.field == "private_key")
        .expect("a private_key finding");
    assert_eq!(offer.severity, Severity::Error);
    assert_eq!(offer.remedy, Some(Remedy::ConvertSec1ToPkcs8));

    let pkcs8 = art::sec1_to_pkcs8(&sec1).unwrap();
    let text = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, pkcs8.expose()).unwrap(),
    )
    .unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(art::check_key_matches(&pkcs8, &admin), Ok(()));
    // the converted identity now reads
    file["private_key"] = json!(pkcs8.expose());
    read_ok(
        "org1admin_identity.json",
        file.to_string().as_bytes(),
        corpus_now(),
    );
    // only SEC1 converts
    assert!(art::sec1_to_pkcs8(&pkcs8).is_err());
}

#[test]
fn identity_must_chain_to_the_chosen_msp() {
    let org1 = msp("Org1 MSP_msp.json");
    let org2 = msp("Org2 MSP_msp.json");
    let admin1 = identity("org1admin_identity.json");
    let client1 = identity("org1client_ansible.json");
    let f = art::validate_identity_for_msp("a.json", &admin1, &org1, corpus_now());
    assert!(f.is_empty(), "{f:#?}");
    // issued through the intermediate CA; a member but not an admin (NodeOU 'client')
    let f = art::validate_identity_for_msp("c.json", &client1, &org1, corpus_now());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(f[0].reason.contains("not one of its admins"));
    // another organization's identity
    let f = art::validate_identity_for_msp("a.json", &admin1, &org2, corpus_now());
    assert_eq!(f.len(), 1);
    assert!(f[0].is_error() && f[0].field == "cert" && f[0].file == "a.json");
    assert!(
        f[0].reason.contains("is not issued by MSP 'Org2MSP'"),
        "{}",
        f[0]
    );
    // Org2 has no NodeOUs: admin by its admins list
    let org2_admin = art::Identity {
        name: "org2admin".into(),
        cert: b64(&pki("org2-admin.crt.pem")),
        private_key: Some(Secret::new(b64(&pki("org2-admin.key.pem")))),
        ca: None,
        hsm: false,
        format: art::IdentityFormat::Console,
    };
    assert!(art::validate_identity_for_msp("o.json", &org2_admin, &org2, corpus_now()).is_empty());
}

#[test]
fn hsm_identities_read_with_a_warning_and_cannot_be_written() {
    let mut v: Value = serde_json::from_slice(&good("org1client_ansible.json")).unwrap();
    v.as_object_mut().unwrap().remove("private_key");
    v["hsm"] = json!(true);
    let p = read_ok("hsm.json", v.to_string().as_bytes(), corpus_now());
    assert!(
        warnings(&p)[0].contains("private_key: is absent"),
        "{:?}",
        warnings(&p)
    );
    let Artifact::Identity(id) = &p.items[0].artifact else {
        panic!()
    };
    assert_eq!(art::identity_file(id).unwrap_err().field, "private_key");
}

#[test]
fn identity_file_is_the_console_format_and_secrets_stay_out_of_debug() {
    let id = identity("org1admin_identity.json");
    let key = id.private_key.clone().unwrap();
    let file = art::identity_file(&id).unwrap();
    assert_eq!(file.file_name, "org1admin_identity.json");
    let text = String::from_utf8(file.contents.clone()).unwrap();
    assert!(text.starts_with("{\n    \"cert\": \""), "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["type"], "identity");
    assert_eq!(v["private_key"], key.expose());
    assert_eq!(v.as_object().unwrap().len(), 4);
    // byte-identical to what we read (it was written in the same format)
    assert_eq!(file.contents, good("org1admin_identity.json"));
    for debug in [format!("{id:?}"), format!("{file:?}")] {
        assert!(!debug.contains(key.expose()), "{debug}");
        assert!(!debug.contains(&key.expose()[..40]), "{debug}");
    }
}

#[test]
fn encrypted_identity_round_trips_and_a_wrong_passphrase_is_a_finding() {
    let id = identity("org1admin_identity.json");
    let pass = Secret::new("correct horse battery staple");
    let enc = art::encrypt_identity_with_work_factor(&id, &pass, 10).unwrap();
    assert_eq!(enc.file_name, "org1admin_identity.json.age");
    let text = String::from_utf8(enc.contents.clone()).unwrap();
    assert!(
        text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"),
        "{text}"
    );
    assert!(!text.contains(&id.private_key.as_ref().unwrap().expose()[..40]));

    let (back, warns) =
        art::decrypt_identity(&enc.file_name, &enc.contents, &pass, corpus_now()).unwrap();
    assert_eq!(back, id);
    assert!(warns.is_empty());

    let err = art::decrypt_identity(
        &enc.file_name,
        &enc.contents,
        &Secret::new("wrong"),
        corpus_now(),
    )
    .unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(
        err[0].to_string(),
        "org1admin_identity.json.age: $: wrong passphrase: the file cannot be decrypted with it"
    );

    let err = art::read_file(&enc.file_name, &enc.contents, corpus_now()).unwrap_err();
    assert!(err[0].reason.contains("passphrase"), "{}", err[0]);
    assert!(art::encrypt_identity(&id, &Secret::new("")).is_err());
}

#[test]
fn export_writes_what_the_console_ui_downloads() {
    let opts = art::ExportOptions::default();
    let peer = recording("23-")["response"]["body"].clone();
    let file = art::export_component(&peer, &opts).unwrap();
    assert_eq!(file.file_name, "Org1 Peer0_peer.json");
    let text = String::from_utf8(file.contents).unwrap();
    assert!(text.starts_with("{\n    \"api_url\": \"grpcs://127.0.0.1:7051\",\n    \"display_name\": \"Org1 Peer0\",\n"), "{text}");
    assert!(text.ends_with("\n}"));
    let v: Value = serde_json::from_str(&text).unwrap();
    let tls = &peer["msp"]["component"]["tls_cert"];
    assert_eq!(v["name"], "Org1 Peer0");
    assert_eq!(&v["tls_cert"], tls);
    assert_eq!(&v["pem"], tls);
    assert_eq!(v["tls_ca_root_cert"], peer["msp"]["tlsca"]["root_certs"][0]);
    assert_eq!(v["scheme_version"], "v1");
    assert_eq!(v["id"], "org1peer0");
    for absent in [
        "tags",
        "timestamp",
        "imported",
        "ca_url",
        "systemless",
        "system_channel_id",
    ] {
        assert!(v.get(absent).is_none(), "{absent}");
    }

    let ca = recording("11-")["response"]["body"].clone();
    let v: Value =
        serde_json::from_slice(&art::export_component(&ca, &opts).unwrap().contents).unwrap();
    assert_eq!(v["ca_url"], ca["api_url"]);
    assert_eq!(
        (v["ca_name"].as_str(), v["tlsca_name"].as_str()),
        (Some("ca"), Some("tlsca"))
    );
    assert_eq!(v["pem"], ca["msp"]["component"]["tls_cert"]);

    // parsed copies are dropped; an MSP gets its legacy name
    let msp = recording("25-")["response"]["body"].clone();
    let file = art::export_component(&msp, &opts).unwrap();
    assert_eq!(file.file_name, "Org1 MSP Full_msp.json");
    let v: Value = serde_json::from_slice(&file.contents).unwrap();
    assert!(
        v.get("tls_cert_parsed").is_none()
            && v.get("tags").is_none()
            && v.get("location").is_none()
    );
    assert_eq!(v["name"], "Org1 MSP Full");
    assert_eq!(v["host_url"], "http://127.0.0.1:3000");

    let node = recording("15-")["response"]["body"].clone();
    let mut saas = node.clone();
    saas["location"] = json!("ibm_saas");
    saas["cluster_id"] = json!("raft1_x9");
    let file = art::export_ordering_service(&[node, saas], &opts).unwrap();
    assert_eq!(file.file_name, "Raft Cluster_orderer.json");
    let v: Value = serde_json::from_slice(&file.contents).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["system_channel_id"], "testchainid");
    assert_eq!(v[1]["cluster_id"], "raft1");
    assert_eq!(v[1]["location"], "kubernetes");
    assert!(v[0].get("consenter_proposal_fin").is_none());

    let err = art::export_component(&json!({"type": "fabric-foo", "display_name": "x"}), &opts)
        .unwrap_err();
    assert!(err.is_error());
}

/// export → read → transform gives back the body the component was imported with.
#[test]
fn export_then_transform_gives_back_the_import_body() {
    let opts = art::ExportOptions::default();
    for (nn, route) in [
        ("11-", "fabric-ca"),
        ("13-", "msp"),
        ("14-", "fabric-peer"),
        ("15-", "fabric-orderer"),
    ] {
        let rec = recording(nn);
        let mut original = rec["request"]["body"].clone();
        let response = rec["response"]["body"].clone();
        let file = if route == "fabric-orderer" {
            art::export_ordering_service(&[response], &opts).unwrap()
        } else {
            art::export_component(&response, &opts).unwrap()
        };
        let parsed = read_ok(&file.file_name, &file.contents, fixtures_now());
        let reqs =
            art::import_requests(&parsed.items[0].artifact, &art::TransformOptions::default());
        assert_eq!(reqs.len(), 1);
        assert_eq!(reqs[0].route, route);
        assert_eq!(reqs[0].path(), format!("/ak/api/v3/components/{route}"));
        let mut body = reqs[0].body.clone();
        // the console's export format carries no tags; the server added system_channel_id
        original.as_object_mut().unwrap().remove("tags");
        if route == "fabric-orderer" {
            assert_eq!(body["tags"], json!(["raft1"]));
            body.as_object_mut().unwrap().remove("tags");
            assert_eq!(body["system_channel_id"], "testchainid");
            body.as_object_mut().unwrap().remove("system_channel_id");
        }
        assert_eq!(body, original, "{nn}");
    }
}

#[test]
fn transform_drops_legacy_keys_and_applies_the_fallbacks() {
    let p = read_ok(
        "legacy raw pem_ca.json",
        &good("legacy raw pem_ca.json"),
        corpus_now(),
    );
    let body = &art::import_requests(&p.items[0].artifact, &Default::default())[0].body;
    assert_eq!(
        body,
        &json!({
            "display_name": "org1ca - legacy",
            "api_url": "https://ca.org1.example.com:7054",
            "operations_url": "http://ca.org1.example.com:17054",
            "msp": {"ca": {"name": "ca-org1"}, "tlsca": {"name": "tlsca-org1"},
                    "component": {"tls_cert": b64(&pki("org1-ca-tls.crt.pem"))}}
        })
    );

    // a legacy-only peer: certificates from tls_cert / tls_ca_root_cert, no msp in the file
    let root = b64(&pki("org1-tlsca.crt.pem"));
    let tls = b64(&pki("org1-peer0-tls.crt.pem"));
    let legacy_peer = json!({
        "name": "Old Peer", "type": "fabric-peer", "msp_id": "Org1MSP", "api_url": "grpcs://p:7051",
        "grpcwp_url": "https://proxy.example.com", "operations_url": "https://p:9443", "location": "ibm_saas",
        "id": "oldpeer", "tls_cert": tls, "tls_ca_root_cert": root, "pem": root, "scheme_version": "v1",
        "ca_name": "ca", "imported": true
    });
    let p = read_ok(
        "Old Peer_peer.json",
        legacy_peer.to_string().as_bytes(),
        corpus_now(),
    );
    let body = &art::import_requests(&p.items[0].artifact, &Default::default())[0].body;
    assert_eq!(
        body,
        &json!({
            "display_name": "Old Peer", "msp_id": "Org1MSP", "api_url": "grpcs://p:7051",
            "grpcwp_url": "https://proxy.example.com:443", "operations_url": "https://p:9443",
            "msp": {"tlsca": {"root_certs": [root]}, "component": {"tls_cert": tls}}
        })
    );
    let keep = art::TransformOptions { keep_ids: true };
    assert_eq!(
        art::import_requests(&p.items[0].artifact, &keep)[0].body["id"],
        "oldpeer"
    );

    // identities never produce import requests
    let id = read_ok(
        "org1admin_identity.json",
        &good("org1admin_identity.json"),
        corpus_now(),
    );
    assert!(art::import_requests(&id.items[0].artifact, &Default::default()).is_empty());

    // orderers: one request per node, tagged with the cluster id
    let os = read_ok(
        "os_orderer.json",
        &good("Org1 Ordering Service_orderer.json"),
        corpus_now(),
    );
    let reqs = art::import_requests(&os.items[0].artifact, &Default::default());
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(r.route, "fabric-orderer");
        assert_eq!(r.body["tags"], json!(["osorg1"]));
        for legacy in [
            "name",
            "pem",
            "tls_cert",
            "tls_ca_root_cert",
            "scheme_version",
            "id",
            "type",
        ] {
            assert!(r.body.get(legacy).is_none(), "{legacy}");
        }
        // empty admin_certs are left out
        assert!(r.body["msp"]["component"].get("admin_certs").is_none());
    }
}

#[test]
fn bulk_zip_written_per_region_reads_back() {
    let list = recording("19-")["response"]["body"]["components"].clone();
    let components: Vec<Value> = list.as_array().unwrap().clone();
    let admin = identity("org1admin_identity.json");
    let zip = art::write_bulk_zip(
        &components,
        std::slice::from_ref(&admin),
        &Default::default(),
    )
    .unwrap();
    let report = art::read_bulk("FOC.zip", &zip, fixtures_now()).unwrap();
    assert!(report.is_clean(), "{:#?}", report.findings());
    let mut paths: Vec<&str> = report.entries.iter().map(|e| e.path.as_str()).collect();
    paths.sort();
    assert!(
        paths.contains(&"Certificate Authorities/org1ca_ca.json"),
        "{paths:?}"
    );
    assert!(paths.contains(&"Peers/org1peer0_peer.json"), "{paths:?}");
    assert!(
        paths.contains(&"Ordering Services/orderer0_orderer.json"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"Organizations/org1msp_msp.json"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"Wallet/org1admin_identity.json"),
        "{paths:?}"
    );
    assert_eq!(report.entries.len(), components.len() + 1);
    // no entry carries an id
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.clone())).unwrap();
    for i in 0..archive.len() {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut archive.by_index(i).unwrap(), &mut s).unwrap();
        let v: Value = serde_json::from_str(&s).unwrap();
        assert!(v.get("id").is_none());
    }
    let parsed = art::read_file("FOC.zip", &zip, fixtures_now()).unwrap();
    let identities = parsed
        .artifacts()
        .filter(|a| a.kind() == ArtifactKind::Identity)
        .count();
    assert_eq!(identities, 1);
}

#[test]
fn bulk_report_is_per_entry() {
    let bytes = std::fs::read(corpus_dir().join("bad/bulk_with_bad_entry.zip")).unwrap();
    let report = art::read_bulk("b.zip", &bytes, corpus_now()).unwrap();
    assert!(!report.is_clean());
    // the directory and the __MACOSX entry are skipped
    assert_eq!(report.entries.len(), 2);
    let ca = report
        .entries
        .iter()
        .find(|e| e.path.starts_with("Certificate"))
        .unwrap();
    assert_eq!(ca.hint, Some(ArtifactKind::Ca));
    assert!(ca.outcome.is_ok());
    let peer = report
        .entries
        .iter()
        .find(|e| e.path.starts_with("Peers"))
        .unwrap();
    let errs = peer.outcome.as_ref().unwrap_err();
    assert!(errs
        .iter()
        .all(|f| f.file == "b.zip/Peers/org1peer0_peer.json"));
}

#[test]
fn unsupported_key_types_are_named_not_guessed() {
    // a P-384 certificate with its own P-384 key: readable, but its match cannot be checked here
    let key = rcgen::KeyPair::from_pem(&pki("p384.key.pem")).unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.not_before = rcgen::date_time_ymd(2025, 1, 1);
    params.not_after = rcgen::date_time_ymd(2099, 1, 1);
    let pem = params.self_signed(&key).unwrap().pem();
    let id = json!({"name": "p384admin", "cert": b64(&pem), "private_key": b64(&pki("p384.key.pem")), "type": "identity"});
    let p = read_ok(
        "p384admin_identity.json",
        id.to_string().as_bytes(),
        corpus_now(),
    );
    let w = warnings(&p);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("private_key: private key is EC P-384; only EC P-256 keys can be checked"),
        "{w:?}"
    );
}

/// Zip slip both ways: an archive entry whose name leaves its folders is refused by name (even
/// though nothing is unpacked here), and a console id that tries it becomes one file name in
/// the archive we write.
#[test]
fn archive_entry_names_never_leave_the_archives_folders() {
    let peer = recording("23-")["response"]["body"].clone();
    let doc = serde_json::to_vec(&peer).unwrap();
    for evil in [
        "../../peer.json",
        "/etc/cron.d/peer.json",
        "peers/..\\..\\x_peer.json",
    ] {
        let zip = zip_files(&[(evil.to_string(), doc.clone())]);
        let report = art::read_bulk("slip.zip", &zip, corpus_now()).unwrap();
        let findings = report.findings();
        assert!(
            findings.iter().any(|f| f.file == format!("slip.zip/{evil}")
                && f.reason.contains("leaves the archive's folders")),
            "{evil}: {findings:?}"
        );
    }

    let mut hostile = peer.clone();
    hostile["id"] = json!("../../../../tmp/evil");
    let zip = art::write_bulk_zip(&[hostile], &[], &art::ExportOptions::default()).unwrap();
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let names: Vec<&str> = archive.file_names().collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let (folder, file) = names[0].split_once('/').unwrap();
    assert_eq!(folder, "Peers");
    assert!(
        !file.contains('/') && !file.contains('\\') && file != "..",
        "{file}"
    );
}
