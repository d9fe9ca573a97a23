//! The certificate calendar across every console and the wallet (issue 14's calendar): each
//! console's components as it answers now, the wallet's identities, one entry per certificate.

use std::time::SystemTime;

use super::Atlas;
use crate::artifacts::{self, Carried, UsedAs};
use crate::error::AppError;
use crate::ipc::{CertificateCalendar, UnreadRegion};

impl Atlas {
    /// Lists every console at once (one GET each) and reads the wallet; holders are named as a
    /// person reads them ("US East: Org1 Peer1", "wallet: org1admin").
    pub async fn certificates(&self, now: SystemTime) -> Result<CertificateCalendar, AppError> {
        let regions = self.all_regions();
        let lists = futures::future::join_all(
            regions
                .iter()
                .map(|(region, _)| async move { (region, self.components(&region.id).await) }),
        )
        .await;
        let mut carried: Vec<(String, Carried)> = Vec::new();
        let mut unread = Vec::new();
        for (region, list) in lists {
            match list {
                Ok(components) => {
                    for component in &components {
                        let holder = format!("{}: {}", region.name, component.display_name);
                        carried.extend(
                            artifacts::certificates_in(&component.document)
                                .into_iter()
                                .map(|c| (holder.clone(), c)),
                        );
                    }
                }
                Err(e) => unread.push(UnreadRegion {
                    region_id: region.id.clone(),
                    name: region.name.clone(),
                    message: e.message,
                }),
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
            unread,
        })
    }
}
