//! Wallet identity files in the console's format: `{cert, name, private_key, type:"identity"}`
//! with base64 PEM values. Writing one is the only place a private key is serialized; write
//! the result with owner-only permissions (0600), or encrypt it ([`super::encrypt_identity`]).

use serde_json::{Map, Value};

use super::export::ExportedFile;
use super::finding::Finding;
use super::json::to_console_json;
use super::model::Identity;
use super::pem::to_base64_pem;

/// `<name>_identity.json`, the console's file name for an identity.
pub fn identity_file_name(name: &str) -> String {
    format!("{name}_identity.json")
}

/// The console's identity file for `identity` (keys sorted, four-space indent, values base64
/// PEM). Refused when there is no private key to write (an HSM-held Ansible identity).
pub fn identity_file(identity: &Identity) -> Result<ExportedFile, Finding> {
    let file_name = identity_file_name(&identity.name);
    let Some(key) = &identity.private_key else {
        return Err(Finding::error(
            file_name,
            "private_key",
            "is absent (held in an HSM): the console's identity format needs the private key",
        ));
    };
    if identity.name.trim().is_empty() {
        return Err(Finding::error(
            file_name,
            "name",
            "is empty: an identity needs a name",
        ));
    }
    let mut obj = Map::new();
    obj.insert("cert".into(), Value::String(to_base64_pem(&identity.cert)));
    obj.insert("name".into(), Value::String(identity.name.clone()));
    obj.insert(
        "private_key".into(),
        Value::String(to_base64_pem(key.expose())),
    );
    obj.insert("type".into(), Value::String("identity".into()));
    Ok(ExportedFile {
        file_name,
        contents: to_console_json(&Value::Object(obj)).into_bytes(),
    })
}
