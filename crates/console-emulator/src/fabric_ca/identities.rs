//! `identities`: the list a registrar may see (streamed, as fabric-ca writes it), one
//! identity, adding one (a registration answered in full), changing one; removing one is
//! refused, as in fabric-ca-server's default configuration (`identities.allowremove`).

use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};

use super::auth::{
    self, can_act_on_type, can_manage, contains_affiliation, registrar_roles, Caller,
};
use super::envelope::{go_json, CaError, Success};
use super::register::{self, can_give, read_attrs, register_identity, Registration};
use super::request::Ctx;
use super::store::{Attr, Identity};

/// An identity as listed (`api.IdentityInfo`).
#[derive(Serialize)]
struct Info<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    affiliation: &'a str,
    attrs: &'a [Attr],
    max_enrollments: i64,
}

/// One identity (`api.IdentityResponse`): the listing's fields, the secret when the caller
/// set or was given one, the CA's name.
#[derive(Serialize)]
struct One<'a> {
    #[serde(flatten)]
    info: Info<'a>,
    #[serde(skip_serializing_if = "str::is_empty")]
    secret: &'a str,
    caname: &'a str,
}

fn info(identity: &Identity) -> Info<'_> {
    Info {
        id: &identity.id,
        kind: &identity.kind,
        affiliation: &identity.affiliation,
        attrs: &identity.attrs,
        max_enrollments: identity.max_enrollments,
    }
}

fn full<'a>(identity: &'a Identity, secret: &'a str, caname: &'a str) -> One<'a> {
    One {
        info: info(identity),
        secret,
        caname,
    }
}

/// Token, CA name and caller: what every identities handler starts with.
fn caller(ctx: &Ctx<'_>) -> Result<(Caller, String), CaError> {
    let caller = auth::token(ctx)?;
    let caname = ctx.ca_name()?;
    Ok((caller, caname))
}

fn not_found() -> CaError {
    CaError::new(404, 63, "Failed to get User: sql: no rows in result set")
}

/// `GET identities`: written piecewise, `], "caname":"…"}` closing it as fabric-ca does.
pub(crate) fn list(ctx: &Ctx<'_>) -> Result<Success, CaError> {
    let (caller, caname) = caller(ctx)?;
    let me = &caller.identity;
    let Some(roles) = registrar_roles(me) else {
        return Err(CaError::authorization());
    };
    let all_types = roles.split(',').any(|r| r.trim() == "*");
    let items: Vec<String> = caller
        .ca
        .store
        .identities()?
        .iter()
        .filter(|i| contains_affiliation(me, &i.affiliation))
        .filter(|i| all_types || can_act_on_type(me, &i.kind))
        .map(|i| go_json(&info(i)))
        .collect();
    Ok(Success::streamed(format!(
        "{{\"identities\":[{}], \"caname\":\"{caname}\"}}",
        items.join(",")
    )))
}

/// `POST identities`: a registration answered with the identity (201, `Location`).
pub(crate) fn add(ctx: &Ctx<'_>, posted: &AtomicBool) -> Result<Success, CaError> {
    let (caller, caname) = caller(ctx)?;
    posted.store(true, Ordering::SeqCst);
    let body = ctx.read_body("api.AddIdentityRequest")?;
    let reg = Registration::read(&ctx.fields(&body, "AddIdentityRequest"))?;
    if reg.id.is_empty() {
        return Err(CaError::new(
            400,
            52,
            "Missing 'ID' in request to add a new identity",
        ));
    }
    let (identity, secret) = register_identity(&caller, reg)
        .map_err(|e| CaError::new(400, 52, format!("Failed to add identity: {}", e.message)))?;
    let mut answer = Success::created(&full(&identity, &secret, &caname));
    answer.location = Some(register::location(&identity.id));
    Ok(answer)
}

/// `identities/{id}`: GET, DELETE (refused), PUT.
pub(crate) fn one(ctx: &Ctx<'_>, id: &str) -> Result<Success, CaError> {
    let (caller, caname) = caller(ctx)?;
    if ctx.method == "DELETE" {
        return Err(CaError::new(403, 56, "Identity removal is disabled"));
    }
    let ca = &caller.ca;
    let _guard = ca.lock();
    let mut identity = ca.store.identity(id)?.ok_or_else(not_found)?;
    if !can_manage(&caller.identity, &identity) {
        return Err(CaError::authorization());
    }
    if ctx.method == "GET" {
        return Ok(Success::ok(&full(&identity, "", &caname)));
    }
    let body = ctx.read_body("api.ModifyIdentityRequest")?;
    let f = ctx.fields(&body, "ModifyIdentityRequest");
    let (kind, affiliation, secret) = (
        f.string("type")?,
        f.string("affiliation")?,
        f.string("secret")?,
    );
    let (max_enrollments, mut attrs) = (f.int("max_enrollments")?, read_attrs(&f)?);
    if !affiliation.is_empty() && affiliation != "." {
        let known = ca.store.affiliations()?.unwrap_or_default();
        if !known.contains(&affiliation) {
            return Err(CaError::new(
                400,
                58,
                format!("Affiliation '{affiliation}' is not supported"),
            ));
        }
    }
    let me = &caller.identity;
    let target_affiliation = if affiliation == "." {
        ""
    } else {
        affiliation.as_str()
    };
    if (!affiliation.is_empty() && !contains_affiliation(me, target_affiliation))
        || (!kind.is_empty() && !can_act_on_type(me, &kind))
        || (!attrs.is_empty() && !can_give(me, &attrs))
    {
        return Err(CaError::authorization());
    }
    // fabric-ca's getModifyReq
    if !secret.is_empty() {
        identity.set_secret(&secret);
    }
    match max_enrollments {
        0 => {}
        -2 => identity.max_enrollments = 0,
        n => identity.max_enrollments = n,
    }
    if !affiliation.is_empty() {
        identity.affiliation = target_affiliation.to_string();
        attrs.push(Attr::new("hf.Affiliation", target_affiliation, true));
    }
    if !kind.is_empty() {
        identity.kind = kind.clone();
        attrs.push(Attr::new("hf.Type", &kind, true));
    }
    merge_attrs(&mut identity.attrs, attrs);
    ca.store.put_identity(&identity)?;
    Ok(Success::ok(&full(&identity, &secret, &caname)))
}

/// fabric-ca's `getNewAttributes`: set by name, an empty value removes, new ones appended.
fn merge_attrs(current: &mut Vec<Attr>, changes: Vec<Attr>) {
    for change in changes {
        match current.iter().position(|a| a.name == change.name) {
            Some(i) if change.value.is_empty() => {
                current.remove(i);
            }
            Some(i) => current[i] = change,
            None if !change.value.is_empty() => current.push(change),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_changes_set_remove_and_add() {
        let mut attrs = vec![Attr::new("a", "1", false), Attr::new("b", "2", true)];
        merge_attrs(
            &mut attrs,
            vec![
                Attr::new("a", "", false),
                Attr::new("b", "3", false),
                Attr::new("c", "4", true),
                Attr::new("d", "", false),
            ],
        );
        assert_eq!(
            attrs,
            vec![Attr::new("b", "3", false), Attr::new("c", "4", true)]
        );
    }

    #[test]
    fn one_identity_has_the_responses_key_order() {
        let id = Identity {
            id: "user20".into(),
            kind: "client".into(),
            affiliation: "org1".into(),
            attrs: vec![Attr::new("hf.Type", "client", true)],
            max_enrollments: -1,
            state: 0,
            salt: String::new(),
            secret_hash: String::new(),
            seq: 0,
        };
        // recording 95's shape
        assert_eq!(
            go_json(&full(&id, "pw20", "org1ca")),
            r#"{"id":"user20","type":"client","affiliation":"org1","attrs":[{"name":"hf.Type","value":"client","ecert":true}],"max_enrollments":-1,"secret":"pw20","caname":"org1ca"}"#
        );
        assert!(!go_json(&full(&id, "", "ca")).contains("secret"));
    }
}
