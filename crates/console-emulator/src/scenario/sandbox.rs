//! The sandbox: what the HA guide's step 1 leaves in region 1 — an org CA, the org MSP, a
//! peer and an ordering service node, all deployed there (the region's own), with real
//! certificates and simulated nodes. Other regions start empty.

use anyhow::Result;

use super::seeding::{
    guide_orgs, put, save_admin_identity, Deployer, Holding, NodeSpec, ORDERING_SERVICE,
};
use crate::region::RegionState;

pub(super) async fn seed(region1: &RegionState) -> Result<()> {
    let (org1, orderers) = guide_orgs()?;
    let admin = org1.admin()?;
    let mut deployer = Deployer::default();
    deployer.own_ca(region1, &org1, "Org1 CA").await?;
    put(
        region1,
        &org1.msp_body("Org1 MSP", &admin, &region1.console_url),
        Holding::Own,
    )?;
    deployer
        .own_peer(
            region1,
            &org1,
            &admin,
            NodeSpec::new("Org1 Peer1", "peer1.org1.example.com"),
        )
        .await?;
    deployer
        .own_orderer(
            region1,
            &orderers,
            &ORDERING_SERVICE,
            NodeSpec::new("Ordering Service Node 1", "orderer1.example.com"),
        )
        .await?;
    save_admin_identity(region1, "org1admin", &admin)
}
