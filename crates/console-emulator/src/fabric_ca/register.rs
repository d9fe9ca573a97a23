//! `register` (and the registration `POST identities` shares): a registrar adds an identity
//! of a type it may act on, in an affiliation at or below its own that exists, with only
//! attributes it may give; the secret is the one given or a generated one (answered).

use rand::Rng;
use serde::Serialize;

use super::auth::{self, attr_true, can_act_on_type, contains_affiliation, parse_bool, Caller};
use super::envelope::{CaError, Success};
use super::gojson::Fields;
use super::request::Ctx;
use super::store::{Attr, Identity};

/// What a registration asks for, as read from `RegistrationRequest`.
pub(crate) struct Registration {
    pub id: String,
    pub secret: String,
    pub kind: String,
    pub affiliation: String,
    pub attrs: Vec<Attr>,
    pub max_enrollments: i64,
}

pub(crate) fn read_attrs(f: &Fields<'_>) -> Result<Vec<Attr>, CaError> {
    f.objects("attrs", "api.Attribute")?
        .unwrap_or_default()
        .iter()
        .map(|a| {
            Ok(Attr::new(
                &a.string("name")?,
                &a.string("value")?,
                a.bool("ecert")?,
            ))
        })
        .collect()
}

impl Registration {
    pub(crate) fn read(f: &Fields<'_>) -> Result<Registration, CaError> {
        Ok(Registration {
            id: f.string("id")?,
            secret: f.string("secret")?,
            kind: f.string("type")?,
            affiliation: f.string("affiliation")?,
            attrs: read_attrs(f)?,
            max_enrollments: f.int("max_enrollments")?,
        })
    }
}

/// fabric-ca's `util.RandomString(12)`: letters.
fn random_secret() -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..12)
        .map(|_| LETTERS[rng.random_range(0..LETTERS.len())] as char)
        .collect()
}

fn list(value: Option<&str>) -> Vec<&str> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether every item of `wanted` (a comma list) is in `held` (a comma list, `*` = all).
fn subset(wanted: &str, held: Option<&str>) -> bool {
    let held = list(held);
    held.contains(&"*") || list(Some(wanted)).iter().all(|w| held.contains(w))
}

/// Whether `name` is in the registrar's `hf.Registrar.Attributes` (`x*` = any `x…`).
fn may_give(registrar: &Identity, name: &str) -> bool {
    list(registrar.attr("hf.Registrar.Attributes"))
        .iter()
        .any(|allowed| match allowed.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == *allowed,
        })
}

/// fabric-ca's `CanRegisterRequestedAttributes`.
pub(crate) fn can_give(registrar: &Identity, attrs: &[Attr]) -> bool {
    attrs.iter().all(|a| {
        let fixed = ["hf.EnrollmentID", "hf.Type", "hf.Affiliation"].contains(&a.name.as_str());
        let value_ok = match a.name.as_str() {
            "hf.Registrar.Roles" => subset(&a.value, registrar.attr("hf.Registrar.Roles")),
            "hf.Registrar.DelegateRoles" => {
                subset(&a.value, registrar.attr("hf.Registrar.DelegateRoles"))
            }
            "hf.Registrar.Attributes" => list(Some(&a.value))
                .iter()
                .all(|n| may_give(registrar, n.trim_end_matches('*'))),
            "hf.Revoker" | "hf.IntermediateCA" | "hf.GenCRL" | "hf.AffiliationMgr" => {
                match parse_bool(&a.value) {
                    Some(true) => attr_true(registrar, &a.name),
                    Some(false) => true,
                    None => false,
                }
            }
            _ => true,
        };
        !fixed && may_give(registrar, &a.name) && value_ok
    })
}

/// Registers `reg` as `caller` (fabric-ca's `registerUser`); answers the identity and its
/// secret.
pub(crate) fn register_identity(
    caller: &Caller,
    mut reg: Registration,
) -> Result<(Identity, String), CaError> {
    let registrar = &caller.identity;
    if reg.affiliation.is_empty() {
        reg.affiliation = registrar.affiliation.clone();
    } else if reg.affiliation == "." {
        reg.affiliation.clear();
    }
    if reg.kind.is_empty() {
        reg.kind = registrar.kind.clone();
    }
    let ca = &caller.ca;
    let _guard = ca.lock();
    let affiliation_known = reg.affiliation.is_empty()
        || ca
            .store
            .affiliations()?
            .unwrap_or_default()
            .contains(&reg.affiliation);
    if !can_act_on_type(registrar, &reg.kind)
        || !contains_affiliation(registrar, &reg.affiliation)
        || !affiliation_known
        || !can_give(registrar, &reg.attrs)
    {
        return Err(CaError::authorization());
    }
    if reg.secret.is_empty() {
        reg.secret = random_secret();
    }
    if reg.max_enrollments < -1 {
        return Err(CaError::unknown(format!(
            "Registration of '{}' failed: Max enrollment in registration request may not be less than -1, but was {}",
            reg.id, reg.max_enrollments
        )));
    }
    if ca.store.identity(&reg.id)?.is_some() {
        return Err(CaError::new(
            409,
            74,
            format!("Identity '{}' is already registered", reg.id),
        ));
    }
    let mut attrs = reg.attrs;
    attrs.push(Attr::new("hf.EnrollmentID", &reg.id, true));
    attrs.push(Attr::new("hf.Type", &reg.kind, true));
    attrs.push(Attr::new("hf.Affiliation", &reg.affiliation, true));
    let mut identity = Identity {
        id: reg.id,
        kind: reg.kind,
        affiliation: reg.affiliation,
        attrs,
        // 0 asks for the CA's limit, which is none
        max_enrollments: if reg.max_enrollments == 0 {
            -1
        } else {
            reg.max_enrollments
        },
        state: 0,
        salt: String::new(),
        secret_hash: String::new(),
        seq: ca.store.next_seq()?,
    };
    identity.set_secret(&reg.secret);
    ca.store.put_identity(&identity)?;
    Ok((identity, reg.secret))
}

/// Go's `url.PathEscape`.
pub(crate) fn path_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            b'-' | b'_' | b'.' | b'~' | b'$' | b'&' | b'+' | b'=' | b':' | b'@' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// Where an identity lives, for the `Location` header.
pub(crate) fn location(id: &str) -> String {
    format!("/api/v1/identities/{}", path_escape(id))
}

#[derive(Serialize)]
struct Registered {
    secret: String,
}

pub(crate) fn register(ctx: &Ctx<'_>) -> Result<Success, CaError> {
    // the body is read (and must decode) before the caller is authenticated
    let body = ctx.read_body("api.RegistrationRequestNet")?;
    let reg = Registration::read(&ctx.fields(&body, "RegistrationRequestNet"))?;
    let caller = auth::token(ctx)?;
    let (identity, secret) = register_identity(&caller, reg)?;
    let mut answer = Success::created(&Registered { secret });
    answer.location = Some(location(&identity.id));
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registrar(attrs: &[(&str, &str)]) -> Identity {
        Identity {
            id: "r".into(),
            kind: "client".into(),
            affiliation: String::new(),
            attrs: attrs.iter().map(|(n, v)| Attr::new(n, v, false)).collect(),
            max_enrollments: -1,
            state: 0,
            salt: String::new(),
            secret_hash: String::new(),
            seq: 0,
        }
    }

    #[test]
    fn registrars_give_only_what_they_may() {
        let admin = registrar(&[
            ("hf.Registrar.Roles", "*"),
            ("hf.Registrar.Attributes", "*"),
            ("hf.Revoker", "1"),
        ]);
        let give = |who: &Identity, n: &str, v: &str| can_give(who, &[Attr::new(n, v, false)]);
        assert!(give(&admin, "app.role", "tester"));
        assert!(give(&admin, "hf.Registrar.Roles", "client"));
        assert!(give(&admin, "hf.Revoker", "true"));
        assert!(
            !give(&admin, "hf.GenCRL", "true"),
            "admin lacks hf.GenCRL here"
        );
        assert!(!give(&admin, "hf.EnrollmentID", "x"), "fixed attribute");
        let limited = registrar(&[
            ("hf.Registrar.Roles", "peer"),
            ("hf.Registrar.Attributes", "app.*"),
        ]);
        assert!(give(&limited, "app.role", "x"));
        assert!(!give(&limited, "other", "x"));
        assert!(!give(&limited, "hf.Registrar.Roles", "client"));
    }

    #[test]
    fn secrets_and_locations_look_like_fabric_cas() {
        let s = random_secret();
        assert_eq!(s.len(), 12);
        assert!(s.chars().all(|c| c.is_ascii_alphabetic()));
        assert_eq!(location("user 1/x"), "/api/v1/identities/user%201%2Fx");
        assert_eq!(location("peer1"), "/api/v1/identities/peer1");
    }
}
