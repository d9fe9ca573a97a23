//! Which components of a console belong together: an organization (its MSP definitions and the
//! CAs whose roots are the MSP's roots) and a console's nodes (peers and ordering nodes).

use std::collections::BTreeSet;

use serde_json::Value;

/// Ids of the components that make up org `msp_id` on a console: MSPs first, then CAs.
pub fn org_component_ids(components: &[Value], msp_id: &str) -> Vec<String> {
    let msps: Vec<&Value> = components
        .iter()
        .filter(|c| kind(c) == "msp" && c.get("msp_id").and_then(Value::as_str) == Some(msp_id))
        .collect();
    let roots: BTreeSet<String> = msps
        .iter()
        .flat_map(|m| certs(m.get("root_certs")))
        .collect();
    let cas = components.iter().filter(|c| {
        kind(c) == "fabric-ca"
            && certs(c.pointer("/msp/ca/root_certs"))
                .iter()
                .any(|r| roots.contains(r))
    });
    msps.into_iter().chain(cas).filter_map(id).collect()
}

/// A console's MSP definitions (of org `msp_id` when given), with their component ids.
pub fn msps<'a>(components: &'a [Value], msp_id: Option<&str>) -> Vec<(String, &'a Value)> {
    components
        .iter()
        .filter(|c| kind(c) == "msp")
        .filter(|c| msp_id.is_none() || c.get("msp_id").and_then(Value::as_str) == msp_id)
        .filter_map(|c| Some((id(c)?, c)))
        .collect()
}

/// Ids of a console's peers and ordering nodes.
pub fn node_ids(components: &[Value]) -> Vec<String> {
    components
        .iter()
        .filter(|c| matches!(kind(c), "fabric-peer" | "fabric-orderer"))
        .filter_map(id)
        .collect()
}

fn kind(c: &Value) -> &str {
    c.get("type").and_then(Value::as_str).unwrap_or_default()
}

fn id(c: &Value) -> Option<String> {
    c.get("id").and_then(Value::as_str).map(str::to_owned)
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
        let components = vec![
            json!({ "id": "org1ca", "type": "fabric-ca", "msp": { "ca": { "root_certs": ["R1"] } } }),
            json!({ "id": "org2ca", "type": "fabric-ca", "msp": { "ca": { "root_certs": ["R2"] } } }),
            json!({ "id": "org1msp", "type": "msp", "msp_id": "Org1MSP", "root_certs": ["R1"] }),
            json!({ "id": "org2msp", "type": "msp", "msp_id": "Org2MSP", "root_certs": ["R2"] }),
            json!({ "id": "peer", "type": "fabric-peer", "msp_id": "Org1MSP" }),
            json!({ "id": "osn", "type": "fabric-orderer", "msp_id": "OrdererMSP" }),
        ];
        assert_eq!(
            org_component_ids(&components, "Org1MSP"),
            ["org1msp", "org1ca"]
        );
        assert!(org_component_ids(&components, "NoMSP").is_empty());
        assert_eq!(node_ids(&components), ["peer", "osn"]);
    }
}
