//! Drift across consoles (issue 14): the copies of a node or MSP that differ, and "make every
//! copy equal to this one" through the console's edit route, audited like every change.

use super::Atlas;
use crate::audit::AuditEntry;
use crate::component::Component;
use crate::drift::{
    self, differing, drift_key, edit_body, DriftReport, EqualizedCopy, MakeEqualReport,
};
use crate::error::{AppError, ErrorCode};
use crate::ipc::Change;
use crate::transfer::{self, Snapshot};

impl Atlas {
    /// The drifting nodes, CAs and MSPs: every console listed at once.
    pub async fn drift(&self) -> Result<DriftReport, AppError> {
        let listed = self.list_every_console().await;
        Ok(DriftReport {
            drifts: drift::find(&listed.regions, &listed.read()),
            unread: listed.unread(),
        })
    }

    /// Makes every copy of `key` (a drift's key) equal to region `from_region_id`'s copy: every
    /// other console is held, all are listed once at once, and each copy that differs is sent
    /// one edit of the fields that differ (all consoles at once), audited before it is sent;
    /// the console's answer is the verification.
    pub async fn make_equal(
        &self,
        key: &str,
        from_region_id: &str,
    ) -> Result<MakeEqualReport, AppError> {
        self.region(from_region_id)
            .map_err(|e| AppError::invalid_field("from", e.message))?;
        let ids: Vec<String> = self.all_regions().into_iter().map(|(r, _)| r.id).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let consoles = self.clients_of(&ids).await?;
        let others: Vec<_> = consoles
            .iter()
            .filter(|(id, _)| id != from_region_id)
            .cloned()
            .collect();
        let _held = self.hold_for_writes(&others, false, &|_| {}).await?;
        let snapshots = transfer::snapshot(consoles).await;
        let source = snapshots
            .iter()
            .find(|s| s.region_id == from_region_id)
            .expect("the source is listed");
        let reference = source
            .components
            .as_ref()
            .map_err(|e| AppError::from(e.clone()))?
            .iter()
            .find(|c| drift_key(from_region_id, c).as_deref() == Some(key))
            .cloned()
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    format!(
                        "{}'s console holds no copy of '{key}'",
                        self.region_name(from_region_id)
                    ),
                )
            })?;
        let edits = snapshots
            .iter()
            .filter(|s| s.region_id != from_region_id)
            .map(|target| {
                let reference = &reference;
                async move {
                    let list = match &target.components {
                        Ok(list) => list,
                        Err(e) => {
                            return vec![EqualizedCopy {
                                region_id: target.region_id.clone(),
                                component_id: String::new(),
                                edited: Vec::new(),
                                left: Vec::new(),
                                error: Some(format!(
                                    "not read: {}",
                                    AppError::from(e.clone()).message
                                )),
                            }]
                        }
                    };
                    let copies = list
                        .iter()
                        .filter(|c| drift_key(&target.region_id, c).as_deref() == Some(key));
                    let mut done = Vec::new();
                    for copy in copies {
                        done.push(self.equalize(target, reference, copy, from_region_id).await);
                    }
                    done
                }
            });
        let copies: Vec<EqualizedCopy> = futures::future::join_all(edits)
            .await
            .into_iter()
            .flatten()
            .collect();
        if copies.iter().any(|c| !c.edited.is_empty()) {
            self.changed(Change::Audit);
            for copy in &copies {
                self.monitor.poll_now(&copy.region_id);
            }
        }
        Ok(MakeEqualReport {
            key: key.to_owned(),
            display_name: reference.display_name.clone(),
            from_region_id: from_region_id.to_owned(),
            copies,
        })
    }

    /// One copy made equal to `reference`: the edit audited, sent, and checked in the answer.
    async fn equalize(
        &self,
        target: &Snapshot,
        reference: &Component,
        copy: &Component,
        from_region_id: &str,
    ) -> EqualizedCopy {
        let region_id = target.region_id.as_str();
        let (body, not_editable) = edit_body(reference, copy);
        let mut outcome = EqualizedCopy {
            region_id: region_id.to_owned(),
            component_id: copy.id.clone(),
            edited: Vec::new(),
            left: not_editable,
            error: None,
        };
        if body.is_empty() {
            return outcome;
        }
        let sent: Vec<String> = differing(reference, copy)
            .into_iter()
            .filter(|label| !outcome.left.contains(label))
            .collect();
        let entry = |result: String| {
            AuditEntry::now(
                "make equal",
                format!("{} {}", copy.console_type(), copy.display_name),
                format!("{from_region_id}/{}", reference.id),
                region_id,
                result,
            )
            .from_region(Some(from_region_id))
        };
        if let Err(e) = self.audit.append(&entry("sending".to_owned())) {
            outcome.error = Some(e.message);
            return outcome;
        }
        let result = target
            .client
            .edit_component(&copy.id, &serde_json::Value::Object(body))
            .await;
        let logged = match result {
            Ok(edited) => {
                outcome.left = differing(reference, &edited);
                outcome.edited = sent
                    .into_iter()
                    .filter(|label| !outcome.left.contains(label))
                    .collect();
                format!("edited {} ({})", copy.id, outcome.edited.join(", "))
            }
            Err(e) => {
                let message = AppError::from(e).message;
                outcome.error = Some(message.clone());
                format!("failed: {message}")
            }
        };
        if let Err(e) = self.audit.append(&entry(logged)) {
            tracing::warn!("the outcome of an edit was not audited: {}", e.message);
        }
        outcome
    }
}
