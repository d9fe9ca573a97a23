//! The keyring probe against keyring's in-memory mock. A test binary of its own: the mock is
//! installed for the whole process, and no other test may run beside it.

use atlas_core::secrets::{KeyringStore, Secret, SecretKey, SecretStore};
use atlas_core::ErrorCode;

/// Without a platform store the keyring crate writes to an in-memory mock: the probe sees the
/// value gone through a fresh handle, and nothing is "stored" there.
#[test]
fn the_probe_catches_a_store_that_keeps_nothing() {
    keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
    let store = KeyringStore::with_service("fabric-atlas-probe-test");
    let e = store
        .put(&SecretKey::console_api_secret("east"), &Secret::new("s"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Keyring);
    assert!(e.message.contains("does not keep secrets"), "{}", e.message);
    assert!(
        e.message.contains("was gone when read back"),
        "{}",
        e.message
    );
}
