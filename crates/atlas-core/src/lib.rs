//! Fabric Atlas domain core: everything the desktop shell, the CLI and the tests share.
//!
//! No Tauri here. I/O sits behind small seams (the [`secrets::SecretStore`] trait, console base URLs,
//! the fleet file's directory) so every rule is testable headless against the console emulator.

pub mod app_data;
pub mod atlas;
pub mod audit;
pub mod budget;
pub mod ca_admins;
pub mod client;
pub mod clock;
pub mod component;
pub mod connection;
pub mod console_lock;
pub mod drift;
pub mod error;
pub mod fabric_ca;
pub mod files;
pub mod fleet;
pub mod geo;
pub mod health;
pub mod homes;
pub mod identities;
pub mod import;
pub mod ipc;
pub mod machine_state;
pub mod mesh;
pub mod operation;
pub mod org;
pub mod posture;
pub mod profile;
pub mod refusals;
pub mod secrets;
pub mod storage;
pub mod tls_trust;
pub mod transfer;
pub mod user_files;
pub mod wallet;

pub use atlas_artifacts as artifacts;
pub use error::{AppError, ErrorCode};
