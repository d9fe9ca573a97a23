//! Which components of a console belong together: an organization (its MSP definitions and the
//! CAs whose roots are the MSP's roots) and a console's nodes (peers and ordering nodes).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::component::{Component, ComponentKind};

/// The components that make up org `msp_id` on a console: MSPs first, then CAs.
pub fn org_components<'a>(components: &'a [Component], msp_id: &str) -> Vec<&'a Component> {
    let msps = msps(components, Some(msp_id));
    let roots: BTreeSet<String> = msps
        .iter()
        .flat_map(|m| certs(m.document.get("root_certs")))
        .collect();
    let cas = components.iter().filter(|c| {
        c.kind == ComponentKind::Ca
            && certs(c.document.pointer("/msp/ca/root_certs"))
                .iter()
                .any(|r| roots.contains(r))
    });
    msps.into_iter().chain(cas).collect()
}

/// A console's MSP definitions (of org `msp_id` when given).
pub fn msps<'a>(components: &'a [Component], msp_id: Option<&str>) -> Vec<&'a Component> {
    components
        .iter()
        .filter(|c| c.kind == ComponentKind::Msp)
        .filter(|c| msp_id.is_none() || c.msp_id.as_deref() == msp_id)
        .collect()
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
}
