//! Starting, controlling and stopping the whole emulator: the regions' consoles, their
//! simulated nodes and the control API.

use anyhow::{ensure, Context, Result};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::control_guard::ControlGuard;
use crate::options::{CaAdmin, EmulatorOptions, IdentityFile, LoggedRequest, RegionCa, RegionInfo};
use crate::region::{open_region, RegionSetup, RegionState};
use crate::server::{bind_loopback, serve, DownWhen, Handler};
use crate::{control, nodes, pipeline, private_files, routes, scenario};

/// A running set of emulated consoles. Dropping it stops every server (use
/// [`Emulator::shutdown`] to also wait until they have stopped and the stores are closed).
pub struct Emulator {
    regions: Vec<Arc<RegionState>>,
    infos: Vec<RegionInfo>,
    control_url: String,
    control_token: String,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Emulator {
    /// Opens (or creates) every region's store under `opts.data_dir`, seeds the scenario on
    /// first start, and starts the consoles, the simulated nodes and the control API, all
    /// on 127.0.0.1. Returns once everything is listening. Every simulated CA's bootstrap
    /// identity is `admin` / `adminpw`.
    pub async fn start(opts: EmulatorOptions) -> Result<Emulator> {
        Emulator::start_with_ca_admin(opts, CaAdmin::default()).await
    }

    /// [`Emulator::start`] with `ca_admin` as the bootstrap identity of every simulated CA
    /// (both CAs of each CA node). It applies at every start: an existing identity of that id
    /// gets this secret.
    pub async fn start_with_ca_admin(opts: EmulatorOptions, ca_admin: CaAdmin) -> Result<Emulator> {
        ensure!(opts.regions >= 1, "at least one region is needed");
        scenario::check_regions(opts.scenario, opts.regions)?;
        if opts.base_port != 0 {
            ensure!(
                usize::from(opts.base_port) + opts.regions <= usize::from(u16::MAX),
                "base port {} leaves no room for {} regions and the control API",
                opts.base_port,
                opts.regions
            );
        }
        private_files::create_dir(&opts.data_dir)
            .with_context(|| format!("creating {}", opts.data_dir.display()))?;

        let (shutdown, shutdown_rx) = watch::channel(false);
        let mut emulator = Emulator {
            regions: Vec::new(),
            infos: Vec::new(),
            control_url: String::new(),
            control_token: String::new(),
            shutdown,
            tasks: Vec::new(),
        };
        // Every console is open (its URL known) before any is seeded: a scenario may spread one
        // network over several regions, with copies naming region 1's console.
        let mut listeners = Vec::new();
        for index in 1..=opts.regions {
            let (name, location) = scenario::region_identity(opts.scenario, index);
            let port = if opts.base_port == 0 {
                0
            } else {
                opts.base_port + (index - 1) as u16
            };
            let (state, listener) = open_region(RegionSetup {
                index,
                name,
                location,
                data_dir: &opts.data_dir,
                port,
                limits: opts.limits.clone(),
                ca_admin: ca_admin.clone(),
            })
            .await?;
            emulator.regions.push(Arc::new(state));
            listeners.push(listener);
        }
        scenario::seed(&emulator.regions, opts.scenario).await?;

        for (state, listener) in emulator.regions.clone().into_iter().zip(listeners) {
            emulator
                .tasks
                .extend(nodes::start_nodes(&state, &shutdown_rx).await?);

            let router = routes::router(state.clone());
            let st = state.clone();
            let handler: Handler = Arc::new(move |req, peer| {
                Box::pin(pipeline::handle(st.clone(), router.clone(), req, peer))
            });
            emulator.tasks.push(tokio::spawn(serve(
                listener,
                handler,
                DownWhen::new(state.faults.watch_down()),
                shutdown_rx.clone(),
                None,
            )));
            emulator.infos.push(state.info());
        }

        let control_port = if opts.base_port == 0 {
            0
        } else {
            opts.base_port + opts.regions as u16
        };
        let listener = match bind_loopback(control_port).await {
            Ok(l) => l,
            Err(e) if control_port != 0 => {
                tracing::warn!("control port {control_port} is taken ({e}); using any free port");
                bind_loopback(0).await?
            }
            Err(e) => return Err(e.into()),
        };
        let control_port = listener.local_addr()?.port();
        emulator.control_url = format!("http://127.0.0.1:{control_port}");
        let guard = ControlGuard::new(control_port)?;
        emulator.control_token = guard.token().to_string();
        // the control API is never "down"
        let (_never_down, never_down_rx) = watch::channel(false);
        emulator.tasks.push(tokio::spawn(serve(
            listener,
            control::handler(emulator.regions.clone(), guard),
            DownWhen::new(never_down_rx),
            shutdown_rx,
            None,
        )));
        Ok(emulator)
    }

    /// The regions, in index order.
    pub fn regions(&self) -> &[RegionInfo] {
        &self.infos
    }

    /// `http://127.0.0.1:PORT` of the control API.
    pub fn control_url(&self) -> &str {
        &self.control_url
    }

    /// The control API's token, new at every start: every request to it must carry
    /// `Authorization: Bearer <token>`. Whoever holds it holds every console's secrets.
    pub fn control_token(&self) -> &str {
        &self.control_token
    }

    fn region(&self, region: usize) -> &RegionState {
        self.regions
            .iter()
            .find(|r| r.index == region)
            .unwrap_or_else(|| panic!("the emulator has no region {region}"))
    }

    /// Takes a region down (its console and nodes refuse service: connections are closed
    /// without an answer) or brings it back up. `region` is 1-based.
    pub fn set_down(&self, region: usize, down: bool) {
        self.region(region).faults.set_down(down);
    }

    /// Takes one node the region hosts down (its servers refuse service, as a downed region's
    /// do, so every console holding a copy of it sees it "not ok") or brings it back up.
    /// `component_id` is the node's id in that region's console; an id the region hosts no
    /// node under (unknown, an MSP, an imported copy) is an error.
    pub fn set_node_down(&self, region: usize, component_id: &str, down: bool) -> Result<()> {
        ensure!(
            nodes::set_down(self.region(region), component_id, down)?,
            "region {region} hosts no node '{component_id}'"
        );
        Ok(())
    }

    /// Delays every request to the region's console by `latency`.
    pub fn set_latency(&self, region: usize, latency: Duration) {
        self.region(region).faults.set_latency(latency);
    }

    /// `Some(503)`: every `/ak/` request to the region's console answers 503. `None` stops it.
    pub fn set_fail_status(&self, region: usize, status: Option<u16>) {
        self.region(region).faults.set_fail_status(status);
    }

    /// Forces `status` on the region's next `count` `/ak/` requests, then answers normally. An
    /// injected 429 carries `Retry-After: 1`.
    pub fn set_fail_next(&self, region: usize, status: u16, count: u64) {
        self.region(region)
            .faults
            .set_fail_next(Some(status), count);
    }

    /// Every request the region's console answered since start (or the last clear).
    pub fn request_log(&self, region: usize) -> Vec<LoggedRequest> {
        self.region(region).log.snapshot()
    }

    /// Empties the region's request log.
    pub fn clear_request_log(&self, region: usize) {
        self.region(region).log.clear();
    }

    /// The console user created at first start (e-mail, password): it can create API keys.
    pub fn admin_login(&self, region: usize) -> (String, String) {
        let r = self.region(region);
        (r.admin_email.clone(), r.admin_password.clone())
    }

    /// Wallet identity files the scenario made for the region (the sandbox's org admin in
    /// region 1; none elsewhere).
    pub fn identities(&self, region: usize) -> Vec<IdentityFile> {
        scenario::identities(self.region(region))
    }

    /// The Fabric CAs the region hosts (its own CA components' nodes), with their bootstrap
    /// identities. A region holding only an imported copy of a CA lists none: the copy's
    /// `api_url` is the hosting region's.
    pub fn cas(&self, region: usize) -> Vec<RegionCa> {
        nodes::cas(self.region(region))
    }

    /// Stops every server and waits until they are gone and the stores are closed.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
        self.regions.clear();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}
