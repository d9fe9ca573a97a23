//! `atlas posture` (does the network survive the loss of a region; what if some are lost) and
//! `atlas place` (where a node lives when no console says so).

use std::collections::BTreeMap;
use std::process::ExitCode;

use atlas_core::ipc::RegionView;
use atlas_core::posture::{FindingFix, FindingLevel, Posture};
use atlas_core::AppError;

use crate::output;
use crate::regions::Context;

/// Prints the posture with `lose` (region ids or names) supposed lost; exit 1 when any finding
/// is an error.
pub async fn posture(ctx: &Context, lose: &[String]) -> Result<ExitCode, AppError> {
    let atlas = ctx.atlas()?;
    let regions = atlas.regions();
    let lost = lose
        .iter()
        .map(|r| region_id(&regions, r, "--lose"))
        .collect::<Result<Vec<_>, _>>()?;
    let posture = atlas.posture(&lost).await?;
    if ctx.json {
        output::json(&posture);
    } else {
        print(&posture, &regions);
    }
    let error = posture
        .findings
        .iter()
        .any(|f| f.severity == FindingLevel::Error);
    Ok(ExitCode::from(u8::from(error)))
}

/// Places node `node` (its API URL or component id) in `region` (id or name).
pub async fn place(ctx: &Context, node: &str, region: &str) -> Result<ExitCode, AppError> {
    let atlas = ctx.atlas()?;
    let regions = atlas.regions();
    let region_id = region_id(&regions, region, "--region")?;
    let key = atlas.place(node, &region_id).await?;
    if ctx.json {
        output::json(&serde_json::json!({ "node": key, "regionId": region_id }));
    } else {
        println!(
            "{} lives in {}",
            output::printable(&key),
            atlas.region_name(&region_id)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A region given by id, or by name as a person types it.
pub fn region_id(regions: &[RegionView], given: &str, flag: &str) -> Result<String, AppError> {
    regions
        .iter()
        .find(|r| r.id == given)
        .or_else(|| regions.iter().find(|r| r.name.eq_ignore_ascii_case(given)))
        .map(|r| r.id.clone())
        .ok_or_else(|| {
            AppError::invalid_field(
                flag.trim_start_matches('-'),
                format!("{flag}: no region '{given}' (see atlas region list)"),
            )
        })
}

fn print(p: &Posture, regions: &[RegionView]) {
    let name = |id: &str| {
        regions
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.to_owned(), |r| r.name.clone())
    };
    let per_region = |counts: &BTreeMap<String, u32>| {
        regions
            .iter()
            .map(|r| format!("{} {}", r.name, counts.get(&r.id).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The regions still standing whose loss it survives; "-" when it is broken already.
    let without = |survives: &BTreeMap<String, bool>, works: bool| {
        if !works {
            return "-".to_owned();
        }
        let breaking: Vec<String> = regions
            .iter()
            .filter(|r| !p.lost.contains(&r.id))
            .filter(|r| survives.get(&r.id) == Some(&false))
            .map(|r| r.name.clone())
            .collect();
        if breaking.is_empty() {
            "any one region".to_owned()
        } else {
            format!("not {}", breaking.join(", not "))
        }
    };
    let one = if p.lost.is_empty() {
        "any one region"
    } else {
        "one more region"
    };
    if !p.lost.is_empty() {
        let lost: Vec<String> = p.lost.iter().map(|id| name(id)).collect();
        println!(
            "What if {} {} lost:\n",
            lost.join(" and "),
            if lost.len() == 1 { "is" } else { "are" }
        );
    }
    match p.survives_any_one_region {
        None => {
            println!("Survives the loss of {one}: nothing to judge (no peers or ordering nodes)")
        }
        Some(true) => println!("Survives the loss of {one}: yes"),
        Some(false) => {
            println!("Survives the loss of {one}: no");
            for why in &p.why_not {
                println!("  {}", output::printable(why));
            }
        }
    }
    if !p.ordering_services.is_empty() {
        println!();
        let rows: Vec<Vec<String>> = p
            .ordering_services
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    per_region(&s.nodes_by_region),
                    s.unplaced.to_string(),
                    format!("{} of {}", s.available, s.nodes),
                    s.quorum.to_string(),
                    if s.has_quorum { "yes" } else { "NO" }.to_owned(),
                    without(&s.survives_loss_of, s.has_quorum),
                ]
            })
            .collect();
        output::table(
            &[
                "ORDERING SERVICE",
                "NODES BY REGION",
                "UNPLACED",
                "WORKING",
                "QUORUM",
                "HAS QUORUM",
                "SURVIVES LOSS OF",
            ],
            &rows,
        );
    }
    if !p.orgs.is_empty() {
        println!();
        let rows: Vec<Vec<String>> = p
            .orgs
            .iter()
            .map(|o| {
                vec![
                    o.msp_id.clone(),
                    per_region(&o.peers_by_region),
                    format!("{} of {}", o.available, o.peers),
                    o.ca_region
                        .as_deref()
                        .map_or_else(|| "unknown".to_owned(), name),
                    without(&o.survives_loss_of, o.available > 0),
                ]
            })
            .collect();
        output::table(
            &[
                "ORG",
                "PEERS BY REGION",
                "WORKING",
                "CA IN",
                "SURVIVES LOSS OF",
            ],
            &rows,
        );
    }
    if !p.findings.is_empty() {
        println!();
    }
    for f in &p.findings {
        let level = match f.severity {
            FindingLevel::Error => "error",
            FindingLevel::Warning => "warning",
            FindingLevel::Info => "info",
        };
        let code = serde_json::to_value(f.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        println!("{level} [{code}] {}", output::printable(&f.message));
        match &f.fix {
            Some(FindingFix::Operation { label, operation }) => {
                let command = match operation {
                    atlas_core::operation::Operation::Mesh => "atlas mesh".to_owned(),
                    atlas_core::operation::Operation::ReplicateOrg {
                        source_region_id,
                        msp_id,
                        target_region_ids,
                    } => format!(
                        "atlas replicate {source_region_id} --msp-id {msp_id} --to {}",
                        target_region_ids.join(",")
                    ),
                    atlas_core::operation::Operation::Copy {
                        source_region_id,
                        component_ids,
                        target_region_ids,
                    } => format!(
                        "atlas transfer {source_region_id} {} --to {}",
                        component_ids.join(" "),
                        target_region_ids.join(",")
                    ),
                };
                println!("  fix: {label}: {}", output::printable(&command));
            }
            Some(FindingFix::Place { node_key }) => println!(
                "  fix: atlas place {} --region REGION",
                output::printable(node_key)
            ),
            Some(FindingFix::Step { text }) => println!("  fix: {}", output::printable(text)),
            None => {}
        }
    }
}
