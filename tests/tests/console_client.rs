//! The console client against the emulator: real HTTP on loopback, behaviour the client did not define.

mod support;

use std::sync::Arc;
use std::time::Duration;

use atlas_core::budget::RequestBudget;
use atlas_core::client::{
    parse_console_url, ClientSettings, ConsoleClient, ConsoleError, Credentials,
};
use atlas_core::clock::ManualClock;
use atlas_core::connection::test_connection;
use atlas_core::secrets::Secret;
use atlas_core::ErrorCode;
use console_emulator::{Limits, Scenario};

#[tokio::test]
async fn lists_the_sandbox_components_and_their_node_health() {
    let h = support::sandbox().await;
    let client = h.client(1);
    let components = client.list_components(true).await.unwrap();
    let mut types: Vec<&str> = components.iter().map(|c| c.console_type()).collect();
    types.sort_unstable();
    assert_eq!(types, ["fabric-ca", "fabric-orderer", "fabric-peer", "msp"]);

    let ids: Vec<String> = components
        .iter()
        .filter(|c| c.console_type() != "msp")
        .map(|c| c.id.clone())
        .collect();
    let status = client.component_status(&ids).await.unwrap();
    for id in &ids {
        assert_eq!(
            status[id].status.as_deref(),
            Some("ok"),
            "{id}: {:?}",
            status[id]
        );
    }
    // Regions 2 and 3 start empty.
    assert!(h.client(2).list_components(false).await.unwrap().is_empty());
}

#[tokio::test]
async fn test_connection_reports_version_and_counts_with_one_authenticated_call() {
    let h = support::sandbox().await;
    let report = test_connection(&h.client(1)).await.unwrap();
    assert!(report.console_version.is_some());
    assert_eq!(report.component_count, 4);

    let e = test_connection(&h.client_with_secret(2, "wrong"))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthorized);
    let refused = h.log(2).iter().filter(|l| l.ends_with(" 401")).count();
    assert_eq!(
        refused,
        1,
        "a wrong secret must cost exactly one failure: {:?}",
        h.log(2)
    );
}

#[tokio::test]
async fn a_401_is_never_retried_and_a_lockout_is_reported_as_such() {
    let h = support::sandbox().await;
    let bad = h.client_with_secret(3, "not-the-secret");
    for _ in 0..5 {
        assert_eq!(
            bad.list_components(false).await.unwrap_err(),
            ConsoleError::Unauthorized
        );
    }
    assert_eq!(
        h.log(3).len(),
        5,
        "one request per call, no retries: {:?}",
        h.log(3)
    );
    // Five failures from this client: the console now locks it out, even with the right secret.
    match h.client(3).list_components(false).await.unwrap_err() {
        ConsoleError::LockedOut { failures, .. } => assert!(failures.unwrap_or(0) >= 5),
        other => panic!("expected a lockout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_region_taken_down_is_unreachable_and_comes_back() {
    let h = support::sandbox().await;
    let client = h.client(2);
    h.emulator.set_down(2, true);
    let e = client.list_components(false).await.unwrap_err();
    assert!(matches!(e, ConsoleError::Unreachable { .. }), "{e:?}");
    h.emulator.set_down(2, false);
    assert!(client.list_components(false).await.is_ok());
}

#[tokio::test]
async fn forced_5xx_is_a_server_error() {
    let h = support::sandbox().await;
    h.emulator.set_fail_status(1, Some(503));
    let e = h.client(1).list_components(false).await.unwrap_err();
    assert!(
        matches!(e, ConsoleError::Server { status: 503, .. }),
        "{e:?}"
    );
    h.emulator.set_fail_status(1, None);
    assert!(h.client(1).list_components(false).await.is_ok());
}

/// The console states its limits on every answer; the budget learns them, so a console whose
/// limit was lowered is paced by it instead of answering 429.
#[tokio::test]
async fn the_budget_keeps_to_the_limit_the_console_states() {
    let limits = Limits {
        non_get_per_min: 2,
        ..Limits::default()
    };
    let h = support::emulator(Scenario::Sandbox, 1, limits).await;
    let client = h.client(1).with_max_rate_limit_wait(Duration::ZERO);
    let ids = vec!["nothing".to_owned()];
    client.component_status(&ids).await.unwrap();
    // 90 % of 2 is one call a minute: the second waits a minute, which this caller cannot.
    let e = client.component_status(&ids).await.unwrap_err();
    let ConsoleError::RateLimited { retry_after } = e else {
        panic!("{e:?}")
    };
    assert!(
        (59..=61).contains(&retry_after.as_secs()),
        "{retry_after:?}"
    );
    let log = h.log(1);
    assert_eq!(
        log.iter().filter(|l| l.starts_with("POST")).count(),
        1,
        "{log:?}"
    );
    assert!(!log.iter().any(|l| l.ends_with(" 429")), "{log:?}");
}

/// A 429 is reported with the console's `Retry-After` when the caller cannot wait, and pauses
/// the console's budget: nothing more of its class is sent until the pause ends.
#[tokio::test]
async fn a_429_is_reported_when_the_caller_cannot_wait_and_pauses_the_console() {
    let h = support::sandbox().await;
    // On a clock that moves only when slept on, the console's 1 s pause cannot end meanwhile.
    let clock = Arc::new(ManualClock::default());
    let client = on_clock(&h, &clock).with_max_rate_limit_wait(Duration::ZERO);
    h.emulator.set_fail_next(1, 429, 1);
    let rate_limited = ConsoleError::RateLimited {
        retry_after: Duration::from_secs(1),
    };
    assert_eq!(
        client.list_components(false).await.unwrap_err(),
        rate_limited
    );
    let e = client.clone().list_components(false).await;
    assert!(matches!(e, Err(ConsoleError::RateLimited { .. })), "{e:?}");
    let log = h.log(1);
    assert_eq!(log.len(), 1, "the paused client sent nothing: {log:?}");
    // Other requests have their own counter, like the console's.
    client
        .component_status(&["nothing".to_owned()])
        .await
        .unwrap();
    assert!(clock.slept().is_empty(), "nothing was waited for");
}

#[tokio::test]
async fn a_bearer_token_issued_by_the_console_authenticates_like_the_key() {
    let h = support::sandbox().await;
    let client = h.client(1);
    let (token, lifetime) = client.issue_token(Duration::from_secs(600)).await.unwrap();
    assert_eq!(lifetime, Duration::from_secs(600));
    let bearer = client.with_credentials(atlas_core::client::Credentials::Bearer(token));
    assert_eq!(bearer.list_components(false).await.unwrap().len(), 4);

    let forged = client.with_credentials(atlas_core::client::Credentials::Bearer(
        atlas_core::secrets::Secret::new("t.abc.def"),
    ));
    let e = forged.list_components(false).await.unwrap_err();
    assert!(matches!(e, ConsoleError::InvalidToken { .. }), "{e:?}");
}

/// The client waits out a 429 for exactly the console's `Retry-After`, on its clock (a manual
/// one here: the wait is checked, not spent), then succeeds.
#[tokio::test]
async fn a_429_is_waited_out_for_its_retry_after_and_then_succeeds() {
    let h = support::emulator(Scenario::Empty, 1, Limits::default()).await;
    let clock = Arc::new(ManualClock::default());
    let client = on_clock(&h, &clock);
    // The emulator's injected 429 carries `Retry-After: 1`.
    h.emulator.set_fail_next(1, 429, 1);
    let ids = vec!["nothing".to_owned()];
    client.component_status(&ids).await.unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(1)]);
    let log = h.log(1);
    let posts: Vec<&String> = log.iter().filter(|l| l.starts_with("POST")).collect();
    assert_eq!(posts.len(), 2, "one 429, then one retry: {log:?}");
    assert!(
        posts[0].ends_with(" 429") && posts[1].ends_with(" 207"),
        "{log:?}"
    );

    // Beyond the caller's bound the 429 is reported, not waited out.
    h.emulator.set_fail_next(1, 429, 1);
    let impatient = client.with_max_rate_limit_wait(Duration::from_millis(500));
    assert_eq!(
        impatient.component_status(&ids).await.unwrap_err(),
        ConsoleError::RateLimited {
            retry_after: Duration::from_secs(1)
        }
    );
    assert_eq!(clock.slept().len(), 1);
}

#[tokio::test]
async fn a_client_knows_once_the_console_accepted_its_writes_and_shares_it_with_its_clones() {
    let h = support::sandbox().await;
    let msp = h.client(1).get_component("org1msp").await.unwrap();
    let items = atlas_core::transfer::items_from("r1", &[&msp]).unwrap();
    let target = h.client(2);
    let clone = target.clone();
    assert!(!target.writes_accepted());
    target
        .import_component(&items[0].route, &items[0].body)
        .await
        .unwrap();
    assert!(target.writes_accepted() && clone.writes_accepted());
    // Other credentials have proven nothing yet.
    let other = target.with_credentials(atlas_core::client::Credentials::Bearer(Secret::new("t")));
    assert!(!other.writes_accepted());
}

/// A client of region 1 whose waits sleep on `clock`.
fn on_clock(h: &support::Harness, clock: &Arc<ManualClock>) -> ConsoleClient {
    let info = &h.emulator.regions()[0];
    let settings = ClientSettings {
        clock: clock.clone(),
        ..ClientSettings::default()
    };
    ConsoleClient::new(
        parse_console_url(&info.console_url).unwrap(),
        Credentials::ApiKey {
            key: info.api_key.clone(),
            secret: Secret::new(info.api_secret.clone()),
        },
        Arc::new(RequestBudget::default()),
        &settings,
    )
    .unwrap()
}
