//! What each region is called and what it holds at first start.
//!
//! Both networks follow IBM's multi-region HA guide: three regions close together; the
//! sandbox is what the guide's step 1 leaves in region 1 (`sandbox.rs`), `ha` the network
//! after its peers and ordering nodes were spread over the three regions (`ha.rs`). The
//! pieces they are built from are in `seeding.rs`.

mod ha;
mod sandbox;
mod seeding;

use anyhow::{bail, ensure, Result};
use std::sync::Arc;

use crate::options::{IdentityFile, Scenario};
use crate::region::RegionState;

/// Name and location id of region `index` (1-based).
pub(crate) fn region_identity(scenario: Scenario, index: usize) -> (String, String) {
    match (scenario, index) {
        (Scenario::Sandbox | Scenario::Ha, 1) => ("US East".into(), "us-east-1".into()),
        (Scenario::Sandbox | Scenario::Ha, 2) => ("US West".into(), "us-west-2".into()),
        (Scenario::Sandbox | Scenario::Ha, 3) => ("Canada".into(), "ca-central-1".into()),
        (_, n) => (format!("Region {n}"), format!("region-{n}")),
    }
}

/// Refuses a start with fewer regions than the scenario's network spans, before anything is
/// written to the data folder.
pub(crate) fn check_regions(scenario: Scenario, regions: usize) -> Result<()> {
    if scenario == Scenario::Ha {
        ensure!(
            regions >= ha::REGIONS,
            "the ha scenario spreads one network over regions 1 to {}: it needs at least {} regions, not {regions}",
            ha::REGIONS,
            ha::REGIONS
        );
    }
    Ok(())
}

const SEEDED: &str = "seeded";

/// Fills the regions' stores on first start (every console is open, so its URL is known);
/// later starts find them seeded and do nothing. The scenario's network is seeded whole or
/// not at all: regions of an `ha` network seeded apart would not share one PKI.
pub(crate) async fn seed(regions: &[Arc<RegionState>], scenario: Scenario) -> Result<()> {
    let mut fresh = Vec::with_capacity(regions.len());
    for r in regions {
        fresh.push(r.store.meta(SEEDED)?.is_none());
    }
    match scenario {
        Scenario::Empty => {}
        Scenario::Sandbox => {
            if let (Some(first), Some(true)) = (regions.first(), fresh.first()) {
                sandbox::seed(first).await?;
            }
        }
        Scenario::Ha => {
            let (Some(network), Some(network_fresh)) =
                (regions.get(..ha::REGIONS), fresh.get(..ha::REGIONS))
            else {
                bail!("the ha scenario needs at least {} regions", ha::REGIONS);
            };
            if network_fresh.iter().all(|f| *f) {
                ha::seed(network).await?;
            } else if network_fresh.iter().any(|f| *f) {
                bail!(
                    "regions 1 to {} of this data folder were not all seeded at one start; the ha scenario seeds them together: use a new data folder",
                    ha::REGIONS
                );
            }
        }
    }
    for (r, fresh) in regions.iter().zip(fresh) {
        if fresh {
            r.store.set_meta(SEEDED, &scenario.to_string())?;
        }
    }
    Ok(())
}

/// The wallet identities the scenario made for this region (the org admin in region 1).
pub(crate) fn identities(state: &RegionState) -> Vec<IdentityFile> {
    seeding::identities(state)
}
