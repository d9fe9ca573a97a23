//! Certificate chains as real organisations have them, for every kind of artifact file: the
//! good corpus's Org3 has every certificate below an intermediate CA (enrollment and TLS),
//! and each file reads clean; without its intermediate, with an intermediate that is not a CA
//! or one of another root, it is refused naming the field. Also: not-yet-valid certificates,
//! duplicate JSON keys and an identity given with the MSP of another org.

#[path = "corpus/support.rs"]
mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use atlas_core::artifacts::{self as art, Artifact, Finding};
use serde_json::{json, Value};
use support::*;

const CA: &str = "Org3 CA_ca.json";
const MSP: &str = "Org3 MSP_msp.json";
const PEER: &str = "Org3 Peer0_peer.json";
const ORDERER: &str = "Org3 Ordering Service_orderer.json";
const IDENTITY: &str = "org3admin_identity.json";

fn good_json(name: &str) -> Value {
    serde_json::from_slice(&good(name)).unwrap()
}

fn read(name: &str, v: &Value, now: SystemTime) -> Result<art::ParsedFile, Vec<Finding>> {
    art::read_file(name, art::to_console_json(v).as_bytes(), now)
}

fn errors_of(name: &str, v: &Value) -> Vec<(String, String)> {
    match read(name, v, corpus_now()) {
        Ok(_) => Vec::new(),
        Err(findings) => findings
            .into_iter()
            .filter(Finding::is_error)
            .map(|f| (f.field, f.reason))
            .collect(),
    }
}

/// The error on `field`, which must exist.
fn error_on(errors: &[(String, String)], field: &str) -> String {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, r)| r.clone())
        .unwrap_or_else(|| panic!("no error on {field}: {errors:#?}"))
}

fn without(mut v: Value, pointer: &str, key: &str) -> Value {
    v.pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .unwrap()
        .remove(key);
    v
}

fn set(mut v: Value, pointer: &str, value: Value) -> Value {
    *v.pointer_mut(pointer).unwrap() = value;
    v
}

#[test]
fn two_level_chains_read_clean_for_every_kind() {
    for name in [CA, MSP, PEER, ORDERER, IDENTITY] {
        let parsed = art::read_file(name, &good(name), corpus_now())
            .unwrap_or_else(|f| panic!("{name}: {f:#?}"));
        let warnings: Vec<String> = parsed.all_warnings().map(ToString::to_string).collect();
        assert_eq!(warnings, Vec::<String>::new(), "{name}");
    }
    // the files really are two-level: every leaf's issuer is an intermediate, not the root
    let peer = good_json(PEER);
    for (leaf, inter) in [
        ("/msp/component/ecert", "/msp/intermediate_ca/root_certs/0"),
        (
            "/msp/component/tls_cert",
            "/msp/intermediate_tlsca/root_certs/0",
        ),
    ] {
        let cert = |p: &str| {
            let d = art::pem::decode(peer.pointer(p).unwrap().as_str().unwrap()).unwrap();
            art::x509::Cert::from_der(&d.blocks[0].der).unwrap()
        };
        assert_eq!(cert(leaf).issuer, cert(inter).subject);
        assert!(!cert(inter).is_self_signed());
    }
    // an Ansible identity whose `ca` holds the intermediate and the root
    let ansible = json!({
        "name": "org3admin", "cert": b64(&pki("org3-admin.crt.pem")), "hsm": false,
        "ca": b64(&format!("{}{}", pki("org3-ica.crt.pem"), pki("org3-ca.crt.pem"))),
        "private_key": b64(&pki("org3-admin.key.pem")),
    });
    let parsed = read("org3admin.json", &ansible, corpus_now()).unwrap();
    assert_eq!(parsed.all_warnings().count(), 0);
    // without the intermediate in `ca` the identity is read, with a warning saying why
    let root_only = set(ansible, "/ca", json!(b64(&pki("org3-ca.crt.pem"))));
    let w: Vec<String> = read("org3admin.json", &root_only, corpus_now())
        .unwrap()
        .all_warnings()
        .map(ToString::to_string)
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("cert: is not issued by the CA certificate in 'ca'"),
        "{}",
        w[0]
    );
    assert!(w[0].contains("its issuer is not in ca"), "{}", w[0]);
}

#[test]
fn a_missing_intermediate_is_refused_on_the_certificate_it_issued() {
    // peer: each chain needs its own intermediate section
    let peer = good_json(PEER);
    let errors = errors_of(PEER, &without(peer.clone(), "/msp", "intermediate_ca"));
    for field in ["msp.component.ecert", "msp.component.admin_certs[0]"] {
        let reason = error_on(&errors, field);
        assert!(
            reason.contains("is not issued by msp.ca.root_certs: its issuer is not in msp.ca.root_certs or msp.intermediate_ca.root_certs (is an intermediate certificate missing?)"),
            "{reason}"
        );
    }
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let errors = errors_of(PEER, &without(peer, "/msp", "intermediate_tlsca"));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(error_on(&errors, "msp.component.tls_cert").contains(
        "is not issued by the given TLS root certificates: its issuer is not in msp.tlsca.root_certs or msp.intermediate_tlsca.root_certs"
    ));

    // orderer: the node missing it is named
    let nodes = without(good_json(ORDERER), "/1/msp", "intermediate_tlsca");
    let errors = errors_of(ORDERER, &nodes);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    error_on(&errors, "[1].msp.component.tls_cert");

    // MSP: its admins go through intermediate_certs
    let errors = errors_of(MSP, &without(good_json(MSP), "", "intermediate_certs"));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(error_on(&errors, "admins[0]")
        .contains("is not issued by this MSP's root or intermediate certificates"));

    // CA: an intermediate must be issued by the CA's roots (here: another org's intermediate)
    let ca = set(
        good_json(CA),
        "/msp/intermediate_ca/root_certs/0",
        json!(b64(&pki("org1-ica.crt.pem"))),
    );
    let errors = errors_of(CA, &ca);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(error_on(&errors, "msp.intermediate_ca.root_certs[0]")
        .contains("is not issued by msp.ca.root_certs"));
    let ca = set(
        good_json(CA),
        "/msp/intermediate_tlsca/root_certs/0",
        json!(b64(&pki("org3-ica.crt.pem"))),
    );
    error_on(&errors_of(CA, &ca), "msp.intermediate_tlsca.root_certs[0]");

    // identity: an MSP without the intermediate does not vouch for it
    let id = art::read_file(IDENTITY, &good(IDENTITY), corpus_now()).unwrap();
    let Artifact::Identity(identity) = &id.items[0].artifact else {
        panic!()
    };
    let mut definition: art::MspDefinition = serde_json::from_value(good_json(MSP)).unwrap();
    definition.intermediate_certs = None;
    let f = art::validate_identity_for_msp(IDENTITY, identity, &definition, corpus_now());
    assert!(
        f.len() == 1 && f[0].is_error() && f[0].field == "cert",
        "{f:#?}"
    );
}

#[test]
fn an_issuer_without_ca_true_is_refused_for_every_kind() {
    let not_ca = b64(&pki("org3-not-a-ca.crt.pem"));
    let under_it = b64(&pki("org3-admin-under-not-a-ca.crt.pem"));
    let no_basic_constraints = "is not a CA certificate (no basic constraints CA:TRUE)";

    let msp = set(
        set(good_json(MSP), "/intermediate_certs", json!([not_ca])),
        "/admins",
        json!([under_it]),
    );
    let errors = errors_of(MSP, &msp);
    assert!(error_on(&errors, "intermediate_certs[0]").contains(no_basic_constraints));
    assert!(error_on(&errors, "admins[0]").contains(&format!(
        "its issuer 'C=US, O=org3.example.com, CN=notaca.org3.example.com' {no_basic_constraints}"
    )));

    for (name, file, prefix) in [
        (PEER, good_json(PEER), ""),
        (ORDERER, good_json(ORDERER), "/0"),
    ] {
        let v = set(
            set(
                file,
                &format!("{prefix}/msp/intermediate_ca/root_certs"),
                json!([not_ca]),
            ),
            &format!("{prefix}/msp/component/admin_certs"),
            json!([under_it]),
        );
        let errors = errors_of(name, &v);
        let at = if prefix.is_empty() { "" } else { "[0]." };
        assert!(
            error_on(&errors, &format!("{at}msp.intermediate_ca.root_certs[0]"))
                .contains(no_basic_constraints)
        );
        assert!(error_on(&errors, &format!("{at}msp.component.admin_certs[0]"))
            .contains(&format!("its issuer 'C=US, O=org3.example.com, CN=notaca.org3.example.com' {no_basic_constraints}")));
    }

    let ca = set(
        good_json(CA),
        "/msp/intermediate_ca/root_certs",
        json!([not_ca]),
    );
    assert!(
        error_on(&errors_of(CA, &ca), "msp.intermediate_ca.root_certs[0]")
            .contains(no_basic_constraints)
    );

    // identity: an MSP whose intermediate is not a CA does not vouch for what it signed
    let mut definition: art::MspDefinition = serde_json::from_value(good_json(MSP)).unwrap();
    definition.intermediate_certs = Some(vec![not_ca.clone()]);
    let identity = art::Identity {
        name: "org3admin".into(),
        cert: under_it.clone(),
        private_key: None,
        ca: None,
        hsm: false,
        format: art::IdentityFormat::Console,
    };
    let f = art::validate_identity_for_msp("a.json", &identity, &definition, corpus_now());
    assert!(
        f.len() == 1 && f[0].reason.contains(no_basic_constraints),
        "{f:#?}"
    );
}

#[test]
fn a_certificate_not_yet_valid_is_an_error() {
    // at a `now` before the corpus certificates began, every one of them is refused
    let before = UNIX_EPOCH + Duration::from_secs(1_704_067_200); // 2024-01-01
    let err = art::read_file(PEER, &good(PEER), before).unwrap_err();
    for field in [
        "msp.component.tls_cert",
        "msp.component.ecert",
        "msp.component.admin_certs[0]",
        "msp.tlsca.root_certs[0]",
        "msp.intermediate_ca.root_certs[0]",
    ] {
        assert!(
            err.iter().any(|f| {
                f.is_error()
                && f.field == field
                && f.reason
                    == "certificate is not valid before 2025-01-01 (its notBefore is in the future)"
            }),
            "{field}: {err:#?}"
        );
    }
    // an identity whose certificate starts in 2090
    let future = json!({"name": "later", "type": "identity",
        "cert": b64(&pki("org1-admin-future.crt.pem")), "private_key": b64(&pki("org1-admin-future.key.pem"))});
    let errors = errors_of("later_identity.json", &future);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(error_on(&errors, "cert").contains("not valid before 2090-01-01"));
}

#[test]
fn duplicate_keys_are_refused_naming_the_key_and_its_path() {
    let text = String::from_utf8(good("Org1 MSP_msp.json")).unwrap();
    let top = text.replacen("{\n", "{\n    \"display_name\": \"Org9 MSP\",\n", 1);
    let err = art::read_file("dup_msp.json", top.as_bytes(), corpus_now()).unwrap_err();
    assert_eq!(err.len(), 1, "{err:#?}");
    assert_eq!(
        err[0].to_string(),
        "dup_msp.json: display_name: duplicate key 'display_name': this object holds it more than once and only one value can count (the console silently keeps the last); remove the others"
    );

    let nodes = String::from_utf8(good(ORDERER)).unwrap();
    // the second node's msp.ca gets a second root_certs
    let at = nodes.rfind("\"ca\": {\n").unwrap() + "\"ca\": {\n".len();
    let nested = format!("{}\"root_certs\": [],\n{}", &nodes[..at], &nodes[at..]);
    let err = art::read_file(ORDERER, nested.as_bytes(), corpus_now()).unwrap_err();
    assert_eq!(err.len(), 1, "{err:#?}");
    assert_eq!(
        (err[0].field.as_str(), err[0].is_error()),
        ("[1].msp.ca.root_certs", true)
    );
    assert!(err[0].reason.starts_with("duplicate key 'root_certs'"));

    // inside a bulk ZIP the entry is named
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "Organizations/dup_msp.json",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    std::io::Write::write_all(&mut zip, top.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let err = art::read_file("b.zip", &bytes, corpus_now()).unwrap_err();
    assert!(
        err.iter()
            .any(|f| f.file == "b.zip/Organizations/dup_msp.json"
                && f.field == "display_name"
                && f.reason.starts_with("duplicate key")),
        "{err:#?}"
    );
}

fn parsed(dir: &str, name: &str) -> art::ParsedFile {
    let bytes = std::fs::read(corpus_dir().join(dir).join(name)).unwrap();
    art::read_file(name, &bytes, corpus_now()).unwrap_or_else(|f| panic!("{name}: {f:#?}"))
}

#[test]
fn an_identity_given_with_the_msp_of_another_org_is_refused() {
    let org1 = parsed("good", "Org1 MSP_msp.json");
    let org3 = parsed("good", MSP);
    let org3admin = parsed("good", IDENTITY);
    let org2admin = parsed("bad", "org2admin_identity.json");

    // its own org's MSP, alone or among others: a member and an admin (NodeOU), nothing to say
    assert_eq!(
        art::check_batch(&[org3admin.clone(), org3.clone()], corpus_now()),
        vec![]
    );
    assert_eq!(
        art::check_batch(
            &[org1.clone(), org3admin.clone(), org3.clone()],
            corpus_now()
        ),
        vec![]
    );
    // another org's
    let found = art::check_batch(&[org3admin.clone(), org1.clone()], corpus_now());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].is_error());
    assert_eq!(found[0].file, IDENTITY);
    assert_eq!(found[0].field, "cert");
    assert!(
        found[0]
            .reason
            .contains("is not issued by MSP 'Org1MSP' (Org1 MSP_msp.json)"),
        "{}",
        found[0].reason
    );
    let found = art::check_batch(&[org1, org3, org2admin], corpus_now());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].file, "org2admin_identity.json");
    assert!(found[0].reason.contains(
        "is not issued by any MSP given with it ('Org1MSP' in Org1 MSP_msp.json, 'Org3MSP' in Org3 MSP_msp.json)"
    ));
    // with no MSP in the batch there is nothing to check against
    assert_eq!(art::check_batch(&[org3admin], corpus_now()), vec![]);
}
