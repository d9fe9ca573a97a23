//! The guide's step 4.1 against Fabric CA itself (issue 15): CA admin credentials verified when
//! they are given (both admins enrolled, their identities kept for registrations), identities
//! registered, listed, and enrolled into the wallet.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::wallet::check_identity_against_msp;
use super::Atlas;
use crate::artifacts::{pem, x509, Severity};
use crate::ca_admins::{AdminOf, CaAdminCredentials, CaAdminStatus, EnrolledAdmins};
use crate::component::{url_key, Component, ComponentKind};
use crate::error::{AppError, ErrorCode};
use crate::fabric_ca::{
    self, CaAttribute, CaError, CaIdentity, CaSigner, FabricCaClient, Registration,
};
use crate::identities::IdentityView;
use crate::ipc::Change;
use crate::org;
use crate::secrets::{Secret, SecretKey};
use crate::wallet::WalletEntry;

/// A CA server as a console records it: where it answers, its two CA names, and the
/// certificates TLS to it may chain to.
#[derive(Debug, Clone)]
pub(super) struct CaServer {
    pub display_name: String,
    pub api_url: String,
    pub ca_name: String,
    pub tlsca_name: String,
    /// PEM certificates: the CA's own TLS certificate and roots from its record, and the
    /// region's trusted certificate.
    pub trust: Vec<String>,
}

impl CaServer {
    /// From a console's CA record (`None` for any other component).
    pub fn of(ca: &Component, region_trust: Option<&str>) -> Option<Self> {
        if ca.kind != ComponentKind::Ca {
            return None;
        }
        let doc = &ca.document;
        let text = |pointer: &str| doc.pointer(pointer).and_then(Value::as_str);
        let mut trust: Vec<String> = [
            "/msp/component/tls_cert",
            "/msp/tlsca/root_certs",
            "/msp/ca/root_certs",
        ]
        .iter()
        .flat_map(|p| match doc.pointer(p) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        })
        .filter_map(|value| as_pem(&value))
        .collect();
        trust.extend(region_trust.map(str::to_owned));
        Some(Self {
            display_name: ca.display_name.clone(),
            api_url: ca.api_url.clone()?.trim_end_matches('/').to_owned(),
            ca_name: text("/msp/ca/name")
                .or_else(|| text("/ca_name"))
                .unwrap_or("ca")
                .to_owned(),
            tlsca_name: text("/msp/tlsca/name")
                .or_else(|| text("/tlsca_name"))
                .unwrap_or("tlsca")
                .to_owned(),
            trust,
        })
    }

    fn client(&self, of: AdminOf) -> Result<FabricCaClient, AppError> {
        let name = match of {
            AdminOf::Ca => &self.ca_name,
            AdminOf::TlsCa => &self.tlsca_name,
        };
        FabricCaClient::new(&self.api_url, name, &self.trust)
    }

    /// "Org1 CA (ca)" / "Org1 CA's TLS CA (tlsca)".
    fn named(&self, of: AdminOf) -> String {
        match of {
            AdminOf::Ca => format!("{} ({})", self.display_name, self.ca_name),
            AdminOf::TlsCa => format!("{}'s TLS CA ({})", self.display_name, self.tlsca_name),
        }
    }
}

/// A console's certificate value (base64 of PEM, or PEM) as PEM text.
fn as_pem(value: &str) -> Option<String> {
    let decoded = pem::decode(value).ok()?;
    let text: String = decoded
        .blocks
        .iter()
        .filter(|b| b.label == "CERTIFICATE")
        .map(|b| pem::encode_pem("CERTIFICATE", &b.der))
        .collect();
    (!text.is_empty()).then_some(text)
}

/// What `cainfo` says about both CAs of a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaServerInfo {
    pub api_url: String,
    pub ca: NamedCaInfo,
    pub tlsca: NamedCaInfo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NamedCaInfo {
    pub name: String,
    pub version: String,
    /// The subject of each certificate of its chain.
    pub chain: Vec<String>,
}

impl Atlas {
    /// The CA server of CA component `ca_id` on region `region_id`, read fresh from its console.
    pub(super) async fn ca_server(
        &self,
        region_id: &str,
        ca_id: &str,
    ) -> Result<CaServer, AppError> {
        let region = self.region(region_id)?;
        let component = self.client_of(region_id)?.get_component(ca_id).await?;
        CaServer::of(&component, region.trusted_certificate.as_deref()).ok_or_else(|| {
            AppError::invalid(format!(
                "'{ca_id}' on {} is not a certificate authority with an API URL",
                self.region_name(region_id)
            ))
        })
    }

    /// `cainfo` of both CAs of the server of CA component `ca_id`.
    pub async fn ca_info(&self, region_id: &str, ca_id: &str) -> Result<CaServerInfo, AppError> {
        let server = self.ca_server(region_id, ca_id).await?;
        let (ca, tlsca) = (server.client(AdminOf::Ca)?, server.client(AdminOf::TlsCa)?);
        let (ca, tlsca) = futures::join!(ca.cainfo(), tlsca.cainfo());
        let named = |of, info: Result<fabric_ca::CaInfo, CaError>| {
            let info = info.map_err(|e| ca_error(&server, of, e))?;
            Ok::<_, AppError>(NamedCaInfo {
                name: info.ca_name,
                version: info.version,
                chain: subjects(&info.ca_chain),
            })
        };
        Ok(CaServerInfo {
            api_url: server.api_url.clone(),
            ca: named(AdminOf::Ca, ca)?,
            tlsca: named(AdminOf::TlsCa, tlsca)?,
        })
    }

    /// Keeps a CA's admin and TLS CA admin enroll credentials for every console the CA reaches,
    /// once both admins enrolled with the CA (its record found on a console): a refusal names
    /// the admin and the reason and keeps nothing. When no console holds the CA's record, or the
    /// CA cannot be reached from this machine, the credentials are kept unchecked, and the
    /// status says why (`note`).
    pub async fn save_ca_admins(
        &self,
        ca: &CaAdminStatus,
        credentials: &CaAdminCredentials,
    ) -> Result<CaAdminStatus, AppError> {
        // Empty fields are refused by name before the CA is asked anything.
        crate::ca_admins::check_credentials(credentials)?;
        let server = match &ca.region_id {
            Some(region_id) => self.ca_server(region_id, &ca.component_id).await,
            None => Err(AppError::invalid(
                "no console holds its record yet (checked when they are given again from the \
                 CA's row once it is imported)",
            )),
        };
        let (enrolled, note) = match server {
            Err(e) => (
                None,
                Some(format!("not checked with the CA: {}", e.message)),
            ),
            Ok(server) => match enroll_admins(&server, credentials).await {
                Ok(enrolled) => (Some(enrolled), None),
                Err(EnrollFailure::Unchecked(why)) => (None, Some(format!("not checked: {why}"))),
                Err(EnrollFailure::Refused(e)) => return Err(e),
            },
        };
        let mut admins = self.ca_admins();
        admins.save(ca, credentials, enrolled.as_ref(), self.keyring.as_ref())?;
        self.changed(Change::CaAdmins);
        let mut status = admins.with_kept(ca.clone(), self.keyring.as_ref())?;
        status.note = note;
        Ok(status)
    }
}

enum EnrollFailure {
    /// The CA refused an admin: nothing is kept.
    Refused(AppError),
    /// The CA could not be reached from this machine, or did not answer as a Fabric CA.
    Unchecked(String),
}

/// Enrolls both admins at once, each with a fresh key.
async fn enroll_admins(
    server: &CaServer,
    credentials: &CaAdminCredentials,
) -> Result<EnrolledAdmins, EnrollFailure> {
    let one = |of: AdminOf| {
        let creds = match of {
            AdminOf::Ca => &credentials.ca_admin,
            AdminOf::TlsCa => &credentials.tlsca_admin,
        };
        async move {
            let client = server.client(of).map_err(EnrollFailure::Refused)?;
            let id = creds.enroll_id.trim();
            let (key, csr) = fabric_ca::new_key_and_csr(id).map_err(EnrollFailure::Refused)?;
            let secret = Secret::new(creds.enroll_secret.clone());
            match client.enroll(id, &secret, &csr, None, &[]).await {
                Ok(enrollment) => Ok((enrollment.cert_pem, key)),
                Err(CaError::Unreachable(why)) => Err(EnrollFailure::Unchecked(why)),
                Err(e @ CaError::Unexpected { .. }) => Err(EnrollFailure::Unchecked(format!(
                    "{} did not answer as a Fabric CA ({e})",
                    server.api_url
                ))),
                Err(e) => Err(EnrollFailure::Refused(refused_admin(server, of, id, &e))),
            }
        }
    };
    let (ca, tlsca) = futures::join!(one(AdminOf::Ca), one(AdminOf::TlsCa));
    // A refusal says more than an unreachable CA: report it first.
    let (ca, tlsca) = match (ca, tlsca) {
        (Err(EnrollFailure::Refused(e)), _) | (_, Err(EnrollFailure::Refused(e))) => {
            return Err(EnrollFailure::Refused(e))
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
        (Ok(ca), Ok(tlsca)) => (ca, tlsca),
    };
    Ok(EnrolledAdmins {
        ca_cert: ca.0,
        ca_key: ca.1,
        tlsca_cert: tlsca.0,
        tlsca_key: tlsca.1,
    })
}

/// An admin the CA refused, on the field of the form it came from.
fn refused_admin(server: &CaServer, of: AdminOf, id: &str, e: &CaError) -> AppError {
    let (field, who) = match of {
        AdminOf::Ca => ("caAdmin.enrollSecret", "The CA admin"),
        AdminOf::TlsCa => ("tlscaAdmin.enrollSecret", "The TLS CA admin"),
    };
    AppError::invalid_field(
        field,
        format!(
            "{who} '{id}' was refused by {}: {e}; nothing was kept",
            server.named(of)
        ),
    )
}

/// A CA's answer as the app's error: unreachable, or refused with the CA's words.
fn ca_error(server: &CaServer, of: AdminOf, e: CaError) -> AppError {
    match e {
        CaError::Unreachable(why) => AppError::new(ErrorCode::Unreachable, why),
        other => AppError::new(ErrorCode::Console, format!("{}: {other}", server.named(of))),
    }
}

/// The subjects of the certificates of a PEM chain.
fn subjects(chain: &str) -> Vec<String> {
    pem::decode(chain)
        .map(|d| {
            d.blocks
                .iter()
                .filter_map(|b| x509::Cert::from_der(&b.der).ok())
                .map(|c| c.subject)
                .collect()
        })
        .unwrap_or_default()
}

/// An identity to register, as a view or the CLI gives it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    pub enroll_id: String,
    /// peer, orderer, client or admin.
    pub kind: String,
    #[serde(default)]
    pub affiliation: Option<String>,
    /// `None`: the CA's default (unlimited).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub max_enrollments: Option<i64>,
    #[serde(default)]
    pub attrs: Vec<CaAttribute>,
    /// `None`: one is made here (the same for both CAs of a node).
    #[serde(default)]
    pub secret: Option<String>,
}

/// What registering did on one CA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredOn {
    /// "Org1 CA (ca)", "Org1 CA's TLS CA (tlsca)".
    pub ca: String,
    pub outcome: RegisterOutcome,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RegisterOutcome {
    Registered,
    /// The CA knows the id already: the existing identity can be used.
    AlreadyRegistered,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisterReport {
    pub enroll_id: String,
    pub kind: String,
    /// The enrollment CA, and for a peer or orderer the TLS CA too (the node needs both).
    pub results: Vec<RegisteredOn>,
    /// The secret is in the keyring for the node's creation (shown once on request).
    pub secret_kept: bool,
}

const KINDS: [&str; 4] = ["peer", "orderer", "client", "admin"];

impl Atlas {
    /// Registers an identity with the CA of component `ca_id` on region `region_id`, as its
    /// verified admin; a peer or orderer on the TLS CA as well, with the same secret. The secret
    /// goes to the keyring, never to a file or a log.
    pub async fn register_identity(
        &self,
        region_id: &str,
        ca_id: &str,
        request: &RegisterRequest,
    ) -> Result<RegisterReport, AppError> {
        let id = request.enroll_id.trim();
        if id.is_empty() || id.chars().any(char::is_whitespace) {
            return Err(AppError::invalid_field(
                "enrollId",
                "an enroll id without spaces is required",
            ));
        }
        let kind = request.kind.trim().to_ascii_lowercase();
        if !KINDS.contains(&kind.as_str()) {
            return Err(AppError::invalid_field(
                "kind",
                format!("'{}' is not one of {}", request.kind, KINDS.join(", ")),
            ));
        }
        if let Some(bad) = request.attrs.iter().find(|a| a.name.trim().is_empty()) {
            return Err(AppError::invalid_field(
                "attrs",
                format!("an attribute needs a name (value '{}')", bad.value),
            ));
        }
        let server = self.ca_server(region_id, ca_id).await?;
        let secret = match request.secret.as_deref().map(str::trim) {
            Some("") | None => new_secret(),
            Some(given) => Secret::new(given),
        };
        let registration = Registration {
            id: id.to_owned(),
            kind: kind.clone(),
            affiliation: request.affiliation.clone().unwrap_or_default(),
            max_enrollments: request.max_enrollments,
            attrs: request.attrs.clone(),
            secret: Some(secret.clone()),
        };
        let mut cas = vec![AdminOf::Ca];
        if kind == "peer" || kind == "orderer" {
            cas.push(AdminOf::TlsCa);
        }
        let mut results = Vec::new();
        for of in cas {
            let signer = self.admin_signer(&server, of).await?;
            let outcome = server.client(of)?.register(&signer, &registration).await;
            results.push(match outcome {
                Ok(_) => RegisteredOn {
                    ca: server.named(of),
                    outcome: RegisterOutcome::Registered,
                    message: None,
                },
                Err(CaError::Refused { code: 74, .. }) => RegisteredOn {
                    ca: server.named(of),
                    outcome: RegisterOutcome::AlreadyRegistered,
                    message: Some(format!(
                        "'{id}' is already registered: use the existing identity (enroll it \
                         with the secret it was registered with)"
                    )),
                },
                Err(e) => RegisteredOn {
                    ca: server.named(of),
                    outcome: RegisterOutcome::Failed,
                    message: Some(ca_error(&server, of, e).message),
                },
            });
        }
        let registered = results
            .iter()
            .any(|r| r.outcome == RegisterOutcome::Registered);
        if registered {
            let key = SecretKey::registered_secret(&server_key(&server), id);
            self.keyring.put(&key, &secret)?;
        }
        Ok(RegisterReport {
            enroll_id: id.to_owned(),
            kind,
            results,
            secret_kept: registered,
        })
    }

    /// The secret identity `enroll_id` was registered with through this app, shown once on
    /// request (never logged).
    pub async fn registered_secret(
        &self,
        region_id: &str,
        ca_id: &str,
        enroll_id: &str,
    ) -> Result<Secret, AppError> {
        let server = self.ca_server(region_id, ca_id).await?;
        let key = SecretKey::registered_secret(&server_key(&server), enroll_id.trim());
        self.keyring.get(&key)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!(
                    "no secret for '{enroll_id}' is kept: it was not registered with {} from \
                     this machine",
                    server.named(AdminOf::Ca)
                ),
            )
        })
    }

    /// The identities registered with the enrollment CA of component `ca_id`.
    pub async fn ca_identities(
        &self,
        region_id: &str,
        ca_id: &str,
    ) -> Result<Vec<CaIdentity>, AppError> {
        let server = self.ca_server(region_id, ca_id).await?;
        let signer = self.admin_signer(&server, AdminOf::Ca).await?;
        server
            .client(AdminOf::Ca)?
            .identities(&signer)
            .await
            .map_err(|e| ca_error(&server, AdminOf::Ca, e))
    }

    /// Enrolls identity `enroll_id` with the CA of component `ca_id` (a fresh key made here)
    /// and adds it to the wallet as `wallet_name`, checked against its org's MSP when the
    /// region's console holds it (as every wallet identity is). The key goes to the keyring.
    pub async fn enroll_into_wallet(
        &self,
        region_id: &str,
        ca_id: &str,
        enroll_id: &str,
        secret: &Secret,
        wallet_name: &str,
    ) -> Result<IdentityView, AppError> {
        let name = wallet_name.trim();
        if name.is_empty() {
            return Err(AppError::invalid_field("walletName", "required"));
        }
        if self.wallet().get(name).is_some() {
            return Err(AppError::invalid_field(
                "walletName",
                format!("the wallet already has an identity named '{name}'"),
            ));
        }
        let region = self.region(region_id)?;
        let components = self.components(region_id).await?;
        let ca = components.iter().find(|c| c.id == ca_id).ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!(
                    "{}'s console holds no '{ca_id}'",
                    self.region_name(region_id)
                ),
            )
        })?;
        let server = CaServer::of(ca, region.trusted_certificate.as_deref()).ok_or_else(|| {
            AppError::invalid(format!("'{ca_id}' is not a certificate authority"))
        })?;
        let id = enroll_id.trim();
        let (key, csr) = fabric_ca::new_key_and_csr(id)?;
        let enrollment = server
            .client(AdminOf::Ca)?
            .enroll(id, secret, &csr, None, &[])
            .await
            .map_err(|e| match e {
                CaError::Refused { .. } => AppError::invalid_field(
                    "enrollSecret",
                    format!("'{id}' was refused by {}: {e}", server.named(AdminOf::Ca)),
                ),
                other => ca_error(&server, AdminOf::Ca, other),
            })?;
        let mut entry = WalletEntry {
            name: name.to_owned(),
            cert: pem::to_base64_pem(&enrollment.cert_pem),
            ca: None,
            msp_id: None,
            admin_of: Vec::new(),
            sandbox: false,
        };
        // The org's MSP: the definition on this console whose roots are the CA's.
        let ca_roots = org::ca_roots(ca);
        let msp = components.iter().find(|c| {
            c.kind == ComponentKind::Msp && org::msp_roots(c).iter().any(|r| ca_roots.contains(r))
        });
        if let Some(msp) = msp {
            let (msp_id, findings) = check_identity_against_msp(&entry, region_id, msp)?;
            if let Some(error) = findings.iter().find(|f| f.severity == Severity::Error) {
                return Err(AppError::invalid(format!(
                    "the certificate {} issued to '{id}' does not belong to {}: {}",
                    server.named(AdminOf::Ca),
                    msp.display_name,
                    error.reason
                )));
            }
            entry.msp_id = msp_id;
        }
        self.wallet().add(entry, &key, self.keyring.as_ref())?;
        self.changed(Change::Wallet);
        self.identities()
            .into_iter()
            .find(|i| i.name == name)
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "the identity was not kept"))
    }

    /// The verified admin of one of a CA server's CAs, re-enrolled first when its certificate
    /// expires within `renew_ca_admins_within` (30 days).
    async fn admin_signer(&self, server: &CaServer, of: AdminOf) -> Result<CaSigner, AppError> {
        let kept = self.ca_admins().admin_identity(
            &server.api_url,
            &server.ca_name,
            of,
            self.keyring.as_ref(),
        )?;
        let Some((cert, key)) = kept else {
            return Err(AppError::invalid_field(
                "caAdmins",
                format!(
                    "the admins of {} have not been verified with the CA: give their enroll \
                     credentials (\"CA admins…\" in the CA row's menu, or atlas ca \
                     enroll-admin)",
                    server.display_name
                ),
            ));
        };
        let signer = CaSigner {
            cert_pem: cert,
            key,
        };
        if !expires_within(&signer.cert_pem, self.options.renew_ca_admins_within) {
            return Ok(signer);
        }
        let id = first_cn(&signer.cert_pem).unwrap_or_else(|| "admin".to_owned());
        let (key, csr) = fabric_ca::new_key_and_csr(&id)?;
        let renewed = server
            .client(of)?
            .reenroll(&signer, &csr)
            .await
            .map_err(|e| ca_error(server, of, e))?;
        self.ca_admins().renew_admin_identity(
            &server.api_url,
            &server.ca_name,
            of,
            &renewed.cert_pem,
            &key,
            self.keyring.as_ref(),
        )?;
        Ok(CaSigner {
            cert_pem: renewed.cert_pem,
            key,
        })
    }
}

/// What names a CA server's entries in the keyring (its API URL and enrollment CA name).
fn server_key(server: &CaServer) -> String {
    format!("{}#{}", url_key(&server.api_url), server.ca_name)
}

/// A new enroll secret: 24 letters and digits.
fn new_secret() -> Secret {
    use rand::distr::{Alphanumeric, SampleString};
    Secret::new(Alphanumeric.sample_string(&mut rand::rng(), 24))
}

fn first_cert(pem_text: &str) -> Option<x509::Cert> {
    let decoded = pem::decode(pem_text).ok()?;
    let block = decoded
        .blocks
        .into_iter()
        .find(|b| b.label == "CERTIFICATE")?;
    x509::Cert::from_der(&block.der).ok()
}

fn expires_within(pem_text: &str, within: std::time::Duration) -> bool {
    let within = i64::try_from(within.as_secs()).unwrap_or(i64::MAX);
    first_cert(pem_text)
        .is_some_and(|c| c.not_after - x509::epoch_secs(std::time::SystemTime::now()) < within)
}

fn first_cn(pem_text: &str) -> Option<String> {
    let cert = first_cert(pem_text)?;
    let (_, parsed) = x509_parser::parse_x509_certificate(&cert.der).ok()?;
    let cn = parsed.subject().iter_common_name().next()?.as_str().ok()?;
    Some(cn.to_owned())
}
