//! A multi-console operation as a view or the command line asks for it, and the plan the core
//! makes of it. The views render the plan and apply the operation; every rule (which items go
//! where, never a region onto itself, a CA only with its admin credentials) is decided here.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ca_admins::CaAdminStatus;
use crate::transfer::TargetReport;

/// What to do across consoles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Operation {
    /// Components of one region copied to others.
    #[serde(rename_all = "camelCase")]
    Copy {
        source_region_id: String,
        component_ids: Vec<String>,
        target_region_ids: Vec<String>,
    },
    /// An org (its MSP definitions, its CAs, and from the wallet its admin identities) brought
    /// from one region to others: the guide's steps 3 and 4.
    #[serde(rename_all = "camelCase")]
    ReplicateOrg {
        source_region_id: String,
        msp_id: String,
        target_region_ids: Vec<String>,
    },
    /// Every console learns every other console's peers and ordering nodes.
    Mesh,
}

impl Operation {
    /// What the audit log and the reports call it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Copy { .. } => "transfer",
            Self::ReplicateOrg { .. } => "replicate org",
            Self::Mesh => "mesh",
        }
    }
}

/// What an operation would do, read from fresh lists of every console involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub operation: Operation,
    /// Per target, every item with its predicted outcome (`would_create`, `already_there`,
    /// `conflict`); a replication's admin identities are `identity` items.
    pub targets: Vec<TargetReport>,
    /// The CAs it would create whose admin and TLS CA admin enroll credentials are not kept:
    /// applying the operation is refused until they are given.
    pub cas_lacking_admins: Vec<CaAdminStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_reads_as_the_views_send_it() {
        let copy: Operation = serde_json::from_str(
            r#"{"kind":"copy","sourceRegionId":"a","componentIds":["x"],"targetRegionIds":["b"]}"#,
        )
        .unwrap();
        assert_eq!(
            copy,
            Operation::Copy {
                source_region_id: "a".into(),
                component_ids: vec!["x".into()],
                target_region_ids: vec!["b".into()],
            }
        );
        let mesh: Operation = serde_json::from_str(r#"{"kind":"mesh"}"#).unwrap();
        assert_eq!(mesh.name(), "mesh");
        let replicate: Operation = serde_json::from_str(
            r#"{"kind":"replicate_org","sourceRegionId":"a","mspId":"Org1MSP","targetRegionIds":[]}"#,
        )
        .unwrap();
        assert_eq!(replicate.name(), "replicate org");
    }
}
