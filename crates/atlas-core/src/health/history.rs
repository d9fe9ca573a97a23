//! Recent health results per component, kept as runs ("ok from 10:02 to 10:14"), so a details
//! view can say how a node has been doing without storing every poll.

use std::collections::{HashMap, VecDeque};

use serde::Serialize;
use ts_rs::TS;

use super::{ComponentStatus, RegionHealth};

/// Runs kept per component: the last few changes.
const RUNS_KEPT: usize = 10;

/// One status seen from `from_ms` to `to_ms` (milliseconds since the epoch) by every poll
/// between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HealthRun {
    pub status: ComponentStatus,
    #[ts(type = "number")]
    pub from_ms: u64,
    #[ts(type = "number")]
    pub to_ms: u64,
}

/// The runs of every component of every watched region.
#[derive(Debug, Default)]
pub struct HealthHistory {
    runs: HashMap<(String, String), VecDeque<HealthRun>>,
}

impl HealthHistory {
    /// Adds what one poll of a region saw at `at_ms`. A poll that did not reach the console
    /// checked nothing, so it adds nothing.
    pub fn record(&mut self, health: &RegionHealth, at_ms: u64) {
        if health.last_seen_ms.is_some() {
            return;
        }
        for c in &health.components {
            if c.status == ComponentStatus::NotApplicable {
                continue;
            }
            let runs = self
                .runs
                .entry((health.region_id.clone(), c.id.clone()))
                .or_default();
            match runs.back_mut() {
                Some(last) if last.status == c.status => last.to_ms = at_ms,
                _ => {
                    runs.push_back(HealthRun {
                        status: c.status,
                        from_ms: at_ms,
                        to_ms: at_ms,
                    });
                    if runs.len() > RUNS_KEPT {
                        runs.pop_front();
                    }
                }
            }
        }
    }

    /// A component's runs, latest first.
    pub fn of(&self, region_id: &str, component_id: &str) -> Vec<HealthRun> {
        self.runs
            .get(&(region_id.to_owned(), component_id.to_owned()))
            .map(|runs| runs.iter().rev().copied().collect())
            .unwrap_or_default()
    }

    /// Forgets a region (no longer watched).
    pub fn forget(&mut self, region_id: &str) {
        self.runs.retain(|(region, _), _| region != region_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::{ComponentHealth, ComponentKind};

    fn poll(status: ComponentStatus, reached: bool) -> RegionHealth {
        RegionHealth {
            components: vec![ComponentHealth {
                id: "peer".into(),
                display_name: "Peer".into(),
                kind: ComponentKind::Peer,
                msp_id: None,
                status,
            }],
            last_seen_ms: (!reached).then_some(1),
            ..RegionHealth::unknown("east")
        }
    }

    #[test]
    fn polls_with_the_same_status_make_one_run_and_a_change_starts_the_next() {
        let mut history = HealthHistory::default();
        history.record(&poll(ComponentStatus::Ok, true), 10);
        history.record(&poll(ComponentStatus::Ok, true), 20);
        history.record(&poll(ComponentStatus::NotOk, true), 30);
        history.record(&poll(ComponentStatus::Ok, false), 40);
        assert_eq!(
            history.of("east", "peer"),
            [
                HealthRun {
                    status: ComponentStatus::NotOk,
                    from_ms: 30,
                    to_ms: 30
                },
                HealthRun {
                    status: ComponentStatus::Ok,
                    from_ms: 10,
                    to_ms: 20
                },
            ],
            "latest first; the unreached poll added nothing"
        );
        for i in 0..30 {
            let status = if i % 2 == 0 {
                ComponentStatus::Ok
            } else {
                ComponentStatus::NotOk
            };
            history.record(&poll(status, true), 100 + i);
        }
        assert_eq!(history.of("east", "peer").len(), RUNS_KEPT);
        history.forget("east");
        assert!(history.of("east", "peer").is_empty());
    }
}
