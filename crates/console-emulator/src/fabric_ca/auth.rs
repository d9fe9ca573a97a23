//! Who is calling, and what they may do. Basic auth (enroll) checks the secret; a token
//! (everything else) must verify (`token.rs`), come from a certificate THIS CA issued, still
//! valid, known and not revoked, whose CN is an identity. The checks' order is the server's:
//! a missing header is told apart (401 code 2); every other failure is "Authentication
//! failure" (401 code 20).
//!
//! Then fabric-ca's rules on what a caller may do: registrar roles (`hf.Registrar.Roles`),
//! affiliations at or below the caller's, boolean attributes such as `hf.Revoker`.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use std::sync::Arc;
use x509_parser::prelude::{FromDer, ParsedExtension, X509Certificate};

use super::authority::Ca;
use super::envelope::CaError;
use super::request::Ctx;
use super::store::{normal_hex, Identity};
use super::token;

/// An authenticated caller: the CA it is known to and its identity there.
pub(crate) struct Caller {
    pub ca: Arc<Ca>,
    pub identity: Identity,
    /// Serial and AKI of the certificate that signed the token (token auth only).
    pub cert: Option<(String, String)>,
}

fn header(ctx: &Ctx<'_>) -> Result<String, CaError> {
    ctx.authorization
        .clone()
        .filter(|h| !h.is_empty())
        .ok_or_else(CaError::no_authorization_header)
}

/// `Basic base64(user:secret)`, as Go's `Request.BasicAuth` reads it.
fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.split_at_checked(6)?;
    if !scheme.eq_ignore_ascii_case("basic ") {
        return None;
    }
    let decoded = String::from_utf8(B64.decode(rest).ok()?).ok()?;
    let (user, secret) = decoded.split_once(':')?;
    Some((user.to_string(), secret.to_string()))
}

/// Enroll's check: the identity's secret, then whether it may enroll (not revoked, not
/// over its maximum enrollments).
pub(crate) fn basic(ctx: &Ctx<'_>) -> Result<Caller, CaError> {
    let header = header(ctx)?;
    let (user, secret) = parse_basic(&header).ok_or_else(CaError::authentication)?;
    let ca = ctx.ca()?;
    let identity = ca
        .store
        .identity(&user)?
        .ok_or_else(CaError::authentication)?;
    let over = identity.max_enrollments != -1 && identity.state >= identity.max_enrollments;
    if !identity.secret_is(&secret) || identity.max_enrollments == 0 || identity.revoked() || over {
        return Err(CaError::authentication());
    }
    Ok(Caller {
        ca,
        identity,
        cert: None,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Token auth (fabric-ca's `TokenAuthentication`).
pub(crate) fn token(ctx: &Ctx<'_>) -> Result<Caller, CaError> {
    let header = header(ctx)?;
    let ca = ctx.ca()?;
    let signed = token::verify(&header, &ctx.method, &ctx.uri, &ctx.body)
        .map_err(|_| CaError::authentication())?;
    let (_, cert) =
        X509Certificate::from_der(&signed.cert_der).map_err(|_| CaError::authentication())?;
    if !ca.issued(&cert) || !cert.validity().is_valid() {
        return Err(CaError::authentication());
    }
    let aki = cert
        .iter_extensions()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                aki.key_identifier.as_ref().map(|k| hex(k.0))
            }
            _ => None,
        })
        .unwrap_or_default();
    let serial = normal_hex(&hex(cert.raw_serial()));
    let aki = normal_hex(&aki);
    let record = ca
        .store
        .cert(&serial, &aki)?
        .ok_or_else(CaError::authentication)?;
    if record.revoked() {
        return Err(CaError::authentication());
    }
    let id = cert
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .unwrap_or_default();
    let identity = ca.store.identity(id)?.ok_or_else(CaError::authentication)?;
    Ok(Caller {
        ca,
        identity,
        cert: Some((serial, aki)),
    })
}

/// Go's `strconv.ParseBool`.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Whether the identity has the boolean attribute `name` set to true.
pub(crate) fn attr_true(identity: &Identity, name: &str) -> bool {
    identity.attr(name).and_then(parse_bool) == Some(true)
}

/// The types a registrar may act on (`hf.Registrar.Roles`); `None` if not a registrar.
pub(crate) fn registrar_roles(identity: &Identity) -> Option<&str> {
    identity
        .attr("hf.Registrar.Roles")
        .filter(|roles| !roles.is_empty())
}

fn list_contains(list: &str, item: &str) -> bool {
    list.split(',').any(|x| x.trim() == item)
}

/// Whether the caller may act on identities of `kind` ("" is `client`).
pub(crate) fn can_act_on_type(caller: &Identity, kind: &str) -> bool {
    let Some(roles) = registrar_roles(caller) else {
        return false;
    };
    let kind = if kind.is_empty() { "client" } else { kind };
    list_contains(roles, "*") || list_contains(roles, kind)
}

/// Whether `affiliation` is the caller's or below it (root, "", holds every one).
pub(crate) fn contains_affiliation(caller: &Identity, affiliation: &str) -> bool {
    let own = &caller.affiliation;
    own.is_empty() || affiliation == own || affiliation.starts_with(&format!("{own}."))
}

/// fabric-ca's `CanManageUser`: the user's affiliation and type are within the caller's.
pub(crate) fn can_manage(caller: &Identity, user: &Identity) -> bool {
    contains_affiliation(caller, &user.affiliation) && can_act_on_type(caller, &user.kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fabric_ca::store::Attr;

    fn identity(affiliation: &str, attrs: &[(&str, &str)]) -> Identity {
        Identity {
            id: "x".into(),
            kind: "client".into(),
            affiliation: affiliation.into(),
            attrs: attrs.iter().map(|(n, v)| Attr::new(n, v, false)).collect(),
            max_enrollments: -1,
            state: 0,
            salt: String::new(),
            secret_hash: String::new(),
            seq: 0,
        }
    }

    #[test]
    fn basic_credentials_are_read_like_go() {
        assert_eq!(
            parse_basic("Basic YWRtaW46YWRtaW5wdw=="),
            Some(("admin".into(), "adminpw".into()))
        );
        assert_eq!(
            parse_basic("basic YTpiOmM="),
            Some(("a".into(), "b:c".into()))
        );
        assert_eq!(parse_basic("Bearer YWRtaW46YWRtaW5wdw=="), None);
        assert_eq!(parse_basic("Basic !!"), None);
    }

    #[test]
    fn registrars_act_on_their_types_and_affiliations() {
        let admin = identity("", &[("hf.Registrar.Roles", "*")]);
        let dept = identity("org1", &[("hf.Registrar.Roles", "peer,client")]);
        let peer = identity("org1", &[]);
        assert!(can_act_on_type(&admin, "orderer"));
        assert!(can_act_on_type(&dept, "peer") && can_act_on_type(&dept, ""));
        assert!(!can_act_on_type(&dept, "orderer"));
        assert!(!can_act_on_type(&peer, "client"));
        assert!(contains_affiliation(&admin, "org2.department1"));
        assert!(contains_affiliation(&dept, "org1.department1"));
        assert!(!contains_affiliation(&dept, "org10"));
        assert!(!contains_affiliation(&dept, "org2"));
    }

    #[test]
    fn booleans_are_gos() {
        let id = identity(
            "",
            &[("hf.Revoker", "1"), ("hf.GenCRL", "false"), ("x", "yes")],
        );
        assert!(attr_true(&id, "hf.Revoker"));
        assert!(!attr_true(&id, "hf.GenCRL"));
        assert!(!attr_true(&id, "x"));
        assert!(!attr_true(&id, "hf.AffiliationMgr"));
    }
}
