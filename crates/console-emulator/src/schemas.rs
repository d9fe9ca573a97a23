//! The request schemas of the console's OpenAPI file (`ibp_openapi_v3.yaml`) that the
//! emulator validates: component imports and edits, API keys, access tokens. Property order
//! follows the file, because it decides the order of the error messages.

use crate::normalize::{CA, MSP, ORDERER, PEER};
use crate::validate::{Kind, Pattern, Schema};

fn string() -> Schema {
    Schema::of(Kind::String)
}

fn max_len(mut s: Schema, n: usize) -> Schema {
    s.max_len = Some(n);
    s
}

fn url(pattern: Pattern) -> Schema {
    let mut s = string();
    s.must_pass = Some(pattern);
    s.pattern_msg = Some("regex_fail_full_url");
    s
}

fn certificate() -> Schema {
    let mut s = string();
    s.certificate = true;
    s
}

fn cert_array(min: usize) -> Schema {
    let mut s = Schema::of(Kind::Array);
    s.items = Some(Box::new(certificate()));
    s.min_len = Some(min);
    s.max_len = Some(100);
    s
}

fn object(props: Vec<(&'static str, Schema)>) -> Schema {
    let mut s = Schema::of(Kind::Object);
    s.props = props;
    s
}

fn strict(mut s: Schema) -> Schema {
    s.no_extra_keys = true;
    s
}

fn required(mut s: Schema, keys: &[&'static str]) -> Schema {
    s.required = keys.to_vec();
    s
}

fn id() -> Schema {
    let mut s = string();
    s.min_len = Some(3);
    s.max_len = Some(64);
    s.must_pass = Some(Pattern::ValidId);
    s.pattern_msg = Some("regex_fail_valid_id");
    s
}

fn msp_id() -> Schema {
    let mut s = max_len(string(), 250);
    s.must_fail = Some(Pattern::InvalidMspId);
    s.pattern_msg = Some("regex_invalid_msp_id");
    s.illegal_values = vec![".", ".."];
    s
}

fn location() -> Schema {
    let mut s = max_len(string(), 1024);
    s.illegal_values = vec!["ibm_saas"];
    s
}

fn tags() -> Schema {
    let mut s = Schema::of(Kind::Array);
    s.items = Some(Box::new(max_len(string(), 32)));
    s.min_len = Some(0);
    s.max_len = Some(32);
    s
}

fn boolean() -> Schema {
    Schema::of(Kind::Boolean)
}

fn preferred_url() -> Schema {
    let mut s = string();
    s.enum_values = vec!["os", "legacy"];
    s
}

/// `msp_crypto_field` of peers and orderers.
fn node_msp() -> Schema {
    let named_roots = |req: &[&'static str]| {
        required(
            strict(object(vec![
                ("name", string()),
                ("root_certs", cert_array(1)),
            ])),
            req,
        )
    };
    let component = required(
        strict(object(vec![
            ("tls_cert", certificate()),
            ("ecert", certificate()),
            ("admin_certs", cert_array(0)),
        ])),
        &["tls_cert"],
    );
    required(
        strict(object(vec![
            ("ca", named_roots(&[])),
            ("tlsca", named_roots(&["root_certs"])),
            ("component", component),
        ])),
        &["component", "tlsca"],
    )
}

fn ca_msp() -> Schema {
    let named_roots = || {
        required(
            strict(object(vec![
                ("name", string()),
                ("root_certs", cert_array(1)),
            ])),
            &["name"],
        )
    };
    required(
        strict(object(vec![
            ("ca", named_roots()),
            ("tlsca", named_roots()),
            (
                "component",
                required(
                    strict(object(vec![("tls_cert", certificate())])),
                    &["tls_cert"],
                ),
            ),
        ])),
        &["component", "tlsca", "ca"],
    )
}

fn migration_fields() -> Vec<(&'static str, Schema)> {
    vec![
        ("migrated_from", max_len(string(), 128)),
        ("cluster_type", max_len(string(), 32)),
        ("console_type", max_len(string(), 32)),
    ]
}

fn msp_fields() -> Vec<(&'static str, Schema)> {
    vec![
        ("msp_id", msp_id()),
        ("display_name", max_len(string(), 64)),
        ("root_certs", cert_array(1)),
        ("intermediate_certs", cert_array(0)),
        ("admins", cert_array(0)),
        ("tls_root_certs", cert_array(1)),
    ]
}

/// The body schema of `POST /ak/api/v3/components/<type>`; `None` = not validated.
pub(crate) fn import_schema(component_type: &str) -> Option<Schema> {
    Some(match component_type {
        CA => {
            let mut props = vec![
                ("id", id()),
                ("display_name", string()),
                ("location", location()),
                ("api_url", url(Pattern::HttpUrl)),
            ];
            props.extend(migration_fields());
            props.extend([
                ("operations_url", url(Pattern::HttpUrl)),
                ("tags", tags()),
                ("tls_cert", certificate()),
                ("msp", ca_msp()),
            ]);
            required(strict(object(props)), &["display_name", "api_url", "msp"])
        }
        PEER => {
            let mut props = vec![
                ("id", id()),
                ("api_url", url(Pattern::GrpcUrl)),
                ("display_name", max_len(string(), 64)),
                ("grpcwp_url", url(Pattern::HttpUrl)),
                ("location", location()),
            ];
            props.extend(migration_fields());
            props.extend([
                ("msp", node_msp()),
                ("msp_id", msp_id()),
                ("operations_url", url(Pattern::HttpUrl)),
                ("tags", tags()),
                ("node_ou", object(vec![("enabled", boolean())])),
            ]);
            required(
                strict(object(props)),
                &["msp_id", "display_name", "grpcwp_url", "msp"],
            )
        }
        ORDERER => {
            let mut props = vec![
                ("api_url", url(Pattern::GrpcUrl)),
                ("cluster_id", string()),
                ("cluster_name", max_len(string(), 64)),
                ("id", id()),
                ("display_name", max_len(string(), 64)),
                ("grpcwp_url", url(Pattern::HttpUrl)),
                ("osnadmin_url", url(Pattern::HttpUrl)),
                ("location", location()),
            ];
            props.extend(migration_fields());
            props.extend([
                ("msp", node_msp()),
                ("msp_id", msp_id()),
                ("operations_url", url(Pattern::HttpUrl)),
                ("systemless", boolean()),
                ("system_channel_id", max_len(string(), 256)),
                ("tags", tags()),
            ]);
            required(
                strict(object(props)),
                &[
                    "msp_id",
                    "cluster_name",
                    "display_name",
                    "grpcwp_url",
                    "msp",
                ],
            )
        }
        MSP => required(
            object(msp_fields()),
            &["msp_id", "display_name", "root_certs"],
        ),
        _ => return None,
    })
}

/// The body schema of `PUT /ak/api/v3/components/<type>/{id}`; `None` = not validated.
pub(crate) fn edit_schema(component_type: &str) -> Option<Schema> {
    Some(match component_type {
        CA => {
            let mut s = strict(object(vec![
                ("display_name", max_len(string(), 64)),
                ("api_url", url(Pattern::HttpUrl)),
                ("operations_url", url(Pattern::HttpUrl)),
                ("ca_name", string()),
                ("location", location()),
                ("tags", tags()),
                ("preferred_url", preferred_url()),
            ]));
            s.illegal_keys = vec![
                "resources",
                "storage",
                "zone",
                "config_override",
                "replicas",
                "version",
                "_id",
                "id",
                "_rev",
                "type",
                "cluster_id",
                "timestamp",
                "edited_timestamp",
            ];
            s
        }
        PEER => strict(object(vec![
            ("display_name", max_len(string(), 64)),
            ("api_url", url(Pattern::GrpcUrl)),
            ("operations_url", url(Pattern::HttpUrl)),
            ("grpcwp_url", url(Pattern::HttpUrl)),
            ("msp", node_msp()),
            ("msp_id", msp_id()),
            ("location", location()),
            ("tags", tags()),
            ("preferred_url", preferred_url()),
        ])),
        ORDERER => strict(object(vec![
            ("cluster_name", max_len(string(), 64)),
            ("display_name", max_len(string(), 64)),
            ("api_url", url(Pattern::GrpcUrl)),
            ("operations_url", url(Pattern::HttpUrl)),
            ("grpcwp_url", url(Pattern::HttpUrl)),
            ("osnadmin_url", url(Pattern::HttpUrl)),
            ("msp", node_msp()),
            ("msp_id", msp_id()),
            ("consenter_proposal_fin", boolean()),
            ("location", location()),
            ("systemless", boolean()),
            ("system_channel_id", max_len(string(), 256)),
            ("tags", tags()),
            ("preferred_url", preferred_url()),
        ])),
        MSP => object(msp_fields()),
        _ => return None,
    })
}

fn roles() -> Schema {
    let mut role = string();
    role.enum_values = vec!["reader", "writer", "manager"];
    let mut s = Schema::of(Kind::Array);
    s.items = Some(Box::new(role));
    s
}

/// `CreateApiKeyBody`.
pub(crate) fn create_api_key() -> Schema {
    required(
        object(vec![("roles", roles()), ("description", string())]),
        &["roles"],
    )
}

/// `CreateAccessBody`.
pub(crate) fn create_access_token() -> Schema {
    let mut secs = Schema::of(Kind::Number);
    secs.minimum = Some(10.0);
    secs.maximum = Some(1_296_000.0);
    object(vec![("roles", roles()), ("expiration_secs", secs)])
}

/// The allowed values of the component list query parameters.
pub(crate) const QUERY_ENUMS: [(&str, [&str; 2]); 4] = [
    ("deployment_attrs", ["included", "omitted"]),
    ("parsed_certs", ["included", "omitted"]),
    ("cache", ["skip", "use"]),
    ("ca_attrs", ["included", "omitted"]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validate;
    use serde_json::json;

    #[test]
    fn empty_peer_body() {
        let msgs = validate(&json!({}), &import_schema(PEER).unwrap(), false);
        assert_eq!(
            msgs,
            vec![
                "Expected parameter 'msp_id' to exist.",
                "Expected parameter 'display_name' to exist.",
                "Expected parameter 'grpcwp_url' to exist.",
                "Expected parameter 'msp' to exist.",
            ]
        );
    }

    #[test]
    fn array_msp_body() {
        let msgs = validate(&json!([1, 2]), &import_schema(MSP).unwrap(), false);
        assert_eq!(msgs.len(), 4);
        assert_eq!(
            msgs[3],
            "Expected parameter '' to be of type: 'object', but instead was: 'array'."
        );
    }

    #[test]
    fn bad_root_cert() {
        let msgs = validate(
            &json!({"display_name": "bad msp", "root_certs": ["abc"]}),
            &import_schema(MSP).unwrap(),
            false,
        );
        assert_eq!(
            msgs,
            vec![
                "Expected parameter 'msp_id' to exist.",
                "Expected parameter 'root_certs[0]' to be a Base64 encoded PEM-string.",
            ]
        );
    }

    #[test]
    fn edit_rules() {
        let peer = edit_schema(PEER).unwrap();
        assert!(validate(&json!({"type": "fabric-ca"}), &peer, true).is_empty());
        assert_eq!(
            validate(&json!({"bogus_field": 1}), &peer, true),
            vec!["Parameter 'bogus_field' is an unknown key for object."]
        );
        assert_eq!(
            validate(&json!({"type": "x"}), &edit_schema(CA).unwrap(), true),
            vec!["Parameter 'type' is either never editable or not editable via this api."]
        );
    }
}
