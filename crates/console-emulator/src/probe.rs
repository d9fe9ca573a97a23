//! Component status probes, made for real over HTTP like the console does: GET the status
//! URL, self-signed certificates accepted, a short timeout, one retry on 429/500. Successful
//! answers are cached for a short while (athena's proxy cache) unless the caller skips it.

use anyhow::Result;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a successful probe is reused.
const CACHE_TTL: Duration = Duration::from_secs(10);
const ATTEMPTS: usize = 2;

/// The outcome of one probe.
#[derive(Debug, Clone)]
pub(crate) struct ProbeResult {
    /// HTTP status, or 500 when nothing answered.
    pub code: u16,
    /// The answer parsed as JSON, `null` if it was not JSON or nothing answered.
    pub body: Value,
    /// Set when the answer came from the cache: how long it stays there.
    pub cached_for: Option<Duration>,
}

pub(crate) struct Prober {
    client: reqwest::Client,
    cache: Mutex<HashMap<String, (u16, Value, Instant)>>,
}

impl Prober {
    pub(crate) fn new() -> Result<Prober> {
        let client = reqwest::Client::builder()
            .tls_danger_accept_invalid_certs(true)
            .no_proxy()
            .build()?;
        Ok(Prober {
            client,
            cache: Mutex::new(HashMap::new()),
        })
    }

    fn cached(&self, url: &str) -> Option<ProbeResult> {
        let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let (code, body, at) = cache.get(url)?;
        let age = at.elapsed();
        (age < CACHE_TTL).then(|| ProbeResult {
            code: *code,
            body: body.clone(),
            cached_for: Some(CACHE_TTL - age),
        })
    }

    pub(crate) async fn probe(
        &self,
        url: &str,
        timeout: Duration,
        skip_cache: bool,
    ) -> ProbeResult {
        if !skip_cache {
            if let Some(hit) = self.cached(url) {
                return hit;
            }
        }
        let mut result = ProbeResult {
            code: 500,
            body: Value::Null,
            cached_for: None,
        };
        for _ in 0..ATTEMPTS {
            result = self.once(url, timeout).await;
            if result.code != 429 && result.code != 500 {
                break;
            }
        }
        if result.code < 400 {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            cache.insert(
                url.to_string(),
                (result.code, result.body.clone(), Instant::now()),
            );
        }
        result
    }

    async fn once(&self, url: &str, timeout: Duration) -> ProbeResult {
        let answer = self
            .client
            .get(url)
            .header("Accept", "application/json")
            .timeout(timeout)
            .send()
            .await;
        match answer {
            Err(_) => ProbeResult {
                code: 500,
                body: Value::Null,
                cached_for: None,
            },
            Ok(resp) => {
                let code = resp.status().as_u16();
                let text = resp.text().await.unwrap_or_default();
                ProbeResult {
                    code,
                    body: serde_json::from_str(&text).unwrap_or(Value::Null),
                    cached_for: None,
                }
            }
        }
    }
}
