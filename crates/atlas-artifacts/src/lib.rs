//! The console's artifact files: reading, checking, transforming and writing the JSON (and
//! ZIP) files the Fabric Operations Console exports and imports — CAs, peers, ordering
//! services, MSP definitions and wallet identities. Pure: no network, no Tauri, no disk.
//!
//! # Reading a dropped file
//!
//! [`read_file`]`(name, bytes, now)` takes a file's name and bytes and answers either a
//! [`ParsedFile`] (its [`ParsedItem`]s, each an [`Artifact`] with its warnings) or every
//! [`Finding`] when anything is wrong. A finding names the file, the field (a JSON path such as
//! `msp.component.tls_cert`, `[1].api_url`, `private_key`; `$` for the whole document) and the
//! reason, with a [`Severity`]; its `Display` is `file: field: reason`.
//!
//! What is checked: the console UI's size limits ([`MAX_JSON_BYTES`], [`MAX_ZIP_BYTES`]),
//! UTF-8, JSON syntax and nesting ([`MAX_DEPTH`]), no key twice in one object (the console
//! would silently keep the last; the finding names the key's path); the kind (from `type` or
//! the fields, with the `<name>_<kind>.json` suffix or ZIP folder as a hint — a disagreement is
//! reported, never guessed); names (required, ≤64 chars, no control characters; the UI's
//! 30-char and first-character rules as warnings); URLs by the console's rules
//! (`grpcs://host:port`, `https://host[:port]`); every certificate (base64 PEM or raw PEM, real
//! X.509 parsing, expired or not yet valid = error, expiring within 30 days = warning, at the
//! `now` given); CA flags of roots and intermediates; chains through the intermediates the
//! file gives, up to its roots, every issuer a CA and every signature verified
//! ([`x509::chain`]): a node's TLS cert through `msp.intermediate_tlsca`, its ecert and admin
//! certs through `msp.intermediate_ca`, a CA's intermediates to its roots, an MSP's admins
//! through `intermediate_certs` and its intermediates to its roots; an identity's key (PKCS#8
//! required; SEC1 is an error offering [`sec1_to_pkcs8`]; EC P-256 keys are matched against
//! the certificate); keys the console would refuse inside `msp`.
//!
//! A bulk ZIP is read by [`read_file`] all-or-nothing, or entry by entry with [`read_bulk`]
//! ([`BulkReport`], one [`BulkEntry`] outcome per entry).
//!
//! [`validate_identity_for_msp`] checks that an identity belongs to an organization;
//! [`check_batch`] applies it across the files of one batch: an identity file given with MSP
//! definitions must belong to one of them.
//!
//! # Importing
//!
//! [`import_requests`] turns an artifact into the `POST /ak/api/v3/components/{route}` bodies
//! the console's v3 API accepts ([`ImportRequest`]): legacy keys dropped and their values moved
//! (`msp.component.tls_cert ← tls_cert`, `msp.tlsca.root_certs ← [tls_ca_root_cert ∥ pem]`,
//! `display_name ← name`, `api_url ← ca_url`, …), a node's or CA's `msp.intermediate_ca` /
//! `msp.intermediate_tlsca` certificates sent after its `msp.ca` / `msp.tlsca` roots (the v3
//! API refuses those keys; in `root_certs` the chain survives), `id` left out unless
//! [`TransformOptions::keep_ids`], `location: ibm_saas` left out, orderer nodes one request each
//! tagged with their cluster id. Identities have no import request (the console keeps wallets
//! in the browser).
//!
//! # Writing
//!
//! [`export_component`] and [`export_ordering_service`] write what the console UI downloads for
//! a component as `GET /ak/api/v3/components/{id}` returns it (legacy keys synthesised, keys
//! sorted, four-space indent, `<display name>_<type>.json`); [`identity_file`] writes a wallet
//! identity (the one place a private key is serialized); [`write_bulk_zip`] writes a region's
//! bulk ZIP; [`encrypt_identity`] / [`decrypt_identity`] wrap an identity file in age
//! (passphrase, ASCII armor).
//!
//! Private keys are [`Secret`]s in memory: redacted in `Debug`, never
//! serialized except by [`identity_file`]. Write identity files with owner-only permissions.
//!
//! [`Secret`] (the redacted secret value the whole application uses) and [`safe_file_name`] (one
//! safe file-name component of a console's name) are here because the formats need them;
//! `atlas_core` re-exports both where they always were (`secrets::Secret`,
//! `user_files::safe_file_name`).

mod bulk;
mod calendar;
mod cert_details;
mod chains;
mod check;
mod detect;
mod encrypt;
mod export;
mod fields;
mod file_name;
mod finding;
mod identity;
mod json;
mod keys;
mod membership;
mod model;
mod parse;
pub mod pem;
mod read;
mod secret;
mod strict_json;
#[cfg(test)]
mod test_pki;
mod transform;
mod validate;
pub mod x509;

pub use bulk::{
    read_bulk, write_bulk_zip, BulkEntry, BulkReport, MAX_ZIP_ENTRIES, MAX_ZIP_INFLATED,
};
pub use calendar::{calendar, certificates_in, CalendarEntry, Carried, CertUse, Due, UsedAs};
pub use cert_details::{certificate_details, CertificateDetail};
pub use check::{CertRole, MAX_NAME_CHARS, UI_MAX_NAME_CHARS};
pub use detect::{kind_from_file_name, kind_from_folder, kind_from_type};
pub use encrypt::{
    decrypt_identity, encrypt_identity, encrypt_identity_with_work_factor,
    encrypted_identity_file_name,
};
pub use export::{export_component, export_ordering_service, ExportOptions, ExportedFile};
pub use file_name::safe_file_name;
pub use finding::{has_errors, Finding, Remedy, Severity, WHOLE_FILE};
pub use identity::{identity_file, identity_file_name};
pub use json::{to_console_json, MAX_DEPTH, MAX_JSON_BYTES, MAX_ZIP_BYTES};
pub use keys::{check_key_matches, key_format, sec1_to_pkcs8, KeyFormat, KeyProblem};
pub use membership::{check_batch, validate_identity_for_msp};
pub use model::{
    Artifact, ArtifactKind, CaFile, CommonFields, ComponentCerts, FabricNodeOus, Identity,
    IdentityFormat, MspCrypto, MspDefinition, NamedRoots, NodeFields, NodeOu, OrdererFields,
    OrdererNode, OrdererShape, OrderingService, OuIdentifier, PeerFile,
};
pub use read::{read_file, ParsedFile, ParsedItem};
pub use secret::Secret;
pub use transform::{
    ca_body, import_requests, msp_body, normalize_cluster_id, orderer_body, peer_body,
    with_default_port, ImportRequest, TransformOptions, ROUTE_CA, ROUTE_MSP, ROUTE_ORDERER,
    ROUTE_PEER,
};
