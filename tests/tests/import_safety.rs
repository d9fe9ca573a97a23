//! An import that meets a refused credential stops at once: consoles lock a client out after five
//! failed auths, and every further refused request extends the lockout. Until a console has
//! accepted one write, at most `UNPROVEN_WRITES` are in flight; the successful list before them
//! resets the console's failure count, so a run never reaches the lockout.

mod support;

use std::sync::Arc;
use std::time::SystemTime;

use atlas_core::audit::AuditLog;
use atlas_core::budget::RequestBudget;
use atlas_core::client::{parse_console_url, ConsoleClient, Credentials};
use atlas_core::files::{self, FileInput};
use atlas_core::import::{ItemOutcome, ItemReport, UNPROVEN_WRITES};
use atlas_core::secrets::Secret;
use serde_json::json;

#[tokio::test]
async fn a_401_on_the_first_imports_leaves_the_rest_unattempted() {
    let h = support::sandbox().await;
    // A reader key can list (the plan works) but not import (401 on POST), like on a console.
    let region2 = &h.emulator.regions()[1];
    let created: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/ak/api/v3/permissions/keys",
            region2.console_url
        ))
        .basic_auth(&region2.api_key, Some(&region2.api_secret))
        .json(&json!({ "roles": ["reader"], "description": "read only" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reader = ConsoleClient::new(
        parse_console_url(&region2.console_url).unwrap(),
        Credentials::ApiKey {
            key: created["api_key"].as_str().unwrap().into(),
            secret: Secret::new(created["api_secret"].as_str().unwrap()),
        },
        Arc::new(RequestBudget::default()),
        &Default::default(),
    )
    .unwrap();

    let mut inputs = Vec::new();
    for id in ["org1ca", "org1msp", "org1peer1", "orderingservicenode1"] {
        let file = files::export_component(&h.client(1), id).await.unwrap();
        inputs.push(FileInput {
            name: file.file_name,
            bytes: file.contents,
        });
    }
    let batch = files::read_batch(&inputs, SystemTime::now()).unwrap();
    let audit_dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::in_dir(audit_dir.path());
    h.emulator.clear_request_log(2);

    let plan = files::plan_components(&reader, batch.items).await.unwrap();
    let reports = files::apply_components(&reader, "r2", plan, false, &audit)
        .await
        .unwrap();
    assert_eq!(reports.len(), 4);
    let refused = h.log(2).iter().filter(|l| l.ends_with(" 401")).count();
    assert_eq!(refused, UNPROVEN_WRITES, "refused requests: {:?}", h.log(2));
    let not_attempted = |r: &&ItemReport| matches!(&r.outcome, ItemOutcome::Failed { reason } if reason.starts_with("not attempted"));
    assert!(
        reports
            .iter()
            .take(UNPROVEN_WRITES)
            .all(|r| !not_attempted(&r)),
        "{reports:?}"
    );
    assert!(
        reports
            .iter()
            .skip(UNPROVEN_WRITES)
            .all(|r| not_attempted(&r)),
        "{reports:?}"
    );
    assert!(h.documents(2).await.is_empty());
    // Every intent was recorded before anything was sent, and every outcome after, failures too.
    let entries = audit.read().unwrap().entries;
    let outcomes: Vec<&str> = entries.iter().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes[..4], ["sending"; 4], "{outcomes:?}");
    assert!(
        outcomes[4..].iter().all(|o| o.starts_with("failed")),
        "{outcomes:?}"
    );
    assert_eq!(outcomes.len(), 8);
}
