//! Files to and from consoles, through the application service, against the emulator: bad input
//! never reaches a console; a region exported to files and imported elsewhere comes out equal, and
//! importing the same files again creates nothing.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::SystemTime;

use atlas_core::artifacts;
use atlas_core::atlas::Atlas;
use atlas_core::files;
use atlas_core::import::ItemOutcome;
use atlas_core::secrets::Secret;
use base64::Engine;
use serde_json::{json, Value};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../crates/atlas-core/tests/corpus")
}

fn corpus() -> PathBuf {
    corpus_dir().join("bad")
}

#[tokio::test]
async fn every_bad_file_is_refused_with_file_and_field_named_and_nothing_reaches_a_console() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let expected: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("expected.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    for (file, want) in &expected {
        let path = corpus().join(file);
        // Identity files are wallet material, not console imports: they are checked by the
        // wallet's import, the rest by the region's; an identity bad only against an org is
        // given with that org's MSP, as a drop of both files would be.
        let report = if let Some(msp) = want.get("msp").and_then(Value::as_str) {
            let msp = corpus_dir().join("good").join(msp);
            atlas
                .import_files("r2", &[msp, path], false, &|_| {})
                .await
                .unwrap()
        } else if file.ends_with("_identity.json") {
            atlas.import_identities(&[path], None).unwrap()
        } else {
            atlas
                .import_files("r2", &[path], false, &|_| {})
                .await
                .unwrap()
        };
        let field = want["field"].as_str().unwrap();
        assert!(
            report.refused || want.get("msp").is_none(),
            "{file}, given with its org's MSP, was accepted"
        );
        if !report.refused {
            // Valid files that are bad only against an organization (another org's identity)
            // are refused by other checks; they must at least not have touched a console.
            assert!(
                file.contains("other_org") || file.contains("org2admin"),
                "{file} was accepted"
            );
            continue;
        }
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.file.starts_with(file.as_str()) && f.field == field),
            "{file}: no finding on '{field}': {:?}",
            report.findings
        );
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} files were refused");
    for region in 1..=3 {
        assert!(
            h.emulator.request_log(region).is_empty(),
            "region {region}: {:?}",
            h.log(region)
        );
    }
    assert!(atlas.identities().is_empty(), "nothing entered the wallet");
    assert!(
        atlas.audit_entries().unwrap().entries.is_empty(),
        "nothing was audited as changed"
    );
}

fn comparable(mut c: Value) -> Value {
    let map = c.as_object_mut().unwrap();
    // `imported`: region 1 deployed its originals; the console marks every copy an import.
    for varying in ["id", "timestamp", "edited_timestamp", "tags", "imported"] {
        map.remove(varying);
    }
    c
}

fn by_name(list: Vec<Value>) -> Vec<Value> {
    let mut list: Vec<Value> = list.into_iter().map(comparable).collect();
    list.sort_by_key(|c| c["display_name"].as_str().unwrap_or_default().to_owned());
    list
}

#[tokio::test]
async fn region_1_exported_to_files_and_imported_into_region_2_comes_out_equal_and_reimport_skips()
{
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());

    let originals = h.documents(1).await;
    assert_eq!(originals.len(), 4);
    let mut paths = Vec::new();
    for component in &originals {
        let id = component["id"].as_str().unwrap();
        let file = atlas.export_component("r1", id).await.unwrap();
        let path = out.path().join(&file.file_name);
        files::write_export(&path, &file.contents, false).unwrap();
        paths.push(path);
    }

    // The CA comes only with its admin credentials: the first import is refused, naming its
    // file, and nothing reaches the console or the audit log.
    let refused = atlas
        .import_files("r2", &paths, false, &|_| {})
        .await
        .unwrap();
    assert!(refused.refused && refused.items.is_empty(), "{refused:?}");
    let lacking = &refused.cas_lacking_admins;
    assert_eq!(lacking.len(), 1, "{lacking:?}");
    assert!(
        refused
            .findings
            .iter()
            .any(|f| f.field == "caAdmins" && f.file == lacking[0].component_id),
        "{:?}",
        refused.findings
    );
    assert!(h.documents(2).await.is_empty());
    assert!(atlas.audit_entries().unwrap().entries.is_empty());
    let from_file = atlas
        .ca_admin_status_in_file(&out.path().join(&lacking[0].component_id))
        .unwrap();
    assert_eq!(
        (&from_file.api_url, &from_file.ca_name),
        (&lacking[0].api_url, &lacking[0].ca_name)
    );
    let credentials = support::ca_credentials();
    assert!(atlas
        .save_ca_admins(&from_file, &credentials)
        .await
        .unwrap()
        .known());

    let report = atlas
        .import_files("r2", &paths, false, &|_| {})
        .await
        .unwrap();
    assert!(!report.refused, "{:?}", report.findings);
    assert!(report.cas_lacking_admins.is_empty());
    assert_eq!(report.items.len(), 4);
    assert!(
        report
            .items
            .iter()
            .all(|i| matches!(i.outcome, ItemOutcome::Created { .. })),
        "{:?}",
        report.items
    );
    let copies = h.documents(2).await;
    assert!(copies.iter().all(|c| c["imported"] == true));
    assert!(originals.iter().all(|c| c.get("imported").is_none()));
    assert_eq!(by_name(copies), by_name(originals.clone()));
    let audited = atlas.audit_entries().unwrap().entries;
    assert!(
        audited.iter().all(|e| e.source_region_id.is_none()),
        "files, not regions"
    );
    let intents = audited.iter().filter(|e| e.outcome == "sending").count();
    let created = audited
        .iter()
        .filter(|e| e.outcome.starts_with("created"))
        .count();
    assert_eq!(
        (intents, created, audited.len()),
        (4, 4, 8),
        "every change is audited: its intent, then its outcome"
    );

    h.emulator.clear_request_log(2);
    let again = atlas
        .import_files("r2", &paths, false, &|_| {})
        .await
        .unwrap();
    assert!(
        again
            .items
            .iter()
            .all(|i| matches!(i.outcome, ItemOutcome::AlreadyThere { .. })),
        "{:?}",
        again.items
    );
    assert!(
        !h.log(2).iter().any(|l| l.starts_with("POST")),
        "a re-import sends no import: {:?}",
        h.log(2)
    );
    assert_eq!(h.documents(2).await.len(), 4);

    // A dry run into region 3 plans without changing anything.
    let dry = atlas
        .import_files("r3", &paths, true, &|_| {})
        .await
        .unwrap();
    assert!(dry
        .items
        .iter()
        .all(|i| i.outcome == ItemOutcome::WouldCreate));
    assert!(h.documents(3).await.is_empty());
}

#[tokio::test]
async fn an_identity_goes_to_the_wallet_and_comes_back_out_owner_only_and_encrypted() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let identity = &h.emulator.identities(1)[0];
    let path = out.path().join(format!("{}_identity.json", identity.name));
    std::fs::write(&path, serde_json::to_vec(identity).unwrap()).unwrap();

    let report = atlas
        .import_identities(std::slice::from_ref(&path), None)
        .unwrap();
    assert!(!report.refused, "{:?}", report.findings);
    assert_eq!(atlas.identities()[0].name, identity.name);
    let wallet_file = std::fs::read_to_string(config.path().join("wallet.json")).unwrap();
    assert!(!wallet_file.contains(&identity.private_key));

    let again = atlas.import_identities(&[path], None).unwrap();
    assert!(matches!(
        again.items[0].outcome,
        ItemOutcome::AlreadyThere { .. }
    ));

    let plain = atlas.export_identity(&identity.name, None).unwrap();
    let written = out.path().join("exported.json");
    files::write_export(&written, &plain.contents, true).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&written).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let passphrase = Secret::new("correct horse battery staple");
    let sealed = atlas
        .export_identity(&identity.name, Some(&passphrase))
        .unwrap();
    assert!(!String::from_utf8_lossy(&sealed.contents).contains(&identity.private_key));
    atlas.remove_identity(&identity.name).unwrap();
    let sealed_path = out.path().join(&sealed.file_name);
    std::fs::write(&sealed_path, &sealed.contents).unwrap();
    let refused = atlas
        .import_identities(std::slice::from_ref(&sealed_path), None)
        .unwrap();
    assert!(refused.refused && refused.findings[0].reason.contains("passphrase"));
    let opened = atlas
        .import_identities(&[sealed_path], Some(&passphrase))
        .unwrap();
    assert!(
        matches!(opened.items[0].outcome, ItemOutcome::Created { .. }),
        "{opened:?}"
    );
}

#[tokio::test]
async fn only_an_identity_that_chains_to_the_orgs_msp_becomes_its_admin_identity() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let admin = &h.emulator.identities(1)[0];
    let own = out.path().join("admin_identity.json");
    std::fs::write(&own, serde_json::to_vec(admin).unwrap()).unwrap();
    let foreign = corpus().join("org2admin_identity.json");
    let report = atlas.import_identities(&[own, foreign], None).unwrap();
    assert!(!report.refused, "{:?}", report.findings);

    let findings = atlas
        .associate_identity(&admin.name, "r1", "org1msp")
        .await
        .unwrap();
    assert!(
        !atlas_core::artifacts::has_errors(&findings),
        "{findings:?}"
    );
    let refused = atlas
        .associate_identity("org2admin", "r1", "org1msp")
        .await
        .unwrap();
    assert!(
        refused
            .iter()
            .any(|f| f.field == "cert" && f.reason.contains("is not issued by MSP 'Org1MSP'")),
        "{refused:?}"
    );
    let msp_of = |name: &str| {
        atlas
            .identities()
            .into_iter()
            .find(|i| i.name == name)
            .and_then(|i| i.msp_id)
    };
    assert_eq!(msp_of(&admin.name).as_deref(), Some("Org1MSP"));
    assert_eq!(msp_of("org2admin"), None);
}

/// A corpus certificate as the console holds it (base64 of the PEM).
fn pki_b64(name: &str) -> Value {
    let pem = std::fs::read(corpus_dir().join("pki").join(name)).unwrap();
    json!(base64::engine::general_purpose::STANDARD.encode(pem))
}

/// Exports every component of a region to `dir` and reads each file back as an import would:
/// no error finding. Answers the files.
async fn export_all_and_revalidate(
    h: &support::Harness,
    atlas: &Atlas,
    region: usize,
    dir: &Path,
) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for component in h.documents(region).await {
        let id = component["id"].as_str().unwrap();
        let file = atlas
            .export_component(&format!("r{region}"), id)
            .await
            .unwrap();
        if let Err(findings) =
            artifacts::read_file(&file.file_name, &file.contents, SystemTime::now())
        {
            panic!("r{region}: the export of {id} is refused: {findings:#?}");
        }
        let path = dir.join(&file.file_name);
        files::write_export(&path, &file.contents, false).unwrap();
        paths.push(path);
    }
    paths
}

/// (type, display name) of every component a region holds.
async fn kinds_and_names(h: &support::Harness, region: usize) -> BTreeSet<(String, String)> {
    h.documents(region)
        .await
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap().to_owned(),
                c["display_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Org3 of the corpus has every certificate below an intermediate CA (enrollment and TLS).
/// Its files import into a region as exactly its components, the intermediates kept (after
/// the roots of a CA or node: the console's v3 API has no other place for them); their exports
/// read back without an error and import again as already there; a transfer to another region
/// makes the same components, whose exports read back too; and its admin identity goes through
/// the wallet and is accepted as the admin identity of the MSP the console now holds.
#[tokio::test]
async fn intermediate_ca_files_round_trip_through_import_export_and_transfer() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let out2 = tempfile::tempdir().unwrap();
    let out3 = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let good = corpus_dir().join("good");
    let paths: Vec<PathBuf> = [
        "Org3 CA_ca.json",
        "Org3 MSP_msp.json",
        "Org3 Peer0_peer.json",
        "Org3 Ordering Service_orderer.json",
    ]
    .iter()
    .map(|n| good.join(n))
    .collect();
    let ca = atlas.ca_admin_status_in_file(&paths[0]).unwrap();
    assert!(atlas
        .save_ca_admins(&ca, &support::ca_credentials())
        .await
        .unwrap()
        .known());
    assert!(h.documents(2).await.is_empty() && h.documents(3).await.is_empty());

    let report = atlas
        .import_files("r2", &paths, false, &|_| {})
        .await
        .unwrap();
    assert!(!report.refused, "{:?}", report.findings);
    assert!(
        !artifacts::has_errors(&report.findings),
        "{:?}",
        report.findings
    );
    assert_eq!(report.items.len(), 5);
    assert!(
        report
            .items
            .iter()
            .all(|i| matches!(i.outcome, ItemOutcome::Created { .. })),
        "{:?}",
        report.items
    );
    let expected: BTreeSet<(String, String)> = [
        ("fabric-ca", "Org3 CA"),
        ("msp", "Org3 MSP"),
        ("fabric-peer", "Org3 Peer0"),
        ("fabric-orderer", "Org3 Orderer0"),
        ("fabric-orderer", "Org3 Orderer1"),
    ]
    .iter()
    .map(|(t, n)| (t.to_string(), n.to_string()))
    .collect();
    assert_eq!(kinds_and_names(&h, 2).await, expected);
    let ca_chain = json!([pki_b64("org3-ca.crt.pem"), pki_b64("org3-ica.crt.pem")]);
    let tls_chain = json!([
        pki_b64("org3-tlsca.crt.pem"),
        pki_b64("org3-tlsica.crt.pem")
    ]);
    for c in h.documents(2).await {
        if c["type"] == "msp" {
            assert_eq!(c["root_certs"], json!([pki_b64("org3-ca.crt.pem")]));
            assert_eq!(
                c["intermediate_certs"],
                json!([pki_b64("org3-ica.crt.pem")])
            );
            assert_eq!(
                c["tls_intermediate_certs"],
                json!([pki_b64("org3-tlsica.crt.pem")])
            );
        } else {
            assert_eq!(c["msp"]["ca"]["root_certs"], ca_chain, "{c}");
            assert_eq!(c["msp"]["tlsca"]["root_certs"], tls_chain, "{c}");
        }
    }

    let exported = export_all_and_revalidate(&h, &atlas, 2, out2.path()).await;
    assert_eq!(exported.len(), 5);
    let again = atlas
        .import_files("r2", &exported, false, &|_| {})
        .await
        .unwrap();
    assert!(!again.refused, "{:?}", again.findings);
    assert!(
        again
            .items
            .iter()
            .all(|i| matches!(i.outcome, ItemOutcome::AlreadyThere { .. })),
        "{:?}",
        again.items
    );
    assert_eq!(h.documents(2).await.len(), 5);

    let ids: Vec<String> = h
        .documents(2)
        .await
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let transfer = atlas
        .transfer(
            "r2",
            &ids,
            &["r3".to_owned()],
            false,
            &AtomicBool::new(false),
            &|_| {},
        )
        .await
        .unwrap();
    let target = &transfer.targets[0];
    assert_eq!(target.error, None);
    assert!(
        target
            .items
            .iter()
            .all(|i| matches!(i.outcome, ItemOutcome::Created { .. })),
        "{:?}",
        target.items
    );
    assert_eq!(kinds_and_names(&h, 3).await, expected);
    assert_eq!(by_name(h.documents(3).await), by_name(h.documents(2).await));
    export_all_and_revalidate(&h, &atlas, 3, out3.path()).await;

    // the org's admin identity: into the wallet, out again, and the admin of its MSP on r3
    let identity = good.join("org3admin_identity.json");
    let report = atlas.import_identities(&[identity], None).unwrap();
    assert!(!report.refused, "{:?}", report.findings);
    let file = atlas.export_identity("org3admin", None).unwrap();
    assert!(artifacts::read_file(&file.file_name, &file.contents, SystemTime::now()).is_ok());
    let msp = h
        .documents(3)
        .await
        .into_iter()
        .find(|c| c["type"] == "msp")
        .unwrap();
    let findings = atlas
        .associate_identity("org3admin", "r3", msp["id"].as_str().unwrap())
        .await
        .unwrap();
    assert!(findings.is_empty(), "{findings:?}");
}
