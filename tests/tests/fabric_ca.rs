//! The guide's step 4.1 against Fabric CA itself (the emulator's CA on its loopback port): the CA
//! admins enrolled when given, identities registered on both CAs, listed, and enrolled into the
//! wallet; every refusal; secrets and keys only in the keyring.

mod support;

use atlas_core::atlas::{RegisterOutcome, RegisterRequest};
use atlas_core::ca_admins::{CaAdminCredentials, EnrollCredentials};
use atlas_core::fabric_ca::CaAttribute;
use atlas_core::secrets::Secret;
use atlas_core::ErrorCode;

fn credentials(ca_secret: &str, tlsca_secret: &str) -> CaAdminCredentials {
    let one = |secret: &str| EnrollCredentials {
        enroll_id: "admin".into(),
        enroll_secret: secret.into(),
    };
    CaAdminCredentials {
        ca_admin: one(ca_secret),
        tlsca_admin: one(tlsca_secret),
    }
}

fn peer7() -> RegisterRequest {
    RegisterRequest {
        enroll_id: "peer7".into(),
        kind: "peer".into(),
        affiliation: Some("org1.department1".into()),
        max_enrollments: None,
        attrs: vec![CaAttribute {
            name: "app.role".into(),
            value: "endorser".into(),
            ecert: true,
        }],
        secret: None,
    }
}

/// Every file the profile wrote, as one text.
fn config_files(dir: &std::path::Path) -> String {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
        .collect()
}

#[tokio::test]
async fn the_ca_admins_are_enrolled_when_given_and_a_refusal_names_the_admin_and_keeps_nothing() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let ca = atlas.ca_admin_status("r1", "org1ca").await.unwrap();
    assert_eq!(ca.region_id.as_deref(), Some("r1"));

    let refused = atlas
        .save_ca_admins(&ca, &credentials("adminpw", "wrong"))
        .await
        .unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("tlscaAdmin.enrollSecret"));
    assert!(
        refused
            .message
            .contains("The TLS CA admin 'admin' was refused by Org1 CA's TLS CA (tlsca)"),
        "{}",
        refused.message
    );
    assert!(
        !config.path().join("ca-admins.json").exists(),
        "nothing kept"
    );

    let saved = atlas
        .save_ca_admins(&ca, &credentials("adminpw", "adminpw"))
        .await
        .unwrap();
    assert!(saved.known() && saved.verified, "{saved:?}");
    assert_eq!(saved.note, None);
    let files = config_files(config.path());
    assert!(
        files.contains("BEGIN CERTIFICATE"),
        "the admins' certificates are on file"
    );
    assert!(!files.contains("PRIVATE KEY") && !files.contains("adminpw"));

    let info = atlas.ca_info("r1", "org1ca").await.unwrap();
    assert_eq!(
        (info.ca.name.as_str(), info.tlsca.name.as_str()),
        ("ca", "tlsca")
    );
    assert!(!info.ca.chain.is_empty() && !info.tlsca.chain.is_empty());
}

#[tokio::test]
async fn a_peer_is_registered_on_both_cas_its_secret_kept_and_a_duplicate_is_said_so() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());

    // Without verified admins, nothing is asked of the CA.
    let unverified = atlas
        .register_identity("r1", "org1ca", &peer7())
        .await
        .unwrap_err();
    assert_eq!(unverified.field.as_deref(), Some("caAdmins"));

    h.keep_ca_admins(&atlas).await;
    let report = atlas
        .register_identity("r1", "org1ca", &peer7())
        .await
        .unwrap();
    let outcomes: Vec<(&str, RegisterOutcome)> = report
        .results
        .iter()
        .map(|r| (r.ca.as_str(), r.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("Org1 CA (ca)", RegisterOutcome::Registered),
            ("Org1 CA's TLS CA (tlsca)", RegisterOutcome::Registered),
        ]
    );
    assert!(report.secret_kept);
    let secret = atlas
        .registered_secret("r1", "org1ca", "peer7")
        .await
        .unwrap();
    assert_eq!(secret.expose().len(), 24, "made here");
    assert!(!config_files(config.path()).contains(secret.expose()));

    let listed = atlas.ca_identities("r1", "org1ca").await.unwrap();
    let peer = listed.iter().find(|i| i.id == "peer7").unwrap();
    assert_eq!(
        (peer.kind.as_str(), peer.affiliation.as_str()),
        ("peer", "org1.department1")
    );
    assert!(peer
        .attrs
        .iter()
        .any(|a| a.name == "app.role" && a.value == "endorser"));
    assert!(listed.iter().any(|i| i.id == "admin"));

    let again = atlas
        .register_identity("r1", "org1ca", &peer7())
        .await
        .unwrap();
    assert!(again
        .results
        .iter()
        .all(|r| r.outcome == RegisterOutcome::AlreadyRegistered));
    assert!(again.results[0]
        .message
        .as_deref()
        .unwrap()
        .contains("already registered"));
    assert!(!again.secret_kept);

    // A client is the enrollment CA's only.
    let client = RegisterRequest {
        enroll_id: "user1".into(),
        kind: "client".into(),
        ..peer7()
    };
    let report = atlas
        .register_identity("r1", "org1ca", &client)
        .await
        .unwrap();
    assert_eq!(report.results.len(), 1);

    let bad = RegisterRequest {
        kind: "superuser".into(),
        ..peer7()
    };
    let err = atlas
        .register_identity("r1", "org1ca", &bad)
        .await
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("kind"));
    let unknown_affiliation = RegisterRequest {
        enroll_id: "peer8".into(),
        affiliation: Some("org9".into()),
        ..peer7()
    };
    let report = atlas
        .register_identity("r1", "org1ca", &unknown_affiliation)
        .await
        .unwrap();
    assert!(report
        .results
        .iter()
        .all(|r| r.outcome == RegisterOutcome::Failed));
    assert!(report.results[0]
        .message
        .as_deref()
        .unwrap()
        .contains("Authorization failure"));
}

#[tokio::test]
async fn a_registered_identity_enrolls_into_the_wallet_checked_against_its_org() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    h.keep_ca_admins(&atlas).await;
    let admin2 = RegisterRequest {
        enroll_id: "org1admin2".into(),
        kind: "admin".into(),
        affiliation: None,
        max_enrollments: None,
        attrs: Vec::new(),
        secret: Some("admin2pw".into()),
    };
    atlas
        .register_identity("r1", "org1ca", &admin2)
        .await
        .unwrap();

    let wrong = atlas
        .enroll_into_wallet("r1", "org1ca", "org1admin2", &Secret::new("nope"), "admin2")
        .await
        .unwrap_err();
    assert_eq!(wrong.field.as_deref(), Some("enrollSecret"));
    assert!(atlas.identities().is_empty());

    let identity = atlas
        .enroll_into_wallet(
            "r1",
            "org1ca",
            "org1admin2",
            &Secret::new("admin2pw"),
            "admin2",
        )
        .await
        .unwrap();
    assert_eq!(identity.msp_id.as_deref(), Some("Org1MSP"));
    assert!(identity.subject.contains("org1admin2"), "{identity:?}");
    let wallet = std::fs::read_to_string(config.path().join("wallet.json")).unwrap();
    assert!(!wallet.contains("PRIVATE KEY"), "the key is in the keyring");
    let exported = atlas.export_identity("admin2", None).unwrap();
    assert!(
        String::from_utf8_lossy(&exported.contents).contains("private_key"),
        "the keyring gives the key back for an export"
    );

    let taken = atlas
        .enroll_into_wallet(
            "r1",
            "org1ca",
            "org1admin2",
            &Secret::new("admin2pw"),
            "admin2",
        )
        .await
        .unwrap_err();
    assert_eq!(taken.field.as_deref(), Some("walletName"));
}

#[tokio::test]
async fn a_ca_that_cannot_be_reached_is_named_with_its_url_and_its_admins_kept_unchecked() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    // Region 2 imports a CA whose server is nowhere to be reached from here.
    let mut ca = h.client(1).get_component("org1ca").await.unwrap().document;
    let body = serde_json::json!({ "display_name": "Far CA", "api_url": "https://127.0.0.1:1",
        "msp": ca["msp"].take() });
    let created = h
        .client(2)
        .import_component("fabric-ca", &body)
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();

    let err = atlas.ca_info("r2", id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Unreachable);
    assert!(
        err.message
            .contains("the CA at https://127.0.0.1:1 cannot be reached from this machine"),
        "{}",
        err.message
    );
    let status = atlas.ca_admin_status("r2", id).await.unwrap();
    let kept = atlas
        .save_ca_admins(&status, &credentials("adminpw", "adminpw"))
        .await
        .unwrap();
    assert!(kept.known() && !kept.verified);
    assert!(
        kept.note
            .as_deref()
            .unwrap()
            .contains("cannot be reached from this machine"),
        "{kept:?}"
    );
}

#[tokio::test]
async fn an_admin_whose_certificate_nears_its_end_is_re_enrolled_before_it_signs() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    h.keep_ca_admins(&atlas).await;
    let kept = || std::fs::read_to_string(config.path().join("ca-admins.json")).unwrap();
    let before = kept();

    // Every certificate the CA issues is within a renewal window of ten years.
    let renewing = h.atlas_with_options(
        config.path(),
        atlas_core::atlas::AtlasOptions {
            renew_ca_admins_within: std::time::Duration::from_secs(10 * 365 * 86_400),
            ..Default::default()
        },
    );
    let report = renewing
        .register_identity("r1", "org1ca", &peer7())
        .await
        .unwrap();
    assert!(report
        .results
        .iter()
        .all(|r| r.outcome == RegisterOutcome::Registered));
    let after = kept();
    assert_ne!(before, after, "both admins' certificates were renewed");
    assert!(!after.contains("PRIVATE KEY"));
    // The renewed identities sign: the default window now leaves them be, and they work.
    let listed = atlas.ca_identities("r1", "org1ca").await;
    assert!(listed.unwrap().iter().any(|i| i.id == "peer7"));
    assert_eq!(kept(), after);
}

#[tokio::test]
async fn the_client_reads_a_named_cas_info_affiliations_and_identities_and_a_non_registrar_is_refused(
) {
    use atlas_core::artifacts::pem;
    use atlas_core::fabric_ca::{self, CaError, CaSigner, FabricCaClient, Registration};
    let h = support::sandbox().await;
    let ca = &h.emulator.cas(1)[0];
    // TLS trusts the root of the CA's TLS certificate from its console record, nothing looser.
    let record = h.client(1).get_component(&ca.component_id).await.unwrap();
    let tls = record.document["msp"]["tlsca"]["root_certs"][0]
        .as_str()
        .unwrap();
    let decoded = pem::decode(tls).unwrap();
    let trust = pem::encode_pem("CERTIFICATE", &decoded.blocks[0].der);
    let client =
        FabricCaClient::new(&ca.api_url, &ca.ca_name, std::slice::from_ref(&trust)).unwrap();
    assert_eq!(client.cainfo().await.unwrap().ca_name, "ca");
    let untrusting = FabricCaClient::new(&ca.api_url, &ca.ca_name, &[]).unwrap();
    assert!(matches!(
        untrusting.cainfo().await,
        Err(CaError::Unreachable(why)) if why.contains("not one this app trusts")
    ));

    let enroll = |id: &'static str, secret: &'static str| {
        let client = &client;
        async move {
            let (key, csr) = fabric_ca::new_key_and_csr(id).unwrap();
            let enrolled = client
                .enroll(id, &Secret::new(secret), &csr, None, &[])
                .await
                .unwrap();
            CaSigner {
                cert_pem: enrolled.cert_pem,
                key,
            }
        }
    };
    let admin = enroll("admin", "adminpw").await;
    let tree = client.affiliations(&admin).await.unwrap();
    assert_eq!(
        tree.names(),
        [
            "org1",
            "org1.department1",
            "org1.department2",
            "org2",
            "org2.department1"
        ]
    );
    let me = client.identity(&admin, "admin").await.unwrap();
    assert!(me.attrs.iter().any(|a| a.name == "hf.Registrar.Roles"));
    assert_eq!(
        client.identity(&admin, "nobody").await.unwrap_err().code(),
        Some(63)
    );

    // A peer is no registrar: the CA refuses it what only registrars may do.
    let peer = Registration {
        id: "peer9".into(),
        kind: "peer".into(),
        affiliation: "org1".into(),
        max_enrollments: None,
        attrs: Vec::new(),
        secret: Some(Secret::new("peer9pw")),
    };
    client.register(&admin, &peer).await.unwrap();
    let peer9 = enroll("peer9", "peer9pw").await;
    let refused = client.identities(&peer9).await.unwrap_err();
    assert!(
        matches!(
            &refused,
            CaError::Refused {
                status: 403,
                code: 71,
                ..
            }
        ),
        "{refused:?}"
    );
    // The TLS CA does not know an identity of the enrollment CA: the token is refused.
    let tlsca = FabricCaClient::new(&ca.api_url, &ca.tlsca_name, &[trust]).unwrap();
    assert_eq!(tlsca.identities(&admin).await.unwrap_err().code(), Some(20));
}
