//! `revoke` (an identity and all its certificates, or one certificate by serial and AKI;
//! with `gencrl` the CRL after it) and `gencrl`, for callers with `hf.Revoker` and
//! `hf.GenCRL`. A revoked identity can no longer enroll, a revoked certificate no longer
//! signs tokens.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::Serialize;

use super::auth::{self, attr_true, can_manage};
use super::envelope::{CaError, Success};
use super::request::Ctx;
use super::store::normal_hex;

#[derive(Serialize)]
struct RevokedCert {
    #[serde(rename = "Serial")]
    serial: String,
    #[serde(rename = "AKI")]
    aki: String,
}

#[derive(Serialize)]
struct Revocation {
    /// `null` when nothing was revoked (Go's nil slice).
    #[serde(rename = "RevokedCerts")]
    revoked_certs: Option<Vec<RevokedCert>>,
    #[serde(rename = "CRL")]
    crl: String,
}

/// cfssl's revocation reason codes (unknown: unspecified).
fn reason_code(reason: &str) -> u8 {
    match reason.to_ascii_lowercase().as_str() {
        "keycompromise" => 1,
        "cacompromise" => 2,
        "affiliationchanged" => 3,
        "superseded" => 4,
        "cessationofoperation" => 5,
        "certificatehold" => 6,
        "removefromcrl" => 8,
        "privilegewithdrawn" => 9,
        "aacompromise" => 10,
        _ => 0,
    }
}

fn no_identity(id: &str) -> CaError {
    CaError::new(
        404,
        10,
        format!("Identity {id} was not found: Failed to get User: sql: no rows in result set"),
    )
}

pub(crate) fn revoke(ctx: &Ctx<'_>) -> Result<Success, CaError> {
    let body = ctx.read_body("api.RevocationRequestNet")?;
    let f = ctx.fields(&body, "RevocationRequestNet");
    let (id, serial, aki) = (f.string("id")?, f.string("serial")?, f.string("aki")?);
    let (reason, gencrl) = (reason_code(&f.string("reason")?), f.bool("gencrl")?);
    let caller = auth::token(ctx)?;
    if !attr_true(&caller.identity, "hf.Revoker") {
        return Err(CaError::authorization());
    }
    let (serial, aki) = (normal_hex(&serial), normal_hex(&aki));
    let ca = &caller.ca;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let _guard = ca.lock();
    let mut revoked = Vec::new();
    if !serial.is_empty() && !aki.is_empty() {
        let mut cert = ca.store.cert(&serial, &aki)?.ok_or_else(|| {
            CaError::new(
                404,
                8,
                format!("Certificate with serial {serial} and AKI {aki} was not found: Failed to get Certificate: sql: no rows in result set"),
            )
        })?;
        if cert.revoked() {
            return Err(CaError::new(
                404,
                66,
                format!("Certificate with serial {serial} and AKI {aki} was already revoked"),
            ));
        }
        if !id.is_empty() && id != cert.id {
            return Err(CaError::new(
                400,
                9,
                format!("Certificate with serial {serial} and AKI {aki} is not owned by {id}"),
            ));
        }
        let owner = ca
            .store
            .identity(&cert.id)?
            .ok_or_else(|| no_identity(&cert.id))?;
        let own = caller.cert.as_ref() == Some(&(serial.clone(), aki.clone()));
        if !own && !can_manage(&caller.identity, &owner) {
            return Err(CaError::authorization());
        }
        (cert.status, cert.reason, cert.revoked_at) = ("revoked".into(), reason, now);
        ca.store.put_cert(&cert)?;
        revoked.push(RevokedCert { serial, aki });
    } else if !id.is_empty() {
        let mut owner = ca.store.identity(&id)?.ok_or_else(|| no_identity(&id))?;
        if owner.id != caller.identity.id && !can_manage(&caller.identity, &owner) {
            return Err(CaError::authorization());
        }
        owner.state = -1;
        ca.store.put_identity(&owner)?;
        for mut cert in ca
            .store
            .certs()?
            .into_iter()
            .filter(|c| c.id == id && !c.revoked())
        {
            (cert.status, cert.reason, cert.revoked_at) = ("revoked".into(), reason, now);
            ca.store.put_cert(&cert)?;
            revoked.push(RevokedCert {
                serial: cert.serial,
                aki: cert.aki,
            });
        }
    } else {
        return Err(CaError::new(
            400,
            15,
            "Either Name or Serial and AKI are required for a revoke request",
        ));
    }
    let crl = if gencrl && !revoked.is_empty() {
        B64.encode(ca.crl()?.as_bytes())
    } else {
        String::new()
    };
    Ok(Success::ok(&Revocation {
        revoked_certs: (!revoked.is_empty()).then_some(revoked),
        crl,
    }))
}

#[derive(Serialize)]
struct Crl {
    #[serde(rename = "CRL")]
    crl: String,
}

/// `gencrl`: the CRL of every revoked certificate not yet expired.
pub(crate) fn gencrl(ctx: &Ctx<'_>) -> Result<Success, CaError> {
    ctx.try_body("api.GenCRLRequest")?;
    let caller = auth::token(ctx)?;
    if !attr_true(&caller.identity, "hf.GenCRL") {
        return Err(CaError::authorization());
    }
    let crl = caller.ca.crl()?;
    Ok(Success::ok(&Crl {
        crl: B64.encode(crl.as_bytes()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_cfssls_codes() {
        assert_eq!(reason_code("keycompromise"), 1);
        assert_eq!(reason_code("KeyCompromise"), 1);
        assert_eq!(reason_code("unspecified"), 0);
        assert_eq!(reason_code("whatever"), 0);
    }

    #[test]
    fn nothing_revoked_is_null() {
        let none = Revocation {
            revoked_certs: None,
            crl: String::new(),
        };
        assert_eq!(
            crate::fabric_ca::envelope::go_json(&none),
            r#"{"RevokedCerts":null,"CRL":""}"#
        );
    }
}
