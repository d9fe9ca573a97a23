//! The certificate calendar across every console and the wallet (issue 14's calendar): each
//! console's components as it answers now, the wallet's identities, one entry per certificate.

use std::time::SystemTime;

use super::Atlas;
use crate::artifacts::{self, Carried, UsedAs};
use crate::error::AppError;
use crate::ipc::CertificateCalendar;

impl Atlas {
    /// Lists every console at once (one GET each) and reads the wallet; holders are named as a
    /// person reads them ("US East: Org1 Peer1", "wallet: org1admin").
    pub async fn certificates(&self, now: SystemTime) -> Result<CertificateCalendar, AppError> {
        let listed = self.list_every_console().await;
        let mut carried: Vec<(String, Carried)> = Vec::new();
        for (region, components) in listed.regions.iter().zip(listed.read()) {
            for component in components.into_iter().flatten() {
                let holder = format!("{}: {}", region.name, component.display_name);
                carried.extend(
                    artifacts::certificates_in(&component.document)
                        .into_iter()
                        .map(|c| (holder.clone(), c)),
                );
            }
        }
        for entry in self.wallet().entries() {
            let cert = Carried {
                used_as: UsedAs::Identity,
                field: "cert".to_owned(),
                value: entry.cert.clone(),
            };
            carried.push((format!("wallet: {}", entry.name), cert));
        }
        Ok(CertificateCalendar {
            entries: artifacts::calendar(carried, now),
            unread: listed.unread(),
        })
    }
}
