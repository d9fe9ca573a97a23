//! What each kind of artifact must satisfy: the console's import rules, the console UI's rules
//! (as warnings where only the UI has them), and consistency between certificates (chains,
//! key/cert match, CA flags).

use std::collections::BTreeSet;

use super::chains::{self, INTERMEDIATE_CA, INTERMEDIATE_TLSCA};
use super::check::{CertRole, Checker, NameRules};
use super::fields::{self, Roots};
use super::finding::{Finding, Remedy, Sink};
use super::keys::{self, KeyProblem};
use super::model::{
    CaFile, CommonFields, Identity, MspDefinition, OrdererFields, OrdererNode, OrderingService,
    OuIdentifier, PeerFile,
};
use super::pem;
use super::x509::Cert;

fn check_name(ck: &mut Checker<'_>, c: &CommonFields) {
    match fields::display_name(c) {
        Some((path, v)) => ck.name(path, Some(v), NameRules::Display),
        None => ck.name("display_name", None, NameRules::Display),
    }
}

fn roots_certs(ck: &mut Checker<'_>, roots: &Roots<'_>, role: CertRole) -> Vec<Cert> {
    match roots {
        Roots::List(path, list) => ck.certs(path, list, role),
        Roots::Single(path, value) => ck.cert(path, value, role).into_iter().collect(),
    }
}

fn empty_list_note(ck: &mut Checker<'_>, path: &str, list: Option<&Vec<String>>) {
    if list.is_some_and(Vec::is_empty) {
        ck.sink.warn(
            path,
            "is an empty list; it is left out (the console wants at least one certificate when present)",
        );
    }
}

pub(crate) fn ca(ca: &CaFile, ck: &mut Checker<'_>) {
    let c = &ca.common;
    check_name(ck, c);
    match fields::ca_api_url(c) {
        Some((path, v)) => ck.http_url(path, Some(v), true),
        None => ck.http_url("api_url", None, true),
    }
    operations(ck, c);
    if fields::ca_name(c).is_none() {
        ck.sink.error(
            "msp.ca.name",
            "is missing: the enrollment CA's name is required (legacy ca_name is also read)",
        );
    }
    if fields::tlsca_name(c).is_none() {
        ck.sink.error(
            "msp.tlsca.name",
            "is missing: the TLS CA's name is required (legacy tlsca_name is also read)",
        );
    }
    match fields::ca_tls_cert(c) {
        Some((path, v)) => {
            ck.cert(path, v, CertRole::Any);
        }
        None => ck.sink.error(
            "msp.component.tls_cert",
            "is missing: the CA's TLS certificate is required (legacy tls_cert or pem are also read)",
        ),
    }
    let msp = c.msp.as_ref();
    let ca_roots = fields::ca_roots(c)
        .map(|r| ck.certs("msp.ca.root_certs", r, CertRole::Authority))
        .unwrap_or_default();
    chains::intermediates(
        ck,
        INTERMEDIATE_CA,
        msp.and_then(|m| m.intermediate_ca.as_ref()),
        &ca_roots,
        "msp.ca.root_certs",
    );
    let (tls_field, tls_roots) = match fields::tls_roots(c, false) {
        Some(roots) => (roots.path(), roots_certs(ck, &roots, CertRole::Authority)),
        None => ("msp.tlsca.root_certs", Vec::new()),
    };
    chains::intermediates(
        ck,
        INTERMEDIATE_TLSCA,
        msp.and_then(|m| m.intermediate_tlsca.as_ref()),
        &tls_roots,
        tls_field,
    );
    empty_list_note(
        ck,
        "msp.ca.root_certs",
        msp.and_then(|m| m.ca.as_ref())
            .and_then(|r| r.root_certs.as_ref()),
    );
    empty_list_note(
        ck,
        "msp.tlsca.root_certs",
        msp.and_then(|m| m.tlsca.as_ref())
            .and_then(|r| r.root_certs.as_ref()),
    );
    ck.location("location", c.location.as_deref());
    ck.tags("tags", c.tags.as_deref());
}

fn operations(ck: &mut Checker<'_>, c: &CommonFields) {
    match fields::operations_url(c) {
        Some((path, v)) => ck.http_url(path, Some(v), false),
        None => ck.sink.warn(
            "operations_url",
            "is missing: health monitoring and the console UI's bulk import need it",
        ),
    }
}

/// Checks shared by peers and orderer nodes.
fn node(
    ck: &mut Checker<'_>,
    c: &CommonFields,
    msp_id: Option<&str>,
    grpcwp_url: Option<&str>,
    orderer: Option<&OrdererFields>,
) {
    check_name(ck, c);
    ck.msp_id("msp_id", msp_id);
    match fields::node_api_url(c) {
        Some((path, v)) => ck.grpc_url(path, Some(v), true),
        None => ck.grpc_url("api_url", None, true),
    }
    ck.http_url("grpcwp_url", grpcwp_url, true);
    operations(ck, c);

    let tls = match fields::node_tls_cert(c, orderer) {
        Some((path, v)) => ck.cert(path, v, CertRole::Any).map(|cert| (path, cert)),
        None => {
            ck.sink.error(
                "msp.component.tls_cert",
                "is missing: the node's TLS certificate is required (legacy tls_cert is also read)",
            );
            None
        }
    };
    let (tls_field, tls_roots) = match fields::tls_roots(c, true) {
        Some(roots) => (roots.path(), roots_certs(ck, &roots, CertRole::Any)),
        None => {
            ck.sink.error(
                "msp.tlsca.root_certs",
                "is missing: the TLS CA root certificate is required (legacy tls_ca_root_cert or pem are also read)",
            );
            ("msp.tlsca.root_certs", Vec::new())
        }
    };
    let msp = c.msp.as_ref();
    let tls_inter = chains::intermediates(
        ck,
        INTERMEDIATE_TLSCA,
        msp.and_then(|m| m.intermediate_tlsca.as_ref()),
        &tls_roots,
        tls_field,
    );
    if let Some((path, cert)) = &tls {
        chains::require_chain(
            ck,
            path,
            cert,
            &tls_roots,
            &tls_inter.certs,
            &tls_inter.given,
            |c| {
                format!(
                    "TLS certificate '{}' (issuer '{}') is not issued by the given TLS root certificates",
                    c.subject, c.issuer
                )
            },
        );
    }

    let component = msp.and_then(|m| m.component.as_ref());
    let ca_roots = fields::ca_roots(c)
        .map(|r| ck.certs("msp.ca.root_certs", r, CertRole::Any))
        .unwrap_or_default();
    empty_list_note(
        ck,
        "msp.ca.root_certs",
        msp.and_then(|m| m.ca.as_ref())
            .and_then(|r| r.root_certs.as_ref()),
    );
    let ca_inter = chains::intermediates(
        ck,
        INTERMEDIATE_CA,
        msp.and_then(|m| m.intermediate_ca.as_ref()),
        &ca_roots,
        "msp.ca.root_certs",
    );
    let mut signed = Vec::new();
    if let Some(ecert) = component.and_then(|x| x.ecert.as_deref()) {
        if let Some(cert) = ck.cert("msp.component.ecert", ecert, CertRole::Any) {
            signed.push(("msp.component.ecert".to_string(), cert));
        }
    }
    if let Some(admins) = component.and_then(|x| x.admin_certs.as_ref()) {
        signed.extend(chains::placed(
            ck,
            "msp.component.admin_certs",
            admins,
            CertRole::Any,
        ));
    }
    for (path, cert) in signed {
        let (inter, given) = (&ca_inter.certs, &ca_inter.given);
        chains::require_chain(ck, &path, &cert, &ca_roots, inter, given, |c| {
            format!(
                "certificate '{}' (issuer '{}') is not issued by msp.ca.root_certs",
                c.subject, c.issuer
            )
        });
    }
    ck.location("location", c.location.as_deref());
    ck.tags("tags", c.tags.as_deref());
}

pub(crate) fn peer(p: &PeerFile, ck: &mut Checker<'_>) {
    node(
        ck,
        &p.common,
        p.node.msp_id.as_deref(),
        p.node.grpcwp_url.as_deref(),
        None,
    );
}

pub(crate) fn orderer_node(n: &OrdererNode, ck: &mut Checker<'_>) {
    node(
        ck,
        &n.common,
        n.node.msp_id.as_deref(),
        n.node.grpcwp_url.as_deref(),
        Some(&n.orderer),
    );
    let o = &n.orderer;
    match o.cluster_name.as_deref() {
        Some(name) if !name.trim().is_empty() => {
            ck.name("cluster_name", Some(name), NameRules::Display)
        }
        _ => ck.sink.error(
            "cluster_name",
            "is missing: the ordering service's name is required",
        ),
    }
    if o.cluster_id.as_deref().is_none_or(str::is_empty) {
        ck.sink.warn(
            "cluster_id",
            "is missing: without it the console cannot group this node with the rest of its ordering service",
        );
    }
    ck.http_url("osnadmin_url", o.osnadmin_url.as_deref(), false);
    if o.system_channel_id
        .as_deref()
        .is_some_and(|s| s.chars().count() > 256)
    {
        ck.sink
            .error("system_channel_id", "is longer than 256 characters");
    }
}

/// Checks across the nodes of one ordering service (each node was checked on its own).
pub(crate) fn ordering_service(os: &OrderingService, sink: &mut Sink, list_path: &str) {
    if os.nodes.is_empty() {
        sink.error(list_path, "holds no ordering nodes");
        return;
    }
    let clusters: BTreeSet<&str> = os
        .nodes
        .iter()
        .filter_map(|n| n.orderer.cluster_id.as_deref())
        .collect();
    if clusters.len() > 1 {
        sink.warn(
            list_path,
            format!(
                "the nodes belong to {} different ordering services (cluster_id {})",
                clusters.len(),
                clusters.into_iter().collect::<Vec<_>>().join(", ")
            ),
        );
    }
    let mut seen = BTreeSet::new();
    for (i, n) in os.nodes.iter().enumerate() {
        if let Some(url) = n.common.api_url.as_deref() {
            if !seen.insert(url) {
                let prefix = if list_path == "$" {
                    String::new()
                } else {
                    list_path.to_string()
                };
                sink.warn(
                    &format!("{prefix}[{i}].api_url"),
                    format!("'{url}' appears on two nodes; the console would import a duplicate"),
                );
            }
        }
    }
}

fn ou_certificate(ck: &mut Checker<'_>, path: &str, ou: &OuIdentifier, known: &[Cert]) {
    let Some(value) = ou.certificate.as_deref().filter(|v| !v.is_empty()) else {
        return;
    };
    let field = format!("{path}.certificate");
    if let Some(cert) = ck.cert(&field, value, CertRole::Any) {
        if !known.is_empty() && !known.iter().any(|k| k.der == cert.der) {
            ck.sink.warn(
                &field,
                "is not one of this MSP's root or intermediate certificates",
            );
        }
    }
}

pub(crate) fn msp(m: &MspDefinition, ck: &mut Checker<'_>) {
    let name = super::model::first_set(&[&m.display_name, &m.name, &m.short_name]);
    let name_path = if m.display_name.as_deref().is_some_and(|s| !s.is_empty()) {
        "display_name"
    } else if m.name.as_deref().is_some_and(|s| !s.is_empty()) {
        "name"
    } else if m.short_name.as_deref().is_some_and(|s| !s.is_empty()) {
        "short_name"
    } else {
        "display_name"
    };
    ck.name(name_path, name, NameRules::Display);
    ck.msp_id("msp_id", m.msp_id.as_deref());

    let roots = match m.root_certs.as_deref() {
        Some(list) if !list.is_empty() => ck.certs("root_certs", list, CertRole::Authority),
        _ => {
            ck.sink.error(
                "root_certs",
                "is missing or empty: an MSP needs at least one root certificate",
            );
            Vec::new()
        }
    };
    let placed_inter = chains::placed(
        ck,
        "intermediate_certs",
        m.intermediate_certs.as_deref().unwrap_or_default(),
        CertRole::Authority,
    );
    let given = "root_certs or intermediate_certs";
    chains::require_intermediates_chain(ck, &placed_inter, &roots, "root_certs", given);
    let intermediates: Vec<Cert> = placed_inter.into_iter().map(|(_, c)| c).collect();
    let admins = chains::placed(
        ck,
        "admins",
        m.admins.as_deref().unwrap_or_default(),
        CertRole::Any,
    );
    for (path, cert) in &admins {
        chains::require_chain(ck, path, cert, &roots, &intermediates, given, |c| {
            format!(
                "admin certificate '{}' (issuer '{}') is not issued by this MSP's root or intermediate certificates",
                c.subject, c.issuer
            )
        });
    }
    let tls_roots = ck.certs(
        "tls_root_certs",
        m.tls_root_certs.as_deref().unwrap_or_default(),
        CertRole::Authority,
    );
    if m.tls_root_certs.as_deref().is_none_or(<[String]>::is_empty) {
        ck.sink.warn(
            "tls_root_certs",
            "is missing or empty: peers and orderers of this organization cannot be trusted over TLS without it",
        );
    }
    let tls_inter = chains::placed(
        ck,
        "tls_intermediate_certs",
        m.tls_intermediate_certs.as_deref().unwrap_or_default(),
        CertRole::Authority,
    );
    chains::require_intermediates_chain(
        ck,
        &tls_inter,
        &tls_roots,
        "tls_root_certs",
        "tls_root_certs or tls_intermediate_certs",
    );
    for (i, v) in m
        .revocation_list
        .as_deref()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        if let Err(reason) = pem::decode(v) {
            ck.sink.error(
                &format!("revocation_list[{i}]"),
                format!("revocation list {reason}"),
            );
        }
    }
    let mut known = roots.clone();
    known.extend(intermediates.iter().cloned());
    if let Some(ous) = &m.fabric_node_ous {
        for (name, ou) in [
            ("admin_ou_identifier", &ous.admin_ou_identifier),
            ("client_ou_identifier", &ous.client_ou_identifier),
            ("peer_ou_identifier", &ous.peer_ou_identifier),
            ("orderer_ou_identifier", &ous.orderer_ou_identifier),
        ] {
            if let Some(ou) = ou {
                ou_certificate(ck, &format!("fabric_node_ous.{name}"), ou, &known);
            }
        }
    }
    for (i, ou) in m
        .organizational_unit_identifiers
        .as_deref()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        ou_certificate(
            ck,
            &format!("organizational_unit_identifiers[{i}]"),
            ou,
            &known,
        );
    }
    match m.host_url.as_deref() {
        Some(url) => ck.http_url("host_url", Some(url), false),
        None => ck.sink.warn(
            "host_url",
            "is missing: the console UI needs it to import an MSP (its API does not)",
        ),
    }
    ck.location("location", m.location.as_deref());
    ck.tags("tags", m.tags.as_deref());
}

/// Reports a key problem on `private_key` (SEC1 offers the conversion).
fn key_finding(sink: &mut Sink, problem: KeyProblem) {
    match problem {
        KeyProblem::Sec1 => {
            let mut f = Finding::error(
                sink.file.clone(),
                sink.path("private_key"),
                problem.reason(),
            );
            f.remedy = Some(Remedy::ConvertSec1ToPkcs8);
            sink.push(f);
        }
        KeyProblem::Unsupported(_) => sink.warn("private_key", problem.reason()),
        other => sink.error("private_key", other.reason()),
    }
}

pub(crate) fn identity(id: &Identity, ck: &mut Checker<'_>) {
    ck.name(
        "name",
        Some(id.name.as_str()).filter(|n| !n.is_empty()),
        NameRules::Identity,
    );
    let cert = if id.cert.is_empty() {
        ck.sink
            .error("cert", "is missing: an identity needs its certificate");
        None
    } else {
        ck.cert("cert", &id.cert, CertRole::Any)
    };
    if let Some(c) = &cert {
        if c.is_ca {
            ck.sink.warn(
                "cert",
                "is a CA certificate; a wallet identity normally holds an enrollment certificate",
            );
        }
    }
    match (&id.private_key, id.hsm) {
        (None, true) => ck.sink.warn(
            "private_key",
            "is absent: the key is held in an HSM ('hsm': true), so this identity cannot sign from this file",
        ),
        (None, false) => ck.sink.error("private_key", "is missing: an identity needs its private key"),
        (Some(key), _) => {
            if key.expose().trim().is_empty() {
                ck.sink.error("private_key", "is empty: an identity needs its private key");
            } else if let Some(c) = &cert {
                if let Err(problem) = keys::check_key_matches(key, c) {
                    key_finding(ck.sink, problem);
                }
            } else {
                match keys::key_format(key.expose()) {
                    Ok(keys::KeyFormat::Sec1) => key_finding(ck.sink, KeyProblem::Sec1),
                    Err(problem) => key_finding(ck.sink, problem),
                    _ => {}
                }
            }
        }
    }
    if let Some(ca) = id.ca.as_deref().filter(|s| !s.is_empty()) {
        // Ansible's `ca` is the CA's chain (root, possibly with intermediates)
        if let (Some(first), Some(c)) = (ck.cert("ca", ca, CertRole::Chain), &cert) {
            let chain: Vec<Cert> = pem::decode(ca)
                .map(|d| {
                    d.blocks
                        .iter()
                        .filter_map(|b| Cert::from_der(&b.der).ok())
                        .collect()
                })
                .unwrap_or_default();
            if let Err(e) = super::x509::chain(c, &chain, &chain) {
                ck.sink.warn(
                    "cert",
                    format!(
                        "is not issued by the CA certificate in 'ca' ('{}'): {}",
                        first.subject,
                        e.describe(c, "ca")
                    ),
                );
            }
        }
    }
}
