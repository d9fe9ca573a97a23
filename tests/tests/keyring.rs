//! The fleet with the real OS keyring (Secret Service under a private D-Bus session in CI).

use std::sync::Arc;

use atlas_core::atlas::{Atlas, AtlasOptions};
use atlas_core::fleet::{FleetStore, NewRegion};
use atlas_core::profile::profile_id;
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
            allow_insecure_http: None,
            trusted_certificate: None,
        })
        .unwrap();

    // A separate keyring client finds it: it is in the Secret Service, not in this process,
    // filed under this profile's own name (and only there).
    let other = KeyringStore::with_service(&service);
    let unscoped = SecretKey::console_api_secret("toronto");
    let key = unscoped.in_profile(&profile_id(dir.path()).unwrap());
    assert_eq!(other.get(&key).unwrap().unwrap().expose(), secret);
    assert!(other.get(&unscoped).unwrap().is_none());
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

    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox_console(data.path()).await;
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
    let key = SecretKey::identity_private_key(&identity.name)
        .in_profile(&profile_id(config.path()).unwrap());
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

#[tokio::test]
async fn two_profiles_with_a_region_of_one_name_never_touch_each_others_secret() {
    let service = format!("fabric-atlas-profiles-it-{}", std::process::id());
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let open = |dir: &std::path::Path| {
        Atlas::open(
            FleetStore::in_dir(dir),
            Arc::new(KeyringStore::with_service(&service)),
            AtlasOptions {
                state_dir: Some(dir.join("state")),
                ..AtlasOptions::default()
            },
        )
        .unwrap()
    };
    let region = |secret: &str| NewRegion {
        name: "Toronto".into(),
        location: "ca-tor".into(),
        console_url: "https://console.toronto.example.org".into(),
        api_key: "kTorontoKey00001".into(),
        api_secret: secret.into(),
        allow_insecure_http: None,
        trusted_certificate: None,
    };
    let (in_a, in_b) = (open(a.path()), open(b.path()));
    in_a.add_region(region("secret-of-a")).unwrap();
    in_b.add_region(region("secret-of-b")).unwrap();
    in_b.remove_region("toronto").unwrap();

    let keyring = KeyringStore::with_service(&service);
    let of = |dir: &std::path::Path| {
        let key = SecretKey::console_api_secret("toronto").in_profile(&profile_id(dir).unwrap());
        keyring.get(&key).unwrap().map(|s| s.expose().to_owned())
    };
    assert_eq!(
        of(a.path()).as_deref(),
        Some("secret-of-a"),
        "B's add and remove left A's secret"
    );
    assert_eq!(of(b.path()), None);
    in_a.remove_region("toronto").unwrap();
    assert_eq!(of(a.path()), None);
}

/// A configured region whose secret is not in this machine's keyring (a config synced from
/// another machine, a keyring reset) does not stop the app: the region says what is missing,
/// nothing is sent to its console, and once the secret is entered it is polled.
#[tokio::test]
async fn a_region_without_its_secret_opens_shows_why_and_recovers_when_it_is_given() {
    use atlas_core::health::HealthState;

    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox_console(data.path()).await;
    let info = emulator.regions()[0].clone();
    let dir = tempfile::tempdir().unwrap();
    // The fleet file as another machine wrote it: the region, and no secret here.
    std::fs::write(
        dir.path().join("fleet.json"),
        serde_json::json!({"version": 1, "regions": [{
            "id": "east", "name": "East", "location": "us-east-1",
            "consoleUrl": info.console_url, "apiKey": info.api_key,
        }]})
        .to_string(),
    )
    .unwrap();
    let service = format!("fabric-atlas-it-nosecret-{}", std::process::id());
    let atlas = Atlas::open(
        FleetStore::in_dir(dir.path()),
        Arc::new(KeyringStore::with_service(&service)),
        AtlasOptions {
            poll_interval: std::time::Duration::from_millis(50),
            state_dir: Some(dir.path().join("state")),
            ..AtlasOptions::default()
        },
    )
    .unwrap();
    atlas.start_polling().expect("the app opens");
    let east = atlas
        .health()
        .regions
        .into_iter()
        .find(|r| r.region_id == "east")
        .unwrap();
    assert_eq!(east.state, HealthState::NoSecret);
    assert!(east
        .message
        .unwrap()
        .contains("atlas region set-secret east"));
    assert!(emulator.request_log(1).is_empty(), "nothing was sent");

    atlas.set_region_secret("east", &info.api_secret).unwrap();
    let mut health = atlas.subscribe_health();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        health.wait_for(|h| {
            h.regions
                .iter()
                .any(|r| r.region_id == "east" && r.state == HealthState::Healthy)
        }),
    )
    .await
    .expect("polled once the secret is in")
    .unwrap();
    let _ = KeyringStore::with_service(&service).remove(
        &SecretKey::console_api_secret("east").in_profile(&profile_id(dir.path()).unwrap()),
    );
}

/// One sandbox console (region 1 of the emulator's sandbox) on loopback.
async fn sandbox_console(dir: &std::path::Path) -> console_emulator::Emulator {
    use console_emulator::{Emulator, EmulatorOptions, Limits, Scenario};
    Emulator::start(EmulatorOptions {
        regions: 1,
        base_port: 0,
        data_dir: dir.to_path_buf(),
        scenario: Scenario::Sandbox,
        limits: Limits::default(),
    })
    .await
    .unwrap()
}

/// The sandbox's org admin is in the wallet from the sandbox's first start (its key in the OS
/// keyring like any identity), once however often the sandbox starts, and leaves with it.
#[tokio::test]
async fn the_sandbox_identities_come_with_the_sandbox_and_leave_with_it() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox_console(data.path()).await;
    let files: Vec<(String, Vec<u8>)> = emulator
        .identities(1)
        .into_iter()
        .map(|f| {
            (
                format!("{}_identity.json", f.name),
                serde_json::to_vec(&f).unwrap(),
            )
        })
        .collect();
    let service = format!("fabric-atlas-it-sandbox-ids-{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let atlas = Atlas::open(
        FleetStore::in_dir(dir.path()),
        Arc::new(KeyringStore::with_service(&service)),
        AtlasOptions {
            state_dir: Some(dir.path().join("state")),
            ..AtlasOptions::default()
        },
    )
    .unwrap();
    let names = atlas.add_sandbox_identities(&files).unwrap();
    assert_eq!(names.len(), 1);
    assert_eq!(atlas.add_sandbox_identities(&files).unwrap(), names, "once");
    let listed =
        |atlas: &Atlas| -> Vec<String> { atlas.identities().into_iter().map(|i| i.name).collect() };
    assert_eq!(listed(&atlas), names);
    let key =
        SecretKey::identity_private_key(&names[0]).in_profile(&profile_id(dir.path()).unwrap());
    assert!(KeyringStore::with_service(&service)
        .get(&key)
        .unwrap()
        .is_some());

    atlas.forget_sandbox_identities().unwrap();
    assert!(listed(&atlas).is_empty());
    assert!(KeyringStore::with_service(&service)
        .get(&key)
        .unwrap()
        .is_none());
}
