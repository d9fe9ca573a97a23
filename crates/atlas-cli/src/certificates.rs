//! `atlas certs`: the certificate calendar of every console and the wallet.

use std::process::ExitCode;
use std::time::SystemTime;

use atlas_core::artifacts::{CalendarEntry, Due};
use atlas_core::AppError;

use crate::output;
use crate::regions::Context;

pub async fn calendar(ctx: &Context, within: Option<i64>) -> Result<ExitCode, AppError> {
    let mut calendar = ctx.atlas()?.certificates(SystemTime::now()).await?;
    if let Some(days) = within {
        calendar.entries.retain(|e| e.days_left <= days);
    }
    output::warn_unread(&calendar.unread, "its certificates are missing here");
    if ctx.json {
        output::json(&calendar);
    } else if calendar.entries.is_empty() {
        match within {
            Some(1) => println!("No certificates expire within a day."),
            Some(days) => println!("No certificates expire within {days} days."),
            None => println!("No certificates."),
        }
    } else {
        let rows: Vec<Vec<String>> = calendar.entries.iter().map(row).collect();
        output::table(&["EXPIRES", "DAYS", "DUE", "SUBJECT", "USED BY"], &rows);
    }
    let code = if !calendar.unread.is_empty() {
        3
    } else if calendar.entries.iter().any(|e| e.due == Due::Expired) {
        1
    } else {
        0
    };
    Ok(ExitCode::from(code))
}

fn row(entry: &CalendarEntry) -> Vec<String> {
    let due = match entry.due {
        Due::Expired => "EXPIRED",
        Due::Within7Days => "within 7 days",
        Due::Within30Days => "within 30 days",
        Due::Later => "",
    };
    let uses: Vec<String> = entry
        .uses
        .iter()
        .map(|u| format!("{} ({})", u.holder, u.used_as.words()))
        .collect();
    vec![
        entry.expires.clone(),
        entry.days_left.to_string(),
        due.to_owned(),
        output::printable(&entry.subject),
        output::printable(&uses.join("; ")),
    ]
}
