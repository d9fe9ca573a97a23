//! The one error contract every caller of the core sees (the desktop shell maps it to IPC as is).

use serde::Serialize;
use ts_rs::TS;

/// What kind of failure happened, as a stable machine-readable code for the UI and scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The caller gave something malformed; nothing was changed.
    InvalidInput,
    NotFound,
    /// The request conflicts with what exists (e.g. a region name already used).
    Conflict,
    /// The console could not be reached (connection refused, DNS, TLS, timeout).
    Unreachable,
    /// The console refused the credentials (never retried: consoles lock clients out).
    Unauthorized,
    /// The console locked this client out after repeated auth failures.
    LockedOut,
    RateLimited,
    /// The console answered with an error of its own.
    Console,
    /// The OS keyring failed or is unavailable.
    Keyring,
    /// The fleet configuration file could not be read or written.
    Config,
    Internal,
}

/// `{code, message, field?}`: the message is for a human and never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// The input the error is about, when one applies (`consoleUrl`, `caAdmin.enrollSecret`, …),
    /// so a form can show the message under it. Views never parse it out of the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    /// Invalid input in one named field: "field 'name': reason", with the field typed.
    pub fn invalid_field(field: &str, reason: impl std::fmt::Display) -> Self {
        Self::invalid(format!("field '{field}': {reason}")).with_field(field)
    }

    /// The same error, about `field`.
    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }
}
