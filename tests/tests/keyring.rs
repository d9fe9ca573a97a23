//! The fleet with the real OS keyring (Secret Service under a private D-Bus session in CI).

use std::sync::Arc;

use atlas_core::atlas::{Atlas, AtlasOptions};
use atlas_core::fleet::{FleetStore, NewRegion};
use atlas_core::secrets::{KeyringStore, SecretKey, SecretStore};

#[tokio::test]
async fn an_added_region_keeps_its_secret_in_the_os_keyring_and_out_of_the_fleet_file() {
    let service = format!("fabric-atlas-it-{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let atlas = Atlas::open(
        FleetStore::in_dir(dir.path()),
        Arc::new(KeyringStore::with_service(&service)),
        AtlasOptions::default(),
    )
    .unwrap();
    let secret = "k3yr1ng-only-secret-value";
    atlas
        .add_region(NewRegion {
            name: "Toronto".into(),
            location: "ca-tor".into(),
            console_url: "https://console.toronto.example.org".into(),
            api_key: "kTorontoKey00001".into(),
            api_secret: secret.into(),
        })
        .unwrap();

    // A separate keyring client finds it: it is in the Secret Service, not in this process.
    let other = KeyringStore::with_service(&service);
    let key = SecretKey::console_api_secret("toronto");
    assert_eq!(other.get(&key).unwrap().unwrap().expose(), secret);
    let file = std::fs::read_to_string(dir.path().join("fleet.json")).unwrap();
    assert!(file.contains("kTorontoKey00001"));
    assert!(!file.contains(secret));

    atlas.remove_region("toronto").unwrap();
    assert!(
        other.get(&key).unwrap().is_none(),
        "removing a region removes its secret"
    );
}

#[tokio::test]
async fn a_wallet_identity_keeps_its_private_key_in_the_os_keyring_and_nowhere_on_disk() {
    use atlas_core::secrets::Secret;
    use console_emulator::{Emulator, EmulatorOptions, Limits, Scenario};

    let data = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorOptions {
        regions: 1,
        base_port: 0,
        data_dir: data.path().to_path_buf(),
        scenario: Scenario::Sandbox,
        limits: Limits::default(),
    })
    .await
    .unwrap();
    let identity = emulator.identities(1).remove(0);
    let incoming = tempfile::tempdir().unwrap();
    let file = incoming.path().join("admin_identity.json");
    std::fs::write(&file, serde_json::to_vec(&identity).unwrap()).unwrap();
    std::fs::remove_dir_all(data.path()).ok();

    let service = format!("fabric-atlas-wallet-it-{}", std::process::id());
    let config = tempfile::tempdir().unwrap();
    let atlas = Atlas::open(
        FleetStore::in_dir(config.path()),
        Arc::new(KeyringStore::with_service(&service)),
        AtlasOptions::default(),
    )
    .unwrap();
    let report = atlas.import_identities(&[file], None).unwrap();
    assert!(!report.refused, "{:?}", report.findings);
    std::fs::remove_dir_all(incoming.path()).unwrap();

    let other = KeyringStore::with_service(&service);
    let key = SecretKey::identity_private_key(&identity.name);
    let stored: Secret = other.get(&key).unwrap().expect("the key is in the keyring");
    assert!(!stored.expose().is_empty());

    // Neither the key as the file had it (base64) nor its PEM body is in any of the app's files.
    let pem_body = {
        use base64::Engine;
        let pem = base64::engine::general_purpose::STANDARD
            .decode(&identity.private_key)
            .unwrap();
        String::from_utf8(pem)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap()
            .to_owned()
    };
    for entry in std::fs::read_dir(config.path()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains(&identity.private_key),
            "{} holds the key",
            path.display()
        );
        assert!(
            !text.contains(&pem_body),
            "{} holds the key",
            path.display()
        );
    }
    atlas.remove_identity(&identity.name).unwrap();
    assert!(other.get(&key).unwrap().is_none());
}
