//! Shared helpers: an emulator on loopback and clients for its regions.
//! Each test binary uses a subset of them.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use atlas_core::atlas::{Atlas, SandboxRegion};
use atlas_core::budget::RequestBudget;
use atlas_core::client::{parse_console_url, ConsoleClient, Credentials};
use atlas_core::fleet::{FleetStore, Region};
use atlas_core::secrets::{MemoryStore, Secret};
use console_emulator::{Emulator, EmulatorOptions, Limits, Scenario};

pub struct Harness {
    pub emulator: Emulator,
    _dir: tempfile::TempDir,
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
        )
        .unwrap()
    }

    /// An application service over the emulator's regions `r1`, `r2`, … (no pollers: the
    /// request logs show only what the operation under test sent).
    pub fn atlas(&self, config: &std::path::Path) -> Atlas {
        self.atlas_with_secrets(config, |_, secret| secret.to_owned())
    }

    /// Like [`Harness::atlas`], with `secret(index, real_secret)` as each region's API secret.
    pub fn atlas_with_secrets(
        &self,
        config: &std::path::Path,
        secret: impl Fn(usize, &str) -> String,
    ) -> Atlas {
        let mut atlas = Atlas::open(
            FleetStore::in_dir(config),
            Arc::new(MemoryStore::default()),
            Duration::from_secs(3600),
        )
        .unwrap();
        let regions = self
            .emulator
            .regions()
            .iter()
            .map(|r| SandboxRegion {
                region: Region {
                    id: format!("r{}", r.index),
                    name: r.name.clone(),
                    location: r.location.clone(),
                    console_url: r.console_url.clone(),
                    api_key: r.api_key.clone(),
                },
                api_secret: Secret::new(secret(r.index, &r.api_secret)),
            })
            .collect();
        atlas.add_sandbox(regions).unwrap();
        atlas
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
