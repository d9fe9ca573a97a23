//! `enroll` (Basic auth with the enroll secret) and `reenroll` (a token of a certificate the
//! CA issued): the CA signs the client's CSR, whose CN must be the identity, with the
//! profile asked for (`tls` for TLS certificates), the request's `hosts` as SANs and the
//! identity's attributes (`attr_reqs`, else those marked `ecert`).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::Serialize;
use std::collections::BTreeMap;

use super::auth::{self, attr_true, Caller};
use super::csr;
use super::envelope::{CaError, Success};
use super::gojson::Fields;
use super::request::Ctx;
use super::signing::{Issue, Profile};
use super::store::Identity;
use super::CaInfo;

#[derive(Serialize)]
struct EnrollResult<'a> {
    #[serde(rename = "Cert")]
    cert: String,
    /// The enroll answer's `Version` is empty (only `cainfo` fills it).
    #[serde(rename = "ServerInfo")]
    server_info: CaInfo<'a>,
}

fn cn_mismatch() -> CaError {
    CaError::new(
        403,
        77,
        "The CSR subject common name must equal the enrollment ID",
    )
}

/// The attribute extension's JSON (Fabric's `attrmgr`): the requested attributes, or with
/// no `attr_reqs` every attribute marked `ecert` (none: no extension).
fn attributes(
    identity: &Identity,
    requests: Option<Vec<Fields<'_>>>,
) -> Result<Option<String>, CaError> {
    let requests: Vec<(String, bool)> = match requests {
        Some(list) => list
            .iter()
            .map(|r| Ok((r.string("name")?, !r.bool("optional")?)))
            .collect::<Result<_, CaError>>()?,
        None => {
            let defaults: Vec<(String, bool)> = identity
                .attrs
                .iter()
                .filter(|a| a.ecert)
                .map(|a| (a.name.clone(), true))
                .collect();
            if defaults.is_empty() {
                return Ok(None);
            }
            defaults
        }
    };
    let mut attrs = BTreeMap::new();
    let mut missing = Vec::new();
    for (name, required) in requests {
        match identity.attr(&name) {
            Some(value) => {
                attrs.insert(name, value.to_string());
            }
            None if required => missing.push(name),
            None => {}
        }
    }
    if !missing.is_empty() {
        return Err(CaError::unknown(format!(
            "The following required attributes are missing: [{}]",
            missing.join(" ")
        )));
    }
    Ok(Some(serde_json::json!({ "attrs": attrs }).to_string()))
}

/// What enroll and reenroll share once the caller is known (fabric-ca's `handleEnroll`).
fn sign_for(ctx: &Ctx<'_>, caller: &Caller) -> Result<Success, CaError> {
    let body = ctx.read_body("api.EnrollmentRequestNet")?;
    let f = ctx.fields(&body, "EnrollmentRequestNet");
    let request = f.string("certificate_request")?;
    let hosts = f.strings("hosts")?;
    let profile = f.string("profile")?;
    let attr_reqs = f.objects("attr_reqs", "*api.AttributeRequest")?;
    let subject_cn = match f.get("subject") {
        Some(serde_json::Value::Object(s)) => Some(ctx.fields(s, "Subject").string("CN")?),
        _ => None,
    };
    let id = &caller.identity.id;
    let csr = csr::parse(&request)?;
    if csr.common_name != *id || subject_cn.is_some_and(|cn| cn != *id) {
        return Err(cn_mismatch());
    }
    if csr.is_ca && !attr_true(&caller.identity, "hf.IntermediateCA") {
        return Err(CaError::authorization());
    }
    csr::check_lengths(&csr)?;
    let attrs = attributes(&caller.identity, attr_reqs)?;
    let profile = Profile::named(&profile)
        .ok_or_else(|| CaError::unknown(format!("Invalid profile: '{profile}'")))?;
    // a CA certificate only for identities allowed to be intermediate CAs
    if profile == Profile::Ca && !attr_true(&caller.identity, "hf.IntermediateCA") {
        return Err(CaError::authorization());
    }
    let record = caller.ca.issue(
        id,
        Issue {
            csr: &csr,
            profile,
            ou: &caller.identity.kind,
            hosts: hosts.as_deref(),
            attrs,
        },
    )?;
    Ok(Success::created(&EnrollResult {
        cert: B64.encode(record.pem.as_bytes()),
        server_info: CaInfo::of(&caller.ca, ""),
    }))
}

pub(crate) fn enroll(ctx: &Ctx<'_>) -> Result<Success, CaError> {
    let caller = auth::basic(ctx)?;
    let answer = sign_for(ctx, &caller)?;
    // fabric-ca's LoginComplete: the enrollment counts against max_enrollments
    let ca = &caller.ca;
    let _guard = ca.lock();
    if let Some(mut identity) = ca.store.identity(&caller.identity.id)? {
        if !identity.revoked() {
            identity.state += 1;
            ca.store.put_identity(&identity)?;
        }
    }
    Ok(answer)
}

pub(crate) fn reenroll(ctx: &Ctx<'_>) -> Result<Success, CaError> {
    let caller = auth::token(ctx)?;
    sign_for(ctx, &caller)
}
