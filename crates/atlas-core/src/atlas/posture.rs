//! The HA posture of the whole network (issue 14): every console listed at once, what is down
//! now, the homes on file; and the administrator's placements.

use std::collections::BTreeSet;

use super::{Atlas, Listed};
use crate::component::{url_key, Component, ComponentKind};
use crate::error::{AppError, ErrorCode};
use crate::health::ComponentStatus;
use crate::ipc::Change;
use crate::posture::{self, nodes::node_key, Inputs, Posture};

impl Atlas {
    /// The posture with regions `lost` supposed gone. Every console is listed at once (one GET
    /// each); what is down now comes from the health monitor when the app polls, else from one
    /// status call per console (the CLI).
    pub async fn posture(&self, lost: &[String]) -> Result<Posture, AppError> {
        let lost: BTreeSet<String> = lost.iter().cloned().collect();
        let regions = self.all_regions();
        if let Some(unknown) = lost
            .iter()
            .find(|id| !regions.iter().any(|(r, _)| &r.id == *id))
        {
            return Err(AppError::invalid_field(
                "lost",
                format!("no region '{unknown}' is configured"),
            ));
        }
        let Listed { regions, lists } = self.list_every_console().await;
        let lists: Vec<Result<Vec<Component>, String>> = lists
            .into_iter()
            .map(|l| l.map_err(|e| e.message))
            .collect();
        let down = self.down_now(&regions, &lists).await;
        let records = self.homes().records().clone();
        Ok(posture::assess(&Inputs {
            regions: &regions,
            lists: &lists,
            down: &down,
            records: &records,
            lost: &lost,
        }))
    }

    /// The administrator says node `node` (its API URL, or its component id on any console)
    /// lives in region `region_id`; kept in `homes.json` for every process.
    pub async fn place(&self, node: &str, region_id: &str) -> Result<String, AppError> {
        self.region(region_id)
            .map_err(|e| AppError::invalid_field("region", e.message))?;
        let key = if node.contains("://") {
            url_key(node)
        } else {
            self.node_key_of(node).await?
        };
        self.homes().place(&key, region_id)?;
        self.changed(Change::Homes);
        Ok(key)
    }

    /// The key of the node or CA with component id `id` on the consoles (one, or several
    /// consoles' copies of the same node).
    async fn node_key_of(&self, id: &str) -> Result<String, AppError> {
        let listed = self.list_every_console().await;
        let mut keys = BTreeSet::new();
        for (region, list) in listed.regions.iter().zip(listed.read()) {
            for c in list.into_iter().flatten().filter(|c| c.id == id) {
                if matches!(
                    c.kind,
                    ComponentKind::Peer | ComponentKind::Orderer | ComponentKind::Ca
                ) {
                    keys.insert(node_key(&region.id, c));
                }
            }
        }
        let unread: Vec<String> = listed.unread().into_iter().map(|u| u.name).collect();
        match keys.len() {
            1 => Ok(keys.pop_first().expect("one key")),
            0 => Err(AppError::new(
                ErrorCode::NotFound,
                format!(
                    "no peer, ordering node or CA with id '{id}' on any console{}",
                    if unread.is_empty() {
                        String::new()
                    } else {
                        format!(" that answered (not read: {})", unread.join(", "))
                    }
                ),
            )),
            _ => Err(AppError::invalid_field(
                "node",
                format!(
                    "'{id}' names different nodes on different consoles ({}): give the node's \
                     API URL instead",
                    keys.into_iter().collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }

    /// (region id, component id) of the records reported not ok now.
    async fn down_now(
        &self,
        regions: &[crate::fleet::Region],
        lists: &[Result<Vec<Component>, String>],
    ) -> BTreeSet<(String, String)> {
        if self.is_polling() {
            return self
                .monitor
                .snapshot()
                .regions
                .into_iter()
                .filter(|r| r.last_seen_ms.is_none())
                .flat_map(|r| {
                    let region_id = r.region_id;
                    r.components
                        .into_iter()
                        .filter(|c| c.status == ComponentStatus::NotOk)
                        .map(move |c| (region_id.clone(), c.id))
                })
                .collect();
        }
        let asks = regions.iter().zip(lists).filter_map(|(region, list)| {
            let ids: Vec<String> = list
                .as_ref()
                .ok()?
                .iter()
                .filter(|c| c.kind.has_health())
                .map(|c| c.id.clone())
                .collect();
            let client = self.client_for(region).ok()?;
            Some(async move {
                if ids.is_empty() {
                    return Vec::new();
                }
                match client.component_status(&ids).await {
                    Ok(map) => map
                        .into_iter()
                        .filter(|(_, s)| s.status.as_deref() == Some("not ok"))
                        .map(|(id, _)| (region.id.clone(), id))
                        .collect(),
                    // Not known is not down: the posture then counts what the lists say.
                    Err(e) => {
                        tracing::warn!("component status of {}: {e}", region.name);
                        Vec::new()
                    }
                }
            })
        });
        futures::future::join_all(asks)
            .await
            .into_iter()
            .flatten()
            .collect()
    }
}

/// The homes a copy keeps: each node or CA `region_id`'s console holds as its own lives there.
pub(super) fn own_homes<'a>(
    region_id: &str,
    components: impl IntoIterator<Item = &'a Component>,
) -> Vec<(String, String)> {
    components
        .into_iter()
        .filter(|c| !c.imported)
        .filter(|c| {
            matches!(
                c.kind,
                ComponentKind::Peer | ComponentKind::Orderer | ComponentKind::Ca
            )
        })
        .filter(|c| c.api_url.is_some())
        .map(|c| (node_key(region_id, c), region_id.to_owned()))
        .collect()
}
