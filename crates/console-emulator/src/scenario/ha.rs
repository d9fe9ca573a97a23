//! `ha`: the guide's network after its peers and ordering nodes were spread over three
//! regions. One ordering service of five nodes homed 2-2-1, Org1's four peers homed 2-1-1,
//! Org1's CA in region 1 and, in regions 2 and 3, imported copies of that CA and of the
//! Org1 MSP (the guide's steps 3–4). Every node is its region's own, with its own ports and
//! certificates; Org1 Peer4's TLS certificate expires within 30 days (for the certificate
//! calendar and the posture view to find), everything else lasts the usual period.

use anyhow::Result;
use std::sync::Arc;

use super::seeding::{
    guide_orgs, put, save_admin_identity, Deployer, Holding, NodeSpec, ORDERING_SERVICE,
};
use crate::pki::LEAF_DAYS;
use crate::region::RegionState;

/// The network spans regions 1 to 3.
pub(super) const REGIONS: usize = 3;

/// How long Org1 Peer4's TLS certificate lasts: the one certificate about to expire.
const SHORT_TLS_DAYS: i64 = 20;

/// (region index, display name, host) of every ordering node.
const ORDERERS: [(usize, &str, &str); 5] = [
    (1, "Ordering Service Node 1", "orderer1.example.com"),
    (1, "Ordering Service Node 2", "orderer2.example.com"),
    (2, "Ordering Service Node 3", "orderer3.example.com"),
    (2, "Ordering Service Node 4", "orderer4.example.com"),
    (3, "Ordering Service Node 5", "orderer5.example.com"),
];

/// (region index, display name, host, TLS certificate's days) of every Org1 peer.
const PEERS: [(usize, &str, &str, i64); 4] = [
    (1, "Org1 Peer1", "peer1.org1.example.com", LEAF_DAYS),
    (1, "Org1 Peer2", "peer2.org1.example.com", LEAF_DAYS),
    (2, "Org1 Peer3", "peer3.org1.example.com", LEAF_DAYS),
    (3, "Org1 Peer4", "peer4.org1.example.com", SHORT_TLS_DAYS),
];

/// Seeds regions 1 to 3 (`regions` holds exactly those).
pub(super) async fn seed(regions: &[Arc<RegionState>]) -> Result<()> {
    let region = |index: usize| &regions[index - 1];
    let (org1, orderers) = guide_orgs()?;
    let admin = org1.admin()?;
    let mut deployer = Deployer::default();

    let home = region(1);
    let ca = deployer.own_ca(home, &org1, "Org1 CA").await?;
    let msp = org1.msp_body("Org1 MSP", &admin, &home.console_url);
    put(home, &msp, Holding::Own)?;
    for copy in &regions[1..] {
        put(copy, &ca, Holding::Imported)?;
        put(copy, &msp, Holding::Imported)?;
    }

    for (index, display_name, host, tls_days) in PEERS {
        let spec = NodeSpec {
            display_name,
            host,
            tls_days,
        };
        deployer
            .own_peer(region(index), &org1, &admin, spec)
            .await?;
    }
    for (index, name, host) in ORDERERS {
        deployer
            .own_orderer(
                region(index),
                &orderers,
                &ORDERING_SERVICE,
                NodeSpec::new(name, host),
            )
            .await?;
    }
    save_admin_identity(home, "org1admin", &admin)
}
