//! Which components of a console belong together: an organization (its MSP definitions and the
//! CAs whose roots are the MSP's roots) and a console's nodes (peers and ordering nodes).

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::component::{Component, ComponentKind};

/// The components that make up org `msp_id` on a console: MSPs first, then CAs.
pub fn org_components<'a>(components: &'a [Component], msp_id: &str) -> Vec<&'a Component> {
    let msps = msps(components, Some(msp_id));
    let roots: BTreeSet<String> = msps.iter().flat_map(|m| msp_roots(m)).collect();
    let cas = components
        .iter()
        .filter(|c| c.kind == ComponentKind::Ca && ca_roots(c).iter().any(|r| roots.contains(r)));
    msps.into_iter().chain(cas).collect()
}

/// An MSP definition's root certificates, blanks removed (the form CA roots are compared in).
pub fn msp_roots(msp: &Component) -> Vec<String> {
    certs(msp.document.get("root_certs"))
}

/// A CA's root certificates (its enrollment CA's), blanks removed: an org's CA is the one whose
/// roots are its MSP's.
pub fn ca_roots(ca: &Component) -> Vec<String> {
    certs(ca.document.pointer("/msp/ca/root_certs"))
}

/// A console's MSP definitions (of org `msp_id` when given).
pub fn msps<'a>(components: &'a [Component], msp_id: Option<&str>) -> Vec<&'a Component> {
    components
        .iter()
        .filter(|c| c.kind == ComponentKind::Msp)
        .filter(|c| msp_id.is_none() || c.msp_id.as_deref() == msp_id)
        .collect()
}

/// An org as a console holds it: an MSP id and the MSP definitions that carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrgOnConsole {
    pub msp_id: String,
    pub msp_component_ids: Vec<String>,
    /// The MSP definitions' display names, for a picker.
    pub names: Vec<String>,
}

/// The orgs whose MSP definitions a console holds, sorted by MSP id (what "replicate org"
/// offers); an MSP definition without an MSP id is no org.
pub fn orgs(components: &[Component]) -> Vec<OrgOnConsole> {
    let mut orgs: Vec<OrgOnConsole> = Vec::new();
    for msp in msps(components, None) {
        let Some(msp_id) = &msp.msp_id else { continue };
        let org = match orgs.iter().position(|o| &o.msp_id == msp_id) {
            Some(i) => &mut orgs[i],
            None => {
                orgs.push(OrgOnConsole {
                    msp_id: msp_id.clone(),
                    msp_component_ids: Vec::new(),
                    names: Vec::new(),
                });
                orgs.last_mut().expect("just pushed")
            }
        };
        org.msp_component_ids.push(msp.id.clone());
        org.names.push(msp.display_name.clone());
    }
    orgs.sort_by(|a, b| a.msp_id.cmp(&b.msp_id));
    orgs
}

/// The ordering nodes of one ordering service on a console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderingService {
    /// The console's cluster id, else the ordering org's MSP id ("" when the nodes say neither).
    pub key: String,
    /// "Ordering service OrdererMSP", or the console's cluster name when it says so itself.
    pub name: String,
    pub node_ids: Vec<String>,
}

/// A console's ordering nodes grouped into ordering services, in the console's order: by the
/// console's cluster id; nodes that carry none (imported without it) by their MSP id, as one
/// ordering org's nodes form one service in practice. A drag of a service copies its nodes.
pub fn ordering_services(components: &[Component]) -> Vec<OrderingService> {
    let mut services: Vec<OrderingService> = Vec::new();
    for node in components
        .iter()
        .filter(|c| c.kind == ComponentKind::Orderer)
    {
        let key = service_key(node);
        match services.iter_mut().find(|s| s.key == key) {
            Some(service) => service.node_ids.push(node.id.clone()),
            None => services.push(OrderingService {
                key,
                name: service_name(node),
                node_ids: vec![node.id.clone()],
            }),
        }
    }
    services
}

/// The ordering service an ordering node belongs to: the console's cluster id, else its MSP id
/// ("" when it says neither).
pub fn service_key(node: &Component) -> String {
    node.cluster_id
        .clone()
        .or_else(|| node.msp_id.clone())
        .unwrap_or_default()
}

/// An ordering service's name as a person reads it, from one of its nodes.
pub fn service_name(node: &Component) -> String {
    let named = node
        .cluster_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .or(node.msp_id.as_deref());
    match named {
        None => "Ordering service".to_owned(),
        Some(name) if name.to_lowercase().contains("ordering service") => name.to_owned(),
        Some(name) => format!("Ordering service {name}"),
    }
}

/// A console's peers and ordering nodes.
pub fn nodes(components: &[Component]) -> Vec<&Component> {
    components.iter().filter(|c| c.kind.is_node()).collect()
}

fn certs(list: Option<&Value>) -> Vec<String> {
    list.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|c| c.split_whitespace().collect())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_org_is_its_msps_and_the_cas_sharing_their_roots() {
        let components: Vec<Component> = [
            json!({ "id": "org1ca", "type": "fabric-ca", "msp": { "ca": { "root_certs": ["R1"] } } }),
            json!({ "id": "org2ca", "type": "fabric-ca", "msp": { "ca": { "root_certs": ["R2"] } } }),
            json!({ "id": "org1msp", "type": "msp", "msp_id": "Org1MSP", "root_certs": ["R1"] }),
            json!({ "id": "org2msp", "type": "msp", "msp_id": "Org2MSP", "root_certs": ["R2"] }),
            json!({ "id": "peer", "type": "fabric-peer", "msp_id": "Org1MSP" }),
            json!({ "id": "osn", "type": "fabric-orderer", "msp_id": "OrdererMSP" }),
        ]
        .into_iter()
        .filter_map(Component::from_document)
        .collect();
        let ids = |list: Vec<&Component>| list.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(org_components(&components, "Org1MSP")),
            ["org1msp", "org1ca"]
        );
        assert!(org_components(&components, "NoMSP").is_empty());
        assert_eq!(ids(nodes(&components)), ["peer", "osn"]);
        assert_eq!(ids(msps(&components, None)), ["org1msp", "org2msp"]);
    }

    #[test]
    fn orgs_are_msp_definitions_by_msp_id_sorted_and_an_msp_without_one_is_no_org() {
        let components: Vec<Component> = [
            json!({ "id": "org2msp", "type": "msp", "msp_id": "Org2MSP", "display_name": "Org2 MSP" }),
            json!({ "id": "org1msp", "type": "msp", "msp_id": "Org1MSP", "display_name": "Org1 MSP" }),
            json!({ "id": "org1msp_0", "type": "msp", "msp_id": "Org1MSP", "display_name": "Org1 MSP copy" }),
            json!({ "id": "nomsp", "type": "msp", "display_name": "No id" }),
            json!({ "id": "peer", "type": "fabric-peer", "msp_id": "Org3MSP" }),
        ]
        .into_iter()
        .filter_map(Component::from_document)
        .collect();
        assert_eq!(
            orgs(&components),
            [
                OrgOnConsole {
                    msp_id: "Org1MSP".into(),
                    msp_component_ids: vec!["org1msp".into(), "org1msp_0".into()],
                    names: vec!["Org1 MSP".into(), "Org1 MSP copy".into()],
                },
                OrgOnConsole {
                    msp_id: "Org2MSP".into(),
                    msp_component_ids: vec!["org2msp".into()],
                    names: vec!["Org2 MSP".into()],
                },
            ]
        );
    }

    #[test]
    fn ordering_nodes_form_services_by_cluster_id_else_msp_id_in_the_consoles_order() {
        let components: Vec<Component> = [
            json!({ "id": "osn1", "type": "fabric-orderer", "msp_id": "OrdererMSP", "cluster_id": "c1", "cluster_name": "Orderer" }),
            json!({ "id": "peer", "type": "fabric-peer", "msp_id": "Org1MSP" }),
            json!({ "id": "imported", "type": "fabric-orderer", "msp_id": "Other" }),
            json!({ "id": "osn2", "type": "fabric-orderer", "msp_id": "OrdererMSP", "cluster_id": "c1" }),
            json!({ "id": "named", "type": "fabric-orderer", "cluster_id": "c2", "cluster_name": " My Ordering Service " }),
            json!({ "id": "bare", "type": "fabric-orderer" }),
        ]
        .into_iter()
        .filter_map(Component::from_document)
        .collect();
        let services: Vec<(String, String, Vec<String>)> = ordering_services(&components)
            .into_iter()
            .map(|s| (s.key, s.name, s.node_ids))
            .collect();
        let row = |key: &str, name: &str, ids: &[&str]| {
            (
                key.to_owned(),
                name.to_owned(),
                ids.iter().map(|i| i.to_string()).collect(),
            )
        };
        assert_eq!(
            services,
            [
                row("c1", "Ordering service Orderer", &["osn1", "osn2"]),
                row("Other", "Ordering service Other", &["imported"]),
                row("c2", "My Ordering Service", &["named"]),
                row("", "Ordering service", &["bare"]),
            ]
        );
    }
}
