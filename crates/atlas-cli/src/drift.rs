//! `atlas drift`: the nodes and MSPs whose copies on several consoles differ, field by field;
//! with `--make-equal KEY --from REGION`, every copy made equal to that region's.

use std::process::ExitCode;

use atlas_core::drift::{DriftReport, MakeEqualReport};
use atlas_core::AppError;

use crate::output;
use crate::regions::Context;

/// Lists the drift: exit 1 when copies differ, 3 when a console could not be read, else 0.
pub async fn drift(ctx: &Context) -> Result<ExitCode, AppError> {
    let atlas = ctx.atlas()?;
    let report = atlas.drift().await?;
    output::warn_unread(&report.unread, "its copies are not compared");
    if ctx.json {
        output::json(&report);
    } else {
        print(&report, &|id| atlas.region_name(id).to_string());
    }
    let code = if !report.drifts.is_empty() {
        1
    } else if !report.unread.is_empty() {
        3
    } else {
        0
    };
    Ok(ExitCode::from(code))
}

/// Makes every copy of `key` equal to region `from`'s (id or name): exit 1 when a copy failed
/// or keeps a difference the console's edit route cannot change.
pub async fn make_equal(ctx: &Context, key: &str, from: &str) -> Result<ExitCode, AppError> {
    let atlas = ctx.atlas()?;
    let from = crate::posture::region_id(&atlas.regions(), from, "--from")?;
    let report = atlas.make_equal(key, &from).await?;
    if ctx.json {
        output::json(&report);
    } else {
        print_made(&report, &|id| atlas.region_name(id).to_string());
    }
    let incomplete = report
        .copies
        .iter()
        .any(|c| c.error.is_some() || !c.left.is_empty());
    Ok(ExitCode::from(u8::from(incomplete)))
}

fn print(report: &DriftReport, name: &dyn Fn(&str) -> String) {
    if report.drifts.is_empty() {
        println!("Every copy agrees with the others.");
        return;
    }
    for (i, d) in report.drifts.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let holders: Vec<String> = d.copies.iter().map(|c| name(&c.region_id)).collect();
        println!(
            "{} ({}) differs between {}:",
            output::printable(&d.display_name),
            output::printable(&d.key),
            holders.join(", ")
        );
        for f in &d.fields {
            let note = if f.editable {
                ""
            } else {
                " (not editable: import the copy again)"
            };
            println!("  {}{note}", f.label);
            for (copy, value) in d.copies.iter().zip(&f.values) {
                println!(
                    "    {}: {}",
                    name(&copy.region_id),
                    output::printable(value.as_deref().unwrap_or("(none)"))
                );
            }
        }
        println!(
            "  make equal: atlas drift --make-equal {} --from REGION",
            output::printable(&d.key)
        );
    }
}

fn print_made(report: &MakeEqualReport, name: &dyn Fn(&str) -> String) {
    println!(
        "Copies of {} made equal to {}'s:",
        output::printable(&report.display_name),
        name(&report.from_region_id)
    );
    for c in &report.copies {
        let line = match (&c.error, c.edited.is_empty(), c.left.is_empty()) {
            (Some(e), _, _) => format!("failed: {e}"),
            (None, true, true) => "equal already".to_owned(),
            (None, false, true) => format!("edited {}", c.edited.join(", ")),
            (None, true, false) => format!("still differs in {} (not editable)", c.left.join(", ")),
            (None, false, false) => format!(
                "edited {}; still differs in {} (not editable)",
                c.edited.join(", "),
                c.left.join(", ")
            ),
        };
        let copy = if c.component_id.is_empty() {
            name(&c.region_id)
        } else {
            format!("{} ({})", name(&c.region_id), c.component_id)
        };
        println!("  {}: {}", copy, output::printable(&line));
    }
}
