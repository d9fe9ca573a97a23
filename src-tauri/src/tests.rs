//! The commands through Tauri's IPC (mock runtime, no window): the `{code, message}` contract, the
//! sandbox default, and that secrets go in but never come back out. Secrets go to the real OS
//! keyring (Secret Service; the tests run under `scripts/with-keyring.sh`), under a service name
//! of each test's own.

use std::sync::Arc;
use std::time::{Duration, Instant};

use atlas_core::atlas::AtlasOptions;
use atlas_core::fleet::FleetStore;
use atlas_core::secrets::{KeyringStore, SecretKey, SecretStore};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow};

struct TestApp {
    app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    keyring: Arc<KeyringStore>,
    config: tempfile::TempDir,
    _data: tempfile::TempDir,
}

fn app() -> TestApp {
    let config = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let service = format!(
        "fabric-atlas-shell-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let keyring = Arc::new(KeyringStore::with_service(service));
    let app = super::setup(mock_builder())
        .build(mock_context(noop_assets()))
        .unwrap();
    super::start(
        app.handle(),
        FleetStore::in_dir(config.path()),
        keyring.clone(),
        data.path().to_path_buf(),
        AtlasOptions {
            state_dir: Some(data.path().join("state")),
            ..AtlasOptions::default()
        },
    )
    .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    TestApp {
        app,
        window,
        keyring,
        config,
        _data: data,
    }
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn with_no_console_configured_the_sandbox_shows_three_healthy_regions() {
    let t = app();
    let info = invoke(&t.window, "app_info", json!({})).unwrap();
    assert_eq!(info["sandbox"], json!(true));
    assert!(
        info.get("keyringProblem").is_none(),
        "the keyring keeps secrets: {info}"
    );
    // The sandbox's org admin is in the wallet, admin of its org on US East, from the start.
    let deadline = Instant::now() + Duration::from_secs(20);
    let admin = loop {
        let identities = invoke(&t.window, "list_identities", json!({})).unwrap();
        let admin = identities.as_array().unwrap().iter().find(|i| {
            i["adminOf"]
                .as_array()
                .is_some_and(|a| a.contains(&json!("sandbox-1")))
        });
        if let Some(admin) = admin {
            break admin.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no sandbox admin in the wallet: {identities}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(admin["mspId"], json!("Org1MSP"));
    let regions = invoke(&t.window, "list_regions", json!({})).unwrap();
    let names: Vec<&str> = regions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["US East", "US West", "Canada"]);
    assert!(regions
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["sandbox"] == json!(true)));
    assert_eq!(regions[2]["location"]["id"], json!("ca-central-1"));

    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let health = invoke(&t.window, "health_snapshot", json!({})).unwrap();
        let states: Vec<&str> = health["regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["state"].as_str().unwrap())
            .collect();
        if states == ["healthy", "healthy", "healthy"] {
            assert_eq!(
                health["regions"][0]["components"].as_array().unwrap().len(),
                4
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "sandbox never became healthy: {health}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn bad_input_is_refused_with_the_field_named_and_nothing_saved() {
    let t = app();
    let region = json!({
        "name": "Frankfurt", "location": "eu-central-1", "consoleUrl": "console.example.org",
        "apiKey": "kAbC", "apiSecret": "s3cr3t-value"
    });
    let err = invoke(&t.window, "add_region", json!({ "region": region })).unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"));
    assert_eq!(
        err["field"],
        json!("consoleUrl"),
        "the field is typed: {err}"
    );
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("field 'consoleUrl'"),
        "{err}"
    );
    assert!(!t.config.path().join("fleet.json").exists());

    let err = invoke(&t.window, "remove_region", json!({ "id": "sandbox-1" })).unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"));
    let err = invoke(&t.window, "remove_region", json!({ "id": "nope" })).unwrap_err();
    assert_eq!(err["code"], json!("not_found"));
    assert!(
        err.get("field").is_none(),
        "no field where none applies: {err}"
    );
}

#[test]
fn an_added_console_keeps_its_secret_in_the_keyring_only() {
    let t = app();
    let regions = invoke(&t.window, "list_regions", json!({})).unwrap();
    // Point the new region at the sandbox's second console, with a key we mint there.
    let url = regions[1]["consoleUrl"].as_str().unwrap().to_owned();
    let err = invoke(
        &t.window,
        "test_connection",
        json!({ "test": { "consoleUrl": url, "apiKey": "knope", "apiSecret": "wrong" } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], json!("unauthorized"));

    // The window hears what changed (and reloads it) instead of every caller refreshing by hand.
    let (heard, changes) = std::sync::mpsc::channel();
    t.app
        .listen_any(atlas_core::ipc::CHANGE_EVENT, move |event| {
            let _ = heard.send(event.payload().to_owned());
        });
    let added = invoke(
        &t.window,
        "add_region",
        json!({ "region": {
            "name": "Frankfurt", "location": "eu-central-1", "consoleUrl": url,
            "apiKey": "kFrankfurtKey01", "apiSecret": "s3cr3t-value-42"
        }}),
    )
    .unwrap();
    assert_eq!(added["id"], json!("frankfurt"));
    // (The sandbox's start may announce its wallet identity meanwhile: other changes may come.)
    let deadline = Instant::now() + Duration::from_secs(5);
    let heard_regions = std::iter::from_fn(|| {
        changes
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .ok()
    })
    .any(|change| change == "\"regions\"");
    assert!(heard_regions, "the window heard that the regions changed");
    assert!(!added.to_string().contains("s3cr3t-value-42"));
    let listed = invoke(&t.window, "list_regions", json!({})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 4);
    assert!(!listed.to_string().contains("s3cr3t-value-42"));

    // Filed in the OS keyring under this profile (the config dir's) own name.
    let profile = atlas_core::profile::profile_id(t.config.path()).unwrap();
    let key = SecretKey::console_api_secret("frankfurt").in_profile(&profile);
    let stored = t.keyring.get(&key).unwrap().unwrap();
    assert_eq!(stored.expose(), "s3cr3t-value-42");
    let file = std::fs::read_to_string(t.config.path().join("fleet.json")).unwrap();
    assert!(file.contains("kFrankfurtKey01") && !file.contains("s3cr3t-value-42"));

    invoke(&t.window, "remove_region", json!({ "id": "frankfurt" })).unwrap();
    assert!(t.keyring.get(&key).unwrap().is_none());
}

#[test]
fn a_component_exported_through_the_save_dialog_imports_into_another_region() {
    let t = app();
    let out = tempfile::tempdir().unwrap();
    // The dialog seam answers the save dialog (nextest runs each test in its own process).
    std::env::set_var(super::dialogs::TEST_SAVE_DIR_ENV, out.path());
    let exported = invoke(
        &t.window,
        "export_component",
        json!({ "regionId": "sandbox-1", "componentId": "org1msp" }),
    )
    .unwrap();
    assert_eq!(exported["fileName"], json!("Org1 MSP_msp.json"));
    let path = out.path().join("Org1 MSP_msp.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("{\n    \"admins\""),
        "console UI format: {text}"
    );

    let report = invoke(
        &t.window,
        "import_files",
        json!({ "regionId": "sandbox-3", "paths": [path], "dryRun": false, "onWait": "__CHANNEL__:2" }),
    )
    .unwrap();
    assert_eq!(report["refused"], json!(false), "{report}");
    assert_eq!(report["items"][0]["outcome"], json!("created"), "{report}");
    let audit = invoke(&t.window, "audit_log", json!({})).unwrap();
    assert_eq!(audit["entries"][0]["target"], json!("sandbox-3"));
    assert_eq!(audit["unreadableLines"], json!([]));

    let bad = out.path().join("broken_peer.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let refused = invoke(
        &t.window,
        "import_files",
        json!({ "regionId": "sandbox-3", "paths": [bad], "dryRun": false, "onWait": "__CHANNEL__:3" }),
    )
    .unwrap();
    assert_eq!(refused["refused"], json!(true));
    assert_eq!(refused["findings"][0]["file"], json!("broken_peer.json"));
}

#[test]
fn ca_admin_secrets_go_in_once_and_never_come_back_out() {
    let t = app();
    let copy = json!({ "operation": { "kind": "copy", "sourceRegionId": "sandbox-1",
        "componentIds": ["org1ca", "org1peer1"], "targetRegionIds": ["sandbox-2"] } });
    let before = invoke(&t.window, "plan_operation", copy.clone()).unwrap();
    let lacking = &before["casLackingAdmins"];
    assert_eq!(
        lacking.as_array().unwrap().len(),
        1,
        "only the CA: {before}"
    );
    assert_eq!(lacking[0]["componentId"], json!("org1ca"));
    let apply = |mut request: Value| {
        request["transferId"] = json!("t1");
        request["onEvent"] = json!("__CHANNEL__:1");
        invoke(&t.window, "apply_operation", request)
    };
    let refused = apply(copy.clone()).unwrap_err();
    assert_eq!(refused["field"], json!("caAdmins"), "{refused}");

    // The sandbox's CAs take their conventional bootstrap admin, admin / adminpw.
    let credentials = |secret: &str| {
        json!({ "ca": lacking[0], "credentials": {
            "caAdmin": { "enrollId": "admin", "enrollSecret": secret },
            "tlscaAdmin": { "enrollId": "admin", "enrollSecret": "adminpw" }
        }})
    };
    let err = invoke(&t.window, "save_ca_admins", credentials("")).unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"));
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("caAdmin.enrollSecret"));

    // Checked with the CA itself: a secret it refuses keeps nothing, and says which admin.
    let refused = invoke(&t.window, "save_ca_admins", credentials("wrong-42")).unwrap_err();
    assert_eq!(refused["field"], json!("caAdmin.enrollSecret"), "{refused}");
    assert!(!t.config.path().join("ca-admins.json").exists());

    let saved = invoke(&t.window, "save_ca_admins", credentials("adminpw")).unwrap();
    assert_eq!(saved["tlscaAdminEnrollId"], json!("admin"));
    assert_eq!(saved["verified"], json!(true), "{saved}");
    let after = invoke(&t.window, "plan_operation", copy).unwrap();
    assert_eq!(after["casLackingAdmins"], json!([]), "{after}");
    for answer in [&saved, &after] {
        let text = answer.to_string();
        assert!(!text.contains("adminpw"));
    }
    let file = std::fs::read_to_string(t.config.path().join("ca-admins.json")).unwrap();
    assert!(file.contains("\"admin\"") && !file.contains("adminpw"));
    assert!(
        !file.contains("PRIVATE KEY"),
        "the admins' keys are in the keyring"
    );

    let cancelled = invoke(
        &t.window,
        "cancel_transfer",
        json!({ "transferId": "none" }),
    )
    .unwrap();
    assert_eq!(cancelled, json!(false));
}

#[test]
fn the_posture_and_its_what_if_answer_through_ipc_and_a_placement_is_kept() {
    let t = app();
    let posture = invoke(&t.window, "posture", json!({ "lost": [] })).unwrap();
    assert_eq!(posture["survivesAnyOneRegion"], json!(false), "{posture}");
    assert_eq!(
        posture["whyNot"],
        json!(["without US East: Ordering Service loses quorum; Org1MSP has no peer left"])
    );
    let lost = invoke(&t.window, "posture", json!({ "lost": ["sandbox-1"] })).unwrap();
    assert_eq!(lost["lost"], json!(["sandbox-1"]));
    let codes: Vec<&str> = lost["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"quorum_lost"), "{codes:?}");
    assert!(codes.contains(&"peers_lost"), "{codes:?}");

    let key = invoke(
        &t.window,
        "place_node",
        json!({ "node": "grpcs://Peer9.example.com:7051", "regionId": "sandbox-2" }),
    )
    .unwrap();
    assert_eq!(key, json!("grpcs://peer9.example.com:7051"));
    let homes = std::fs::read_to_string(t.config.path().join("homes.json")).unwrap();
    assert!(
        homes.contains("\"grpcs://peer9.example.com:7051\": \"sandbox-2\""),
        "{homes}"
    );
    let err = invoke(
        &t.window,
        "place_node",
        json!({ "node": "grpcs://peer9.example.com:7051", "regionId": "nowhere" }),
    )
    .unwrap_err();
    assert_eq!(err["field"], json!("region"), "{err}");
}

#[test]
fn a_components_details_carry_its_recent_health_from_the_poller() {
    let t = app();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let details = invoke(
            &t.window,
            "component_details",
            json!({ "regionId": "sandbox-1", "componentId": "org1peer1" }),
        )
        .unwrap();
        assert_eq!(details["home"], json!("sandbox-1"), "{details}");
        assert_eq!(details["rule"], json!("own"));
        let runs = details["health"].as_array().unwrap();
        if let Some(latest) = runs.first() {
            assert_eq!(latest["status"], json!("ok"), "{details}");
            assert!(latest["toMs"].as_u64() >= latest["fromMs"].as_u64());
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no health result in the details: {details}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let err = invoke(
        &t.window,
        "component_details",
        json!({ "regionId": "sandbox-1", "componentId": "nosuch" }),
    )
    .unwrap_err();
    assert_eq!(err["code"], json!("not_found"));
}
