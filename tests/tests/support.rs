//! Shared helpers: an emulator on loopback and clients for its regions.
//! Each test binary uses a subset of them.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use atlas_core::atlas::{Atlas, AtlasOptions};
use atlas_core::budget::RequestBudget;
use atlas_core::ca_admins::{CaAdminCredentials, EnrollCredentials};
use atlas_core::client::{parse_console_url, ClientSettings, ConsoleClient, Credentials};
use atlas_core::fleet::{Fleet, FleetStore, NewRegion};
use atlas_core::profile::ProfileSecrets;
use atlas_core::secrets::{KeyringStore, Secret, SecretKey, SecretStore};
use console_emulator::{Emulator, EmulatorOptions, Limits, Scenario};

pub struct Harness {
    pub emulator: Emulator,
    /// This harness's own keyring service, so parallel tests never share an entry.
    keyring_service: String,
    _dir: tempfile::TempDir,
}

/// The real OS keyring (Secret Service; the tests run under `scripts/with-keyring.sh`).
fn keyring_service() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "fabric-atlas-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    )
}

pub async fn emulator(scenario: Scenario, regions: usize, limits: Limits) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let emulator = Emulator::start(EmulatorOptions {
        regions,
        base_port: 0,
        data_dir: dir.path().to_path_buf(),
        scenario,
        limits,
    })
    .await
    .expect("emulator starts");
    Harness {
        emulator,
        keyring_service: keyring_service(),
        _dir: dir,
    }
}

pub async fn sandbox() -> Harness {
    emulator(Scenario::Sandbox, 3, Limits::default()).await
}

impl Harness {
    /// A client for region `index` (1-based) with its manager key.
    pub fn client(&self, index: usize) -> ConsoleClient {
        let info = &self.emulator.regions()[index - 1];
        self.client_with_secret(index, &info.api_secret)
    }

    pub fn client_with_secret(&self, index: usize, secret: &str) -> ConsoleClient {
        let info = &self.emulator.regions()[index - 1];
        ConsoleClient::new(
            parse_console_url(&info.console_url).unwrap(),
            Credentials::ApiKey {
                key: info.api_key.clone(),
                secret: Secret::new(secret),
            },
            Arc::new(RequestBudget::default()),
            &ClientSettings::default(),
        )
        .unwrap()
    }

    /// An application service with the emulator's regions configured as `r1`, `r2`, … (in the
    /// fleet file of `config`, their secrets in the real OS keyring), no pollers: the request logs
    /// show only what the operation under test sent.
    pub fn atlas(&self, config: &std::path::Path) -> Atlas {
        self.atlas_with(
            config,
            |_, secret| secret.to_owned(),
            AtlasOptions::default(),
        )
    }

    /// Like [`Harness::atlas`], with `secret(index, real_secret)` as each region's API secret.
    pub fn atlas_with_secrets(
        &self,
        config: &std::path::Path,
        secret: impl Fn(usize, &str) -> String,
    ) -> Atlas {
        self.atlas_with(config, secret, AtlasOptions::default())
    }

    /// Like [`Harness::atlas`], with its own client settings (short timeouts, a manual clock).
    pub fn atlas_with_options(&self, config: &std::path::Path, options: AtlasOptions) -> Atlas {
        self.atlas_with(config, |_, secret| secret.to_owned(), options)
    }

    /// Keeps the admin credentials of region 1's Org1 CA, as the app asks for them before a CA
    /// is copied (without them a copy of the CA is refused).
    pub async fn keep_ca_admins(&self, atlas: &Atlas) {
        let ca = atlas.ca_admin_status("r1", "org1ca").await.unwrap();
        assert!(atlas
            .save_ca_admins(&ca, &ca_credentials())
            .await
            .unwrap()
            .known());
    }

    pub fn keyring(&self) -> KeyringStore {
        KeyringStore::with_service(self.keyring_service.clone())
    }

    fn atlas_with(
        &self,
        config: &std::path::Path,
        secret: impl Fn(usize, &str) -> String,
        options: AtlasOptions,
    ) -> Atlas {
        // The regions are configured in this profile, as the app would: secrets under its id.
        let keyring = ProfileSecrets::new(config, Arc::new(self.keyring()));
        let store = FleetStore::in_dir(config);
        let mut fleet = Fleet::open(store.clone()).unwrap();
        for r in self.emulator.regions() {
            let id = format!("r{}", r.index);
            let api_secret = secret(r.index, &r.api_secret);
            if fleet.get(&id).is_some() {
                let key = SecretKey::console_api_secret(&id);
                keyring.put(&key, &Secret::new(api_secret)).unwrap();
                continue;
            }
            let region = fleet
                .add(
                    NewRegion {
                        name: id.clone(),
                        location: r.location.clone(),
                        console_url: r.console_url.clone(),
                        api_key: r.api_key.clone(),
                        api_secret,
                        allow_insecure_http: None,
                        trusted_certificate: None,
                    },
                    &keyring,
                )
                .unwrap();
            assert_eq!(region.id, id);
        }
        let options = AtlasOptions {
            state_dir: options
                .state_dir
                .or_else(|| Some(self._dir.path().join("state"))),
            ..options
        };
        Atlas::open(store, Arc::new(self.keyring()), options).unwrap()
    }

    /// Every component region `index` holds, as the console's documents (fresh).
    pub async fn documents(&self, index: usize) -> Vec<serde_json::Value> {
        self.client(index)
            .list_components(true)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.document)
            .collect()
    }

    /// The id region `index`'s console gives the component named `name`.
    pub async fn id_of(&self, index: usize, name: &str) -> String {
        self.documents(index)
            .await
            .into_iter()
            .find(|d| d["display_name"] == name)
            .and_then(|d| d["id"].as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("no {name} on region {index}"))
    }

    /// Requests region `index` received, as `METHOD path status`.
    pub fn log(&self, index: usize) -> Vec<String> {
        self.emulator
            .request_log(index)
            .iter()
            .map(|r| format!("{} {} {}", r.method, r.path, r.status))
            .collect()
    }
}

/// The emulator's CAs' conventional bootstrap admin, `admin` / `adminpw`, for the CA and the TLS
/// CA alike: the app enrolls both when they are given.
pub fn ca_credentials() -> CaAdminCredentials {
    let one = || EnrollCredentials {
        enroll_id: "admin".into(),
        enroll_secret: "adminpw".into(),
    };
    CaAdminCredentials {
        ca_admin: one(),
        tlsca_admin: one(),
    }
}
