//! HTTP client for one Fabric Operations Console (`/ak/api/v3`).
//!
//! Rules it enforces because the console punishes clients that don't:
//! - a 401/402 is never retried (5 failed auths in ~2 minutes lock the client out, and every further
//!   try extends the lockout);
//! - every call first takes a slot from the console's [`RequestBudget`], shared by every process
//!   of this machine, whose limits it learns from the console's answers;
//! - a 429 pauses every process for its `Retry-After`; a call waits that (or the budget) out only
//!   within its caller's bound, then reports it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::budget::{RequestBudget, RequestClass};
use crate::clock::unix_now;
use crate::clock::{Clock, SystemClock};
use crate::component::Component;
use crate::error::{AppError, ErrorCode};

mod answer;
use crate::refusals::{Fingerprint, Refusals, Refused, LOCKOUT_WAIT};
use crate::secrets::Secret;

/// Which Fabric Atlas program talks to a console: named in the User-Agent, so a console's
/// administrator can tell the app from scripts in its logs (the console also keys lockouts and
/// rate limits by IP + User-Agent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    App,
    Cli,
}

impl ClientKind {
    /// `FabricAtlas/<version> (app)` or `… (cli)`.
    pub fn user_agent(self) -> String {
        let kind = match self {
            Self::App => "app",
            Self::Cli => "cli",
        };
        format!("FabricAtlas/{} ({kind})", env!("CARGO_PKG_VERSION"))
    }
}

/// How patient a client is. The defaults suit real consoles; tests shorten them instead of
/// waiting on the wall clock.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    pub kind: ClientKind,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// How long a call may wait out a 429's `Retry-After` before reporting it.
    pub max_rate_limit_wait: Duration,
    /// What the client's waits (429s, the request budget) sleep on.
    pub clock: Arc<dyn Clock>,
    /// Refusals remembered across processes (none: this client remembers nothing).
    pub refusals: Option<Refusals>,
    /// A certificate (PEM) the user trusts for this console, on top of the system's roots.
    pub trusted_certificate: Option<String>,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            kind: ClientKind::App,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            max_rate_limit_wait: Duration::from_secs(65),
            clock: Arc::new(SystemClock),
            refusals: None,
            trusted_certificate: None,
        }
    }
}

/// How the client proves who it is.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// `Authorization: Basic base64(key:secret)`, a console API key.
    ApiKey { key: String, secret: Secret },
    /// `Authorization: Bearer …`, a token the console issued (`POST /identity/token`).
    Bearer(Secret),
}

/// One typed error per error shape the console produces (see the recorded exchanges).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConsoleError {
    #[error("cannot reach the console at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error(
        "the console at {url} did not answer in time: is it overloaded, or is a firewall \
         dropping the connection?"
    )]
    Timeout { url: String },
    /// Plain-text `Unauthorized`: wrong key or secret, or a key without the needed role.
    #[error(
        "the console refused the API key or secret (401): they are wrong, revoked, or the key \
         lacks the writer role (not tried again: a console locks a client out after 5 refusals)"
    )]
    Unauthorized,
    /// 403 JSON: a bearer token or user lacking the role, or an expired token.
    #[error("not authorized: {error}")]
    Forbidden { error: String },
    /// 402: too many auth failures from this client.
    #[error("the console has locked this machine out after refused logins: {error}")]
    LockedOut {
        error: String,
        failures: Option<u64>,
    },
    /// 429, or our share of the console's rate limit spent for longer than the caller waits.
    #[error(
        "throttled: the console's rate limit for this machine is reached; retry in {} s",
        retry_after.as_secs().max(1)
    )]
    RateLimited { retry_after: Duration },
    /// Remembered: the console refused this API key and secret before (here or in another Fabric
    /// Atlas process), so they are not sent again.
    #[error(
        "the console refused this API key and secret{}; they are not sent again: give the \
         region its new secret (atlas region set-secret REGION, or Edit region in the app)",
        when(*since)
    )]
    RefusedBefore { since: u64 },
    /// `{"statusCode":400,"msgs":[…]}`: validation, possibly several findings.
    #[error("the console rejected the request: {}", msgs.join("; "))]
    Validation { msgs: Vec<String> },
    /// `{"statusCode":400,"msg":"invalid json"|"input error"|"MSP … not found","details":…}`.
    #[error("the console rejected the request: {msg}{}", details.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    BadRequest {
        msg: String,
        details: Option<String>,
    },
    /// `{"statusCode":400,"errors":[…]}`: e.g. a bearer token the console never issued.
    #[error("the console refused the token: {}", errors.join("; "))]
    InvalidToken { errors: Vec<String> },
    /// `{"msg":…,"reason":"missing","statusCode":404}`.
    #[error("not found on the console: {msg}")]
    NotFound { msg: String },
    /// `{"statusCode":404,"msg":"route not found"}`: this console does not have that API.
    #[error("the console does not offer {path}")]
    RouteNotFound { path: String },
    /// `{"statusCode":503,"error":…,"msg":…}` and other 5xx answers.
    #[error("the console failed ({status}): {msg}")]
    Server { status: u16, msg: String },
    #[error("unexpected answer from the console ({status}): {detail}")]
    Unexpected { status: u16, detail: String },
    /// A 3xx: never followed (it would carry our credentials, or re-send an import, elsewhere).
    #[error(
        "the console answered {status}, a redirect to {location}; it was not followed: if that \
         is the console's real address, use it as the console URL"
    )]
    Redirected { status: u16, location: String },
    /// An answer larger than any console sends for this request.
    #[error(
        "the console's answer is larger than {} MB, more than a console sends for this \
         request; it was not read (is the console URL right?)",
        limit / (1024 * 1024)
    )]
    TooLarge { limit: usize },
}

impl ConsoleError {
    /// The error a remembered refusal stands for, without asking the console again.
    fn remembered(refused: Refused) -> Self {
        match refused {
            Refused::Credentials { since } => Self::RefusedBefore { since },
            Refused::LockedOut { until } => Self::LockedOut {
                error: format!(
                    "this machine is locked out of the console for {} s more; nothing is sent \
                     until then",
                    until.saturating_sub(unix_now())
                ),
                failures: None,
            },
        }
    }
}

/// " (3 min ago)" for a moment in seconds since the epoch.
fn when(since: u64) -> String {
    let ago = unix_now().saturating_sub(since);
    match ago {
        0..=59 => format!(" ({ago} s ago)"),
        60..=7199 => format!(" ({} min ago)", ago / 60),
        _ => format!(" ({} h ago)", ago / 3600),
    }
}

impl From<ConsoleError> for AppError {
    fn from(e: ConsoleError) -> Self {
        let code = match &e {
            ConsoleError::Unreachable { .. } | ConsoleError::Timeout { .. } => {
                ErrorCode::Unreachable
            }
            ConsoleError::Unauthorized
            | ConsoleError::RefusedBefore { .. }
            | ConsoleError::Forbidden { .. }
            | ConsoleError::InvalidToken { .. } => ErrorCode::Unauthorized,
            ConsoleError::LockedOut { .. } => ErrorCode::LockedOut,
            ConsoleError::RateLimited { .. } => ErrorCode::RateLimited,
            ConsoleError::NotFound { .. } => ErrorCode::NotFound,
            _ => ErrorCode::Console,
        };
        AppError::new(code, e.to_string())
    }
}

#[derive(Deserialize)]
struct ComponentList {
    #[serde(deserialize_with = "answer::at_most_listed")]
    components: Vec<Value>,
}

/// One entry of the 207 answer of `POST /components/status`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StatusEntry {
    /// `ok`, `not ok`, or absent/null when the console could not tell.
    pub status: Option<String>,
    #[serde(default)]
    pub status_url: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

/// What the public settings say about a console.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ConsoleSettings {
    #[serde(rename = "AUTH_SCHEME", default)]
    pub auth_scheme: Option<String>,
    #[serde(rename = "VERSIONS", default)]
    pub versions: Option<Versions>,
    #[serde(rename = "READ_ONLY", default)]
    pub read_only: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Versions {
    #[serde(default)]
    pub tag: Option<String>,
}

/// A bearer token issued by the console.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

/// Cheap to clone: clones share the HTTP connection pool and the console's budget.
#[derive(Clone)]
pub struct ConsoleClient {
    http: reqwest::Client,
    base: Url,
    credentials: Credentials,
    budget: Arc<RequestBudget>,
    max_rate_limit_wait: Duration,
    clock: Arc<dyn Clock>,
    /// Set once the console accepted an import with these credentials (shared by clones).
    writes_accepted: Arc<AtomicBool>,
    /// Set once the console answered these credentials without refusing them (shared by clones).
    credentials_accepted: Arc<AtomicBool>,
    refusals: Option<Refusals>,
}

impl std::fmt::Debug for ConsoleClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleClient")
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}

/// Parses and checks a console URL: http(s), a host, nothing after the path.
pub fn parse_console_url(raw: &str) -> Result<Url, AppError> {
    let url = Url::parse(raw.trim())
        .map_err(|e| AppError::invalid(format!("console URL '{raw}': {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Never stored or shown: the credentials go in their own fields, to the keyring.
        return Err(AppError::invalid(format!(
            "console URL '{}': must not carry a user name or password (enter the API key and \
             secret in their own fields; they are kept in the OS keyring)",
            without_userinfo(&url)
        )));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(AppError::invalid(format!(
            "console URL '{raw}': must start with https:// (or http:// for a local console)"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(AppError::invalid(format!("console URL '{raw}': no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(AppError::invalid(format!(
            "console URL '{raw}': must not have a query or fragment"
        )));
    }
    Ok(url)
}

/// Refuses plain `http://` to another machine unless the user insists (`allow_http`): the API
/// key and secret would cross the network unencrypted. This machine (loopback) is fine.
pub fn check_plain_http(url: &Url, allow_http: bool) -> Result<(), AppError> {
    if url.scheme() != "http" || allow_http || is_loopback(url) {
        return Ok(());
    }
    Err(AppError::invalid(format!(
        "console URL '{url}': plain http:// would send the API key and secret unencrypted to \
         another machine; use https:// (or, knowingly, allow unencrypted http: \
         --insecure-http, or the form's checkbox)"
    )))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn without_userinfo(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

impl ConsoleClient {
    /// A client for the console at `base` (e.g. `https://console.eu.example.org`).
    pub fn new(
        base: Url,
        credentials: Credentials,
        budget: Arc<RequestBudget>,
        settings: &ClientSettings,
    ) -> Result<Self, AppError> {
        Ok(Self::on(
            http_client(settings)?,
            base,
            credentials,
            budget,
            settings,
        ))
    }

    /// A client over an existing HTTP client (see [`http_client`]), sharing its connection pool.
    pub fn on(
        http: reqwest::Client,
        base: Url,
        credentials: Credentials,
        budget: Arc<RequestBudget>,
        settings: &ClientSettings,
    ) -> Self {
        Self {
            http,
            base,
            credentials,
            budget,
            max_rate_limit_wait: settings.max_rate_limit_wait,
            clock: Arc::clone(&settings.clock),
            writes_accepted: Arc::default(),
            credentials_accepted: Arc::default(),
            refusals: settings.refusals.clone(),
        }
    }

    /// How long a call may wait out a 429 before giving up with [`ConsoleError::RateLimited`].
    /// Zero for callers that must not block (the health poller).
    pub fn with_max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// Public settings (no auth): version, auth scheme.
    pub async fn settings(&self) -> Result<ConsoleSettings, ConsoleError> {
        self.call(Method::GET, "/ak/api/v3/settings", None, false)
            .await
            .and_then(|(_, text)| decode(&text))
    }

    /// Public liveness check (no auth, never counts as an auth failure).
    pub async fn healthcheck(&self) -> Result<(), ConsoleError> {
        self.call(Method::GET, "/ak/api/v3/healthcheck", None, false)
            .await
            .map(drop)
    }

    /// Every component the console knows, whole. `skip_cache` bypasses the console's stale cache.
    pub async fn list_components(&self, skip_cache: bool) -> Result<Vec<Component>, ConsoleError> {
        let path = if skip_cache {
            "/ak/api/v3/components?cache=skip"
        } else {
            "/ak/api/v3/components"
        };
        let (_, body) = self.call(Method::GET, path, None, true).await?;
        let list: ComponentList = decode(&body)?;
        Ok(list
            .components
            .into_iter()
            .filter_map(|doc| {
                let component = Component::from_document(doc);
                if component.is_none() {
                    tracing::warn!("the console listed an entry without an id or type; ignored");
                }
                component
            })
            .collect())
    }

    /// One status call for many components (the console answers 207 with an entry per id).
    pub async fn component_status(
        &self,
        ids: &[String],
    ) -> Result<BTreeMap<String, StatusEntry>, ConsoleError> {
        let components: serde_json::Map<String, Value> = ids
            .iter()
            .map(|id| (id.clone(), serde_json::json!({ "skip_cache": true })))
            .collect();
        let body = serde_json::json!({ "components": components });
        let (_, answer) = self
            .call(
                Method::POST,
                "/ak/api/v3/components/status",
                Some(body),
                true,
            )
            .await?;
        decode(&answer)
    }

    /// One component, fresh from the console's store (`cache=skip`: a plain GET may answer a
    /// deleted component from a stale cache).
    pub async fn get_component(&self, id: &str) -> Result<Component, ConsoleError> {
        let path = format!("/ak/api/v3/components/{}?cache=skip", path_segment(id));
        let (_, doc) = self.call(Method::GET, &path, None, true).await?;
        Component::from_document(decode(&doc)?).ok_or_else(|| ConsoleError::Unexpected {
            status: 200,
            detail: format!("'{id}' came back without an id or type"),
        })
    }

    /// Imports one component: `route` is `fabric-ca`, `fabric-peer`, `fabric-orderer` or `msp`.
    /// The console does not detect duplicates; callers check first.
    pub async fn import_component(&self, route: &str, body: &Value) -> Result<Value, ConsoleError> {
        let path = format!("/ak/api/v3/components/{}", path_segment(route));
        let (_, answer) = self
            .call(Method::POST, &path, Some(body.clone()), true)
            .await?;
        self.writes_accepted.store(true, Ordering::SeqCst);
        decode(&answer)
    }

    /// Edits one component (`PUT /components/{id}`: only the fields given change); answers the
    /// stored record as edited.
    pub async fn edit_component(&self, id: &str, body: &Value) -> Result<Component, ConsoleError> {
        let path = format!("/ak/api/v3/components/{}", path_segment(id));
        let (_, answer) = self
            .call(Method::PUT, &path, Some(body.clone()), true)
            .await?;
        self.writes_accepted.store(true, Ordering::SeqCst);
        Component::from_document(decode(&answer)?).ok_or_else(|| ConsoleError::Unexpected {
            status: 200,
            detail: format!("the edit of '{id}' came back without an id or type"),
        })
    }

    /// Whether the console has accepted an import with these credentials (a key with the writer
    /// role): until then, writes are sent a few at a time, as a refused key counts towards the
    /// console's lockout on every one.
    pub fn writes_accepted(&self) -> bool {
        self.writes_accepted.load(Ordering::SeqCst)
    }

    /// Removes one component (its record on this console; the node itself is untouched).
    pub async fn delete_component(&self, id: &str) -> Result<(), ConsoleError> {
        let path = format!("/ak/api/v3/components/{}", path_segment(id));
        self.call(Method::DELETE, &path, None, true).await.map(drop)
    }

    /// Exchanges the API key for a bearer token (`POST /identity/token`).
    pub async fn issue_token(
        &self,
        expiration: Duration,
    ) -> Result<(Secret, Duration), ConsoleError> {
        let body = serde_json::json!({ "expiration_secs": expiration.as_secs() });
        let (_, answer) = self
            .call(Method::POST, "/ak/api/v3/identity/token", Some(body), true)
            .await?;
        let token: TokenResponse = decode(&answer)?;
        Ok((
            Secret::new(token.access_token),
            Duration::from_secs(token.expires_in),
        ))
    }

    /// A copy of this client that authenticates with `credentials` instead.
    pub fn with_credentials(&self, credentials: Credentials) -> Self {
        Self {
            http: self.http.clone(),
            base: self.base.clone(),
            credentials,
            budget: Arc::clone(&self.budget),
            max_rate_limit_wait: self.max_rate_limit_wait,
            clock: Arc::clone(&self.clock),
            writes_accepted: Arc::default(),
            credentials_accepted: Arc::default(),
            refusals: self.refusals.clone(),
        }
    }

    async fn call(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<Value>,
        authenticated: bool,
    ) -> Result<(StatusCode, String), ConsoleError> {
        let url = self.join(path_and_query);
        let class = if method == Method::GET {
            RequestClass::Get
        } else {
            RequestClass::NonGet
        };
        let sent = match &self.credentials {
            Credentials::ApiKey { key, secret } if authenticated => {
                Some(Fingerprint::of(key, secret))
            }
            _ => None,
        };
        let refused = || {
            self.refusals
                .as_ref()
                .and_then(|r| r.check(&self.base, sent.as_ref()))
        };
        if let Some(refused) = refused() {
            return Err(ConsoleError::remembered(refused));
        }
        // Credentials not yet accepted wait for any other first try of them, on this machine,
        // and then look again: another process may just have seen them refused.
        let mut _first_try = None;
        if let (Some(refusals), Some(credentials)) = (&self.refusals, &sent) {
            if !self.credentials_accepted.load(Ordering::SeqCst) {
                _first_try = refusals.first_try(&self.base, credentials).await;
                if let Some(refused) = refused() {
                    return Err(ConsoleError::remembered(refused));
                }
            }
        }
        let deadline = self.clock.now() + self.max_rate_limit_wait;
        loop {
            // Our budget (shared by every process of this machine) or a pause a 429 asked for
            // makes us wait, within the caller's bound.
            if let Err(retry_after) = self
                .budget
                .acquire(class, self.clock.as_ref(), deadline)
                .await
            {
                return Err(ConsoleError::RateLimited { retry_after });
            }
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .header("accept", "application/json");
            if authenticated {
                request = match &self.credentials {
                    Credentials::ApiKey { key, secret } => {
                        request.basic_auth(key, Some(secret.expose()))
                    }
                    Credentials::Bearer(token) => request.bearer_auth(token.expose()),
                };
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = request
                .send()
                .await
                .map_err(|e| transport_error(&url, &e))?;
            let status = response.status();
            let retry_after = retry_after(response.headers());
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .map(str::to_owned);
            if let Some(limit) = stated_limit(response.headers()) {
                self.budget.learn(class, limit);
            }
            let body = answer::read_capped(response, answer::cap_for(path_and_query))
                .await
                .map_err(|unread| match unread {
                    answer::Unread::TooLarge => ConsoleError::TooLarge {
                        limit: answer::cap_for(path_and_query),
                    },
                    answer::Unread::Transport(e) => transport_error(&url, &e),
                })?;
            let mut text = String::from_utf8_lossy(&body).into_owned();
            if !status.is_success() {
                // A console may echo the request; what we show never carries our credentials.
                text = answer::redact(&text, &self.credentials);
            }
            let answer = match location {
                Some(location) if status.is_redirection() => Err(ConsoleError::Redirected {
                    status: status.as_u16(),
                    location: answer::redact(&location, &self.credentials),
                }),
                _ => classify(status, &text, path_and_query, retry_after).map(|s| (s, text)),
            };
            if sent.is_some() && status.is_success() {
                self.credentials_accepted.store(true, Ordering::SeqCst);
            }
            if let (Err(e), Some(refusals)) = (&answer, &self.refusals) {
                match (e, &sent) {
                    (ConsoleError::Unauthorized, Some(credentials)) => {
                        refusals.credentials_refused(&self.base, credentials);
                    }
                    (ConsoleError::LockedOut { .. }, _) => {
                        refusals.locked_out(&self.base, LOCKOUT_WAIT);
                    }
                    _ => {}
                }
            }
            match answer {
                // Every process of this machine pauses as the console asks; this call then
                // waits it out if its bound allows.
                Err(ConsoleError::RateLimited { retry_after }) => {
                    tracing::info!(%url, ?retry_after, "rate limited; pausing as the console asks");
                    self.budget.pause(class, retry_after, self.clock.unix_ms());
                }
                other => return other,
            }
        }
    }

    fn join(&self, path_and_query: &str) -> Url {
        let mut base = self.base.as_str().trim_end_matches('/').to_owned();
        base.push_str(path_and_query);
        Url::parse(&base).expect("a valid base URL plus an absolute path is a valid URL")
    }
}

/// The HTTP client every console client is built on: our User-Agent (the console counts limits
/// and lockouts per IP + User-Agent), the settings' timeouts, and no redirects followed. Building
/// one loads the TLS roots, so a process builds it once and shares it.
pub fn http_client(settings: &ClientSettings) -> Result<reqwest::Client, AppError> {
    let trusted = match &settings.trusted_certificate {
        Some(pem) => reqwest::Certificate::from_pem_bundle(pem.as_bytes()).map_err(|e| {
            AppError::invalid_field("trustedCertificate", format!("cannot be used: {e}"))
        })?,
        None => Vec::new(),
    };
    reqwest::Client::builder()
        .tls_certs_merge(trusted)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(settings.kind.user_agent())
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.request_timeout)
        .build()
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("HTTP client: {e}")))
}

/// Percent-encodes one path segment (ids come from display names and user input).
fn path_segment(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Reads an answer straight into what the caller expects (no intermediate JSON tree: its
/// memory would be several times the answer's).
fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ConsoleError> {
    serde_json::from_str(body).map_err(|e| ConsoleError::Unexpected {
        status: 200,
        detail: format!("answer not understood: {e}"),
    })
}

fn transport_error(url: &Url, e: &reqwest::Error) -> ConsoleError {
    let address = format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    );
    let url = url.origin().ascii_serialization();
    if e.is_timeout() {
        return ConsoleError::Timeout { url };
    }
    // The innermost cause says what really happened (refused, reset, DNS, TLS).
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        reason = s.to_string();
        source = s.source();
    }
    ConsoleError::Unreachable {
        url,
        reason: in_words(&reason, &address),
    }
}

/// What a transport failure means and what to check, in words; the system's own text follows.
fn in_words(reason: &str, address: &str) -> String {
    let lower = reason.to_ascii_lowercase();
    let meaning = if lower.contains("connection refused") {
        format!("nothing listens at {address}: is the console running, and is the URL right?")
    } else if lower.contains("reset by peer") || lower.contains("closed before message completed") {
        "the connection was cut before an answer came: the console restarted, or a proxy or \
         firewall in between dropped it"
            .to_owned()
    } else if lower.contains("dns")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
    {
        format!("the host name in {address} is not known: check the URL")
    } else if lower.contains("certificate") || lower.contains("unknownissuer") {
        "the console's certificate is not trusted by this machine: if it is the console's own \
         (self-signed or from your organisation's CA), review and trust it (Show the console's \
         certificate; atlas region add --ca-file); otherwise check the URL"
            .to_owned()
    } else if lower.contains("network is unreachable") || lower.contains("no route to host") {
        format!("no network route to {address}: check the network or VPN")
    } else {
        return reason.to_owned();
    };
    format!("{meaning} ({reason})")
}

/// The console's limit for the class of the request answered (`x-ratelimit-limit`).
fn stated_limit(headers: &HeaderMap) -> Option<u32> {
    headers
        .get("x-ratelimit-limit")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Turns a console answer into a value or the typed error for its shape.
fn classify(
    status: StatusCode,
    text: &str,
    path: &str,
    retry_after: Option<Duration>,
) -> Result<StatusCode, ConsoleError> {
    if status.is_success() {
        // 200, 207 (status multi-map) and 222 (no match by tag/type) are all answers, read by
        // the caller into what it expects.
        return Ok(status);
    }
    // An error body is a few hundred bytes; a larger one is not parsed, only quoted.
    let body: Value = if text.len() <= 64 * 1024 {
        serde_json::from_str(text).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let strings = |name: &str| -> Option<Vec<String>> {
        body.get(name)?.as_array().map(|items| {
            items
                .iter()
                .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_owned))
                .collect()
        })
    };
    let code = status.as_u16();
    Err(match code {
        401 => ConsoleError::Unauthorized,
        402 => ConsoleError::LockedOut {
            error: field("error").unwrap_or_else(|| "client is locked out".into()),
            failures: body.get("failures").and_then(Value::as_u64),
        },
        403 => ConsoleError::Forbidden {
            error: field("error").unwrap_or_else(|| "forbidden".into()),
        },
        429 => ConsoleError::RateLimited {
            retry_after: retry_after.unwrap_or(Duration::from_secs(60)),
        },
        404 if field("msg").as_deref() == Some("route not found") => ConsoleError::RouteNotFound {
            path: path.split('?').next().unwrap_or(path).to_owned(),
        },
        404 => ConsoleError::NotFound {
            msg: field("msg").unwrap_or_else(|| "not found".into()),
        },
        400 => {
            if let Some(msgs) = strings("msgs") {
                ConsoleError::Validation { msgs }
            } else if let Some(errors) = strings("errors") {
                ConsoleError::InvalidToken { errors }
            } else if let Some(msg) = field("msg") {
                ConsoleError::BadRequest {
                    msg,
                    details: field("details"),
                }
            } else if let Some(msgs) = strings("msg") {
                // The key API answers invalid roles with `msg` as an array.
                ConsoleError::Validation { msgs }
            } else {
                ConsoleError::Unexpected {
                    status: code,
                    detail: snippet(text),
                }
            }
        }
        500..=599 => ConsoleError::Server {
            status: code,
            msg: field("msg")
                .or_else(|| field("error"))
                .unwrap_or_else(|| snippet(text)),
        },
        _ => ConsoleError::Unexpected {
            status: code,
            detail: snippet(text),
        },
    })
}

fn snippet(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        return "(empty body)".into();
    }
    t.chars().take(200).collect()
}

/// The broad kind of a console failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    Unreachable,
    Unauthorized,
    LockedOut,
    RateLimited,
    Failing,
}

impl ConsoleError {
    /// The broad kind of failure, for health state.
    pub fn kind(&self) -> FailureKind {
        match self {
            Self::Unreachable { .. } | Self::Timeout { .. } => FailureKind::Unreachable,
            Self::Unauthorized
            | Self::RefusedBefore { .. }
            | Self::Forbidden { .. }
            | Self::InvalidToken { .. } => FailureKind::Unauthorized,
            Self::LockedOut { .. } => FailureKind::LockedOut,
            Self::RateLimited { .. } => FailureKind::RateLimited,
            _ => FailureKind::Failing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ConsoleError {
        classify(
            StatusCode::from_u16(status).unwrap(),
            body,
            "/ak/api/v3/x?y",
            None,
        )
        .unwrap_err()
    }

    #[test]
    fn every_recorded_error_shape_has_its_own_variant() {
        assert_eq!(err(401, "Unauthorized"), ConsoleError::Unauthorized);
        assert_eq!(
            err(
                402,
                r#"{"error":"too many auth failures. client is locked out. try again in 2.0 mins","failures":5}"#
            ),
            ConsoleError::LockedOut {
                error: "too many auth failures. client is locked out. try again in 2.0 mins".into(),
                failures: Some(5)
            }
        );
        assert_eq!(
            err(
                400,
                r#"{"statusCode":400,"msgs":["Expected parameter 'msp_id' to exist.","b"]}"#
            ),
            ConsoleError::Validation {
                msgs: vec!["Expected parameter 'msp_id' to exist.".into(), "b".into()]
            }
        );
        assert_eq!(
            err(
                400,
                r#"{"statusCode":400,"msg":"invalid json","details":"SyntaxError: x"}"#
            ),
            ConsoleError::BadRequest {
                msg: "invalid json".into(),
                details: Some("SyntaxError: x".into())
            }
        );
        assert!(matches!(
            err(
                400,
                r#"{"statusCode":400,"errors":["Internal setup error"]}"#
            ),
            ConsoleError::InvalidToken { .. }
        ));
        assert_eq!(
            err(404, r#"{"statusCode":404,"msg":"route not found"}"#),
            ConsoleError::RouteNotFound {
                path: "/ak/api/v3/x".into()
            }
        );
        assert_eq!(
            err(
                404,
                r#"{"msg":"no components by this id exist","reason":"missing","statusCode":404}"#
            ),
            ConsoleError::NotFound {
                msg: "no components by this id exist".into()
            }
        );
        assert_eq!(
            err(
                503,
                r#"{"statusCode":503,"error":"api is not available","msg":"not here"}"#
            ),
            ConsoleError::Server {
                status: 503,
                msg: "not here".into()
            }
        );
        assert_eq!(
            err(429, r#"{"error":"too many requests"}"#),
            ConsoleError::RateLimited {
                retry_after: Duration::from_secs(60)
            }
        );
    }

    #[test]
    fn transport_failures_say_what_to_check() {
        let refused = in_words("Connection refused (os error 111)", "127.0.0.1:1");
        assert!(
            refused.starts_with("nothing listens at 127.0.0.1:1: is the console running"),
            "{refused}"
        );
        assert!(refused.ends_with("(Connection refused (os error 111))"));
        let reset = in_words("Connection reset by peer (os error 104)", "h:443");
        assert!(reset.starts_with("the connection was cut"), "{reset}");
        let tls = in_words("invalid peer certificate: UnknownIssuer", "h:443");
        assert!(tls.contains("trust it"), "{tls}");
        assert_eq!(in_words("something else", "h:1"), "something else");
    }

    #[test]
    fn non_standard_success_codes_are_answers() {
        let status = classify(
            StatusCode::from_u16(222).unwrap(),
            r#"{"components":[]}"#,
            "/",
            None,
        )
        .unwrap();
        assert_eq!(status.as_u16(), 222);
    }

    #[test]
    fn console_urls_are_checked() {
        assert!(parse_console_url("https://console.example.org:8443").is_ok());
        assert!(parse_console_url(" http://127.0.0.1:3000/ ").is_ok());
        for bad in [
            "console.example.org",
            "ftp://x",
            "https://",
            "https://x/?a=b",
        ] {
            let e = parse_console_url(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
            assert!(e.message.contains("console URL"), "{}", e.message);
        }
    }
}
