//! Fabric CA's answer envelope: `{"result", "errors": [{"code", "message"}], "messages",
//! "success"}`. Any 2xx is success (the server answers 201 to some GETs after a POST on the
//! same endpoint); an error carries the CA's own code and message.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// What went wrong talking to a Fabric CA.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaError {
    /// The CA refused the request: its HTTP status, error code and message.
    #[error("{message} (Fabric CA error {code}, HTTP {status})")]
    Refused {
        status: u16,
        code: i64,
        message: String,
    },
    /// No answer (connection, TLS, timeout), with what to check.
    #[error("{0}")]
    Unreachable(String),
    /// An answer that is not the CA's envelope (a proxy, another server).
    #[error("HTTP {status}: not a Fabric CA answer ({detail})")]
    Unexpected { status: u16, detail: String },
}

impl CaError {
    /// The CA's error code, when it refused.
    pub fn code(&self) -> Option<i64> {
        match self {
            Self::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    result: Value,
    #[serde(default)]
    errors: Vec<ErrorEntry>,
    #[serde(default)]
    success: bool,
}

#[derive(Deserialize)]
struct ErrorEntry {
    #[serde(default)]
    code: i64,
    #[serde(default)]
    message: String,
}

/// The result of an answer with HTTP `status` and `body`, as a `T`.
pub fn read<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, CaError> {
    let unexpected = |detail: String| CaError::Unexpected { status, detail };
    let envelope: Envelope = serde_json::from_slice(body).map_err(|_| {
        let text = String::from_utf8_lossy(body);
        unexpected(text.trim().chars().take(120).collect())
    })?;
    if let Some(first) = envelope.errors.into_iter().next() {
        return Err(CaError::Refused {
            status,
            code: first.code,
            message: first.message,
        });
    }
    if !(200..300).contains(&status) || !envelope.success {
        return Err(unexpected("no success and no error".to_owned()));
    }
    serde_json::from_value(envelope.result).map_err(|e| unexpected(format!("result: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(name: &str) -> (u16, Vec<u8>) {
        let path = format!(
            "{}/../../tests/fixtures/fabric-ca-1.5.21/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let r: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let res = &r["response"];
        (
            res["status"].as_u64().unwrap() as u16,
            res["body"].as_str().unwrap().as_bytes().to_vec(),
        )
    }

    #[test]
    fn a_201_success_a_refusal_with_its_code_and_a_plain_404_are_told_apart() {
        let (status, body) = recorded("87-console-identities-list.json");
        assert_eq!(
            status, 201,
            "a GET answered 201 after a POST: still success"
        );
        let list: Value = read(status, &body).unwrap();
        assert!(list["identities"].is_array());
        let (status, body) = recorded("21-register-duplicate.json");
        assert_eq!(
            read::<Value>(status, &body).unwrap_err(),
            CaError::Refused {
                status: 409,
                code: 74,
                message: "Identity 'peer1' is already registered".into()
            }
        );
        let (status, body) = recorded("67-unknown-path.json");
        assert!(matches!(
            read::<Value>(status, &body),
            Err(CaError::Unexpected { status: 404, .. })
        ));
    }
}
