//! Whether a wallet identity belongs to an organization: its certificate must chain to the
//! MSP's root certificates, through the MSP's intermediates. [`validate_identity_for_msp`]
//! checks one pair; [`check_batch`] checks the identities of a batch of files against the
//! MSP definitions given with them.

use std::time::SystemTime;

use super::check::{CertRole, Checker};
use super::finding::{Finding, Sink};
use super::model::{Artifact, Identity, MspDefinition};
use super::pem;
use super::read::ParsedFile;
use super::x509::{chain, Cert, ChainError};

/// Whether `identity` belongs to the organization `msp`: its certificate must chain to the
/// MSP's root (or intermediate) certificates. Also warns when it is not an admin of that MSP
/// (by NodeOU when the MSP enables NodeOUs, else by the `admins` list). Findings name
/// `identity_file` (the file the identity came from) and its `cert` field.
pub fn validate_identity_for_msp(
    identity_file: &str,
    identity: &Identity,
    msp: &MspDefinition,
    now: SystemTime,
) -> Vec<Finding> {
    let mut sink = Sink::new(identity_file);
    let cert = Checker {
        sink: &mut sink,
        now,
    }
    .cert("cert", &identity.cert, CertRole::Any);
    if let Some(cert) = cert {
        sink.findings
            .extend(belongs(identity_file, identity, &cert, msp, None, now));
    }
    sink.findings
}

/// Checks across the files of one batch (what `atlas validate A B …` or one drop reads):
/// when the batch holds MSP definitions, every identity file given on its own must belong to
/// one of them, else it is an error naming the identity's file and the MSPs. An identity
/// inside a bulk ZIP or JSON array is left alone: a console's export fills its `Wallet/`
/// from the browser's wallet, which may hold identities of organizations it has no MSP of.
///
/// Call it once every file of the batch has been read ([`super::read_file`]); its errors
/// refuse the batch like any other, its warnings (a member that is not an admin) are shown.
pub fn check_batch(files: &[ParsedFile], now: SystemTime) -> Vec<Finding> {
    let msps: Vec<(&str, &MspDefinition)> = files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|i| match &i.artifact {
            Artifact::Msp(m) => Some((i.source.as_str(), m)),
            _ => None,
        })
        .collect();
    if msps.is_empty() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for file in files {
        for item in file.items.iter().filter(|i| i.source == file.name) {
            if let Artifact::Identity(identity) = &item.artifact {
                findings.extend(identity_in_batch(&item.source, identity, &msps, now));
            }
        }
    }
    findings
}

fn identity_in_batch(
    file: &str,
    identity: &Identity,
    msps: &[(&str, &MspDefinition)],
    now: SystemTime,
) -> Vec<Finding> {
    // read_file already reported the certificate's own problems: read it quietly here
    let mut quiet = Sink::new(file);
    let Some(cert) = (Checker {
        sink: &mut quiet,
        now,
    })
    .cert("cert", &identity.cert, CertRole::Any) else {
        return Vec::new();
    };
    let mut refusals = Vec::new();
    for (source, msp) in msps {
        let found = belongs(file, identity, &cert, msp, Some(source), now);
        if !super::finding::has_errors(&found) {
            return found;
        }
        refusals.push(found);
    }
    if let [only] = refusals.as_slice() {
        return only.clone();
    }
    let named: Vec<String> = msps
        .iter()
        .map(|(source, m)| format!("'{}' in {source}", msp_name(m)))
        .collect();
    vec![Finding::error(
        file,
        "cert",
        format!(
            "certificate '{}' (issuer '{}') is not issued by any MSP given with it ({}): the identity belongs to another organization",
            cert.subject,
            cert.issuer,
            named.join(", ")
        ),
    )]
}

fn msp_name(msp: &MspDefinition) -> &str {
    msp.msp_id.as_deref().unwrap_or("(no msp_id)")
}

/// Membership of an identity whose certificate is `cert` in `msp` (read from `msp_source`
/// when it came from a file): an error when it does not chain, a warning when it is a member
/// but not an admin.
fn belongs(
    file: &str,
    identity: &Identity,
    cert: &Cert,
    msp: &MspDefinition,
    msp_source: Option<&str>,
    now: SystemTime,
) -> Vec<Finding> {
    let mut sink = Sink::new(file);
    let name = msp_name(msp);
    let named = match msp_source {
        Some(source) => format!("MSP '{name}' ({source})"),
        None => format!("MSP '{name}'"),
    };
    // the MSP's own problems are its file's findings, not the identity's
    let mut scratch = Sink::new(file);
    let mut ck = Checker {
        sink: &mut scratch,
        now,
    };
    let roots = ck.certs(
        "root_certs",
        msp.root_certs.as_deref().unwrap_or_default(),
        CertRole::Any,
    );
    let inter = ck.certs(
        "intermediate_certs",
        msp.intermediate_certs.as_deref().unwrap_or_default(),
        CertRole::Any,
    );
    if roots.is_empty() {
        sink.error(
            "cert",
            format!("{named} has no readable root certificate to check this identity against"),
        );
        return sink.findings;
    }
    if let Err(e) = chain(cert, &roots, &inter) {
        let why = match e {
            ChainError::MissingIssuer { .. } => "its issuer is none of the MSP's root or intermediate certificates: the identity belongs to another organization".to_string(),
            other => other.describe(cert, "the MSP's root_certs or intermediate_certs"),
        };
        sink.error(
            "cert",
            format!(
                "certificate '{}' (issuer '{}') is not issued by {named}: {why}",
                cert.subject, cert.issuer
            ),
        );
        return sink.findings;
    }
    if !is_admin(cert, msp) {
        sink.warn(
            "cert",
            format!(
                "identity '{}' is a member of {named} but not one of its admins",
                identity.name
            ),
        );
    }
    sink.findings
}

/// Admin by NodeOU when the MSP enables NodeOUs, else by its `admins` list.
fn is_admin(cert: &Cert, msp: &MspDefinition) -> bool {
    match msp
        .fabric_node_ous
        .as_ref()
        .filter(|o| o.enable == Some(true))
    {
        Some(ous) => {
            let admin_ou = ous
                .admin_ou_identifier
                .as_ref()
                .and_then(|o| o.organizational_unit_identifier.as_deref())
                .unwrap_or("admin");
            cert.subject_ous.iter().any(|ou| ou == admin_ou)
        }
        None => msp.admins.as_deref().unwrap_or_default().iter().any(|a| {
            pem::decode(a)
                .ok()
                .and_then(|d| d.blocks.first().map(|b| b.der == cert.der))
                .unwrap_or(false)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FabricNodeOus, IdentityFormat, OuIdentifier};
    use crate::read::ParsedItem;
    use crate::test_pki::{now, root, Signer};

    struct Org {
        root: Signer,
        ica: Signer,
    }

    fn org(name: &str) -> Org {
        let root = root(&format!("ca.{name}"));
        let ica = root.below(&format!("ica.{name}"), true);
        Org { root, ica }
    }

    /// An MSP with NodeOUs whose admins are issued by its intermediate.
    fn msp(id: &str, org: &Org, with_intermediate: bool) -> MspDefinition {
        MspDefinition {
            msp_id: Some(id.into()),
            root_certs: Some(vec![org.root.pem.clone()]),
            intermediate_certs: with_intermediate.then(|| vec![org.ica.pem.clone()]),
            fabric_node_ous: Some(FabricNodeOus {
                enable: Some(true),
                admin_ou_identifier: Some(OuIdentifier {
                    certificate: None,
                    organizational_unit_identifier: Some("admin".into()),
                }),
                ..FabricNodeOus::default()
            }),
            ..MspDefinition::default()
        }
    }

    fn identity(name: &str, issuer: &Signer, ou: &str) -> Identity {
        Identity {
            name: name.into(),
            cert: issuer.leaf(name, ou, 2025, 2099).0,
            private_key: None,
            ca: None,
            hsm: false,
            format: IdentityFormat::Console,
        }
    }

    fn file(name: &str, artifact: Artifact) -> ParsedFile {
        ParsedFile {
            name: name.into(),
            items: vec![ParsedItem {
                source: name.into(),
                artifact,
                warnings: Vec::new(),
            }],
            warnings: Vec::new(),
        }
    }

    fn id_file(name: &str, id: Identity) -> ParsedFile {
        file(name, Artifact::Identity(id))
    }

    fn msp_file(name: &str, m: MspDefinition) -> ParsedFile {
        file(name, Artifact::Msp(m))
    }

    #[test]
    fn an_admin_below_the_orgs_intermediate_belongs_to_it() {
        let org1 = org("org1");
        let batch = [
            id_file("admin_identity.json", identity("admin", &org1.ica, "admin")),
            msp_file("org1_msp.json", msp("Org1MSP", &org1, true)),
        ];
        assert_eq!(check_batch(&batch, now()), vec![]);
        // a member that is not an admin is told so, without refusing the batch
        let client = [
            id_file("user_identity.json", identity("user", &org1.ica, "client")),
            msp_file("org1_msp.json", msp("Org1MSP", &org1, true)),
        ];
        let found = check_batch(&client, now());
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_error() && found[0].reason.contains("not one of its admins"));
    }

    #[test]
    fn an_identity_of_another_org_given_with_an_msp_is_refused_naming_both() {
        let (org1, org2) = (org("org1"), org("org2"));
        let batch = [
            msp_file("org1_msp.json", msp("Org1MSP", &org1, true)),
            id_file(
                "org2admin_identity.json",
                identity("org2admin", &org2.ica, "admin"),
            ),
        ];
        let found = check_batch(&batch, now());
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert!(f.is_error());
        assert_eq!(
            (f.file.as_str(), f.field.as_str()),
            ("org2admin_identity.json", "cert")
        );
        assert!(
            f.reason.contains("is not issued by MSP 'Org1MSP' (org1_msp.json): its issuer is none of the MSP's root or intermediate certificates"),
            "{}",
            f.reason
        );
    }

    #[test]
    fn with_several_msps_one_must_be_the_identitys() {
        let (org1, org2, org3) = (org("org1"), org("org2"), org("org3"));
        let msps = || {
            [
                msp_file("org1_msp.json", msp("Org1MSP", &org1, true)),
                msp_file("org2_msp.json", msp("Org2MSP", &org2, true)),
            ]
        };
        let [a, b] = msps();
        let ours = [a, b, id_file("a.json", identity("a", &org2.ica, "admin"))];
        assert_eq!(check_batch(&ours, now()), vec![]);
        let [a, b] = msps();
        let foreign = [a, b, id_file("c.json", identity("c", &org3.ica, "admin"))];
        let found = check_batch(&foreign, now());
        assert_eq!(found.len(), 1);
        assert!(
            found[0].reason.contains(
                "is not issued by any MSP given with it ('Org1MSP' in org1_msp.json, 'Org2MSP' in org2_msp.json)"
            ),
            "{}",
            found[0].reason
        );
    }

    #[test]
    fn an_msp_without_the_intermediate_does_not_vouch_for_its_identities() {
        let org1 = org("org1");
        let batch = [
            msp_file("org1_msp.json", msp("Org1MSP", &org1, false)),
            id_file("admin_identity.json", identity("admin", &org1.ica, "admin")),
        ];
        let found = check_batch(&batch, now());
        assert!(found.len() == 1 && found[0].is_error(), "{found:?}");
        // an intermediate that is not a CA does not either
        let not_ca = org1.root.below("ica.org1", false);
        let mut m = msp("Org1MSP", &org1, false);
        m.intermediate_certs = Some(vec![not_ca.pem.clone()]);
        let batch = [
            msp_file("org1_msp.json", m),
            id_file("admin_identity.json", identity("admin", &not_ca, "admin")),
        ];
        let found = check_batch(&batch, now());
        assert!(found.len() == 1 && found[0].is_error(), "{found:?}");
        assert!(
            found[0].reason.contains("is not a CA certificate"),
            "{}",
            found[0].reason
        );
    }

    #[test]
    fn without_an_msp_or_inside_a_bulk_file_nothing_is_checked() {
        let (org1, org2) = (org("org1"), org("org2"));
        let alone = [id_file("x.json", identity("x", &org2.ica, "admin"))];
        assert_eq!(check_batch(&alone, now()), vec![]);
        // a console's bulk export: its wallet entry is not an identity given with the MSP
        let mut bulk = msp_file("export.zip", msp("Org1MSP", &org1, true));
        bulk.items[0].source = "export.zip/Organizations/org1_msp.json".into();
        bulk.items.push(ParsedItem {
            source: "export.zip/Wallet/x_identity.json".into(),
            artifact: Artifact::Identity(identity("x", &org2.ica, "admin")),
            warnings: Vec::new(),
        });
        assert_eq!(check_batch(std::slice::from_ref(&bulk), now()), vec![]);
        // …but the MSPs in it count for an identity file given with the archive
        let found = check_batch(
            &[bulk, id_file("y.json", identity("y", &org2.ica, "admin"))],
            now(),
        );
        assert!(found.len() == 1 && found[0].file == "y.json", "{found:?}");
        assert!(found[0]
            .reason
            .contains("(export.zip/Organizations/org1_msp.json)"));
    }
}
