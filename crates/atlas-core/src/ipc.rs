//! Types that cross to the web view, and the check that keeps their TypeScript twins current.
//!
//! The TypeScript files in `ui/src/bindings/` are generated from these Rust types by ts-rs and
//! committed. `bindings_are_current` fails when they drift; run `make bindings` to regenerate.

use serde::Serialize;
use ts_rs::TS;

use crate::fleet::Region;
use crate::geo::{self, Location};
use crate::tls_trust::{summarize_trusted, CertificateSummary};

/// A region as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionView {
    pub id: String,
    pub name: String,
    pub location: Location,
    pub console_url: String,
    pub api_key: String,
    /// A console of the built-in sandbox (simulated), not a real one.
    pub sandbox: bool,
    /// The certificate trusted for this console on top of the system's roots, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trusted_certificate: Option<CertificateSummary>,
}

impl RegionView {
    pub fn new(region: &Region, sandbox: bool) -> Self {
        let location = geo::location(&region.location).unwrap_or_else(|| Location {
            id: region.location.clone(),
            provider: "Other".into(),
            name: region.location.clone(),
            city: "—".into(),
            latitude: 0.0,
            longitude: 0.0,
        });
        Self {
            id: region.id.clone(),
            name: region.name.clone(),
            location,
            console_url: region.console_url.clone(),
            api_key: region.api_key.clone(),
            sandbox,
            trusted_certificate: region
                .trusted_certificate
                .as_deref()
                .and_then(|pem| summarize_trusted(pem).ok()),
        }
    }
}

/// A region that a record (the wallet, the audit log) names by id, as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionName {
    pub id: String,
    /// The region's name, or the one it had when it was removed; none for a region removed
    /// before names were kept.
    pub name: Option<String>,
    /// No longer in the fleet.
    pub removed: bool,
}

/// As a person reads it: the name, a removed region's marked as removed; one removed before names
/// were kept, by its id.
impl std::fmt::Display for RegionName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.name, self.removed) {
            (Some(name), false) => f.write_str(name),
            (Some(name), true) => write!(f, "{name} (removed)"),
            (None, true) => write!(f, "a removed region ({})", self.id),
            (None, false) => f.write_str(&self.id),
        }
    }
}

/// The calendar, and the consoles it could not read (their certificates are missing from it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CertificateCalendar {
    pub entries: Vec<crate::artifacts::CalendarEntry>,
    pub unread: Vec<UnreadRegion>,
}

/// A console that did not answer, by its region's name, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnreadRegion {
    pub region_id: String,
    pub name: String,
    pub message: String,
}

/// What the UI needs to know about the running app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// The commit the app was built from (set by the shell, which knows its build).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub commit: Option<String>,
    /// True when the built-in sandbox of simulated regions is running.
    pub sandbox: bool,
    pub poll_interval_ms: u32,
    /// Where the fleet file lives (shown so the user knows what to back up).
    pub config_path: String,
    /// Where the app writes its log files (for a user to send), when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub log_dir: Option<String>,
    /// Why the OS keyring cannot keep secrets here, if it cannot: nothing is stored until it can.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub keyring_problem: Option<String>,
}

/// What an export through a save dialog did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportResult {
    /// Where the file was written; `None` when the user cancelled the dialog.
    pub path: Option<String>,
    pub file_name: String,
}

/// The name of the event carrying a [`crate::health::HealthSnapshot`] on every change.
pub const HEALTH_EVENT: &str = "health://changed";

/// The event that tells views what state changed after a mutation (payload: a [`Change`]).
pub const CHANGE_EVENT: &str = "atlas://changed";

/// What changed: views that show it reload it, instead of each operation refreshing them by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A region was added, edited or removed.
    Regions,
    /// The wallet's identities, or where they are admins.
    Wallet,
    /// New entries in the audit log.
    Audit,
    /// CA admin credentials were kept.
    CaAdmins,
    /// A node was placed, or a copy's home recorded.
    Homes,
}

/// Every exported type with the file it lives in.
pub fn bindings() -> Vec<(&'static str, String)> {
    use crate::artifacts::{
        CalendarEntry, CertUse, CertificateDetail, Due, Finding, Remedy, Severity, UsedAs,
    };
    use crate::atlas::{
        CaServerInfo, ComponentDetails, Endpoint, NamedCaInfo, RegisterOutcome, RegisterReport,
        RegisterRequest, RegisteredOn,
    };
    use crate::audit::{AuditEntry, AuditRead};
    use crate::ca_admins::{CaAdminCredentials, CaAdminStatus, EnrollCredentials};
    use crate::connection::{ConnectionReport, ConnectionTest};
    use crate::drift::{Drift, DriftReport, EqualizedCopy, FieldDrift, MakeEqualReport};
    use crate::error::{AppError, ErrorCode};
    use crate::fabric_ca::{CaAttribute, CaIdentity};
    use crate::files::ImportReport;
    use crate::fleet::{NewRegion, RegionEdit};
    use crate::health::{
        ComponentHealth, ComponentKind, ComponentStatus, HealthSnapshot, HealthState, RegionHealth,
    };
    use crate::identities::{IdentityView, RegionAdminReport};
    use crate::import::{ItemOutcome, ItemReport, ItemSource};
    use crate::operation::{Operation, Plan};
    use crate::org::{OrderingService, OrgOnConsole};
    use crate::posture::{
        FindingCode, FindingFix, FindingLevel, HeldBy, HomeRule, Lacking, NodeHome, OrgPosture,
        Posture, PostureFinding, RegionDistance, RegionPosture, ServicePosture,
    };
    use crate::transfer::{TargetReport, TransferEvent, TransferReport};
    fn decl<T: TS + 'static + ?Sized>() -> (&'static str, String) {
        let name: &'static str = Box::leak(T::name().into_boxed_str());
        (
            name,
            T::export_to_string().expect("ts-rs renders every IPC type"),
        )
    }
    vec![
        decl::<AppError>(),
        decl::<CertificateCalendar>(),
        decl::<UnreadRegion>(),
        decl::<CalendarEntry>(),
        decl::<CertUse>(),
        decl::<Due>(),
        decl::<UsedAs>(),
        decl::<ErrorCode>(),
        decl::<AppInfo>(),
        decl::<Change>(),
        decl::<Location>(),
        decl::<RegionView>(),
        decl::<RegionName>(),
        decl::<NewRegion>(),
        decl::<RegionEdit>(),
        decl::<ConnectionTest>(),
        decl::<ConnectionReport>(),
        decl::<HealthSnapshot>(),
        decl::<RegionHealth>(),
        decl::<HealthState>(),
        decl::<ComponentHealth>(),
        decl::<ComponentKind>(),
        decl::<ComponentStatus>(),
        decl::<OrgOnConsole>(),
        decl::<OrderingService>(),
        decl::<ImportReport>(),
        decl::<ItemReport>(),
        decl::<ItemSource>(),
        decl::<ItemOutcome>(),
        decl::<Finding>(),
        decl::<Severity>(),
        decl::<Remedy>(),
        decl::<IdentityView>(),
        decl::<RegionAdminReport>(),
        decl::<CaAdminStatus>(),
        decl::<CaAdminCredentials>(),
        decl::<EnrollCredentials>(),
        decl::<AuditEntry>(),
        decl::<AuditRead>(),
        decl::<crate::tls_trust::CertificateSummary>(),
        decl::<ExportResult>(),
        decl::<TransferEvent>(),
        decl::<TargetReport>(),
        decl::<TransferReport>(),
        decl::<Operation>(),
        decl::<Plan>(),
        decl::<Posture>(),
        decl::<RegionPosture>(),
        decl::<ServicePosture>(),
        decl::<OrgPosture>(),
        decl::<Lacking>(),
        decl::<RegionDistance>(),
        decl::<NodeHome>(),
        decl::<HeldBy>(),
        decl::<HomeRule>(),
        decl::<PostureFinding>(),
        decl::<FindingLevel>(),
        decl::<FindingCode>(),
        decl::<FindingFix>(),
        decl::<DriftReport>(),
        decl::<Drift>(),
        decl::<FieldDrift>(),
        decl::<MakeEqualReport>(),
        decl::<EqualizedCopy>(),
        decl::<ComponentDetails>(),
        decl::<Endpoint>(),
        decl::<CertificateDetail>(),
        decl::<crate::health::HealthRun>(),
        decl::<CaServerInfo>(),
        decl::<NamedCaInfo>(),
        decl::<RegisterRequest>(),
        decl::<RegisterReport>(),
        decl::<RegisteredOn>(),
        decl::<RegisterOutcome>(),
        decl::<CaIdentity>(),
        decl::<CaAttribute>(),
    ]
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// Fails when `ui/src/bindings` differs from what the Rust types generate.
    /// `UPDATE_BINDINGS=1 cargo test -p atlas-core bindings` rewrites them.
    #[test]
    fn bindings_are_current() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
        let update = std::env::var_os("UPDATE_BINDINGS").is_some();
        let mut stale = Vec::new();
        for (name, text) in super::bindings() {
            let path = dir.join(format!("{name}.ts"));
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &text).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(name);
            }
        }
        assert!(
            stale.is_empty(),
            "ui/src/bindings is out of date for {stale:?}: run `make bindings` and commit"
        );
    }
}
