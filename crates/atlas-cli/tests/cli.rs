//! The `atlas` binary as a script would use it, against the console emulator on loopback.

use std::process::{Command, Output};

use atlas_core::profile::profile_id;
use atlas_core::secrets::{KeyringStore, SecretKey, SecretStore};
use console_emulator::{Emulator, EmulatorOptions, Limits, RegionInfo, Scenario};

struct Env {
    config: tempfile::TempDir,
    service: String,
}

impl Env {
    fn new() -> Self {
        Self {
            config: tempfile::tempdir().unwrap(),
            service: format!(
                "fabric-atlas-cli-test-{}-{}",
                std::process::id(),
                rand_suffix()
            ),
        }
    }

    fn atlas(&self, args: &[&str], secret: Option<&str>) -> Output {
        self.command(args, secret).output().unwrap()
    }

    /// `atlas` with this profile, its own keyring service and state dir (shared by the runs of
    /// one test, as every process of one user shares it).
    fn command(&self, args: &[&str], secret: Option<&str>) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_atlas"));
        cmd.arg("--config-dir")
            .arg(self.config.path())
            .args(args)
            .env("FABRIC_ATLAS_KEYRING_SERVICE", &self.service)
            .env("FABRIC_ATLAS_STATE_DIR", self.config.path().join("state"))
            .env_remove("ATLAS_TEST_SECRET");
        if let Some(secret) = secret {
            cmd.env("ATLAS_TEST_SECRET", secret);
        }
        cmd
    }
}

impl Env {
    /// The app on this profile: its own process in real life, with the same config dir, state
    /// dir and keyring entries as the `atlas` runs; it polls every 50 ms once started.
    fn app(&self) -> atlas_core::atlas::Atlas {
        use atlas_core::atlas::{Atlas, AtlasOptions};
        use atlas_core::fleet::FleetStore;
        Atlas::open(
            FleetStore::in_dir(self.config.path()),
            std::sync::Arc::new(KeyringStore::with_service(self.service.clone())),
            AtlasOptions {
                poll_interval: std::time::Duration::from_millis(50),
                state_dir: Some(self.config.path().join("state")),
                ..AtlasOptions::default()
            },
        )
        .unwrap()
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The emulator's two consoles as regions `east` and `west`.
fn add_regions(env: &Env, emulator: &Emulator) {
    for (info, name) in emulator.regions().iter().zip(["East", "West"]) {
        let added = add_region(env, name, info, &info.api_secret);
        assert!(added.status.success(), "{}", text(&added.stderr));
    }
}

/// `atlas export` of one of region `east`'s components into the empty dir `dir`: the file.
fn export_from_east(env: &Env, component: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let to = dir.to_str().unwrap();
    let exported = env.atlas(
        &["export", "east", "--component", component, "-o", to],
        None,
    );
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let mut files = std::fs::read_dir(dir).unwrap();
    let file = files.next().expect("one file").unwrap().path();
    assert!(files.next().is_none(), "one file only");
    file
}

/// `atlas region add` of an emulator console, with `secret` (right or not).
fn add_region(env: &Env, name: &str, info: &RegionInfo, secret: &str) -> Output {
    env.atlas(
        &[
            "region",
            "add",
            "--name",
            name,
            "--location",
            "us-east-1",
            "--url",
            &info.console_url,
            "--api-key",
            &info.api_key,
            "--secret-env",
            "ATLAS_TEST_SECRET",
        ],
        Some(secret),
    )
}

async fn sandbox(dir: &std::path::Path) -> Emulator {
    Emulator::start(EmulatorOptions {
        regions: 2,
        base_port: 0,
        data_dir: dir.to_path_buf(),
        scenario: Scenario::Sandbox,
        limits: Limits::default(),
    })
    .await
    .unwrap()
}

#[test]
fn bad_input_exits_1_names_the_field_and_writes_nothing() {
    let env = Env::new();
    let out = env.atlas(
        &[
            "region",
            "add",
            "--name",
            "East",
            "--location",
            "us-east-1",
            "--url",
            "console.example.org",
            "--api-key",
            "k1",
            "--secret-env",
            "ATLAS_TEST_SECRET",
        ],
        Some("s3cr3t"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("field 'consoleUrl'"),
        "{}",
        text(&out.stderr)
    );
    assert!(!env.config.path().join("fleet.json").exists());

    let out = env.atlas(&["components", "nowhere"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no region 'nowhere'"));

    let out = env.atlas(&["region", "frobnicate"], None);
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
}

#[tokio::test(flavor = "multi_thread")]
async fn add_list_components_remove_with_the_secret_in_the_keyring() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let info = emulator.regions()[0].clone();
    let env = Env::new();

    let out = add_region(&env, "US East", &info, &info.api_secret);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("added region 'us-east'"));
    let fleet = std::fs::read_to_string(env.config.path().join("fleet.json")).unwrap();
    assert!(
        !fleet.contains(&info.api_secret),
        "the secret is not in the fleet file"
    );

    let out = env.atlas(&["--json", "region", "list"], None);
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["id"], "us-east");

    let out = env.atlas(&["components", "us-east"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    for name in [
        "Org1 CA",
        "Org1 MSP",
        "Org1 Peer1",
        "Ordering Service Node 1",
    ] {
        assert!(table.contains(name), "{table}");
    }

    emulator.set_down(1, true);
    let out = env.atlas(&["components", "us-east"], None);
    assert_eq!(
        out.status.code(),
        Some(3),
        "unreachable: {}",
        text(&out.stderr)
    );
    emulator.set_down(1, false);

    let out = env.atlas(&["region", "remove", "us-east"], None);
    assert!(out.status.success());
    let out = env.atlas(&["components", "us-east"], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_region_whose_secret_is_not_in_the_keyring_exits_4() {
    let env = Env::new();
    std::fs::write(
        env.config.path().join("fleet.json"),
        serde_json::json!({ "version": 1, "regions": [{
            "id": "east", "name": "East", "location": "us-east-1",
            "consoleUrl": "http://127.0.0.1:9", "apiKey": "kEast"
        }]})
        .to_string(),
    )
    .unwrap();
    let out = env.atlas(&["components", "east"], None);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("keyring"),
        "{}",
        text(&out.stderr)
    );
}

fn corpus(file: &str) -> String {
    format!(
        "{}/../atlas-core/tests/corpus/{file}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn validate_exits_0_for_good_files_and_1_naming_file_and_field_for_bad_ones() {
    let env = Env::new();
    let good = std::fs::read_dir(corpus("good"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap();
    let out = env.atlas(&["validate", good.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let out = env.atlas(&["validate", &corpus("bad/missing_msp_id_peer.json")], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("missing_msp_id_peer.json: msp_id:"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn export_import_dry_run_reimport_wallet_and_audit_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);
    let file = export_from_east(&env, "org1peer1", out.path());
    assert!(file.ends_with("Org1 Peer1_peer.json"), "{}", file.display());
    let file = file.to_str().unwrap();

    let dry = env.atlas(&["import", "west", file, "--dry-run"], None);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(text(&dry.stdout).contains("would create"));
    assert!(!emulator.request_log(2).iter().any(|r| r.method == "POST"));

    let first = env.atlas(&["import", "west", file], None);
    assert!(
        text(&first.stdout).contains("created org1peer1"),
        "{}",
        text(&first.stdout)
    );
    let again = env.atlas(&["--json", "import", "west", file], None);
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["items"][0]["outcome"], "already_there");

    let zip = out.path().join("east.zip");
    let bulk = env.atlas(&["export", "east", "-o", zip.to_str().unwrap()], None);
    assert!(
        bulk.status.success() && zip.exists(),
        "{}",
        text(&bulk.stderr)
    );

    let identity = &emulator.identities(1)[0];
    let id_file = out.path().join("admin_identity.json");
    std::fs::write(&id_file, serde_json::to_vec(identity).unwrap()).unwrap();
    let imported = env.atlas(&["wallet", "import", id_file.to_str().unwrap()], None);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let listed = env.atlas(&["wallet", "list"], None);
    assert!(text(&listed.stdout).contains(&identity.name));
    let back = out.path().join("back.json");
    let exported = env.atlas(
        &[
            "wallet",
            "export",
            &identity.name,
            "-o",
            back.to_str().unwrap(),
        ],
        None,
    );
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&back).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    let audit = env.atlas(&["--json", "audit"], None);
    let entries: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    let outcomes: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            "sending",
            "created org1peer1",
            "already there as org1peer1; skipped"
        ],
        "the intent before the import, its outcome after"
    );

    let moved = env.atlas(
        &["transfer", "east", "org1msp", "org1peer1", "--to", "west"],
        None,
    );
    let table = text(&moved.stdout);
    assert!(moved.status.success(), "{table}{}", text(&moved.stderr));
    assert!(
        table.contains("created org1msp") && table.contains("already there as org1peer1"),
        "{table}"
    );
    let refused = env.atlas(&["transfer", "east", "org1msp", "--to", "east"], None);
    assert_eq!(refused.status.code(), Some(1));

    // The org's CA goes only with its admin credentials.
    let kept = env.atlas(
        &[
            "ca-admin",
            "set",
            "east",
            "org1ca",
            "--ca-admin",
            "admin",
            "--tlsca-admin",
            "admin",
            "--ca-admin-secret-env",
            "ATLAS_TEST_SECRET",
            "--tlsca-admin-secret-env",
            "ATLAS_TEST_SECRET",
        ],
        Some("adminpw"),
    );
    assert!(kept.status.success(), "{}", text(&kept.stderr));
    let replicated = env.atlas(
        &["replicate", "east", "--msp-id", "Org1MSP", "--to", "west"],
        None,
    );
    let table = text(&replicated.stdout);
    assert!(
        table.contains("created org1ca") && table.contains("already there as org1msp"),
        "{table}"
    );
    let admin = env.atlas(
        &["wallet", "associate", &identity.name, "--region", "west"],
        None,
    );
    assert!(
        text(&admin.stdout).contains("Org1MSP's admin identity on West"),
        "{}{}",
        text(&admin.stdout),
        text(&admin.stderr)
    );
    let plan = env.atlas(&["mesh", "--dry-run"], None);
    let table = text(&plan.stdout);
    assert!(
        plan.status.success() && table.contains("would create"),
        "{table}"
    );
    let meshed = env.atlas(&["mesh"], None);
    assert!(meshed.status.success(), "{}", text(&meshed.stdout));
    let again = env.atlas(&["--json", "mesh"], None);
    let targets: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    let outcomes: Vec<&str> = targets
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["items"].as_array().unwrap())
        .map(|i| i["outcome"].as_str().unwrap())
        .collect();
    assert!(
        !outcomes.is_empty() && outcomes.iter().all(|o| *o == "already_there"),
        "{outcomes:?}"
    );
    // People read the audit by names and times (ids and milliseconds are in --json), and a
    // removed region keeps the name it had.
    let removed = env.atlas(&["region", "remove", "west"], None);
    assert!(removed.status.success(), "{}", text(&removed.stderr));
    let audit = text(&env.atlas(&["audit"], None).stdout);
    let header = audit.lines().next().unwrap();
    assert!(header.starts_with("AT (UTC)"), "{header}");
    let copied = audit
        .lines()
        .find(|l| l.contains("created org1msp"))
        .unwrap_or_else(|| panic!("{audit}"));
    assert!(
        copied.contains("East") && copied.contains("West (removed)"),
        "{copied}"
    );
    assert!(
        !copied.contains(" east ") && !copied.contains(" on east"),
        "{copied}"
    );
    let year = copied.split('-').next().unwrap();
    assert!(year.len() == 4 && year.starts_with("20"), "{copied}");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_audit_log_to_write_nothing_is_sent_and_the_command_exits_4() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);
    // The audit log cannot be written (here: a directory stands where the file goes).
    std::fs::create_dir_all(env.config.path().join("audit.jsonl")).unwrap();
    emulator.clear_request_log(2);

    let copied = env.atlas(&["transfer", "east", "org1peer1", "--to", "west"], None);
    assert_eq!(copied.status.code(), Some(4), "{}", text(&copied.stderr));
    assert!(
        text(&copied.stderr).contains("audit.jsonl"),
        "{}",
        text(&copied.stderr)
    );
    let out = tempfile::tempdir().unwrap();
    let file = export_from_east(&env, "org1peer1", out.path());
    let imported = env.atlas(&["import", "west", file.to_str().unwrap()], None);
    assert_eq!(
        imported.status.code(),
        Some(4),
        "{}",
        text(&imported.stderr)
    );
    assert!(
        !emulator.request_log(2).iter().any(|r| r.method != "GET"),
        "nothing was sent: {:?}",
        emulator.request_log(2)
    );
}

/// A sandbox emulator and a profile whose region `east` has a secret its console refuses.
async fn east_with_a_revoked_key(dir: &std::path::Path) -> (Emulator, Env, RegionInfo) {
    let emulator = sandbox(dir).await;
    let info = emulator.regions()[0].clone();
    let env = Env::new();
    let added = add_region(&env, "East", &info, "a-revoked-secret");
    assert!(added.status.success(), "{}", text(&added.stderr));
    (emulator, env, info)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_secret_is_sent_once_across_runs_and_never_locks_the_console_out() {
    let data = tempfile::tempdir().unwrap();
    let (emulator, env, info) = east_with_a_revoked_key(data.path()).await;

    for _ in 0..10 {
        let run = env.atlas(&["components", "east"], None);
        assert!(!run.status.success());
        let said = text(&run.stderr);
        assert!(
            said.contains("refused") && !said.contains("locked out"),
            "{said}"
        );
    }
    let refused = |log: &[console_emulator::LoggedRequest], status| {
        log.iter().filter(|r| r.status == status).count()
    };
    let log = emulator.request_log(1);
    assert_eq!(refused(&log, 401), 1, "the secret was sent once: {log:?}");
    assert_eq!(refused(&log, 402), 0, "never locked out: {log:?}");
    let last = env.atlas(&["components", "east"], None);
    assert!(
        text(&last.stderr).contains("atlas region set-secret"),
        "{}",
        text(&last.stderr)
    );

    let set = env.atlas(
        &[
            "region",
            "set-secret",
            "east",
            "--secret-env",
            "ATLAS_TEST_SECRET",
        ],
        Some(&info.api_secret),
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    let served = env.atlas(&["components", "east"], None);
    assert!(served.status.success(), "{}", text(&served.stderr));
    assert_eq!(refused(&emulator.request_log(1), 402), 0);
}

/// The app polling a region whose key the console revoked, and ten `atlas` runs started at
/// once: credentials not yet accepted go out one first try at a time across processes, so the
/// console sees one refused request from this machine, and never locks it out.
#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_key_is_refused_once_with_the_app_polling_and_ten_runs_at_once() {
    use atlas_core::health::HealthState;

    let data = tempfile::tempdir().unwrap();
    let (emulator, env, _) = east_with_a_revoked_key(data.path()).await;
    emulator.clear_request_log(1);

    let app = env.app();
    let runs: Vec<_> = (0..10)
        .map(|_| env.command(&["components", "east"], None).spawn().unwrap())
        .collect();
    app.start_polling().unwrap();
    for run in runs {
        let out = run.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    }
    let mut health = app.subscribe_health();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        health.wait_for(|h| {
            h.regions
                .iter()
                .any(|r| r.state == HealthState::Unauthorized)
        }),
    )
    .await
    .expect("the app shows the key refused")
    .unwrap();
    let log = emulator.request_log(1);
    let status = |s| log.iter().filter(|r| r.status == s).count();
    assert_eq!(
        status(401),
        1,
        "one refused request from this machine: {log:?}"
    );
    assert_eq!(status(402), 0, "{log:?}");
}

#[test]
fn concurrent_region_adds_all_survive_with_their_secrets() {
    let env = Env::new();
    const ADDS: usize = 20;
    let runs: Vec<_> = (0..ADDS)
        .map(|i| {
            let (name, url, key) = (
                format!("Region {i}"),
                format!("https://console{i}.example.com"),
                format!("key{i}"),
            );
            env.command(
                &[
                    "region",
                    "add",
                    "--name",
                    &name,
                    "--location",
                    "us-east-1",
                    "--url",
                    &url,
                    "--api-key",
                    &key,
                    "--secret-env",
                    "ATLAS_TEST_SECRET",
                ],
                Some(&format!("secret-{i}")),
            )
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for run in runs {
        let output = run.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let listed = env.atlas(&["--json", "region", "list"], None);
    let regions: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let regions = regions.as_array().unwrap();
    assert_eq!(
        regions.len(),
        ADDS,
        "every add is in fleet.json: {regions:?}"
    );
    let keyring = KeyringStore::with_service(env.service.clone());
    let profile = profile_id(env.config.path()).unwrap();
    for region in regions {
        let id = region["id"].as_str().unwrap();
        let name = region["name"].as_str().unwrap();
        let key = SecretKey::console_api_secret(id).in_profile(&profile);
        let secret = keyring
            .get(&key)
            .unwrap()
            .unwrap_or_else(|| panic!("no secret for {id}"));
        let index = name.trim_start_matches("Region ");
        assert_eq!(secret.expose(), format!("secret-{index}"), "{id}");
        keyring.remove(&key).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_runs_of_one_transfer_leave_exactly_one_copy_and_the_others_find_it_there() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);
    // Every answer of the target takes a while, so the runs' plans and imports overlap.
    emulator.set_latency(2, std::time::Duration::from_millis(150));
    const RUNS: usize = 5;
    let runs: Vec<_> = (0..RUNS)
        .map(|_| {
            env.command(&["transfer", "east", "org1peer1", "--to", "west"], None)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<Output> = runs
        .into_iter()
        .map(|run| run.wait_with_output().unwrap())
        .collect();
    for output in &outputs {
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let said = |what: &str| {
        outputs
            .iter()
            .filter(|o| text(&o.stdout).contains(what))
            .count()
    };
    assert_eq!(said("created"), 1, "one run created the peer");
    assert_eq!(said("already there"), RUNS - 1, "the others found it there");
    let west = env.atlas(&["--json", "components", "west"], None);
    let held: serde_json::Value = serde_json::from_slice(&west.stdout).unwrap();
    let peers = held
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "peer" || c["type"] == "fabric-peer")
        .count();
    assert_eq!(peers, 1, "exactly one copy on the console: {held}");
    let imports = emulator
        .request_log(2)
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(imports, 1, "one import request reached the console");
    let agent = format!("FabricAtlas/{} (cli)", env!("CARGO_PKG_VERSION"));
    assert!(
        emulator
            .request_log(2)
            .iter()
            .all(|r| r.user_agent == agent),
        "every request names the command line: {:?}",
        emulator.request_log(2)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ca_file_is_imported_only_once_its_admin_credentials_are_set_from_the_file() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);
    let file = export_from_east(&env, "org1ca", out.path());
    let file = file.to_str().unwrap();

    let refused = env.atlas(&["import", "west", file], None);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stdout));
    assert!(
        text(&refused.stderr).contains("atlas ca-admin set --file"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!emulator.request_log(2).iter().any(|r| r.method == "POST"));

    let set = env.atlas(
        &[
            "ca-admin",
            "set",
            "--file",
            file,
            "--ca-admin",
            "admin",
            "--tlsca-admin",
            "admin",
            "--ca-admin-secret-env",
            "ATLAS_TEST_SECRET",
            "--tlsca-admin-secret-env",
            "ATLAS_TEST_SECRET",
        ],
        Some("adminpw"),
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    let imported = env.atlas(&["import", "west", file], None);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(
        text(&imported.stdout).contains("created"),
        "{}",
        text(&imported.stdout)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ca_admin_credentials_are_set_once_from_the_command_line_and_never_printed() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);
    // Adding a region from the command line goes through the app's service but never polls it.
    assert!(emulator.request_log(1).is_empty() && emulator.request_log(2).is_empty());
    // The emulator's CAs take their conventional bootstrap admin, admin / adminpw.
    const SECRET: &str = "adminpw";

    // A CA is only copied with its admin credentials: the plan says so, a script is told how to
    // give them, and nothing reaches the target console.
    let plan = env.atlas(
        &[
            "--json",
            "transfer",
            "east",
            "org1ca",
            "--to",
            "west",
            "--dry-run",
        ],
        None,
    );
    assert_eq!(plan.status.code(), Some(1), "{}", text(&plan.stderr));
    let planned: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    assert_eq!(planned["casLackingAdmins"][0]["componentId"], "org1ca");
    assert_eq!(
        planned["targets"][0]["items"][0]["outcome"], "would_create",
        "{planned}"
    );
    assert!(text(&plan.stderr).contains("atlas ca-admin set east org1ca"));
    let copied = env.atlas(&["transfer", "east", "org1ca", "--to", "west"], None);
    assert_eq!(copied.status.code(), Some(1), "{}", text(&copied.stderr));
    assert!(
        text(&copied.stderr).contains("atlas ca-admin set east org1ca"),
        "{}",
        text(&copied.stderr)
    );
    let west = env.atlas(&["--json", "components", "west"], None);
    let held: serde_json::Value = serde_json::from_slice(&west.stdout).unwrap();
    assert_eq!(held, serde_json::json!([]), "nothing was copied");
    let listed = env.atlas(&["ca-admin", "list", "east"], None);
    assert!(
        text(&listed.stdout).contains("org1ca") && text(&listed.stdout).contains("(not kept)"),
        "{}",
        text(&listed.stdout)
    );

    // No secret on stdin and no variable: refused, naming what is missing; nothing kept.
    let set = |secret: Option<&str>| {
        let mut args = vec![
            "ca-admin",
            "set",
            "east",
            "org1ca",
            "--ca-admin",
            "admin",
            "--tlsca-admin",
            "admin",
        ];
        if secret.is_some() {
            args.extend([
                "--ca-admin-secret-env",
                "ATLAS_TEST_SECRET",
                "--tlsca-admin-secret-env",
                "ATLAS_TEST_SECRET",
            ]);
        }
        env.atlas(&args, secret)
    };
    let refused = set(None);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("CA admin enroll secret is required"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!env.config.path().join("ca-admins.json").exists());

    // A secret the CA refuses: the admin is named, nothing is kept.
    let wrong = set(Some("not-the-secret"));
    assert_eq!(wrong.status.code(), Some(1), "{}", text(&wrong.stderr));
    assert!(
        text(&wrong.stderr).contains("The CA admin 'admin' was refused by Org1 CA (ca)"),
        "{}",
        text(&wrong.stderr)
    );
    assert!(!env.config.path().join("ca-admins.json").exists());

    let saved = set(Some(SECRET));
    assert!(saved.status.success(), "{}", text(&saved.stderr));
    let copied = env.atlas(&["transfer", "east", "org1ca", "--to", "west"], None);
    assert!(copied.status.success(), "{}", text(&copied.stderr));
    // Known on every region the CA reached, by its API URL and name.
    let west = env.atlas(&["--json", "ca-admin", "list", "west"], None);
    let statuses: serde_json::Value = serde_json::from_slice(&west.stdout).unwrap();
    assert_eq!(statuses[0]["caAdminEnrollId"], "admin");
    assert_eq!(statuses[0]["tlscaAdminEnrollId"], "admin");
    assert_eq!(
        statuses[0]["verified"], true,
        "both admins enrolled with the CA"
    );
    let again = env.atlas(&["transfer", "east", "org1ca", "--to", "west"], None);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).contains("already there as org1ca"),
        "{}",
        text(&again.stdout)
    );

    for output in [&saved, &west, &again, &copied] {
        assert!(!text(&output.stdout).contains(SECRET) && !text(&output.stderr).contains(SECRET));
    }
    let kept = std::fs::read_to_string(env.config.path().join("ca-admins.json")).unwrap();
    assert!(kept.contains("\"admin\"") && !kept.contains(SECRET));
}

/// The emulator's consoles with lowered rate limits.
async fn limited(dir: &std::path::Path, limits: Limits) -> Emulator {
    Emulator::start(EmulatorOptions {
        regions: 1,
        base_port: 0,
        data_dir: dir.to_path_buf(),
        scenario: Scenario::Sandbox,
        limits,
    })
    .await
    .unwrap()
}

/// Every `atlas` run on this machine draws on one request budget per console (kept in the
/// state dir), sized by the limit the console states: runs one after the other never make it
/// answer 429, and a run that would have to wait longer than `--max-wait` says it is throttled
/// and sends nothing.
#[tokio::test(flavor = "multi_thread")]
async fn runs_share_one_request_budget_per_console_and_never_meet_a_429() {
    let data = tempfile::tempdir().unwrap();
    let emulator = limited(
        data.path(),
        Limits {
            get_per_min: 10,
            ..Limits::default()
        },
    )
    .await;
    let env = Env::new();
    let added = add_region(
        &env,
        "East",
        &emulator.regions()[0],
        &emulator.regions()[0].api_secret,
    );
    assert!(added.status.success(), "{}", text(&added.stderr));

    let mut throttled = 0;
    for _ in 0..12 {
        let sent_before = emulator.request_log(1).len();
        let run = env.atlas(&["components", "east", "--max-wait", "0"], None);
        if run.status.success() {
            continue;
        }
        assert_eq!(run.status.code(), Some(3), "{}", text(&run.stderr));
        assert!(
            text(&run.stderr).contains("throttled"),
            "{}",
            text(&run.stderr)
        );
        assert_eq!(
            emulator.request_log(1).len(),
            sent_before,
            "a throttled run sends nothing"
        );
        throttled += 1;
    }
    let log = emulator.request_log(1);
    assert!(log.iter().all(|r| r.status != 429), "{log:?}");
    assert!(log.len() <= 9, "90 % of the stated 10 a minute: {log:?}");
    assert!(throttled >= 3, "{throttled} runs throttled: {log:?}");
}

/// A 429 met by one run (here the console's counter for our address and User-Agent was spent by
/// something else) pauses every run on this machine for the console's `Retry-After`.
#[tokio::test(flavor = "multi_thread")]
async fn a_429_met_by_one_run_pauses_the_next_runs() {
    use std::io::{Read, Write};
    let data = tempfile::tempdir().unwrap();
    let emulator = limited(
        data.path(),
        Limits {
            get_per_min: 3,
            ..Limits::default()
        },
    )
    .await;
    let info = emulator.regions()[0].clone();
    let env = Env::new();
    let added = add_region(&env, "East", &info, &info.api_secret);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let address = info
        .console_url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let user_agent = format!("FabricAtlas/{} (cli)", env!("CARGO_PKG_VERSION"));
    while emulator
        .request_log(1)
        .last()
        .is_none_or(|r| r.status != 429)
    {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        write!(
            stream,
            "GET /ak/api/v3/healthcheck HTTP/1.1\r\nHost: {address}\r\nUser-Agent: {user_agent}\r\n\
             Connection: close\r\n\r\n"
        )
        .unwrap();
        stream.read_to_end(&mut Vec::new()).unwrap();
    }
    let spent = emulator.request_log(1).len();

    let first = env.atlas(&["components", "east", "--max-wait", "0"], None);
    assert_eq!(first.status.code(), Some(3), "{}", text(&first.stderr));
    let log = emulator.request_log(1);
    assert_eq!(log.len(), spent + 1, "{log:?}");
    assert_eq!(log[spent].status, 429);
    for _ in 0..3 {
        let next = env.atlas(&["components", "east", "--max-wait", "0"], None);
        assert_eq!(next.status.code(), Some(3), "{}", text(&next.stderr));
        assert!(
            text(&next.stderr).contains("throttled"),
            "{}",
            text(&next.stderr)
        );
    }
    assert_eq!(
        emulator.request_log(1).len(),
        spent + 1,
        "paused: nothing more was sent"
    );
}

/// What `atlas` runs change in the config dir reaches the running app: it reads the files again
/// (every few seconds; here when the test asks), announces each change like its own, and polls
/// a region added elsewhere and drops one removed elsewhere.
#[tokio::test(flavor = "multi_thread")]
async fn the_app_follows_what_cli_runs_change_in_its_config() {
    use atlas_core::ipc::Change;

    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    let east = &emulator.regions()[0];
    let added = add_region(&env, "East", east, &east.api_secret);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let app = env.app();
    app.start_polling().unwrap();
    let mut changes = app.subscribe_changes();
    assert_eq!(app.refresh_config().unwrap(), []);

    let west = &emulator.regions()[1];
    let added = add_region(&env, "West", west, &west.api_secret);
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert_eq!(app.refresh_config().unwrap(), [Change::Regions]);
    assert_eq!(changes.try_recv().unwrap(), Change::Regions);
    let names: Vec<String> = app.regions().into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["East", "West"]);
    let mut health = app.subscribe_health();
    let polled = |ids: &[&str]| {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        move |h: &atlas_core::health::HealthSnapshot| {
            let mut seen: Vec<String> = h.regions.iter().map(|r| r.region_id.clone()).collect();
            seen.sort();
            seen == ids
        }
    };
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        health.wait_for(polled(&["east", "west"])),
    )
    .await
    .expect("West is polled")
    .unwrap();

    let copied = env.atlas(&["transfer", "east", "org1msp", "--to", "west"], None);
    assert!(copied.status.success(), "{}", text(&copied.stderr));
    assert_eq!(app.refresh_config().unwrap(), [Change::Audit]);

    let removed = env.atlas(&["region", "remove", "west"], None);
    assert!(removed.status.success(), "{}", text(&removed.stderr));
    assert_eq!(app.refresh_config().unwrap(), [Change::Regions]);
    assert_eq!(app.regions().len(), 1);
    assert!(polled(&["east"])(&app.health()), "{:?}", app.health());
    assert_eq!(app.refresh_config().unwrap(), []);
}

/// `atlas ARGS` run under GNU time: its output, and its peak memory (resident set, KiB).
fn measured(env: &Env, args: &[&str]) -> (Output, u64) {
    let report = tempfile::NamedTempFile::new().unwrap();
    let atlas = env.command(args, None);
    let mut timed = Command::new("/usr/bin/time");
    timed
        .args(["-f", "%M", "-o"])
        .arg(report.path())
        .arg(atlas.get_program())
        .args(atlas.get_args());
    for (key, value) in atlas.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    let out = timed.output().unwrap();
    let peak = std::fs::read_to_string(report.path())
        .unwrap()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("GNU time reports the peak");
    (out, peak)
}

/// Files that are not files, or far too many or too large: each refused naming the file and
/// why, with nothing read beyond the limits (the peak memory stays small, whatever the file
/// claims) and nothing sent to any console.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn hostile_files_are_refused_by_name_in_bounded_memory_and_change_nothing() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);
    let before = emulator.request_log(2).len();
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let fifo = path("pipe_peer.json");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink(path("loop-b.json"), path("loop-a.json")).unwrap();
    std::os::unix::fs::symlink(path("loop-a.json"), path("loop-b.json")).unwrap();
    let sparse = path("sparse_msp.json");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    let many: Vec<String> = (0..101)
        .map(|i| path(&format!("{i}_peer.json")).display().to_string())
        .collect();
    let junk: Vec<String> = (0..20)
        .map(|i| {
            let p = path(&format!("junk{i}_peer.json"));
            std::fs::write(&p, vec![b'x'; 1_000_000]).unwrap();
            p.display().to_string()
        })
        .collect();
    let hostile_name = path("evil\u{1b}[2J_peer.json");
    std::fs::write(&hostile_name, "{").unwrap();

    let show = |p: &std::path::Path| p.display().to_string();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![show(&fifo)],
            "pipe_peer.json: $: is not a regular file (a pipe)",
        ),
        (
            vec!["/dev/zero".into()],
            "zero: $: is not a regular file (a device)",
        ),
        (
            vec!["/dev/urandom".into()],
            "urandom: $: is not a regular file (a device)",
        ),
        (
            vec![show(&path("loop-a.json"))],
            "loop-a.json: $: cannot be read",
        ),
        (
            vec![show(&sparse)],
            "sparse_msp.json: $: is 4294967296 bytes; at most",
        ),
        (many, "101 files at once; one batch takes at most 100"),
        (
            junk,
            "junk17_peer.json: $: was not read: the files before it already hold",
        ),
        (vec![show(&hostile_name)], "evil\\u{1b}[2J_peer.json"),
    ];
    for (files, said) in cases {
        for command in ["validate", "import"] {
            let mut args = vec![command];
            if command == "import" {
                args.push("west");
            }
            args.extend(files.iter().map(String::as_str));
            let (out, peak_kib) = measured(&env, &args);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{command} {said}: {stderr}");
            assert!(
                stderr.contains(said),
                "{command}: expected {said:?} in {stderr}"
            );
            assert!(
                !stderr.contains('\u{1b}'),
                "no raw escape reaches the terminal"
            );
            eprintln!("# {command} {said:?}: peak {peak_kib} KiB");
            // Well under what reading any of these files whole would take (the junk alone is 20 MB).
            assert!(
                peak_kib < 64 * 1024,
                "{command} {said}: peak {peak_kib} KiB"
            );
        }
    }
    let sent: Vec<_> = emulator.request_log(2).into_iter().skip(before).collect();
    assert!(
        sent.iter().all(|r| r.method == "GET"),
        "nothing was sent to the console: {sent:?}"
    );
    assert!(
        !env.config.path().join("audit.jsonl").exists()
            || std::fs::read_to_string(env.config.path().join("audit.jsonl"))
                .unwrap()
                .is_empty()
    );
}

/// A console on loopback answering every request (given its head) with what `respond` writes,
/// until the client hangs up.
fn hostile_console(
    respond: impl Fn(&str, &mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync + 'static,
) -> String {
    use std::io::{BufRead, BufReader};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let respond = std::sync::Arc::new(respond);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let respond = std::sync::Arc::clone(&respond);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    head.push_str(&line);
                    line.clear();
                }
                let mut stream = stream;
                let _ = respond(&head, &mut stream);
            });
        }
    });
    url
}

const OK_HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";

/// A console answering a gigabyte, a million components, a redirect elsewhere, or our own
/// credentials echoed back: `atlas components` refuses it, says why (never showing the secret),
/// holds only what the cap allows, and follows no redirect.
#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_consoles_huge_answers_are_refused_in_bounded_memory() {
    let endless = hostile_console(|_, out| {
        out.write_all(OK_HEAD)?;
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..1024 {
            out.write_all(&chunk)?;
        }
        Ok(())
    });
    let million = hostile_console(|_, out| {
        out.write_all(OK_HEAD)?;
        out.write_all(b"{\"components\":[")?;
        out.write_all(&b"{},".repeat(1_000_000))?;
        out.write_all(b"{}]}")
    });
    // Where a redirect points: it must never be reached.
    let reached = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&reached);
    let elsewhere = hostile_console(move |_, out| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        out.write_all(OK_HEAD)?;
        out.write_all(b"{\"components\":[]}")
    });
    let redirecting = hostile_console(move |_, out| {
        write!(
            out,
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: {elsewhere}/ak/api/v3/components\r\n\
             content-length: 0\r\nconnection: close\r\n\r\n"
        )
    });
    let echoing = hostile_console(|head, out| {
        let body = format!("{{\"statusCode\":500,\"msg\":{head:?}}}");
        write!(
            out,
            "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    });
    let env = Env::new();
    for (name, url, said, bound_kib) in [
        ("Endless", endless, "larger than 25 MB", 96 * 1024),
        (
            "Million",
            million,
            "more than 2000 components listed",
            64 * 1024,
        ),
        (
            "Redirecting",
            redirecting,
            "a redirect to http://127.0.0.1:",
            48 * 1024,
        ),
        ("Echoing", echoing, "Basic [redacted]", 48 * 1024),
    ] {
        let added = env.atlas(
            &[
                "region",
                "add",
                "--name",
                name,
                "--location",
                "us-east-1",
                "--url",
                &url,
                "--api-key",
                "k",
                "--secret-env",
                "ATLAS_TEST_SECRET",
            ],
            Some("s3cr3t-value"),
        );
        assert!(added.status.success(), "{}", text(&added.stderr));
        let (out, peak_kib) = measured(&env, &["components", &name.to_lowercase()]);
        let stderr = text(&out.stderr);
        eprintln!("# components from {name}: peak {peak_kib} KiB");
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(peak_kib < bound_kib, "{name}: peak {peak_kib} KiB");
        assert!(!stderr.contains("s3cr3t-value"), "{stderr}");
    }
    let followed = reached.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(followed, 0, "a redirect was followed");
}

#[test]
fn version_names_the_build_and_where_the_app_logs() {
    let env = Env::new();
    let data = env.config.path().join("app-data");
    let out = env
        .command(&["--version"], None)
        .env("FABRIC_ATLAS_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    let commit = first
        .strip_prefix(&format!("atlas {} (commit ", env!("CARGO_PKG_VERSION")))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("first line {first:?}"));
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "commit {commit:?}"
    );
    assert_eq!(
        lines.next(),
        Some(format!("app log: {}", data.join("logs").display()).as_str())
    );
}

#[test]
fn region_list_on_a_new_profile_says_how_to_begin() {
    let env = Env::new();
    let out = env.atlas(&["region", "list"], None);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "No regions yet: add one with `atlas region add`.\n"
    );
    let json = env.atlas(&["--json", "region", "list"], None);
    assert_eq!(String::from_utf8(json.stdout).unwrap().trim(), "[]");
}

#[test]
fn atlas_docs_writes_completions_and_man_pages_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_atlas-docs"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    assert!(read("completions/atlas.bash").contains("complete -F _atlas"));
    assert!(read("completions/_atlas").starts_with("#compdef atlas"));
    assert!(read("completions/atlas.fish").contains("complete -c atlas"));
    let man = read("man1/atlas.1");
    assert!(
        man.starts_with(".ie") || man.contains(".TH atlas 1"),
        "{man}"
    );
    for sub in [
        "region",
        "transfer",
        "replicate",
        "mesh",
        "wallet",
        "ca-admin",
    ] {
        let page = read(&format!("man1/atlas-{sub}.1"));
        assert!(
            page.contains(&format!(".TH atlas-{sub} 1")),
            "atlas-{sub}.1"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn certs_lists_every_certificate_once_with_where_it_is_used_soonest_first() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);
    let moved = env.atlas(&["transfer", "east", "org1msp", "--to", "west"], None);
    assert!(moved.status.success(), "{}", text(&moved.stderr));
    let files = tempfile::tempdir().unwrap();
    let identity = &emulator.identities(1)[0];
    let id_file = files.path().join("admin_identity.json");
    std::fs::write(&id_file, serde_json::to_vec(identity).unwrap()).unwrap();
    let imported = env.atlas(&["wallet", "import", id_file.to_str().unwrap()], None);
    assert!(imported.status.success(), "{}", text(&imported.stderr));

    let listed = env.atlas(&["--json", "certs"], None);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let calendar: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let entries = calendar["entries"].as_array().unwrap();
    assert!(calendar["unread"].as_array().unwrap().is_empty());
    let fingerprints: std::collections::BTreeSet<&str> = entries
        .iter()
        .map(|e| e["sha256"].as_str().unwrap())
        .collect();
    assert_eq!(
        fingerprints.len(),
        entries.len(),
        "one entry per certificate"
    );
    let ends: Vec<i64> = entries
        .iter()
        .map(|e| e["notAfter"].as_i64().unwrap())
        .collect();
    assert!(
        ends.windows(2).all(|w| w[0] <= w[1]),
        "soonest first: {ends:?}"
    );
    let holders = |e: &serde_json::Value| -> Vec<String> {
        e["uses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| format!("{} {}", u["holder"], u["usedAs"]))
            .collect()
    };
    // Org1's CA root: in the CA, the MSP on both consoles, the peer — one certificate.
    let root = entries
        .iter()
        .find(|e| {
            holders(e).iter().any(|h| h.contains("West: Org1 MSP"))
                && holders(e).iter().any(|h| h.contains("ca_root"))
        })
        .unwrap_or_else(|| panic!("{calendar:#}"));
    let uses = holders(root);
    for holder in ["East: Org1 MSP", "West: Org1 MSP", "East: Org1 Peer1"] {
        assert!(
            uses.iter().any(|u| u.contains(holder)),
            "{holder} in {uses:?}"
        );
    }
    assert!(
        entries.iter().any(|e| holders(e)
            .iter()
            .any(|h| h.contains(&format!("wallet: {}", identity.name)) && h.contains("identity"))),
        "the wallet's identity is in the calendar"
    );

    // People read dates and names; nothing expires within a day in the sandbox.
    let table = text(&env.atlas(&["certs"], None).stdout);
    assert!(table.starts_with("EXPIRES"), "{table}");
    assert!(table.contains("East: Org1 MSP (CA root)"), "{table}");
    let none = env.atlas(&["certs", "--within", "1"], None);
    assert_eq!(none.status.code(), Some(0));
    assert_eq!(text(&none.stdout), "No certificates expire within a day.\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn posture_answers_the_loss_of_each_region_and_exits_1_on_an_error_finding() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);

    // The guide after step 1: everything in East.
    let out = env.atlas(&["--json", "posture"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p["lost"], serde_json::json!([]));
    let service = &p["orderingServices"][0];
    assert_eq!(
        service["nodesByRegion"],
        serde_json::json!({"east": 1, "west": 0})
    );
    assert_eq!(service["quorum"], 1);
    assert_eq!(
        service["survivesLossOf"],
        serde_json::json!({"east": false, "west": true})
    );
    let org = &p["orgs"][0];
    assert_eq!(org["mspId"], "Org1MSP");
    assert_eq!(org["caRegion"], "east");
    assert_eq!(org["survivesLossOf"]["east"], false);
    let codes: Vec<&str> = p["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for code in [
        "quorum_needs_region",
        "peers_need_region",
        "msp_missing",
        "mesh_incomplete",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }

    let table = text(&out_of(&env, &["posture"]).stdout);
    assert!(
        table.starts_with("Survives the loss of any one region: no\n"),
        "{table}"
    );
    assert!(
        table.contains("without East: Ordering Service loses quorum; Org1MSP has no peer left"),
        "{table}"
    );
    assert!(table.contains("fix: Replicate Org1MSP from East to West: atlas replicate east --msp-id Org1MSP --to west"), "{table}");
    assert!(
        table.contains("fix: Full mesh: every console learns every node: atlas mesh"),
        "{table}"
    );

    // What if East is lost (by name): no quorum, no peer — errors, exit 1.
    let out = env.atlas(&["posture", "--lose", "East"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.starts_with("What if East is lost:"), "{table}");
    assert!(table.contains("error [quorum_lost]"), "{table}");
    assert!(table.contains("error [peers_lost]"), "{table}");

    let out = env.atlas(&["posture", "--lose", "Tokyo"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--lose: no region 'Tokyo'"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn place_keeps_the_administrators_placement_below_the_consoles_own_word() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);
    let out = env.atlas(&["place", "org1peer1", "--region", "West"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).ends_with(" lives in West\n"),
        "{}",
        text(&out.stdout)
    );
    let homes: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.config.path().join("homes.json")).unwrap())
            .unwrap();
    assert_eq!(homes["placed"].as_object().unwrap().len(), 1, "{homes:#}");
    // East holds the peer as its own: that rule comes first.
    let p: serde_json::Value =
        serde_json::from_slice(&out_of(&env, &["--json", "posture"]).stdout).unwrap();
    let peer = p["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["displayName"] == "Org1 Peer1")
        .unwrap();
    assert_eq!(
        (&peer["home"], &peer["rule"]),
        (&serde_json::json!("east"), &serde_json::json!("own"))
    );

    let out = env.atlas(&["place", "nosuchnode", "--region", "West"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("'nosuchnode'"),
        "{}",
        text(&out.stderr)
    );
}

/// `atlas ARGS`, which must exit 0.
fn out_of(env: &Env, args: &[&str]) -> Output {
    let out = env.atlas(args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_shows_differing_copies_side_by_side_and_make_equal_edits_them() {
    use atlas_core::budget::RequestBudget;
    use atlas_core::client::{parse_console_url, ClientSettings, ConsoleClient, Credentials};
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);
    let none = env.atlas(&["drift"], None);
    assert_eq!(none.status.code(), Some(0), "{}", text(&none.stderr));
    assert_eq!(text(&none.stdout), "Every copy agrees with the others.\n");

    // West's copy of the MSP gets another operator's admin list.
    let moved = env.atlas(&["transfer", "east", "org1msp", "--to", "west"], None);
    assert!(moved.status.success(), "{}", text(&moved.stderr));
    let west = &emulator.regions()[1];
    let client = ConsoleClient::new(
        parse_console_url(&west.console_url).unwrap(),
        Credentials::ApiKey {
            key: west.api_key.clone(),
            secret: atlas_core::secrets::Secret::new(west.api_secret.clone()),
        },
        std::sync::Arc::new(RequestBudget::default()),
        &ClientSettings::default(),
    )
    .unwrap();
    let copy = client.list_components(true).await.unwrap().remove(0);
    let tls_root = copy.document["tls_root_certs"][0].clone();
    client
        .edit_component(&copy.id, &serde_json::json!({ "admins": [tls_root] }))
        .await
        .unwrap();

    let out = env.atlas(&["drift"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    assert!(
        listed.starts_with(
            "Org1 MSP (msp:Org1MSP) differs between East, West:\n  Admins\n    East: "
        ),
        "{listed}"
    );
    assert!(
        listed.contains("make equal: atlas drift --make-equal msp:Org1MSP --from REGION"),
        "{listed}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&env.atlas(&["--json", "drift"], None).stdout).unwrap();
    assert_eq!(json["drifts"][0]["fields"][0]["field"], "admins");

    let made = env.atlas(
        &["drift", "--make-equal", "msp:Org1MSP", "--from", "East"],
        None,
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert_eq!(
        text(&made.stdout),
        format!(
            "Copies of Org1 MSP made equal to East's:\n  West ({}): edited Admins\n",
            copy.id
        )
    );
    let after = env.atlas(&["drift"], None);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after.stdout));
    let audit = text(&env.atlas(&["audit"], None).stdout);
    assert!(audit.contains("make equal"), "{audit}");

    let usage = env.atlas(&["drift", "--make-equal", "msp:Org1MSP"], None);
    assert_eq!(
        usage.status.code(),
        Some(2),
        "--from is required with --make-equal"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ca_commands_enroll_the_admins_register_list_and_enroll_into_the_wallet() {
    let data = tempfile::tempdir().unwrap();
    let emulator = sandbox(data.path()).await;
    let env = Env::new();
    add_regions(&env, &emulator);

    let info = env.atlas(&["ca", "info", "east", "org1ca"], None);
    assert!(info.status.success(), "{}", text(&info.stderr));
    assert!(
        text(&info.stdout).contains("  CA ca ("),
        "{}",
        text(&info.stdout)
    );
    assert!(
        text(&info.stdout).contains("  TLS CA tlsca ("),
        "{}",
        text(&info.stdout)
    );

    // Registering needs verified admins; the two secrets come as two lines of stdin, CA first.
    let early = env.atlas(
        &[
            "ca", "register", "east", "org1ca", "--id", "peer7", "--type", "peer",
        ],
        None,
    );
    assert_eq!(early.status.code(), Some(1));
    assert!(
        text(&early.stderr).contains("atlas ca enroll-admin"),
        "{}",
        text(&early.stderr)
    );
    let mut enroll = env.command(
        &[
            "ca",
            "enroll-admin",
            "east",
            "org1ca",
            "--ca-admin",
            "admin",
            "--tlsca-admin",
            "admin",
        ],
        None,
    );
    let enrolled = piped(&mut enroll, "adminpw\nadminpw\n");
    assert!(enrolled.status.success(), "{}", text(&enrolled.stderr));
    assert_eq!(
        text(&enrolled.stdout),
        "Org1 CA: both admins enrolled with the CA; kept\n"
    );

    let registered = env.atlas(
        &[
            "ca",
            "register",
            "east",
            "org1ca",
            "--id",
            "peer7",
            "--type",
            "peer",
            "--affiliation",
            "org1.department1",
            "--attr",
            "app.role=endorser",
            "--show-secret",
        ],
        None,
    );
    assert!(registered.status.success(), "{}", text(&registered.stderr));
    let out = text(&registered.stdout);
    assert!(out.contains("peer7 on Org1 CA (ca): registered\n"), "{out}");
    assert!(
        out.contains("peer7 on Org1 CA's TLS CA (tlsca): registered\n"),
        "{out}"
    );
    let secret = out
        .lines()
        .find_map(|l| l.strip_prefix("secret: "))
        .expect("shown when asked");
    assert_eq!(secret.len(), 24);
    let again = env.atlas(
        &[
            "ca", "register", "east", "org1ca", "--id", "peer7", "--type", "peer",
        ],
        None,
    );
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains("already registered"),
        "{}",
        text(&again.stdout)
    );
    assert!(!text(&again.stdout).contains(secret));

    let listed = env.atlas(&["ca", "identities", "east", "org1ca"], None);
    let table = text(&listed.stdout);
    assert!(table.starts_with("ID"), "{table}");
    assert!(
        table.lines().any(|l| l.starts_with("peer7")
            && l.contains("org1.department1")
            && l.contains("app.role=endorser")),
        "{table}"
    );

    let mut enroll = env.command(
        &[
            "ca",
            "enroll",
            "east",
            "org1ca",
            "--id",
            "peer7",
            "--wallet-name",
            "peer7-id",
        ],
        None,
    );
    let into_wallet = piped(&mut enroll, &format!("{secret}\n"));
    assert!(
        into_wallet.status.success(),
        "{}",
        text(&into_wallet.stderr)
    );
    assert!(
        text(&into_wallet.stdout).starts_with("peer7-id enrolled into the wallet: "),
        "{}",
        text(&into_wallet.stdout)
    );
    let wallet = text(&env.atlas(&["wallet", "list"], None).stdout);
    assert!(wallet.contains("peer7-id"), "{wallet}");
    for file in ["ca-admins.json", "wallet.json"] {
        let kept = std::fs::read_to_string(env.config.path().join(file)).unwrap();
        assert!(
            !kept.contains("PRIVATE KEY") && !kept.contains(secret) && !kept.contains("adminpw")
        );
    }
}

/// Runs `cmd` with `input` on its standard input.
fn piped(cmd: &mut Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
