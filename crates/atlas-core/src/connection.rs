//! "Test connection": is this console reachable, which version is it, are these credentials good?

use std::time::Instant;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::client::{ConsoleClient, ConsoleError};
use crate::error::AppError;

/// What the form sends to test a console before (or after) saving it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionTest {
    pub console_url: String,
    pub api_key: String,
    /// When absent, the secret already stored for `region_id` is used.
    #[ts(optional)]
    pub api_secret: Option<String>,
    #[ts(optional)]
    pub region_id: Option<String>,
    /// The user insists on plain `http://` to another machine.
    #[serde(default)]
    #[ts(optional)]
    pub allow_insecure_http: Option<bool>,
    /// A certificate (PEM) to trust for this test; absent: the region's own, if any.
    #[serde(default)]
    #[ts(optional)]
    pub trusted_certificate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    pub console_version: Option<String>,
    pub auth_scheme: Option<String>,
    /// Round trip of the authenticated call, in milliseconds.
    pub latency_ms: u32,
    pub component_count: u32,
}

/// Reads the public settings, then makes one authenticated read. Exactly one authenticated call,
/// so a wrong secret costs one failure of the console's five, never more.
pub async fn test_connection(client: &ConsoleClient) -> Result<ConnectionReport, AppError> {
    let settings = client.settings().await.map_err(not_a_console)?;
    let started = Instant::now();
    let components = client.list_components(false).await?;
    Ok(ConnectionReport {
        console_version: settings.versions.and_then(|v| v.tag),
        auth_scheme: settings.auth_scheme,
        latency_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
        component_count: u32::try_from(components.len()).unwrap_or(u32::MAX),
    })
}

fn not_a_console(e: ConsoleError) -> AppError {
    match e {
        ConsoleError::RouteNotFound { .. }
        | ConsoleError::NotFound { .. }
        | ConsoleError::Unexpected { .. } => AppError::new(
            crate::ErrorCode::Console,
            format!("this does not look like a Fabric Operations Console ({e})"),
        ),
        other => other.into(),
    }
}
