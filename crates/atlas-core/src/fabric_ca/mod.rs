//! A Fabric CA client (issue 15): the guide's step 4.1 against Fabric CA itself — `cainfo`,
//! enroll (a fresh P-256 key made here, only the CSR sent), reenroll, register, identities and
//! affiliations of a named CA on a multi-CA server, with the token auth exactly as recorded from
//! fabric-ca-server 1.5.21 (`tests/fixtures/fabric-ca-1.5.21`).

mod client;
mod csr;
mod envelope;
mod token;

pub use client::{
    Affiliation, CaAttribute, CaIdentity, CaInfo, CaSigner, Enrollment, FabricCaClient,
    Registration, CA_TIMEOUT,
};
pub use csr::{csr_with_key, new_key_and_csr};
pub use envelope::CaError;
pub use token::{auth_token, payload};
