//! Artifact → the bodies the console's v3 import API accepts (console reference §6.8): legacy
//! keys dropped, their values moved to the v3 fields, certificates as base64 PEM, a node's or
//! CA's intermediate CA certificates sent after its roots, `id` left out unless asked for,
//! orderer nodes one request each tagged with their cluster id.

use serde_json::{json, Map, Value};

use super::fields::{self, Roots};
use super::model::{
    Artifact, CaFile, CommonFields, MspDefinition, NamedRoots, OrdererNode, OuIdentifier, PeerFile,
};
use super::pem::to_base64_pem;

/// Route of `POST /ak/api/v3/components/fabric-ca`.
pub const ROUTE_CA: &str = "fabric-ca";
pub const ROUTE_PEER: &str = "fabric-peer";
pub const ROUTE_ORDERER: &str = "fabric-orderer";
pub const ROUTE_MSP: &str = "msp";

/// One import call: `POST /ak/api/v3/components/{route}` with `body`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRequest {
    /// `"fabric-ca" | "fabric-peer" | "fabric-orderer" | "msp"`.
    pub route: &'static str,
    pub body: Value,
}

impl ImportRequest {
    /// `/ak/api/v3/components/{route}`.
    pub fn path(&self) -> String {
        format!("/ak/api/v3/components/{}", self.route)
    }
}

/// Choices the transform leaves to the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransformOptions {
    /// Send the file's `id` (the console then uses it verbatim and answers 409 if it exists).
    pub keep_ids: bool,
}

/// The import requests for an artifact, in the order to send them. A wallet identity has
/// none: the console keeps identities in the browser, not on the server.
pub fn import_requests(artifact: &Artifact, opts: &TransformOptions) -> Vec<ImportRequest> {
    match artifact {
        Artifact::Ca(ca) => vec![ImportRequest {
            route: ROUTE_CA,
            body: ca_body(ca, opts),
        }],
        Artifact::Peer(p) => vec![ImportRequest {
            route: ROUTE_PEER,
            body: peer_body(p, opts),
        }],
        Artifact::OrderingService(os) => os
            .nodes
            .iter()
            .map(|n| ImportRequest {
                route: ROUTE_ORDERER,
                body: orderer_body(n, opts),
            })
            .collect(),
        Artifact::Msp(m) => vec![ImportRequest {
            route: ROUTE_MSP,
            body: msp_body(m, opts),
        }],
        Artifact::Identity(_) => Vec::new(),
    }
}

fn put(body: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        body.insert(key.into(), Value::String(v.to_string()));
    }
}

fn certs(list: &[String]) -> Value {
    Value::Array(
        list.iter()
            .map(|c| Value::String(to_base64_pem(c)))
            .collect(),
    )
}

fn nonempty(list: Option<&Vec<String>>) -> Option<&Vec<String>> {
    list.filter(|l| !l.is_empty())
}

/// Fields every CA/peer/orderer body carries when the file has them.
fn common(c: &CommonFields, opts: &TransformOptions, body: &mut Map<String, Value>) {
    put(body, "display_name", fields::display_name(c).map(|p| p.1));
    put(
        body,
        "operations_url",
        fields::operations_url(c).map(|p| p.1),
    );
    put(
        body,
        "location",
        c.location.as_deref().filter(|l| *l != "ibm_saas"),
    );
    if let Some(tags) = &c.tags {
        body.insert("tags".into(), json!(tags));
    }
    put(body, "migrated_from", c.migrated_from.as_deref());
    put(body, "cluster_type", c.cluster_type.as_deref());
    put(body, "console_type", c.console_type.as_deref());
    if opts.keep_ids {
        put(body, "id", c.id.as_deref());
    }
}

fn tls_roots(c: &CommonFields, with_pem: bool) -> Option<Value> {
    fields::tls_roots(c, with_pem).map(|r| match r {
        Roots::List(_, l) => certs(l),
        Roots::Single(_, v) => certs(&[v.to_string()]),
    })
}

/// `roots` followed by the intermediates of `section` that are not among them. The v3 import
/// API refuses `msp.intermediate_ca` / `msp.intermediate_tlsca` (`msp_crypto_field` has no such
/// keys) but stores any CA certificate in `root_certs`: there the chain stays whole, for the
/// TLS trust the console builds from it and for the checks of the file it exports later.
fn with_intermediates(roots: Option<Value>, section: Option<&NamedRoots>) -> Option<Value> {
    let extra = nonempty(section.and_then(|s| s.root_certs.as_ref()));
    let Some(extra) = extra else {
        return roots;
    };
    let mut list = match roots {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    for cert in extra {
        let cert = Value::String(to_base64_pem(cert));
        if !list.contains(&cert) {
            list.push(cert);
        }
    }
    Some(Value::Array(list))
}

fn intermediate_ca(c: &CommonFields) -> Option<&NamedRoots> {
    c.msp.as_ref().and_then(|m| m.intermediate_ca.as_ref())
}

fn intermediate_tlsca(c: &CommonFields) -> Option<&NamedRoots> {
    c.msp.as_ref().and_then(|m| m.intermediate_tlsca.as_ref())
}

/// `POST /components/fabric-ca` body.
pub fn ca_body(ca: &CaFile, opts: &TransformOptions) -> Value {
    let c = &ca.common;
    let mut body = Map::new();
    common(c, opts, &mut body);
    put(&mut body, "api_url", fields::ca_api_url(c).map(|p| p.1));
    let mut enroll = Map::new();
    put(&mut enroll, "name", fields::ca_name(c).map(|p| p.1));
    let roots = fields::ca_roots(c).map(certs);
    if let Some(roots) = with_intermediates(roots, intermediate_ca(c)) {
        enroll.insert("root_certs".into(), roots);
    }
    let mut tlsca = Map::new();
    put(&mut tlsca, "name", fields::tlsca_name(c).map(|p| p.1));
    if let Some(roots) = with_intermediates(tls_roots(c, false), intermediate_tlsca(c)) {
        tlsca.insert("root_certs".into(), roots);
    }
    let mut component = Map::new();
    if let Some((_, cert)) = fields::ca_tls_cert(c) {
        component.insert("tls_cert".into(), Value::String(to_base64_pem(cert)));
    }
    body.insert(
        "msp".into(),
        json!({"ca": enroll, "tlsca": tlsca, "component": component}),
    );
    Value::Object(body)
}

/// The `msp` of a peer or orderer node.
fn node_msp(c: &CommonFields, tls_cert: Option<&str>) -> Value {
    let msp = c.msp.as_ref();
    let mut out = Map::new();
    let mut ca = Map::new();
    put(
        &mut ca,
        "name",
        msp.and_then(|m| m.ca.as_ref())
            .and_then(|r| r.name.as_deref()),
    );
    if let Some(roots) = with_intermediates(fields::ca_roots(c).map(certs), intermediate_ca(c)) {
        ca.insert("root_certs".into(), roots);
    }
    if !ca.is_empty() {
        out.insert("ca".into(), Value::Object(ca));
    }
    let mut tlsca = Map::new();
    put(
        &mut tlsca,
        "name",
        msp.and_then(|m| m.tlsca.as_ref())
            .and_then(|r| r.name.as_deref()),
    );
    if let Some(roots) = with_intermediates(tls_roots(c, true), intermediate_tlsca(c)) {
        tlsca.insert("root_certs".into(), roots);
    }
    out.insert("tlsca".into(), Value::Object(tlsca));
    let component = msp.and_then(|m| m.component.as_ref());
    let mut comp = Map::new();
    if let Some(cert) = tls_cert {
        comp.insert("tls_cert".into(), Value::String(to_base64_pem(cert)));
    }
    if let Some(ecert) = component
        .and_then(|x| x.ecert.as_deref())
        .filter(|e| !e.is_empty())
    {
        comp.insert("ecert".into(), Value::String(to_base64_pem(ecert)));
    }
    if let Some(admins) = nonempty(component.and_then(|x| x.admin_certs.as_ref())) {
        comp.insert("admin_certs".into(), certs(admins));
    }
    out.insert("component".into(), Value::Object(comp));
    Value::Object(out)
}

/// The console UI's `normalizeHttpURL`: a URL without a port gets `:443` (https) or `:80`.
pub fn with_default_port(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.contains(':') || host.is_empty() {
        return url.to_string();
    }
    let port = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    format!("{scheme}://{host}:{port}")
}

/// `POST /components/fabric-peer` body.
pub fn peer_body(p: &PeerFile, opts: &TransformOptions) -> Value {
    let c = &p.common;
    let mut body = Map::new();
    common(c, opts, &mut body);
    put(&mut body, "msp_id", p.node.msp_id.as_deref());
    put(&mut body, "api_url", fields::node_api_url(c).map(|x| x.1));
    if let Some(url) = p.node.grpcwp_url.as_deref().filter(|u| !u.is_empty()) {
        body.insert("grpcwp_url".into(), Value::String(with_default_port(url)));
    }
    if let Some(ou) = &p.node.node_ou {
        body.insert("node_ou".into(), json!(ou));
    }
    let tls = fields::node_tls_cert(c, None).map(|x| x.1);
    body.insert("msp".into(), node_msp(c, tls));
    Value::Object(body)
}

/// The console's normalisation of a cluster id (athena `build_id` without de-duplication):
/// only `[A-Za-z0-9_-]`, lower case, `c` prefix when it starts with a non-letter, 32 chars.
pub fn normalize_cluster_id(id: &str) -> String {
    let mut s: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect::<String>()
        .to_lowercase();
    if s.chars().next().is_some_and(|c| !c.is_ascii_alphabetic()) {
        s.insert(0, 'c');
    }
    s.chars().take(32).collect()
}

/// `POST /components/fabric-orderer` body for one node; tagged with its cluster id so the
/// whole service can be found (and deleted) by tag.
pub fn orderer_body(n: &OrdererNode, opts: &TransformOptions) -> Value {
    let c = &n.common;
    let o = &n.orderer;
    let mut body = Map::new();
    common(c, opts, &mut body);
    put(&mut body, "msp_id", n.node.msp_id.as_deref());
    put(&mut body, "api_url", fields::node_api_url(c).map(|x| x.1));
    if let Some(url) = n.node.grpcwp_url.as_deref().filter(|u| !u.is_empty()) {
        body.insert("grpcwp_url".into(), Value::String(with_default_port(url)));
    }
    put(&mut body, "cluster_id", o.cluster_id.as_deref());
    put(&mut body, "cluster_name", o.cluster_name.as_deref());
    put(&mut body, "osnadmin_url", o.osnadmin_url.as_deref());
    if let Some(s) = o.systemless {
        body.insert("systemless".into(), Value::Bool(s));
    }
    if let Some(id) = &o.system_channel_id {
        body.insert("system_channel_id".into(), Value::String(id.clone()));
    }
    if let Some(cluster) = o
        .cluster_id
        .as_deref()
        .map(normalize_cluster_id)
        .filter(|c| !c.is_empty())
    {
        let mut tags: Vec<String> = c.tags.clone().unwrap_or_default();
        if !tags.iter().any(|t| t.eq_ignore_ascii_case(&cluster)) {
            tags.push(cluster);
        }
        body.insert("tags".into(), json!(tags));
    }
    let tls = fields::node_tls_cert(c, Some(o)).map(|x| x.1);
    body.insert("msp".into(), node_msp(c, tls));
    Value::Object(body)
}

fn ou(o: &OuIdentifier) -> Value {
    let mut m = Map::new();
    if let Some(cert) = &o.certificate {
        m.insert("certificate".into(), Value::String(to_base64_pem(cert)));
    }
    put(
        &mut m,
        "organizational_unit_identifier",
        o.organizational_unit_identifier.as_deref(),
    );
    Value::Object(m)
}

/// `POST /components/msp` body: the definition minus `id` (unless kept), `type`, `name`,
/// `scheme_version`, `imported`; unknown fields pass through (the console stores them).
pub fn msp_body(m: &MspDefinition, opts: &TransformOptions) -> Value {
    let mut body: Map<String, Value> = m.extra.clone().into_iter().collect();
    put(&mut body, "display_name", m.effective_display_name());
    put(&mut body, "msp_id", m.msp_id.as_deref());
    for (key, list) in [
        ("root_certs", &m.root_certs),
        ("intermediate_certs", &m.intermediate_certs),
        ("admins", &m.admins),
        ("tls_intermediate_certs", &m.tls_intermediate_certs),
        ("revocation_list", &m.revocation_list),
    ] {
        if let Some(list) = list {
            body.insert(key.into(), certs(list));
        }
    }
    if let Some(list) = nonempty(m.tls_root_certs.as_ref()) {
        body.insert("tls_root_certs".into(), certs(list));
    }
    if let Some(list) = &m.organizational_unit_identifiers {
        body.insert(
            "organizational_unit_identifiers".into(),
            Value::Array(list.iter().map(ou).collect()),
        );
    }
    if let Some(ous) = &m.fabric_node_ous {
        let mut o = Map::new();
        if let Some(e) = ous.enable {
            o.insert("enable".into(), Value::Bool(e));
        }
        for (k, v) in [
            ("admin_ou_identifier", &ous.admin_ou_identifier),
            ("client_ou_identifier", &ous.client_ou_identifier),
            ("peer_ou_identifier", &ous.peer_ou_identifier),
            ("orderer_ou_identifier", &ous.orderer_ou_identifier),
        ] {
            if let Some(v) = v {
                o.insert(k.into(), ou(v));
            }
        }
        body.insert("fabric_node_ous".into(), Value::Object(o));
    }
    put(&mut body, "host_url", m.host_url.as_deref());
    put(
        &mut body,
        "location",
        m.location.as_deref().filter(|l| *l != "ibm_saas"),
    );
    if let Some(tags) = &m.tags {
        body.insert("tags".into(), json!(tags));
    }
    put(&mut body, "migrated_from", m.migrated_from.as_deref());
    if opts.keep_ids {
        put(&mut body, "id", m.id.as_deref());
    }
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ports_like_the_console_ui() {
        assert_eq!(
            with_default_port("https://proxy.example.com"),
            "https://proxy.example.com:443"
        );
        assert_eq!(with_default_port("http://proxy/x"), "http://proxy:80");
        assert_eq!(
            with_default_port("https://proxy:7443"),
            "https://proxy:7443"
        );
    }

    #[test]
    fn cluster_ids_like_the_console() {
        assert_eq!(normalize_cluster_id("Raft 1"), "raft1");
        assert_eq!(normalize_cluster_id("1st"), "c1st");
        assert_eq!(normalize_cluster_id(&"a".repeat(40)).len(), 32);
    }
}
