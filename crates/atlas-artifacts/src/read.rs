//! Reading a dropped file: limits, JSON, kind detection, typed model, validation. One JSON
//! file yields one artifact, or several for a bulk JSON array; a ZIP goes to [`super::bulk`].

use std::time::SystemTime;

use serde_json::Value;

use super::bulk;
use super::check::Checker;
use super::detect::{content_kind, kind_from_file_name, ContentKind};
use super::finding::{has_errors, Finding, Sink, WHOLE_FILE};
use super::json;
use super::model::{Artifact, ArtifactKind, OrdererShape, OrderingService};
use super::{parse, validate};

/// One artifact read from a file (or from one entry of a bulk ZIP), with its warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedItem {
    /// The file, `archive.zip/Folder/entry.json`, or `file.json[2]` for a bulk JSON array.
    pub source: String,
    pub artifact: Artifact,
    pub warnings: Vec<Finding>,
}

/// Everything a file held. Only returned when nothing in it is an error.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    pub name: String,
    pub items: Vec<ParsedItem>,
    /// Findings about the file as a whole (skipped ZIP entries, …); item warnings are on items.
    pub warnings: Vec<Finding>,
}

impl ParsedFile {
    /// File warnings then every item's.
    pub fn all_warnings(&self) -> impl Iterator<Item = &Finding> {
        self.warnings
            .iter()
            .chain(self.items.iter().flat_map(|i| i.warnings.iter()))
    }

    pub fn artifacts(&self) -> impl Iterator<Item = &Artifact> {
        self.items.iter().map(|i| &i.artifact)
    }
}

const ZIP_MAGIC: &[&[u8]] = &[b"PK\x03\x04", b"PK\x05\x06"];

fn is_zip(bytes: &[u8]) -> bool {
    ZIP_MAGIC.iter().any(|m| bytes.starts_with(m))
}

fn is_age(bytes: &[u8]) -> bool {
    bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
        || bytes.starts_with(b"age-encryption.org/")
}

/// Reads a file the user dropped: a console JSON export (CA, peer, ordering service, MSP,
/// identity, or a bulk JSON array) or a bulk ZIP. `name` is its file name (the
/// `_<kind>.json` suffix is a hint). Certificates are judged at `now`.
///
/// `Err` holds every finding (errors and warnings) when anything is an error: nothing of a
/// refused file should reach a console.
pub fn read_file(name: &str, bytes: &[u8], now: SystemTime) -> Result<ParsedFile, Vec<Finding>> {
    if is_zip(bytes) {
        let report = bulk::read_bulk(name, bytes, now)?;
        return report.into_parsed_file();
    }
    if name.to_ascii_lowercase().ends_with(".zip") {
        return Err(vec![Finding::error(
            name,
            WHOLE_FILE,
            "is named .zip but is not a ZIP archive",
        )]);
    }
    if is_age(bytes) {
        return Err(vec![Finding::error(
            name,
            WHOLE_FILE,
            "is an encrypted identity file: open it with its passphrase (decrypt_identity)",
        )]);
    }
    let hint = kind_from_file_name(name).map(|k| Hint {
        kind: k,
        from: "file name",
    });
    let items = read_document(name, name, bytes, hint, false, now)?;
    Ok(ParsedFile {
        name: name.to_string(),
        items,
        warnings: Vec::new(),
    })
}

/// The kind a file's name or folder announces, and which of the two announced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hint {
    pub kind: ArtifactKind,
    /// `"file name"` or `"folder"`.
    pub from: &'static str,
}

/// Reads one JSON document. `label` names it in findings; `hint` is the kind its name or
/// folder announces; `in_bulk` applies the bulk import's rule that every object has a `type`.
pub(crate) fn read_document(
    label: &str,
    source: &str,
    bytes: &[u8],
    hint: Option<Hint>,
    in_bulk: bool,
    now: SystemTime,
) -> Result<Vec<ParsedItem>, Vec<Finding>> {
    let mut sink = Sink::new(label);
    let Some(value) = json::parse_document(bytes, &mut sink) else {
        return Err(sink.findings);
    };
    let mut items = Vec::new();
    match &value {
        Value::Array(list) => {
            if list.is_empty() {
                sink.error(
                    WHOLE_FILE,
                    if hint.map(|h| h.kind) == Some(ArtifactKind::Orderer) {
                        "holds no ordering nodes"
                    } else {
                        "is an empty array: there is nothing to import"
                    },
                );
            } else if list.iter().all(looks_like_orderer) {
                if let Some(h) = hint.filter(|h| h.kind != ArtifactKind::Orderer) {
                    mismatch(&mut sink, WHOLE_FILE, h, "a list of orderer nodes");
                } else {
                    let nodes = orderer_nodes(list, "", &mut sink, now);
                    push_service(
                        &mut items,
                        source,
                        nodes,
                        OrdererShape::Array,
                        &mut sink,
                        WHOLE_FILE,
                    );
                }
            } else {
                // a bulk JSON array (the console UI's import accepts one): one item per object
                for (i, item) in list.iter().enumerate() {
                    let mut item_sink = Sink::with_prefix(label, &format!("[{i}]"));
                    let read = read_object(item, None, true, &mut item_sink, now);
                    if let Some(artifact) = read {
                        items.push(ParsedItem {
                            source: format!("{source}[{i}]"),
                            artifact,
                            warnings: Vec::new(),
                        });
                        split_into(&mut sink, item_sink, items.last_mut());
                    } else {
                        split_into(&mut sink, item_sink, None);
                    }
                }
            }
        }
        Value::Object(obj) if obj.contains_key("raft") => {
            if let Some(h) = hint.filter(|h| h.kind != ArtifactKind::Orderer) {
                mismatch(
                    &mut sink,
                    "raft",
                    h,
                    "an ordering service ({\"raft\": [...]})",
                );
            } else {
                match obj.get("raft") {
                    Some(Value::Array(list)) => {
                        let nodes = orderer_nodes(list, "raft", &mut sink, now);
                        push_service(
                            &mut items,
                            source,
                            nodes,
                            OrdererShape::Raft,
                            &mut sink,
                            "raft",
                        );
                    }
                    _ => sink.error("raft", "must be an array of ordering nodes"),
                }
            }
        }
        Value::Object(_) => {
            let mut item_sink = Sink::new(label);
            if let Some(artifact) = read_object(&value, hint, in_bulk, &mut item_sink, now) {
                items.push(ParsedItem {
                    source: source.to_string(),
                    artifact,
                    warnings: Vec::new(),
                });
                split_into(&mut sink, item_sink, items.last_mut());
            } else {
                split_into(&mut sink, item_sink, None);
            }
        }
        other => sink.error(
            WHOLE_FILE,
            format!(
                "is a JSON {}, not an object or array: not a console artifact file",
                match other {
                    Value::String(_) => "string",
                    Value::Number(_) => "number",
                    Value::Bool(_) => "boolean",
                    _ => "null",
                }
            ),
        ),
    }
    if has_errors(&sink.findings) || (items.is_empty() && !sink.findings.is_empty()) {
        let mut all = sink.findings;
        for item in items {
            all.extend(item.warnings);
        }
        return Err(all);
    }
    if items.is_empty() {
        return Err(vec![Finding::error(
            label,
            WHOLE_FILE,
            "holds nothing to import",
        )]);
    }
    // warnings not tied to an item go to the first one
    if let Some(first) = items.first_mut() {
        let mut w = sink.findings;
        w.append(&mut first.warnings);
        first.warnings = w;
    }
    Ok(items)
}

/// Item findings: errors stay in the file's sink (they refuse it), warnings go on the item.
fn split_into(file: &mut Sink, item: Sink, target: Option<&mut ParsedItem>) {
    if item.has_errors() {
        file.findings.extend(item.findings);
        return;
    }
    match target {
        Some(t) => t.warnings.extend(item.findings),
        None => file.findings.extend(item.findings),
    }
}

fn looks_like_orderer(v: &Value) -> bool {
    v.as_object().is_some_and(|o| match content_kind(o) {
        ContentKind::Declared(k) => k == ArtifactKind::Orderer,
        ContentKind::UnknownType(_) => false,
        ContentKind::Plausible(ks) => ks.first() == Some(&ArtifactKind::Orderer),
    })
}

fn orderer_nodes(
    list: &[Value],
    prefix: &str,
    sink: &mut Sink,
    now: SystemTime,
) -> Vec<super::model::OrdererNode> {
    let mut nodes = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let mut node_sink = Sink::with_prefix(&sink.file, &format!("{prefix}[{i}]"));
        if !v.is_object() {
            node_sink.error("", "must be an object (an ordering node)");
        } else if let Some(node) = parse::orderer_node(v, &mut node_sink) {
            validate::orderer_node(
                &node,
                &mut Checker {
                    sink: &mut node_sink,
                    now,
                },
            );
            nodes.push(node);
        }
        sink.findings.extend(node_sink.findings);
    }
    nodes
}

fn push_service(
    items: &mut Vec<ParsedItem>,
    source: &str,
    nodes: Vec<super::model::OrdererNode>,
    shape: OrdererShape,
    sink: &mut Sink,
    list_path: &str,
) {
    let os = OrderingService { shape, nodes };
    validate::ordering_service(&os, sink, list_path);
    if !sink.has_errors() {
        items.push(ParsedItem {
            source: source.to_string(),
            artifact: Artifact::OrderingService(os),
            warnings: Vec::new(),
        });
    }
}

fn mismatch(sink: &mut Sink, field: &str, hint: Hint, content: &str) {
    let announced = match hint.from {
        "folder" => format!("{} ({})", hint.kind.described(), hint.kind.folder()),
        _ => format!("{} (_{}.json)", hint.kind.described(), hint.kind.suffix()),
    };
    sink.error(
        field,
        format!(
            "the {} says {announced} but the content is {content}",
            hint.from
        ),
    );
}

/// One object: decide its kind, build the model, validate it.
fn read_object(
    value: &Value,
    hint: Option<Hint>,
    in_bulk: bool,
    sink: &mut Sink,
    now: SystemTime,
) -> Option<Artifact> {
    let Some(obj) = value.as_object() else {
        sink.error("", "must be an object (a console component or identity)");
        return None;
    };
    let kind = match content_kind(obj) {
        ContentKind::Declared(k) => {
            if let Some(h) = hint.filter(|h| h.kind != k) {
                let t = obj.get("type").and_then(Value::as_str).unwrap_or_default();
                mismatch(sink, "type", h, &format!("{} (type '{t}')", k.described()));
                return None;
            }
            k
        }
        ContentKind::UnknownType(t) => {
            sink.error(
                "type",
                format!("'{t}' is not a console artifact type (fabric-ca, fabric-peer, fabric-orderer, msp, identity)"),
            );
            return None;
        }
        ContentKind::Plausible(kinds) => {
            if in_bulk {
                sink.warn(
                    "type",
                    "is missing; the console UI's bulk import requires it",
                );
            }
            match (hint, kinds.first()) {
                (Some(h), None) => h.kind,
                (Some(h), Some(_)) if kinds.contains(&h.kind) => h.kind,
                (Some(h), Some(k)) => {
                    mismatch(sink, "", h, &format!("{} (by its fields)", k.described()));
                    return None;
                }
                (None, Some(k)) => *k,
                (None, None) => {
                    sink.error(
                        "",
                        "cannot tell what this is: it has no 'type' and its name does not end in _ca, _peer, _orderer, _msp or _identity.json",
                    );
                    return None;
                }
            }
        }
    };
    let mut ck = Checker { sink, now };
    let artifact = match kind {
        ArtifactKind::Ca => {
            let ca = parse::ca(value, ck.sink)?;
            validate::ca(&ca, &mut ck);
            Artifact::Ca(ca)
        }
        ArtifactKind::Peer => {
            let p = parse::peer(value, ck.sink)?;
            validate::peer(&p, &mut ck);
            Artifact::Peer(p)
        }
        ArtifactKind::Orderer => {
            let n = parse::orderer_node(value, ck.sink)?;
            validate::orderer_node(&n, &mut ck);
            Artifact::OrderingService(OrderingService {
                shape: OrdererShape::Single,
                nodes: vec![n],
            })
        }
        ArtifactKind::Msp => {
            let m = parse::msp(value, ck.sink)?;
            validate::msp(&m, &mut ck);
            Artifact::Msp(m)
        }
        ArtifactKind::Identity => {
            let id = parse::identity(value, ck.sink)?;
            validate::identity(&id, &mut ck);
            Artifact::Identity(id)
        }
    };
    Some(artifact)
}
