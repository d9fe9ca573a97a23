//! Chain checks inside one file: intermediate CA certificates up to the roots the file gives,
//! and the file's other certificates through those intermediates. Every failure is an error on
//! the field holding the certificate, with the link that broke
//! ([`super::x509::ChainError`]).

use super::check::{CertRole, Checker};
use super::model::NamedRoots;
use super::x509::{chain, Cert};

/// Where consoles put a node's or a CA's intermediate CA certificates (athena's `fmt_v3`
/// moves a component's `intermediate_certs` / `tls_intermediate_certs` there).
pub(crate) const INTERMEDIATE_CA: &str = "msp.intermediate_ca.root_certs";
pub(crate) const INTERMEDIATE_TLSCA: &str = "msp.intermediate_tlsca.root_certs";

/// A readable certificate and the field it came from (`admins[2]`).
pub(crate) type Placed = (String, Cert);

/// The certificates of a list field, each checked (`role`, validity) and kept with its own
/// index, so a finding names the right entry even when an earlier one is unreadable.
pub(crate) fn placed(
    ck: &mut Checker<'_>,
    path: &str,
    list: &[String],
    role: CertRole,
) -> Vec<Placed> {
    list.iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let field = format!("{path}[{i}]");
            ck.cert(&field, v, role).map(|c| (field, c))
        })
        .collect()
}

/// The intermediate CA certificates a file gives for one set of roots, checked.
pub(crate) struct Intermediates {
    pub certs: Vec<Cert>,
    /// Where an issuer may be found, for messages: `msp.ca.root_certs or msp.intermediate_ca.root_certs`.
    pub given: String,
}

/// Reads the intermediates of `section` (at `field`): each must be a CA certificate and
/// chain to `roots` (read from `roots_field`), possibly through the others.
pub(crate) fn intermediates(
    ck: &mut Checker<'_>,
    field: &str,
    section: Option<&NamedRoots>,
    roots: &[Cert],
    roots_field: &str,
) -> Intermediates {
    let list = section
        .and_then(|s| s.root_certs.as_deref())
        .unwrap_or_default();
    let placed = placed(ck, field, list, CertRole::Authority);
    let found = Intermediates {
        certs: placed.iter().map(|(_, c)| c.clone()).collect(),
        given: format!("{roots_field} or {field}"),
    };
    require_intermediates_chain(ck, &placed, roots, roots_field, &found.given);
    found
}

/// Reports `cert` at `field` unless it chains to `roots` through `intermediates`; `refusal`
/// says what is wrong, the chain error says why. No roots, no check (the file gives none
/// to check against; a required root is reported where it is missing).
pub(crate) fn require_chain(
    ck: &mut Checker<'_>,
    field: &str,
    cert: &Cert,
    roots: &[Cert],
    intermediates: &[Cert],
    given: &str,
    refusal: impl FnOnce(&Cert) -> String,
) {
    if roots.is_empty() {
        return;
    }
    if let Err(e) = chain(cert, roots, intermediates) {
        ck.sink.error(
            field,
            format!("{}: {}", refusal(cert), e.describe(cert, given)),
        );
    }
}

/// Every intermediate must itself chain to `roots` (possibly through the others); `given`
/// names where issuers were looked for.
pub(crate) fn require_intermediates_chain(
    ck: &mut Checker<'_>,
    intermediates: &[Placed],
    roots: &[Cert],
    roots_field: &str,
    given: &str,
) {
    let all: Vec<Cert> = intermediates.iter().map(|(_, c)| c.clone()).collect();
    for (field, cert) in intermediates {
        require_chain(ck, field, cert, roots, &all, given, |c| {
            format!("certificate '{}' is not issued by {roots_field}", c.subject)
        });
    }
}
