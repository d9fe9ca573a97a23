//! Passphrase-encrypted identity files: the console's identity JSON inside an ASCII-armored
//! age file (scrypt recipient), readable with `rage -d` or any age implementation.

use std::io::{Read, Write};
use std::time::SystemTime;

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use age::secrecy::SecretString;

use super::export::ExportedFile;
use super::finding::{Finding, WHOLE_FILE};
use super::identity::identity_file;
use super::json::MAX_JSON_BYTES;
use super::model::{Artifact, Identity};
use super::read::read_file;
use crate::Secret;

/// `<name>_identity.json.age`.
pub fn encrypted_identity_file_name(name: &str) -> String {
    format!("{}.age", super::identity::identity_file_name(name))
}

/// Encrypts `identity`'s console file with `passphrase` (age scrypt, work factor tuned to
/// about a second on this machine).
pub fn encrypt_identity(identity: &Identity, passphrase: &Secret) -> Result<ExportedFile, Finding> {
    encrypt(identity, passphrase, None)
}

/// As [`encrypt_identity`] with an explicit scrypt work factor `log_n` (N = 2^log_n; age's
/// default targets one second, 18 is a common floor). For tests and slow devices.
pub fn encrypt_identity_with_work_factor(
    identity: &Identity,
    passphrase: &Secret,
    log_n: u8,
) -> Result<ExportedFile, Finding> {
    encrypt(identity, passphrase, Some(log_n.clamp(1, 30)))
}

fn encrypt(
    identity: &Identity,
    passphrase: &Secret,
    log_n: Option<u8>,
) -> Result<ExportedFile, Finding> {
    let file_name = encrypted_identity_file_name(&identity.name);
    let fail = |reason: String| Finding::error(&file_name, WHOLE_FILE, reason);
    if passphrase.expose().is_empty() {
        return Err(fail("the passphrase is empty".into()));
    }
    let plain = identity_file(identity)?;
    let mut recipient =
        age::scrypt::Recipient::new(SecretString::from(passphrase.expose().to_string()));
    if let Some(n) = log_n {
        recipient.set_work_factor(n);
    }
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| fail(format!("cannot encrypt ({e})")))?;
    let mut out = Vec::new();
    let armor = ArmoredWriter::wrap_output(&mut out, Format::AsciiArmor)
        .map_err(|e| fail(format!("cannot encrypt ({e})")))?;
    let mut writer = encryptor
        .wrap_output(armor)
        .map_err(|e| fail(format!("cannot encrypt ({e})")))?;
    writer
        .write_all(&plain.contents)
        .and_then(|_| writer.finish())
        .and_then(|armor| armor.finish())
        .map_err(|e| fail(format!("cannot encrypt ({e})")))?;
    Ok(ExportedFile {
        file_name,
        contents: out,
    })
}

/// Decrypts an encrypted identity file and reads the identity inside, with the warnings of
/// its validation at `now`. A wrong passphrase is a finding, like any bad input.
pub fn decrypt_identity(
    name: &str,
    bytes: &[u8],
    passphrase: &Secret,
    now: SystemTime,
) -> Result<(Identity, Vec<Finding>), Vec<Finding>> {
    let refuse = |reason: &str| vec![Finding::error(name, WHOLE_FILE, reason)];
    if bytes.len() > 4 * MAX_JSON_BYTES {
        return Err(refuse("the file is too large to be an encrypted identity"));
    }
    let decryptor = age::Decryptor::new(ArmoredReader::new(bytes))
        .map_err(|_| refuse("is not an age-encrypted file"))?;
    if !decryptor.is_scrypt() {
        return Err(refuse("is encrypted to a key, not with a passphrase"));
    }
    let identity = age::scrypt::Identity::new(SecretString::from(passphrase.expose().to_string()));
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::ExcessiveWork { .. } => {
                refuse("needs more work to decrypt than this application allows")
            }
            _ => refuse("wrong passphrase: the file cannot be decrypted with it"),
        })?;
    let mut plain = Vec::new();
    reader
        .by_ref()
        .take(MAX_JSON_BYTES as u64 + 1)
        .read_to_end(&mut plain)
        .map_err(|_| refuse("is damaged: its encrypted content does not authenticate"))?;
    let inner = name.strip_suffix(".age").unwrap_or(name);
    let parsed = read_file(inner, &plain, now)?;
    let mut items = parsed.items.into_iter();
    match (items.next(), items.next()) {
        (Some(item), None) => match item.artifact {
            Artifact::Identity(id) => Ok((id, item.warnings)),
            other => Err(refuse(&format!(
                "holds {}, not a wallet identity",
                other.kind().described()
            ))),
        },
        _ => Err(refuse(
            "holds more than one artifact, not a wallet identity",
        )),
    }
}
