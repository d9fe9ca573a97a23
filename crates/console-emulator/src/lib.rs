//! A stand-in for Hyperledger Fabric Operations Consoles (the `/ak/api/v3` REST API of
//! console 2.5.2), written from the console's OpenAPI file, its source and 82 recorded
//! exchanges — not from our client — so the client is tested against behaviour it did not
//! define.
//!
//! One process runs several regions; each is a console on its own 127.0.0.1 port with its
//! own persistent store (redb), simulated nodes that answer real status probes, and fault
//! injection (a region or one node down, latency, forced 5xx) through this API or a small control HTTP API (loopback
//! `Host` and a bearer token made at start: [`Emulator::control_token`]). Each simulated CA
//! is a Fabric CA server (fabric-ca-server v1.5.21's REST API, from its recordings):
//! [`Emulator::cas`] lists them with their bootstrap identities; [`FabricCaServer`] runs one
//! on its own.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use console_emulator::{Emulator, EmulatorOptions, Limits, Scenario};
//! let emu = Emulator::start(EmulatorOptions {
//!     regions: 3,
//!     base_port: 0,
//!     data_dir: "/tmp/emulator".into(),
//!     scenario: Scenario::Sandbox,
//!     limits: Limits::default(),
//! })
//! .await?;
//! let us_east = &emu.regions()[0];
//! println!("{} {} {}", us_east.console_url, us_east.api_key, us_east.api_secret);
//! emu.set_down(2, true);
//! emu.shutdown().await;
//! # Ok(()) }
//! ```

// Route helpers bail out with a ready `Response` as their error; it is built once and
// returned at once, so boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

mod accounts;
mod auth;
mod bodyparse;
mod catalog;
mod certs;
mod control;
mod control_guard;
mod emulator;
mod fabric_ca;
mod faults;
mod format;
mod ids;
mod lockout;
mod nodes;
mod normalize;
mod options;
mod pipeline;
mod pki;
mod private_files;
mod probe;
mod ratelimit;
mod region;
mod routes;
mod scenario;
mod schemas;
mod server;
mod settings;
mod store;
mod util;
mod validate;

pub use emulator::Emulator;
pub use fabric_ca::{FabricCaOptions, FabricCaServer};
pub use options::{
    CaAdmin, EmulatorOptions, IdentityFile, Limits, LoggedRequest, RegionCa, RegionInfo, Scenario,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn is_send<T: Send>(_: &T) {}
    fn is_send_sync<T: Send + Sync + 'static>() {}

    /// The desktop app keeps an `Emulator` in shared state and starts it on its runtime.
    #[test]
    fn usable_from_async_app_state() {
        is_send_sync::<Emulator>();
        let start = Emulator::start(EmulatorOptions {
            regions: 1,
            base_port: 0,
            data_dir: std::env::temp_dir(),
            scenario: Scenario::Empty,
            limits: Limits::default(),
        });
        is_send(&start);
    }
}
