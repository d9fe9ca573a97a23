//! The built-in sandbox: three simulated regions served by the console emulator inside the app,
//! used when no real console is configured so the app is useful (and demonstrable) at once.

use std::path::{Path, PathBuf};

use atlas_core::atlas::SandboxRegion;
use atlas_core::fleet::Region;
use atlas_core::secrets::Secret;
use atlas_core::{AppError, ErrorCode};
use console_emulator::{Emulator, EmulatorOptions, Limits, Scenario};

/// Written next to the sandbox's data so tools and tests can inject faults:
/// `{"controlUrl": "http://127.0.0.1:PORT", "controlToken": "…"}`.
pub const CONTROL_FILE: &str = "sandbox-control.json";

pub struct Sandbox {
    emulator: Emulator,
}

impl Sandbox {
    pub async fn start(dir: &Path) -> Result<Self, AppError> {
        let emulator = Emulator::start(EmulatorOptions {
            regions: 3,
            base_port: 0,
            data_dir: dir.join("consoles"),
            scenario: Scenario::Sandbox,
            limits: Limits::default(),
        })
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("sandbox did not start: {e:#}")))?;
        let control = serde_json::json!({
            "controlUrl": emulator.control_url(),
            "controlToken": emulator.control_token(),
        });
        // The token opens every sandbox console's secrets: the file is this user's only (0600,
        // the mode `write_atomic`'s temp file is created with) and replaced whole, so a reader
        // never sees half of it or the last start's token.
        atlas_core::storage::write_atomic(&dir.join(CONTROL_FILE), control.to_string().as_bytes())?;
        tracing::info!(control = emulator.control_url(), "sandbox started");
        Ok(Self { emulator })
    }

    /// The identity files the sandbox made (its org admin, admin of the org on region 1), as
    /// console wallet files, with the region they administer.
    pub fn identities(&self) -> (Vec<(String, Vec<u8>)>, String) {
        let files = self
            .emulator
            .identities(1)
            .into_iter()
            .filter_map(|file| {
                let bytes = serde_json::to_vec(&file).ok()?;
                Some((format!("{}_identity.json", file.name), bytes))
            })
            .collect();
        (files, "sandbox-1".to_owned())
    }

    pub fn regions(&self) -> Vec<SandboxRegion> {
        self.emulator
            .regions()
            .iter()
            .map(|info| SandboxRegion {
                region: Region {
                    id: format!("sandbox-{}", info.index),
                    name: info.name.clone(),
                    location: info.location.clone(),
                    console_url: info.console_url.clone(),
                    api_key: info.api_key.clone(),
                    trusted_certificate: None,
                },
                api_secret: Secret::new(info.api_secret.clone()),
            })
            .collect()
    }
}

/// `sandbox/` in the app's data dir (`$FABRIC_ATLAS_DATA_DIR`, else the platform's).
pub fn default_dir() -> Result<PathBuf, AppError> {
    let dir = atlas_core::app_data::data_dir()
        .ok_or_else(|| AppError::new(ErrorCode::Config, "no home directory for the app's data"))?
        .join("sandbox");
    std::fs::create_dir_all(&dir)
        .map_err(|e| AppError::new(ErrorCode::Config, format!("{}: {e}", dir.display())))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_control_file_names_the_url_and_token_for_this_user_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONTROL_FILE);
        // what the last start left, readable by others and with a token now void
        std::fs::write(
            &path,
            r#"{"controlUrl":"http://127.0.0.1:1","controlToken":"old"}"#,
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let sandbox = Sandbox::start(dir.path()).await.unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            written,
            serde_json::json!({
                "controlUrl": sandbox.emulator.control_url(),
                "controlToken": sandbox.emulator.control_token(),
            })
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
