//! The fleet with the real OS keyring (Secret Service under a private D-Bus session in CI).

use std::sync::Arc;
use std::time::Duration;

use atlas_core::atlas::Atlas;
use atlas_core::fleet::{FleetStore, NewRegion};
use atlas_core::secrets::{KeyringStore, SecretKey, SecretStore};

#[tokio::test]
#[ignore = "needs a Secret Service (run under scripts/with-keyring.sh)"]
async fn an_added_region_keeps_its_secret_in_the_os_keyring_and_out_of_the_fleet_file() {
    let service = format!("fabric-atlas-it-{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let atlas = Atlas::open(
        FleetStore::in_dir(dir.path()),
        Arc::new(KeyringStore::with_service(&service)),
        Duration::from_secs(60),
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
