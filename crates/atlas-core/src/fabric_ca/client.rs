//! A client of one named CA on a Fabric CA server (`?ca=` selects it, as the console's two CAs
//! — enrollment and TLS — share one server). The desktop talks to the CA directly: the console's
//! CA proxy is for browser sessions. TLS trusts the CA's own certificates from its console record
//! (and the region's trusted certificate) on top of the system's roots, verifies the host name,
//! and never goes without verification.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use p256::ecdsa::SigningKey;
use p256::pkcs8::DecodePrivateKey;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;
use url::Url;

use super::envelope::{self, CaError};
use super::token::auth_token;
use crate::error::{AppError, ErrorCode};
use crate::secrets::Secret;

/// How long a CA call may take (an enroll costs the server ~60 ms of bcrypt).
pub const CA_TIMEOUT: Duration = Duration::from_secs(20);
const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// An enrolled identity the CA knows by its certificate: signs requests with its key.
pub struct CaSigner {
    pub cert_pem: String,
    /// PKCS#8 PEM.
    pub key: Secret,
}

/// What `cainfo` says about a CA.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CaInfo {
    #[serde(rename = "CAName")]
    pub ca_name: String,
    /// The CA's chain, PEM (the server sends it base64-encoded).
    #[serde(rename = "CAChain", deserialize_with = "b64_pem")]
    pub ca_chain: String,
    #[serde(rename = "Version", default)]
    pub version: String,
}

/// A certificate the CA issued, and its chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    pub cert_pem: String,
    pub ca_chain: String,
}

#[derive(Deserialize)]
struct EnrollAnswer {
    #[serde(rename = "Cert", deserialize_with = "b64_pem")]
    cert: String,
    #[serde(rename = "ServerInfo")]
    server_info: ServerInfo,
}

#[derive(Deserialize)]
struct ServerInfo {
    #[serde(rename = "CAChain", deserialize_with = "b64_pem", default)]
    ca_chain: String,
}

/// An identity registered with a CA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaIdentity {
    pub id: String,
    /// peer, orderer, client, admin.
    #[serde(rename(deserialize = "type"))]
    pub kind: String,
    #[serde(default)]
    pub affiliation: String,
    #[serde(default)]
    pub attrs: Vec<CaAttribute>,
    /// -1: unlimited.
    #[serde(rename(deserialize = "max_enrollments"), default)]
    #[ts(type = "number")]
    pub max_enrollments: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaAttribute {
    pub name: String,
    pub value: String,
    /// Put into the enrollment certificate by default.
    #[serde(default)]
    pub ecert: bool,
}

/// An affiliation and those below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Affiliation {
    pub name: String,
    #[serde(default)]
    pub affiliations: Vec<Affiliation>,
}

impl Affiliation {
    /// Every affiliation's name, depth first ("org1", "org1.department1", …), the root's
    /// empty name left out.
    pub fn names(&self) -> Vec<String> {
        let mut names = Vec::new();
        if !self.name.is_empty() {
            names.push(self.name.clone());
        }
        for a in &self.affiliations {
            names.extend(a.names());
        }
        names
    }
}

/// What to register.
#[derive(Debug, Clone)]
pub struct Registration {
    pub id: String,
    pub kind: String,
    pub affiliation: String,
    /// `None`: the CA's default.
    pub max_enrollments: Option<i64>,
    pub attrs: Vec<CaAttribute>,
    /// `None`: the CA makes one (and answers it).
    pub secret: Option<Secret>,
}

pub struct FabricCaClient {
    http: reqwest::Client,
    base: Url,
    ca_name: String,
}

impl FabricCaClient {
    /// A client of CA `ca_name` at `api_url`, trusting `trusted_pems` (PEM certificates, each
    /// possibly several) on top of the system's roots.
    pub fn new(api_url: &str, ca_name: &str, trusted_pems: &[String]) -> Result<Self, AppError> {
        let base = Url::parse(api_url.trim()).map_err(|e| {
            AppError::invalid_field("apiUrl", format!("'{api_url}' is not a URL: {e}"))
        })?;
        if base.scheme() != "https" {
            return Err(AppError::invalid_field(
                "apiUrl",
                format!(
                    "the CA at {api_url} is not https: its enroll secrets would travel in clear"
                ),
            ));
        }
        let mut certificates = Vec::new();
        for pem in trusted_pems {
            certificates.extend(
                reqwest::Certificate::from_pem_bundle(pem.as_bytes()).map_err(|e| {
                    AppError::new(
                        ErrorCode::Config,
                        format!("a CA certificate cannot be trusted: {e}"),
                    )
                })?,
            );
        }
        let http = reqwest::Client::builder()
            .tls_certs_merge(certificates)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("fabric-atlas/", env!("CARGO_PKG_VERSION")))
            .timeout(CA_TIMEOUT)
            .build()
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("HTTP client: {e}")))?;
        Ok(Self {
            http,
            base,
            ca_name: ca_name.to_owned(),
        })
    }

    pub fn url(&self) -> &Url {
        &self.base
    }

    pub async fn cainfo(&self) -> Result<CaInfo, CaError> {
        self.call(Method::GET, "cainfo", None, Auth::None).await
    }

    /// Enrolls `enroll_id` with its secret: the CA signs `csr` (made here, with a fresh key).
    /// `profile` "tls" and `hosts` for a TLS certificate.
    pub async fn enroll(
        &self,
        enroll_id: &str,
        secret: &Secret,
        csr: &str,
        profile: Option<&str>,
        hosts: &[String],
    ) -> Result<Enrollment, CaError> {
        let mut body = json!({ "certificate_request": csr, "caName": self.ca_name });
        if let Some(profile) = profile {
            body["profile"] = json!(profile);
        }
        if !hosts.is_empty() {
            body["hosts"] = json!(hosts);
        }
        let auth = Auth::Basic(enroll_id, secret);
        let answer: EnrollAnswer = self.call(Method::POST, "enroll", Some(body), auth).await?;
        Ok(Enrollment {
            cert_pem: answer.cert,
            ca_chain: answer.server_info.ca_chain,
        })
    }

    /// A new certificate for an enrolled identity (before its certificate expires), for `csr`.
    pub async fn reenroll(&self, who: &CaSigner, csr: &str) -> Result<Enrollment, CaError> {
        let body = json!({ "certificate_request": csr, "caName": self.ca_name });
        let answer: EnrollAnswer = self
            .call(Method::POST, "reenroll", Some(body), Auth::Token(who))
            .await?;
        Ok(Enrollment {
            cert_pem: answer.cert,
            ca_chain: answer.server_info.ca_chain,
        })
    }

    /// Registers an identity as registrar `who`; answers its enroll secret.
    pub async fn register(&self, who: &CaSigner, r: &Registration) -> Result<Secret, CaError> {
        let mut body = json!({ "id": r.id, "type": r.kind, "affiliation": r.affiliation,
            "attrs": r.attrs, "caname": self.ca_name });
        if let Some(max) = r.max_enrollments {
            body["max_enrollments"] = json!(max);
        }
        if let Some(secret) = &r.secret {
            body["secret"] = json!(secret.expose());
        }
        #[derive(Deserialize)]
        struct Registered {
            secret: String,
        }
        let answer: Registered = self
            .call(Method::POST, "register", Some(body), Auth::Token(who))
            .await?;
        Ok(Secret::new(answer.secret))
    }

    pub async fn identities(&self, who: &CaSigner) -> Result<Vec<CaIdentity>, CaError> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default)]
            identities: Vec<CaIdentity>,
        }
        let list: List = self
            .call(Method::GET, "identities", None, Auth::Token(who))
            .await?;
        Ok(list.identities)
    }

    pub async fn identity(&self, who: &CaSigner, id: &str) -> Result<CaIdentity, CaError> {
        let path = format!("identities/{}", urlencoding(id));
        self.call(Method::GET, &path, None, Auth::Token(who)).await
    }

    pub async fn affiliations(&self, who: &CaSigner) -> Result<Affiliation, CaError> {
        self.call(Method::GET, "affiliations", None, Auth::Token(who))
            .await
    }

    /// One call: `/api/v1/{path}?ca=NAME`, signed over exactly that URI and body.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        auth: Auth<'_>,
    ) -> Result<T, CaError> {
        let mut url = self.base.clone();
        url.set_path(&format!("/api/v1/{path}"));
        url.query_pairs_mut()
            .clear()
            .append_pair("ca", &self.ca_name);
        let uri = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let bytes = body
            .map(|b| serde_json::to_vec(&b).expect("JSON values serialize"))
            .unwrap_or_default();
        let mut request = self.http.request(method.clone(), url.clone());
        request = match auth {
            Auth::None => request,
            Auth::Basic(id, secret) => request.basic_auth(id, Some(secret.expose())),
            Auth::Token(who) => {
                let key = SigningKey::from_pkcs8_pem(who.key.expose()).map_err(|e| {
                    CaError::Unexpected {
                        status: 0,
                        detail: format!("the identity's key cannot sign: {e}"),
                    }
                })?;
                let token = auth_token(method.as_str(), &uri, &bytes, &who.cert_pem, &key);
                request.header(reqwest::header::AUTHORIZATION, token)
            }
        };
        if !bytes.is_empty() {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes);
        }
        let response = request
            .send()
            .await
            .map_err(|e| unreachable(&self.base, &e))?;
        let status = response.status().as_u16();
        if response
            .content_length()
            .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
        {
            return Err(CaError::Unexpected {
                status,
                detail: "an answer too large for a CA".to_owned(),
            });
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| unreachable(&self.base, &e))?;
        if body.len() > MAX_ANSWER_BYTES {
            return Err(CaError::Unexpected {
                status,
                detail: "an answer too large for a CA".to_owned(),
            });
        }
        envelope::read(status, &body)
    }
}

enum Auth<'a> {
    None,
    Basic(&'a str, &'a Secret),
    Token(&'a CaSigner),
}

/// A transport failure in words: the CA cannot be reached from this machine, and its URL.
fn unreachable(base: &Url, e: &reqwest::Error) -> CaError {
    let why = if e.is_timeout() {
        "it did not answer in time".to_owned()
    } else if e.is_connect() {
        let text = format!("{e:?}");
        if text.contains("certificate") || text.contains("Certificate") {
            "its TLS certificate is not one this app trusts for it (the CA's certificates from \
             its console record, the region's trusted certificate, the system's roots)"
                .to_owned()
        } else {
            "nothing answered (is the CA running, and reachable from this machine?)".to_owned()
        }
    } else {
        e.to_string()
    };
    CaError::Unreachable(format!(
        "the CA at {} cannot be reached from this machine: {why}",
        base.as_str().trim_end_matches('/')
    ))
}

/// A path segment with the characters a URL path does not take escaped.
fn urlencoding(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// A base64-encoded PEM, as the CA sends certificates, decoded.
fn b64_pem<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    let bytes = B64.decode(text.trim()).map_err(serde::de::Error::custom)?;
    String::from_utf8(bytes).map_err(serde::de::Error::custom)
}
