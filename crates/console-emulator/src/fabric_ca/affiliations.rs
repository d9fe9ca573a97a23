//! `affiliations`: the tree an affiliation manager may see, one affiliation and those below
//! it, adding one (its parent must exist unless `?force=true`), renaming one; removing one is
//! refused, as in fabric-ca-server's default configuration (`affiliations.allowremove`).

use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};

use super::auth::{self, attr_true, contains_affiliation, parse_bool, Caller};
use super::envelope::{CaError, Success};
use super::request::Ctx;

/// An affiliation and those below it (`api.AffiliationInfo`).
#[derive(Debug, Serialize, PartialEq, Eq)]
struct Node {
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    affiliations: Vec<Node>,
}

/// `api.AffiliationResponse`: the node, flattened, and the CA's name.
#[derive(Serialize)]
struct Answer<'a> {
    #[serde(flatten)]
    node: Node,
    caname: &'a str,
}

/// The tree of `names` (each a dotted path) below `root` (`""` = above them all), children in
/// the order they were added.
fn tree(root: &str, names: &[String]) -> Node {
    let prefix = if root.is_empty() {
        String::new()
    } else {
        format!("{root}.")
    };
    let mut children: Vec<String> = Vec::new();
    for name in names {
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let child = format!("{prefix}{}", rest.split('.').next().unwrap_or_default());
        if !children.contains(&child) {
            children.push(child);
        }
    }
    Node {
        name: root.to_string(),
        affiliations: children.iter().map(|c| tree(c, names)).collect(),
    }
}

/// Token, CA name, caller, and the caller must be an affiliation manager.
fn manager(ctx: &Ctx<'_>) -> Result<(Caller, String), CaError> {
    let caller = auth::token(ctx)?;
    let caname = ctx.ca_name()?;
    if !attr_true(&caller.identity, "hf.AffiliationMgr") {
        return Err(CaError::authorization());
    }
    Ok((caller, caname))
}

fn names(caller: &Caller) -> Result<Vec<String>, CaError> {
    Ok(caller.ca.store.affiliations()?.unwrap_or_default())
}

/// `GET affiliations`: every affiliation at or below the caller's; a single top one is the
/// root itself (fabric-ca's `GetRoot`).
pub(crate) fn list(ctx: &Ctx<'_>) -> Result<Success, CaError> {
    let (caller, caname) = manager(ctx)?;
    let visible: Vec<String> = names(&caller)?
        .into_iter()
        .filter(|a| contains_affiliation(&caller.identity, a))
        .collect();
    let mut root = tree("", &visible);
    let node = match root.affiliations.len() {
        0 => {
            return Err(CaError::new(
                500,
                16,
                "No affiliations are configured on the CA",
            ))
        }
        1 => root.affiliations.remove(0),
        _ => root,
    };
    Ok(Success::ok(&Answer {
        node,
        caname: &caname,
    }))
}

fn force(ctx: &Ctx<'_>) -> Result<bool, CaError> {
    match ctx.query_param("force").filter(|f| !f.is_empty()) {
        None => Ok(false),
        Some(f) => parse_bool(&f.to_ascii_lowercase()).ok_or_else(|| {
            CaError::new(
                400,
                61,
                format!("Failed to correctly parse value of 'force' query parameter: strconv.ParseBool: parsing \"{f}\": invalid syntax"),
            )
        }),
    }
}

/// `POST affiliations`.
pub(crate) fn add(ctx: &Ctx<'_>, posted: &AtomicBool) -> Result<Success, CaError> {
    let (caller, caname) = manager(ctx)?;
    posted.store(true, Ordering::SeqCst);
    let body = ctx.read_body("api.AddAffiliationRequestNet")?;
    let name = ctx
        .fields(&body, "AddAffiliationRequestNet")
        .string("name")?;
    let ca = &caller.ca;
    let _guard = ca.lock();
    let mut all = names(&caller)?;
    if all.contains(&name) {
        return Err(CaError::new(400, 60, "Affiliation already exists"));
    }
    if !contains_affiliation(&caller.identity, &name) {
        return Err(CaError::authorization());
    }
    let force = force(ctx)?;
    let parts: Vec<&str> = name.split('.').collect();
    let parents: Vec<String> = (1..parts.len()).map(|n| parts[..n].join(".")).collect();
    for parent in &parents {
        if !all.contains(parent) {
            if !force {
                return Err(CaError::new(
                    400,
                    60,
                    "Parent affiliation does not exist, 'force' option required on request to add affiliation",
                ));
            }
            all.push(parent.clone());
        }
    }
    all.push(name.clone());
    ca.store.set_affiliations(&all)?;
    Ok(Success::created(&Answer {
        node: Node {
            name,
            affiliations: Vec::new(),
        },
        caname: &caname,
    }))
}

/// `affiliations/{name}`: GET, DELETE (refused), PUT (rename).
pub(crate) fn one(ctx: &Ctx<'_>, name: &str) -> Result<Success, CaError> {
    let (caller, caname) = manager(ctx)?;
    match ctx.method.as_str() {
        // "Affiliation removal is disabled", masked like every authorization failure
        "DELETE" => Err(CaError::authorization()),
        "PUT" => rename(ctx, &caller, name, &caname),
        _ => {
            if !contains_affiliation(&caller.identity, name) {
                return Err(CaError::authorization());
            }
            let all = names(&caller)?;
            if !all.iter().any(|a| a == name) {
                return Err(CaError::new(
                    500,
                    16,
                    "Failed to get affiliation: Failed to get Affiliation: sql: no rows in result set",
                ));
            }
            Ok(Success::ok(&Answer {
                node: tree(name, &all),
                caname: &caname,
            }))
        }
    }
}

/// `PUT affiliations/{old}` with `{"name": new}`: renames it and those below it; with
/// `?force=true` also the identities in them, else their presence refuses it.
fn rename(ctx: &Ctx<'_>, caller: &Caller, old: &str, caname: &str) -> Result<Success, CaError> {
    let body = ctx.read_body("api.ModifyAffiliationRequestNet")?;
    let new = ctx
        .fields(&body, "ModifyAffiliationRequestNet")
        .string("name")?;
    let me = &caller.identity;
    if !contains_affiliation(me, old) || !contains_affiliation(me, &new) {
        return Err(CaError::authorization());
    }
    let force = force(ctx)?;
    let ca = &caller.ca;
    let _guard = ca.lock();
    let all = names(caller)?;
    if !all.iter().any(|a| a == old) {
        return Err(CaError::new(
            404,
            63,
            "Failed to get Affiliation: sql: no rows in result set",
        ));
    }
    if all.contains(&new) {
        return Err(CaError::new(
            400,
            64,
            format!("Affiliation '{new}' already exists"),
        ));
    }
    let moved = |a: &str| -> Option<String> {
        if a == old {
            Some(new.clone())
        } else {
            a.strip_prefix(&format!("{old}."))
                .map(|rest| format!("{new}.{rest}"))
        }
    };
    let members: Vec<_> = ca
        .store
        .identities()?
        .into_iter()
        .filter(|i| moved(&i.affiliation).is_some())
        .collect();
    if !members.is_empty() && !force {
        return Err(CaError::new(
            400,
            64,
            format!("Cannot modify affiliation '{old}': identities are associated with it, 'force' option required"),
        ));
    }
    let renamed: Vec<String> = all
        .iter()
        .map(|a| moved(a).unwrap_or_else(|| a.clone()))
        .collect();
    for mut identity in members {
        let to = moved(&identity.affiliation).unwrap_or_default();
        identity.affiliation = to.clone();
        for attr in identity
            .attrs
            .iter_mut()
            .filter(|a| a.name == "hf.Affiliation")
        {
            attr.value = to.clone();
        }
        ca.store.put_identity(&identity)?;
    }
    ca.store.set_affiliations(&renamed)?;
    Ok(Success::ok(&Answer {
        node: tree(&new, &renamed),
        caname,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn trees_keep_the_order_affiliations_were_added_in() {
        let all = names(&[
            "org1",
            "org1.department1",
            "org1.department2",
            "org2",
            "org2.department1",
            "org1.department9",
        ]);
        // recording 99b's shape (fabric-ca's own order is a Go map's)
        assert_eq!(
            crate::fabric_ca::envelope::go_json(&tree("", &all)),
            r#"{"name":"","affiliations":[{"name":"org1","affiliations":[{"name":"org1.department1"},{"name":"org1.department2"},{"name":"org1.department9"}]},{"name":"org2","affiliations":[{"name":"org2.department1"}]}]}"#
        );
        let org1 = tree("org1", &all);
        assert_eq!(org1.affiliations.len(), 3);
        assert!(tree("org3", &all).affiliations.is_empty());
        // a caller below the top sees the path down to its own
        let deep = tree("", &names(&["org1.department1"]));
        assert_eq!(deep.affiliations[0].name, "org1");
        assert_eq!(
            deep.affiliations[0].affiliations[0].name,
            "org1.department1"
        );
    }
}
