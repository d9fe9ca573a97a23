//! Helpers shared by the integration tests.

#![allow(dead_code)]

use console_emulator::{Emulator, EmulatorOptions, Limits, Scenario};
use std::path::Path;

pub async fn start(dir: &Path, regions: usize, scenario: Scenario, limits: Limits) -> Emulator {
    Emulator::start(EmulatorOptions {
        regions,
        base_port: 0,
        data_dir: dir.to_path_buf(),
        scenario,
        limits,
    })
    .await
    .expect("emulator starts")
}

/// A client like the app's: no proxy, self-signed certificates accepted (nodes).
pub fn client(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .tls_danger_accept_invalid_certs(true)
        .user_agent(user_agent)
        .build()
        .expect("client")
}

pub mod fabric_ca;
