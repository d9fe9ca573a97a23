//! Regions and their secrets: the fleet, the consoles' API secrets in the keyring, "test
//! connection", and a region's components.

use super::Atlas;
use crate::client::{check_plain_http, parse_console_url, ConsoleClient, Credentials};
use crate::component::Component;
use crate::connection::{self, ConnectionReport, ConnectionTest};
use crate::error::AppError;
use crate::fleet::{NewRegion, RegionEdit};
use crate::ipc::{Change, RegionName, RegionView};
use crate::secrets::Secret;
use crate::tls_trust::{presented_certificate, summarize_trusted, CertificateSummary};

impl Atlas {
    pub fn regions(&self) -> Vec<RegionView> {
        self.all_regions()
            .iter()
            .map(|(r, sandbox)| RegionView::new(r, *sandbox))
            .collect()
    }

    /// A region a record names by id, as a person reads it: its name, or the one it had when it
    /// was removed.
    pub fn region_name(&self, id: &str) -> RegionName {
        if let Some((region, _)) = self.all_regions().into_iter().find(|(r, _)| r.id == id) {
            return RegionName {
                id: region.id,
                name: Some(region.name),
                removed: false,
            };
        }
        RegionName {
            id: id.to_owned(),
            name: self.fleet().removed_name(id).map(str::to_owned),
            removed: true,
        }
    }

    pub fn add_region(&self, new: NewRegion) -> Result<RegionView, AppError> {
        let region = self.fleet().add(new, self.keyring.as_ref())?;
        self.changed(Change::Regions);
        self.forget_client(&region.id);
        self.watch(&region)?;
        Ok(RegionView::new(&region, false))
    }

    pub fn edit_region(&self, id: &str, edit: RegionEdit) -> Result<RegionView, AppError> {
        self.refuse_sandbox(id)?;
        let region = self.fleet().edit(id, edit, self.keyring.as_ref())?;
        self.changed(Change::Regions);
        self.forget_client(id);
        self.watch(&region)?;
        Ok(RegionView::new(&region, false))
    }

    /// Gives a region's console a new API secret (the rest of its settings stay).
    pub fn set_region_secret(&self, id: &str, secret: &str) -> Result<RegionView, AppError> {
        let region = self.region(id)?;
        self.edit_region(
            id,
            RegionEdit {
                name: region.name,
                location: region.location,
                console_url: region.console_url,
                api_key: region.api_key,
                api_secret: Some(secret.to_owned()),
                allow_insecure_http: None,
                trusted_certificate: None,
            },
        )
    }

    pub fn remove_region(&self, id: &str) -> Result<(), AppError> {
        self.refuse_sandbox(id)?;
        self.fleet().remove(id, self.keyring.as_ref())?;
        self.changed(Change::Regions);
        self.forget_client(id);
        self.monitor.unwatch(id);
        Ok(())
    }

    /// Tests a console with the form's values, or with the stored secret of `region_id`.
    pub async fn test_connection(
        &self,
        test: ConnectionTest,
    ) -> Result<ConnectionReport, AppError> {
        let url = parse_console_url(&test.console_url)
            .map_err(|e| AppError::invalid_field("consoleUrl", e.message))?;
        // The region being edited, when the console stays the one it has.
        let stored = test
            .region_id
            .as_deref()
            .and_then(|id| self.region(id).ok())
            .filter(|r| parse_console_url(&r.console_url).is_ok_and(|u| u == url));
        check_plain_http(
            &url,
            stored.is_some() || test.allow_insecure_http.unwrap_or(false),
        )
        .map_err(|e| AppError::invalid_field("consoleUrl", e.message))?;
        let trusted = match test.trusted_certificate.filter(|p| !p.trim().is_empty()) {
            Some(pem) => Some(summarize_trusted(&pem).map(|_| pem)?),
            None => stored.and_then(|r| r.trusted_certificate),
        };
        let typed = test.api_secret.filter(|s| !s.is_empty());
        let typed_secret = typed.is_some();
        let secret = match (typed, &test.region_id) {
            (Some(secret), _) => Secret::new(secret),
            (None, Some(id)) => self.secret_of(id)?,
            (None, None) => {
                return Err(AppError::invalid_field(
                    "apiSecret",
                    "the API secret is required",
                ))
            }
        };
        if test.api_key.trim().is_empty() {
            return Err(AppError::invalid_field("apiKey", "the API key is required"));
        }
        // A secret typed into the form is a deliberate try of new credentials: a refusal
        // remembered for the stored ones does not stop it, and its own is not remembered.
        let mut settings = self.options.client.clone();
        if typed_secret {
            settings.refusals = None;
        }
        settings.trusted_certificate = trusted;
        let client = ConsoleClient::new(
            url.clone(),
            Credentials::ApiKey {
                key: test.api_key.trim().to_owned(),
                secret,
            },
            self.budgets.for_console(url.as_str()),
            &settings,
        )?;
        connection::test_connection(&client).await
    }

    /// The certificate the console at `console_url` presents, for the user to review before
    /// trusting it (nothing is sent to the console).
    pub async fn console_certificate(
        &self,
        console_url: &str,
    ) -> Result<CertificateSummary, AppError> {
        let url = parse_console_url(console_url)
            .map_err(|e| AppError::invalid_field("consoleUrl", e.message))?;
        presented_certificate(&url, self.options.client.connect_timeout).await
    }

    /// A fresh list (`cache=skip`) of the components a region's console holds.
    pub async fn components(&self, region_id: &str) -> Result<Vec<Component>, AppError> {
        Ok(self.client_of(region_id)?.list_components(true).await?)
    }

    fn refuse_sandbox(&self, id: &str) -> Result<(), AppError> {
        if self.is_sandbox(id) {
            return Err(AppError::invalid(format!(
                "'{id}' is a simulated sandbox region; it cannot be edited or removed"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::atlas::AtlasOptions;
    use crate::audit::{AuditEntry, AuditLog};
    use crate::fleet::FleetStore;
    use crate::secrets::MemoryStore;
    use crate::wallet::WalletEntry;

    fn new_region(name: &str) -> NewRegion {
        NewRegion {
            name: name.into(),
            location: "us-east-1".into(),
            console_url: format!("https://{}.example.org", name.to_lowercase()),
            api_key: "kAbCdEfGhIjKlMnO".into(),
            api_secret: "very-secret-value".into(),
            allow_insecure_http: None,
            trusted_certificate: None,
        }
    }

    fn named(id: &str, name: Option<&str>, removed: bool) -> RegionName {
        RegionName {
            id: id.into(),
            name: name.map(Into::into),
            removed,
        }
    }

    #[test]
    fn the_wallet_and_the_audit_log_name_a_removed_region_by_the_name_it_had() {
        let config = tempfile::tempdir().unwrap();
        let state = tempfile::tempdir().unwrap();
        let options = AtlasOptions {
            state_dir: Some(state.path().into()),
            ..AtlasOptions::default()
        };
        let store = FleetStore::in_dir(config.path());
        let atlas = Atlas::open(store, Arc::new(MemoryStore::default()), options).unwrap();
        let east = atlas.add_region(new_region("East")).unwrap();
        let west = atlas.add_region(new_region("West")).unwrap();

        let admin = WalletEntry {
            name: "org1admin".into(),
            cert: String::new(),
            ca: None,
            msp_id: Some("Org1MSP".into()),
            admin_of: Vec::new(),
            sandbox: false,
        };
        let key = Secret::new("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        let mut wallet = atlas.wallet();
        wallet.add(admin, &key, atlas.keyring.as_ref()).unwrap();
        for region in [&east.id, &west.id] {
            wallet
                .set_region_admin("org1admin", region, "Org1MSP")
                .unwrap();
        }
        drop(wallet);
        AuditLog::in_dir(config.path())
            .append(
                &AuditEntry::now(
                    "transfer",
                    "msp Org1 MSP",
                    "org1msp on west",
                    &east.id,
                    "ok",
                )
                .from_region(Some(&west.id)),
            )
            .unwrap();

        atlas.remove_region(&east.id).unwrap();

        let expected = [
            named("east", Some("East"), true),
            named("west", Some("West"), false),
        ];
        let identity = &atlas.identities()[0];
        assert_eq!(identity.admin_of, ["east", "west"], "the records keep ids");
        assert_eq!(identity.admin_regions, expected);
        assert_eq!(atlas.audit_entries().unwrap().regions, expected);
        // Removed before names were kept (or never in this fleet).
        assert_eq!(atlas.region_name("gone"), named("gone", None, true));
    }
}
