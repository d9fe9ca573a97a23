//! The health poller against the emulator: states, change-only publishing, and auth safety.

mod support;

use std::time::Duration;

use atlas_core::health::{
    ComponentKind, ComponentStatus, HealthMonitor, HealthSnapshot, HealthState, RegionHealth,
};
use tokio::sync::watch;

const TICK: Duration = Duration::from_millis(100);

async fn wait_for(
    rx: &mut watch::Receiver<HealthSnapshot>,
    region: &str,
    what: &str,
    pred: impl Fn(&RegionHealth) -> bool,
) -> RegionHealth {
    let found = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let current = rx
                .borrow_and_update()
                .regions
                .iter()
                .find(|r| r.region_id == region)
                .cloned();
            if let Some(r) = current.filter(|r| pred(r)) {
                return r;
            }
            rx.changed().await.expect("monitor alive");
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("{region} never became {what}: {:?}", rx.borrow()))
}

#[tokio::test]
async fn regions_turn_unreachable_when_down_and_healthy_when_back() {
    let h = support::sandbox().await;
    let monitor = HealthMonitor::new(TICK);
    let mut rx = monitor.subscribe();
    monitor.watch("r1", h.client(1));
    monitor.watch("r2", h.client(2));

    let r1 = wait_for(&mut rx, "r1", "healthy", |r| {
        r.state == HealthState::Healthy
    })
    .await;
    assert_eq!(r1.components.len(), 4);
    assert!(r1.latency_ms.is_some());
    assert!(
        r1.components
            .iter()
            .any(|c| c.msp_id.as_deref() == Some("Org1MSP")
                && c.status == ComponentStatus::NotApplicable),
        "the org MSP is listed without health: {r1:?}"
    );
    let orderers: Vec<&str> = r1
        .components
        .iter()
        .filter(|c| c.kind == ComponentKind::Orderer)
        .map(|c| c.id.as_str())
        .collect();
    let services: Vec<_> = r1
        .ordering_services
        .iter()
        .map(|s| (s.key.as_str(), s.name.as_str(), s.node_ids.clone()))
        .collect();
    assert_eq!(
        services,
        [(
            "orderingservice",
            "Ordering Service",
            orderers.iter().map(|o| o.to_string()).collect()
        )],
        "the ordering nodes form the console's ordering service: {r1:?}"
    );
    let orgs: Vec<&str> = r1.orgs.iter().map(|o| o.msp_id.as_str()).collect();
    assert_eq!(orgs, ["Org1MSP"], "the org whose MSP the console holds");
    wait_for(&mut rx, "r2", "healthy", |r| {
        r.state == HealthState::Healthy
    })
    .await;

    h.emulator.set_down(2, true);
    let down = wait_for(&mut rx, "r2", "unreachable", |r| {
        r.state == HealthState::Unreachable
    })
    .await;
    assert!(down.message.is_some() && down.latency_ms.is_none());
    h.emulator.set_down(2, false);
    wait_for(&mut rx, "r2", "healthy again", |r| {
        r.state == HealthState::Healthy
    })
    .await;
}

#[tokio::test]
async fn a_console_answering_5xx_is_failing_until_it_recovers() {
    let h = support::sandbox().await;
    let monitor = HealthMonitor::new(TICK);
    let mut rx = monitor.subscribe();
    monitor.watch("r1", h.client(1));
    wait_for(&mut rx, "r1", "healthy", |r| {
        r.state == HealthState::Healthy
    })
    .await;
    h.emulator.set_fail_status(1, Some(503));
    let failing = wait_for(&mut rx, "r1", "failing", |r| {
        r.state == HealthState::Failing
    })
    .await;
    assert!(failing.message.unwrap().contains("503"));
    h.emulator.set_fail_status(1, None);
    wait_for(&mut rx, "r1", "healthy", |r| {
        r.state == HealthState::Healthy
    })
    .await;
}

#[tokio::test]
async fn a_refused_secret_is_sent_once_then_only_the_public_healthcheck_is_polled() {
    let h = support::sandbox().await;
    let monitor = HealthMonitor::new(TICK);
    let mut rx = monitor.subscribe();
    monitor.watch("r3", h.client_with_secret(3, "wrong-secret"));
    let r3 = wait_for(&mut rx, "r3", "unauthorized", |r| {
        r.state == HealthState::Unauthorized
    })
    .await;
    assert!(r3.message.unwrap().contains("API key or secret"));

    tokio::time::sleep(TICK * 8).await;
    let log = h.log(3);
    assert_eq!(
        log.iter().filter(|l| l.ends_with(" 401")).count(),
        1,
        "{log:?}"
    );
    assert!(!log.iter().any(|l| l.ends_with(" 402")), "{log:?}");
    let public_checks = log
        .iter()
        .filter(|l| l.starts_with("GET /ak/api/v3/healthcheck"))
        .count();
    assert!(public_checks >= 3, "{log:?}");
    // Still reachable, still refused: the state holds.
    assert_eq!(
        monitor.snapshot().regions[0].state,
        HealthState::Unauthorized
    );
}

#[tokio::test]
async fn unwatch_drops_the_region_from_the_snapshot() {
    let h = support::sandbox().await;
    let monitor = HealthMonitor::new(TICK);
    let mut rx = monitor.subscribe();
    monitor.watch("r2", h.client(2));
    wait_for(&mut rx, "r2", "healthy", |r| {
        r.state == HealthState::Healthy
    })
    .await;
    monitor.unwatch("r2");
    assert!(monitor.snapshot().regions.is_empty());
}

#[tokio::test]
async fn poll_now_shows_a_change_without_waiting_for_the_next_tick() {
    let h = support::sandbox().await;
    // A tick far longer than the wait below: only `poll_now` can make the change visible in time.
    let monitor = HealthMonitor::new(Duration::from_secs(120));
    let mut rx = monitor.subscribe();
    monitor.watch("r1", h.client(1));
    wait_for(&mut rx, "r1", "healthy with 4 components", |r| {
        r.state == HealthState::Healthy && r.components.len() == 4
    })
    .await;

    h.client(1)
        .delete_component("org1msp")
        .await
        .expect("delete the MSP");
    monitor.poll_now("r1");
    let r1 = wait_for(&mut rx, "r1", "down to 3 components", |r| {
        r.components.len() == 3
    })
    .await;
    assert!(r1.components.iter().all(|c| c.id != "org1msp"), "{r1:?}");
}

/// The CLI opens the same service as the app but never polls: a region added before polling
/// starts gets no poller; once the app starts polling, every region has one.
#[tokio::test]
async fn regions_are_polled_only_once_polling_was_started() {
    let h = support::sandbox().await;
    let config = tempfile::tempdir().unwrap();
    let atlas = h.atlas(config.path());
    let info = &h.emulator.regions()[0];
    atlas
        .add_region(atlas_core::fleet::NewRegion {
            name: "Extra".into(),
            location: info.location.clone(),
            // Another console (none answers there: it is polled all the same).
            console_url: "http://127.0.0.1:9".into(),
            api_key: info.api_key.clone(),
            api_secret: info.api_secret.clone(),
            allow_insecure_http: None,
            trusted_certificate: None,
        })
        .unwrap();
    assert!(atlas.health().regions.is_empty(), "{:?}", atlas.health());

    atlas.start_polling().unwrap();
    let polled: Vec<String> = atlas
        .health()
        .regions
        .iter()
        .map(|r| r.region_id.clone())
        .collect();
    assert_eq!(polled.len(), 4, "r1, r2, r3 and extra: {polled:?}");
    assert!(polled.contains(&"extra".to_owned()));
}

/// The poller leaves most of the console's write budget (25 non-GET calls a minute per client)
/// to the operator: of every three polls, one asks for the component status (a POST), the others
/// only list (a GET). At the default 5 s poll that is 4 status calls a minute, at most 5 with
/// one after a change.
#[tokio::test]
async fn polling_spends_at_most_a_fifth_of_the_consoles_write_budget() {
    const FAST: Duration = Duration::from_millis(20);
    let h = support::sandbox().await;
    let monitor = HealthMonitor::new(FAST);
    h.emulator.clear_request_log(1);
    monitor.watch("r1", h.client(1));
    let polls = |h: &support::Harness| {
        h.emulator
            .request_log(1)
            .iter()
            .filter(|r| r.method == "GET" && r.path.contains("/components"))
            .count()
    };
    tokio::time::timeout(Duration::from_secs(5), async {
        while polls(&h) < 12 {
            tokio::time::sleep(FAST).await;
        }
    })
    .await
    .expect("twelve polls");
    monitor.unwatch("r1");
    let log = h.emulator.request_log(1);
    let lists = log.iter().filter(|r| r.method == "GET").count();
    let writes = log.iter().filter(|r| r.method != "GET").count();
    // Twelve polls are a minute at the default interval.
    assert!(
        writes <= lists.div_ceil(3) + 1 && writes <= 5,
        "{writes} status calls for {lists} polls: {log:?}"
    );
    assert!(writes >= 1, "the status is asked for: {log:?}");

    // A change made by the app asks for the status at once: right after a status call, a poll
    // the app rings for asks again (a regular one would wait two more polls).
    let slow = HealthMonitor::new(Duration::from_millis(150));
    slow.watch("r1", h.client(1));
    let last_is_status = || {
        h.emulator
            .request_log(1)
            .last()
            .is_some_and(|r| r.method == "POST")
    };
    tokio::time::timeout(Duration::from_secs(5), async {
        while !last_is_status() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("a status call");
    let before = h.emulator.request_log(1).len();
    slow.poll_now("r1");
    let after = || -> Vec<_> { h.emulator.request_log(1).into_iter().skip(before).collect() };
    tokio::time::timeout(Duration::from_secs(5), async {
        while after().len() < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the rung poll");
    slow.unwatch("r1");
    let after = after();
    let methods: Vec<&str> = after.iter().take(2).map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "POST"], "{after:?}");
}

/// A console that throttles the status call is throttled, not degraded: it answered.
#[tokio::test]
async fn a_throttled_status_call_shows_throttled_never_degraded() {
    let limits = console_emulator::Limits {
        non_get_per_min: 1,
        ..console_emulator::Limits::default()
    };
    let h = support::emulator(console_emulator::Scenario::Sandbox, 1, limits).await;
    let monitor = HealthMonitor::new(TICK);
    let mut rx = monitor.subscribe();
    monitor.watch("r1", h.client(1));
    wait_for(&mut rx, "r1", "healthy", |r| {
        r.state == HealthState::Healthy
    })
    .await;
    monitor.poll_now("r1");
    let throttled = wait_for(&mut rx, "r1", "throttled", |r| {
        assert_ne!(r.state, HealthState::Degraded, "{r:?}");
        r.state == HealthState::RateLimited
    })
    .await;
    assert!(
        throttled
            .message
            .as_deref()
            .unwrap_or_default()
            .starts_with("throttled"),
        "{throttled:?}"
    );
    assert!(
        throttled
            .components
            .iter()
            .any(|c| c.status == ComponentStatus::Ok),
        "the statuses last known stay: {throttled:?}"
    );
}

/// A throttled list (a 429, or this machine's budget for the console spent) keeps the components
/// the console last reported: the console is fine, and the card must not empty.
#[tokio::test]
async fn a_throttled_list_keeps_the_components_last_reported() {
    let h = support::sandbox().await;
    let monitor = HealthMonitor::new(TICK);
    let mut rx = monitor.subscribe();
    monitor.watch("r1", h.client(1));
    let healthy = wait_for(&mut rx, "r1", "healthy", |r| {
        r.state == HealthState::Healthy
    })
    .await;
    h.emulator.set_fail_next(1, 429, 1);
    monitor.poll_now("r1");
    let throttled = wait_for(&mut rx, "r1", "throttled", |r| {
        r.state == HealthState::RateLimited
    })
    .await;
    assert_eq!(throttled.components, healthy.components);
    assert_eq!(throttled.orgs, healthy.orgs);
    assert!(!throttled.components.is_empty());
}

/// A console that stops answering keeps its last inventory in view, marked with when it was
/// last seen and with its statuses unknown, never an empty card.
#[tokio::test]
async fn an_outage_keeps_the_last_known_inventory_marked_as_such() {
    let h = support::sandbox().await;
    let monitor = HealthMonitor::new(TICK);
    let mut rx = monitor.subscribe();
    monitor.watch("r1", h.client(1));
    let healthy = wait_for(&mut rx, "r1", "healthy", |r| {
        r.state == HealthState::Healthy
    })
    .await;
    assert_eq!(healthy.last_seen_ms, None);
    h.emulator.set_down(1, true);
    let down = wait_for(&mut rx, "r1", "unreachable", |r| {
        r.state == HealthState::Unreachable
    })
    .await;
    let ids = |r: &atlas_core::health::RegionHealth| -> Vec<String> {
        r.components.iter().map(|c| c.id.clone()).collect()
    };
    assert_eq!(ids(&down), ids(&healthy));
    assert!(!down.components.is_empty());
    assert!(down.components.iter().all(|c| matches!(
        c.status,
        ComponentStatus::Unknown | ComponentStatus::NotApplicable
    )));
    assert_eq!(down.orgs, healthy.orgs);
    assert!(down.last_seen_ms.is_some());
    h.emulator.set_down(1, false);
    let back = wait_for(&mut rx, "r1", "healthy again", |r| {
        r.state == HealthState::Healthy
    })
    .await;
    assert_eq!(back.last_seen_ms, None);
}

/// A console answering slower than the threshold is slow, not healthy.
#[tokio::test]
async fn a_console_slower_than_the_threshold_is_slow() {
    let h = support::sandbox().await;
    let monitor = HealthMonitor::new(TICK).with_slow_after(Duration::from_millis(100));
    let mut rx = monitor.subscribe();
    h.emulator.set_latency(1, Duration::from_millis(250));
    monitor.watch("r1", h.client(1));
    let slow = wait_for(&mut rx, "r1", "slow", |r| r.state == HealthState::Slow).await;
    assert!(slow.message.unwrap().contains("slower than 100 ms"));
    h.emulator.set_latency(1, Duration::ZERO);
    wait_for(&mut rx, "r1", "healthy", |r| {
        r.state == HealthState::Healthy
    })
    .await;
}
