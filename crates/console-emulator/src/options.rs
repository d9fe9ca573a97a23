//! The public configuration and report types of the emulator.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// Per-client request limits, keyed like the console by client IP + `User-Agent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// GET requests per minute on `/ak/` (the console uses 4 x `max_req_per_min_ak`).
    pub get_per_min: u32,
    /// Non-GET requests per minute on `/ak/` (`max_req_per_min_ak`).
    pub non_get_per_min: u32,
    /// Failed authentications (401/403) that lock a client out.
    pub lockout_failures: u32,
    /// Rolling window in which those failures count.
    pub lockout_window: Duration,
}

impl Default for Limits {
    /// The console's defaults: 100 GET/min, 25 non-GET/min, lockout after 5 failures in 2 min.
    fn default() -> Self {
        Self {
            get_per_min: 100,
            non_get_per_min: 25,
            lockout_failures: 5,
            lockout_window: Duration::from_secs(120),
        }
    }
}

/// What the consoles hold at first start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// Every console starts empty.
    Empty,
    /// Region 1 holds an org CA, MSP, peer and ordering node with real certificates.
    Sandbox,
    /// One network spread over regions 1 to 3 for high availability: five ordering nodes
    /// (2-2-1), four peers (2-1-1), the org CA in region 1 and copies of it and of the org's
    /// MSP in regions 2 and 3; one certificate expires soon. Needs at least 3 regions.
    Ha,
}

impl FromStr for Scenario {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "empty" => Ok(Scenario::Empty),
            "sandbox" => Ok(Scenario::Sandbox),
            "ha" => Ok(Scenario::Ha),
            other => Err(format!(
                "unknown scenario '{other}' (expected 'empty', 'sandbox' or 'ha')"
            )),
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scenario::Empty => "empty",
            Scenario::Sandbox => "sandbox",
            Scenario::Ha => "ha",
        })
    }
}

/// How to start an [`crate::Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorOptions {
    /// Number of consoles (regions), at least 1.
    pub regions: usize,
    /// 0 = any free ports (a restart tries the ports used last time first);
    /// otherwise region i listens on `base_port + i - 1`.
    pub base_port: u16,
    /// One database per region lives here; the same folder gives back the same data.
    pub data_dir: PathBuf,
    pub scenario: Scenario,
    pub limits: Limits,
}

/// A Fabric CA's bootstrap identity: the enroll id and secret it starts with, with every
/// registrar right (fabric-ca-server's `-b admin:adminpw`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CaAdmin {
    pub enroll_id: String,
    pub enroll_secret: String,
}

impl Default for CaAdmin {
    /// `admin` / `adminpw`, fabric-ca-server's conventional bootstrap identity.
    fn default() -> Self {
        Self {
            enroll_id: "admin".into(),
            enroll_secret: "adminpw".into(),
        }
    }
}

impl FromStr for CaAdmin {
    type Err = String;

    /// `ID:SECRET`; the secret may hold further colons.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok(CaAdmin {
                enroll_id: id.into(),
                enroll_secret: secret.into(),
            }),
            _ => Err(format!(
                "'{s}' is not ID:SECRET (both parts needed, e.g. admin:adminpw)"
            )),
        }
    }
}

/// A Fabric CA a region hosts (its own CA component's node): one HTTPS port serving the
/// enrollment CA and the TLS CA by name, each with its bootstrap identity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegionCa {
    /// The CA component's id in the region's console.
    pub component_id: String,
    pub display_name: String,
    /// `https://127.0.0.1:PORT`: both CAs, selected with `?ca=` (none = the enrollment CA).
    pub api_url: String,
    /// `https://127.0.0.1:PORT`: `/healthz`, `/version`.
    pub operations_url: String,
    pub ca_name: String,
    pub tlsca_name: String,
    pub ca_admin: CaAdmin,
    pub tlsca_admin: CaAdmin,
}

/// What a client needs to reach one region's console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionInfo {
    /// 1-based.
    pub index: usize,
    pub name: String,
    pub location: String,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub console_url: String,
    /// A manager key (roles reader, writer, manager) created at first start.
    pub api_key: String,
    pub api_secret: String,
}

/// One request that reached a console and got an HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    pub method: String,
    /// Path including the query string, as sent.
    pub path: String,
    /// Who sent it (the console counts limits and lockouts per IP + User-Agent).
    pub user_agent: String,
    pub status: u16,
    /// When the answer was sent, milliseconds since the Unix epoch.
    pub time_ms: u64,
}

/// A wallet identity file (`{name, cert, private_key, type:"identity"}`, base64 PEM values),
/// as the console UI exports it. The sandbox makes one for the org admin of region 1.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdentityFile {
    pub name: String,
    pub cert: String,
    pub private_key: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_round_trips() {
        for s in [Scenario::Empty, Scenario::Sandbox, Scenario::Ha] {
            assert_eq!(s.to_string().parse::<Scenario>().unwrap(), s);
        }
        assert_eq!(" HA ".parse::<Scenario>(), Ok(Scenario::Ha));
        let err = "other".parse::<Scenario>().unwrap_err();
        for name in ["'empty'", "'sandbox'", "'ha'"] {
            assert!(err.contains(name), "{err} names {name}");
        }
    }

    #[test]
    fn ca_admin_parses_id_and_secret() {
        assert_eq!(CaAdmin::default().enroll_id, "admin");
        assert_eq!(CaAdmin::default().enroll_secret, "adminpw");
        let a: CaAdmin = "boot:s3:cret".parse().unwrap();
        assert_eq!(
            (a.enroll_id.as_str(), a.enroll_secret.as_str()),
            ("boot", "s3:cret")
        );
        for bad in ["admin", ":pw", "admin:", ""] {
            assert!(bad.parse::<CaAdmin>().is_err(), "{bad}");
        }
    }

    #[test]
    fn default_limits_are_the_consoles() {
        let l = Limits::default();
        assert_eq!(
            (l.get_per_min, l.non_get_per_min, l.lockout_failures),
            (100, 25, 5)
        );
        assert_eq!(l.lockout_window, Duration::from_secs(120));
    }
}
