//! Helpers shared by the `artifacts*` tests (included with `#[path]`).
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use console_emulator::{Emulator, EmulatorOptions, Limits, RegionInfo, Scenario};
use serde_json::Value;

/// 2026-06-01T00:00:00Z: the corpus certificates are valid 2025-01-01..2099-01-01, the
/// expired ones ended in 2020.
pub const CORPUS_NOW_SECS: u64 = 1_780_272_000;
/// 2027-01-01T00:00:00Z: inside the validity of the recorded fixtures' certificates
/// (issued 2026-11-26; leaves expire 2027-11-26).
pub const FIXTURES_NOW_SECS: u64 = 1_798_761_600;

pub fn corpus_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(CORPUS_NOW_SECS)
}

pub fn fixtures_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(FIXTURES_NOW_SECS)
}

pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// A PEM text from `tests/corpus/pki/`.
pub fn pki(name: &str) -> String {
    let path = corpus_dir().join("pki").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// base64 of a PEM text, as the console writes certificates.
pub fn b64(pem: &str) -> String {
    STANDARD.encode(pem.as_bytes())
}

pub fn good(name: &str) -> Vec<u8> {
    let path = corpus_dir().join("good").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One recorded exchange (`NN-name.json`) of the console fixtures.
pub fn recording(prefix: &str) -> Value {
    let dir = fixtures_dir().join("console-2.5.2");
    let entry = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no recording {prefix}"));
    serde_json::from_slice(&std::fs::read(entry.path()).unwrap()).unwrap()
}

/// An empty one-region emulator (the caller keeps the temp dir alive).
pub async fn emulator() -> (Emulator, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let emu = Emulator::start(EmulatorOptions {
        regions: 1,
        base_port: 0,
        data_dir: dir.path().into(),
        scenario: Scenario::Empty,
        limits: Limits {
            non_get_per_min: 1000,
            get_per_min: 1000,
            ..Limits::default()
        },
    })
    .await
    .unwrap();
    (emu, dir)
}

/// `POST /ak/api/v3/components/{route}` with Basic auth; status and JSON answer.
pub async fn post(region: &RegionInfo, route: &str, body: &Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!(
            "{}/ak/api/v3/components/{route}",
            region.console_url
        ))
        .basic_auth(&region.api_key, Some(&region.api_secret))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// `GET /ak/api/v3/components/{id}?cache=skip`.
pub async fn get(region: &RegionInfo, id: &str) -> Value {
    let resp = reqwest::Client::new()
        .get(format!(
            "{}/ak/api/v3/components/{id}?cache=skip",
            region.console_url
        ))
        .basic_auth(&region.api_key, Some(&region.api_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200, "GET {id}");
    resp.json().await.unwrap()
}
