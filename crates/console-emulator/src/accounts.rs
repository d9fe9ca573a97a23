//! Creating the console's credentials: API keys, access tokens and the initial admin user.
//! Secrets are stored as salted hashes, like athena does.

use anyhow::Result;

use crate::auth::{hash_secret, new_salt, new_token};
use crate::store::{ApiKeyRecord, Store, TokenRecord, UserRecord};
use crate::util::{now_ms, random_alnum};

/// A new API key with `roles` (lower-case); returns (key, secret).
pub(crate) fn create_api_key(
    store: &Store,
    roles: &[String],
    description: &str,
) -> Result<(String, String)> {
    let key = format!("k{}", random_alnum(15));
    let secret = random_alnum(32);
    let salt = new_salt();
    store.put_api_key(
        &key,
        &ApiKeyRecord {
            roles: roles.to_vec(),
            description: description.to_string(),
            hashed_secret: hash_secret(&salt, &secret),
            salt,
            timestamp: now_ms(),
        },
    )?;
    Ok((key, secret))
}

/// A new bearer token for `created_by`; returns the token and what was stored.
pub(crate) fn create_token(
    store: &Store,
    created_by: &str,
    roles: &[String],
    expires_in_secs: u64,
) -> Result<(String, TokenRecord)> {
    let token = new_token(created_by);
    let now = now_ms();
    let record = TokenRecord {
        roles: roles.to_vec(),
        timestamp: now,
        expiration: now + expires_in_secs * 1000,
        expires_in: expires_in_secs,
        created_by: created_by.to_string(),
    };
    store.put_token(&token, &record)?;
    Ok((token, record))
}

/// A console user (the couchdb auth scheme's access list entry).
pub(crate) fn create_user(
    store: &Store,
    email: &str,
    password: &str,
    roles: &[String],
) -> Result<()> {
    let salt = new_salt();
    store.put_user(
        &email.to_lowercase(),
        &UserRecord {
            roles: roles.to_vec(),
            hashed_secret: hash_secret(&salt, password),
            salt,
            created: now_ms(),
        },
    )
}

pub(crate) fn all_roles() -> Vec<String> {
    crate::auth::ROLES.iter().map(|r| r.to_string()).collect()
}
