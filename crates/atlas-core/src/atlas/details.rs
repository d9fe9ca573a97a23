//! A component's details (issue 14's drawer): its endpoints, certificates in full, where it
//! runs and which rule decided it, which consoles hold copies, and its recent health.

use std::collections::BTreeSet;
use std::time::SystemTime;

use serde::Serialize;
use ts_rs::TS;

use super::Atlas;
use crate::artifacts::{certificate_details, CertificateDetail};
use crate::component::{Component, ComponentKind};
use crate::drift::drift_key;
use crate::error::{AppError, ErrorCode};
use crate::health::HealthRun;
use crate::ipc::UnreadRegion;
use crate::posture::{node_homes, HeldBy, HomeRule};

/// An address a component answers on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComponentDetails {
    pub region_id: String,
    pub component_id: String,
    pub display_name: String,
    pub kind: ComponentKind,
    pub msp_id: Option<String>,
    /// The console holds it as an import.
    pub imported: bool,
    pub endpoints: Vec<Endpoint>,
    /// Ordering nodes: their ordering service's name.
    pub ordering_service: Option<String>,
    pub certificates: Vec<CertificateDetail>,
    /// Nodes and CAs: the region it runs in (`None`: unplaced) and the rule that decided it.
    pub home: Option<String>,
    pub rule: Option<HomeRule>,
    /// Every console holding a record of it (the same node, CA or MSP), in the fleet's order.
    pub held_by: Vec<HeldBy>,
    /// Its recent health results on this console, latest first (the app's poller; none in the
    /// CLI).
    pub health: Vec<HealthRun>,
    /// Consoles that could not be read: whether they hold copies is not known.
    pub unread: Vec<UnreadRegion>,
}

const ENDPOINTS: [(&str, &str); 5] = [
    ("api_url", "API"),
    ("operations_url", "Operations"),
    ("grpcwp_url", "gRPC-web proxy"),
    ("osnadmin_url", "OSN admin"),
    ("host_url", "Console"),
];

impl Atlas {
    /// The details of component `component_id` of region `region_id`: every console listed
    /// at once (for its copies and its home).
    pub async fn component_details(
        &self,
        region_id: &str,
        component_id: &str,
        now: SystemTime,
    ) -> Result<ComponentDetails, AppError> {
        let listed = self.list_every_console().await;
        let regions = &listed.regions;
        let index = regions
            .iter()
            .position(|r| r.id == region_id)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    format!("no region '{region_id}' is configured"),
                )
            })?;
        let own_list = listed.lists[index].as_ref().map_err(Clone::clone)?;
        let component: &Component =
            own_list
                .iter()
                .find(|c| c.id == component_id)
                .ok_or_else(|| {
                    AppError::new(
                        ErrorCode::NotFound,
                        format!(
                            "{}'s console holds no component '{component_id}'",
                            self.region_name(region_id)
                        ),
                    )
                })?;
        let read = listed.read();
        let key = drift_key(region_id, component);
        let held_by = regions
            .iter()
            .zip(&read)
            .flat_map(|(r, list)| {
                list.iter()
                    .flat_map(|l| l.iter())
                    .filter(|c| key.is_some() && drift_key(&r.id, c) == key)
                    .map(|c| HeldBy {
                        region_id: r.id.clone(),
                        component_id: c.id.clone(),
                        imported: c.imported,
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let records = self.homes().records().clone();
        let node = node_homes(regions, &read, &BTreeSet::new(), &records)
            .into_iter()
            .find(|n| Some(&n.key) == key.as_ref());
        let text = |key: &str| {
            component
                .document
                .get(key)
                .and_then(serde_json::Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .map(str::to_owned)
        };
        Ok(ComponentDetails {
            region_id: region_id.to_owned(),
            component_id: component.id.clone(),
            display_name: component.display_name.clone(),
            kind: component.kind,
            msp_id: component.msp_id.clone(),
            imported: component.imported,
            endpoints: ENDPOINTS
                .iter()
                .filter_map(|(key, label)| {
                    text(key).map(|url| Endpoint {
                        label: (*label).to_owned(),
                        url,
                    })
                })
                .collect(),
            ordering_service: (component.kind == ComponentKind::Orderer)
                .then(|| crate::org::service_name(component)),
            certificates: certificate_details(&component.document, now),
            home: node.as_ref().and_then(|n| n.home.clone()),
            rule: node.as_ref().map(|n| n.rule),
            held_by,
            health: self.monitor.history(region_id, component_id),
            unread: listed.unread(),
        })
    }
}
