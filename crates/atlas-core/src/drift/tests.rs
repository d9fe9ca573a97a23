//! Drift over hand-made console lists (certificates from the committed test corpus).

use serde_json::{json, Value};

use super::*;

fn pki(name: &str) -> String {
    let pem = std::fs::read_to_string(format!(
        "{}/tests/corpus/pki/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    pem::encode_base64(&pem)
}

fn regions() -> Vec<Region> {
    ["east", "west", "canada"]
        .iter()
        .map(|id| Region {
            id: (*id).into(),
            name: id.to_uppercase(),
            location: "us-east-1".into(),
            console_url: format!("https://{id}.example"),
            api_key: "k".into(),
            trusted_certificate: None,
        })
        .collect()
}

fn peer(id: &str, imported: bool, tls: &str, ops: &str) -> Component {
    Component::from_document(
        json!({ "id": id, "type": "fabric-peer", "display_name": "Org1 Peer1",
        "msp_id": "Org1MSP", "api_url": "grpcs://peer1:7051", "operations_url": ops,
        "imported": imported,
        "msp": { "ca": { "root_certs": [pki("org1-ca.crt.pem")] },
                 "component": { "tls_cert": tls, "admin_certs": [] } } }),
    )
    .unwrap()
}

fn msp(id: &str, admins: Value) -> Component {
    Component::from_document(json!({ "id": id, "type": "msp", "display_name": "Org1 MSP",
        "msp_id": "Org1MSP", "root_certs": [pki("org1-ca.crt.pem")], "admins": admins }))
    .unwrap()
}

fn find_in(lists: &[Vec<Component>]) -> Vec<Drift> {
    let regions = regions();
    let lists: Vec<Option<&[Component]>> = lists.iter().map(|l| Some(l.as_slice())).collect();
    find(&regions[..lists.len()], &lists)
}

#[test]
fn copies_that_agree_are_no_drift_whatever_the_blanks_and_order() {
    let tls = pki("org1-ca-tls.crt.pem");
    let spaced = format!(" {}\n", tls);
    let a = peer("p", false, &tls, "https://ops:9443");
    let b = peer("p_0", true, &spaced, "https://ops:9443 ");
    let admins = json!([pki("org1-admin.crt.pem"), pki("org1-ca.crt.pem")]);
    let reversed = json!([pki("org1-ca.crt.pem"), pki("org1-admin.crt.pem")]);
    let drifts = find_in(&[vec![a, msp("m", admins)], vec![b, msp("m", reversed)]]);
    assert_eq!(drifts, []);
}

#[test]
fn a_differing_tls_certificate_and_url_are_shown_side_by_side_by_subject() {
    let own = peer("p", false, &pki("org1-ca-tls.crt.pem"), "https://ops:9443");
    let copy = peer("p", true, &pki("org1-admin.crt.pem"), "https://ops:9444");
    let same = peer("p", true, &pki("org1-ca-tls.crt.pem"), "https://ops:9443");
    let drifts = find_in(&[vec![copy], vec![own], vec![same]]);
    assert_eq!(drifts.len(), 1);
    let d = &drifts[0];
    assert_eq!(d.key, "grpcs://peer1:7051");
    assert_eq!(d.kind, ComponentKind::Peer);
    let regions: Vec<&str> = d.copies.iter().map(|c| c.region_id.as_str()).collect();
    assert_eq!(regions, ["east", "west", "canada"]);
    let labels: Vec<&str> = d.fields.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["Operations URL", "TLS certificate"]);
    let tls = &d.fields[1];
    assert_eq!(tls.field, "msp.component.tls_cert");
    assert!(tls.editable);
    assert_ne!(tls.values[0], tls.values[1]);
    assert_eq!(tls.values[1], tls.values[2]);
    let shown = tls.values[1].as_deref().unwrap();
    assert!(
        shown.contains("SHA-256 ") && shown.contains("until "),
        "{shown}"
    );
}

#[test]
fn msps_drift_by_msp_id_and_the_edit_body_takes_only_what_the_console_edits() {
    let one = msp("m", json!([pki("org1-admin.crt.pem")]));
    let other = msp("m_0", json!([]));
    let drifts = find_in(&[vec![one.clone()], vec![other.clone()]]);
    assert_eq!(drifts[0].key, "msp:Org1MSP");
    assert_eq!(drifts[0].fields[0].label, "Admins");
    assert_eq!(drifts[0].fields[0].values[1], None);

    let (body, left) = edit_body(&one, &other);
    assert_eq!(
        Value::Object(body),
        json!({ "admins": [pki("org1-admin.crt.pem")] })
    );
    assert!(left.is_empty());
    // The other way round the console cannot blank the admins: it is said, not sent.
    let (body, left) = edit_body(&other, &one);
    assert!(body.is_empty());
    assert_eq!(left, ["Admins"]);
}

#[test]
fn a_nodes_certificates_go_as_its_whole_msp_and_a_cas_cannot_be_edited() {
    let own = peer("p", false, &pki("org1-ca-tls.crt.pem"), "https://ops:9443");
    let copy = peer("p", true, &pki("org1-admin.crt.pem"), "https://ops:9443");
    let (body, left) = edit_body(&own, &copy);
    assert_eq!(body.keys().collect::<Vec<_>>(), ["msp"]);
    assert_eq!(body["msp"], own.document["msp"]);
    assert!(left.is_empty());
    assert_eq!(differing(&own, &copy), ["TLS certificate"]);

    let ca = |tls: &str| {
        Component::from_document(
            json!({ "id": "ca", "type": "fabric-ca", "display_name": "Org1 CA",
            "api_url": "https://ca:7054", "msp": { "component": { "tls_cert": tls } } }),
        )
        .unwrap()
    };
    let (a, b) = (
        ca(&pki("org1-ca-tls.crt.pem")),
        ca(&pki("org1-admin.crt.pem")),
    );
    let drifts = find_in(&[vec![a.clone()], vec![b.clone()]]);
    assert!(!drifts[0].fields[0].editable);
    let (body, left) = edit_body(&a, &b);
    assert!(body.is_empty());
    assert_eq!(left, ["TLS certificate"]);
}
