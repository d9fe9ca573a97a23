//! `GET certificates`: the certificates the CA issued (filters `id`, `serial`, `aki`,
//! `revoked`, `notrevoked`, `expired`, `notexpired`) to a registrar or revoker, streamed as
//! fabric-ca writes it. Its `caname` is the `?ca=` given, empty without one (recording 47).

use serde::Serialize;

use super::auth::{self, attr_true, contains_affiliation, parse_bool};
use super::envelope::{go_json, CaError, Success};
use super::request::Ctx;
use super::store::normal_hex;

#[derive(Serialize)]
struct Pem<'a> {
    #[serde(rename = "PEM")]
    pem: &'a str,
}

fn flag(ctx: &Ctx<'_>, name: &str) -> Result<bool, CaError> {
    match ctx.query_param(name).filter(|v| !v.is_empty()) {
        None => Ok(false),
        Some(v) => parse_bool(&v.to_ascii_lowercase()).ok_or_else(|| {
            CaError::new(
                400,
                61,
                format!("Failed to correctly parse value of '{name}' query parameter: strconv.ParseBool: parsing \"{v}\": invalid syntax"),
            )
        }),
    }
}

pub(crate) fn handle(ctx: &Ctx<'_>) -> Result<Success, CaError> {
    let caller = auth::token(ctx)?;
    let me = &caller.identity;
    if me.attr("hf.Registrar.Roles").is_none() && !attr_true(me, "hf.Revoker") {
        return Err(CaError::authentication());
    }
    if ctx.method == "DELETE" {
        return Err(CaError::unknown("DELETE Not Implemented"));
    }
    let id = ctx.query_param("id").unwrap_or_default();
    let serial = normal_hex(&ctx.query_param("serial").unwrap_or_default());
    let aki = normal_hex(&ctx.query_param("aki").unwrap_or_default());
    let (revoked, not_revoked) = (flag(ctx, "revoked")?, flag(ctx, "notrevoked")?);
    let (expired, not_expired) = (flag(ctx, "expired")?, flag(ctx, "notexpired")?);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let store = &caller.ca.store;
    let visible = |owner: &str| match store.identity(owner) {
        Ok(Some(identity)) => contains_affiliation(me, &identity.affiliation),
        _ => me.affiliation.is_empty(),
    };
    let certs: Vec<String> = store
        .certs()?
        .iter()
        .filter(|c| id.is_empty() || c.id == id)
        .filter(|c| serial.is_empty() || c.serial == serial)
        .filter(|c| aki.is_empty() || c.aki == aki)
        .filter(|c| (!revoked || c.revoked()) && (!not_revoked || !c.revoked()))
        .filter(|c| (!expired || c.not_after <= now) && (!not_expired || c.not_after > now))
        .filter(|c| visible(&c.id))
        .map(|c| go_json(&Pem { pem: &c.pem }))
        .collect();
    let caname = ctx.query_param("ca").unwrap_or_default();
    Ok(Success::streamed(format!(
        "{{\"certs\":[{}], \"caname\":\"{caname}\"}}",
        certs.join(",")
    )))
}
