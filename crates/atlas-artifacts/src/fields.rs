//! The fallbacks between v3 and legacy fields (console reference §6.8, apollo's import code):
//! which field a value comes from, so validation names the field the file really has and the
//! transform sends the same value.

use super::model::{CommonFields, MspCrypto, NamedRoots, OrdererFields};

/// A value and the JSON path it was read from.
pub(crate) type Picked<'a> = (&'static str, &'a str);

fn first<'a>(candidates: &[(&'static str, Option<&'a str>)]) -> Option<Picked<'a>> {
    candidates
        .iter()
        .find_map(|(path, v)| v.filter(|s| !s.is_empty()).map(|s| (*path, s)))
}

fn msp(c: &CommonFields) -> Option<&MspCrypto> {
    c.msp.as_ref()
}

fn roots(r: Option<&NamedRoots>) -> Option<&Vec<String>> {
    r.and_then(|r| r.root_certs.as_ref())
}

/// `display_name ∥ name ∥ short_name`.
pub(crate) fn display_name(c: &CommonFields) -> Option<Picked<'_>> {
    first(&[
        ("display_name", c.display_name.as_deref()),
        ("name", c.name.as_deref()),
        ("short_name", c.short_name.as_deref()),
    ])
}

/// A CA's `api_url ∥ ca_url ∥ url`.
pub(crate) fn ca_api_url(c: &CommonFields) -> Option<Picked<'_>> {
    first(&[
        ("api_url", c.api_url.as_deref()),
        ("ca_url", c.ca_url.as_deref()),
        ("url", c.url.as_deref()),
    ])
}

/// A node's `api_url ∥ url`.
pub(crate) fn node_api_url(c: &CommonFields) -> Option<Picked<'_>> {
    first(&[("api_url", c.api_url.as_deref()), ("url", c.url.as_deref())])
}

/// `operations_url ∥ operations`.
pub(crate) fn operations_url(c: &CommonFields) -> Option<Picked<'_>> {
    first(&[
        ("operations_url", c.operations_url.as_deref()),
        ("operations", c.operations.as_deref()),
    ])
}

/// `msp.ca.name ∥ ca_name`.
pub(crate) fn ca_name(c: &CommonFields) -> Option<Picked<'_>> {
    let m = msp(c);
    first(&[
        (
            "msp.ca.name",
            m.and_then(|m| m.ca.as_ref())
                .and_then(|r| r.name.as_deref()),
        ),
        ("ca_name", c.ca_name.as_deref()),
    ])
}

/// `msp.tlsca.name ∥ tlsca_name`.
pub(crate) fn tlsca_name(c: &CommonFields) -> Option<Picked<'_>> {
    let m = msp(c);
    first(&[
        (
            "msp.tlsca.name",
            m.and_then(|m| m.tlsca.as_ref())
                .and_then(|r| r.name.as_deref()),
        ),
        ("tlsca_name", c.tlsca_name.as_deref()),
    ])
}

fn component_tls(c: &CommonFields) -> Option<&str> {
    msp(c)
        .and_then(|m| m.component.as_ref())
        .and_then(|x| x.tls_cert.as_deref())
}

/// A CA's TLS cert: `msp.component.tls_cert ∥ tls_cert ∥ pem`.
pub(crate) fn ca_tls_cert(c: &CommonFields) -> Option<Picked<'_>> {
    first(&[
        ("msp.component.tls_cert", component_tls(c)),
        ("tls_cert", c.tls_cert.as_deref()),
        ("pem", c.pem.as_deref()),
    ])
}

/// A node's TLS cert: `msp.component.tls_cert ∥ tls_cert ∥ server_tls_cert`. Ansible writes the
/// TLS *root* into an orderer's `tls_cert`; then `server_tls_cert` is the node's.
pub(crate) fn node_tls_cert<'a>(
    c: &'a CommonFields,
    orderer: Option<&'a OrdererFields>,
) -> Option<Picked<'a>> {
    let server = orderer.and_then(|o| o.server_tls_cert.as_deref());
    let legacy_is_root = c.tls_cert.is_some() && c.tls_cert == c.tls_ca_root_cert;
    if component_tls(c).is_none() && legacy_is_root && server.is_some_and(|s| !s.is_empty()) {
        return server.map(|s| ("server_tls_cert", s));
    }
    first(&[
        ("msp.component.tls_cert", component_tls(c)),
        ("tls_cert", c.tls_cert.as_deref()),
        ("server_tls_cert", server),
    ])
}

/// Where a list of root certificates came from.
pub(crate) enum Roots<'a> {
    /// A v3 array (path of the array; items are `path[i]`).
    List(&'static str, &'a [String]),
    /// One legacy value (`tls_ca_root_cert` or `pem`).
    Single(&'static str, &'a str),
}

impl Roots<'_> {
    /// The field the roots were read from.
    pub(crate) fn path(&self) -> &'static str {
        match self {
            Roots::List(path, _) | Roots::Single(path, _) => path,
        }
    }
}

/// TLS CA roots: `msp.tlsca.root_certs ∥ [tls_ca_root_cert ∥ pem]` (`pem` only for nodes).
pub(crate) fn tls_roots(c: &CommonFields, with_pem: bool) -> Option<Roots<'_>> {
    if let Some(list) = roots(msp(c).and_then(|m| m.tlsca.as_ref())).filter(|l| !l.is_empty()) {
        return Some(Roots::List("msp.tlsca.root_certs", list));
    }
    let pem = if with_pem { c.pem.as_deref() } else { None };
    first(&[
        ("tls_ca_root_cert", c.tls_ca_root_cert.as_deref()),
        ("pem", pem),
    ])
    .map(|(p, v)| Roots::Single(p, v))
}

/// `msp.ca.root_certs` when not empty.
pub(crate) fn ca_roots(c: &CommonFields) -> Option<&[String]> {
    roots(msp(c).and_then(|m| m.ca.as_ref()))
        .filter(|l| !l.is_empty())
        .map(Vec::as_slice)
}
