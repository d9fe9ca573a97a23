//! The control API: what it does with its token and a loopback Host, and that without them —
//! a process that was not told the token, a web page through DNS rebinding or a cross-origin
//! form — it answers nothing and changes nothing.

mod common;

use console_emulator::{Emulator, Limits, Scenario};
use reqwest::header::{CONTENT_TYPE, HOST, ORIGIN};
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

fn control(emu: &Emulator, method: Method, path: &str) -> RequestBuilder {
    common::client("control-test").request(method, format!("{}{path}", emu.control_url()))
}

/// A request as the emulator's owner makes it: its token, the Host reqwest derives from the URL.
fn authorized(emu: &Emulator, method: Method, path: &str) -> RequestBuilder {
    control(emu, method, path).bearer_auth(emu.control_token())
}

async fn status_and_body(req: RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.expect("answer");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn console_status(emu: &Emulator, region: usize, path: &str) -> u16 {
    let r = &emu.regions()[region - 1];
    common::client("control-test-console")
        .get(format!("{}{path}", r.console_url))
        .basic_auth(&r.api_key, Some(&r.api_secret))
        .send()
        .await
        .expect("the console answers")
        .status()
        .as_u16()
}

/// Region `n` as the control API reports it (with the token).
async fn region(emu: &Emulator, n: usize) -> Value {
    let (status, body) =
        status_and_body(authorized(emu, Method::GET, &format!("/regions/{n}"))).await;
    assert_eq!(status, 200);
    body
}

fn port(emu: &Emulator) -> u16 {
    emu.control_url()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_api_drives_faults() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 2, Scenario::Empty, Limits::default()).await;
    let (status, regions) = status_and_body(authorized(&emu, Method::GET, "/regions")).await;
    assert_eq!(status, 200);
    assert_eq!(regions["regions"].as_array().unwrap().len(), 2);
    assert_eq!(
        regions["regions"][1]["api_secret"],
        emu.regions()[1].api_secret
    );

    let (status, r2) = status_and_body(authorized(&emu, Method::POST, "/regions/2/down")).await;
    assert_eq!((status, &r2["down"]), (200, &json!(true)));
    assert!(common::client("x")
        .get(format!(
            "{}/api/v3/healthcheck",
            emu.regions()[1].console_url
        ))
        .send()
        .await
        .is_err());
    let (status, _) = status_and_body(authorized(&emu, Method::POST, "/regions/2/up")).await;
    assert_eq!(status, 200);
    let (status, _) = status_and_body(
        authorized(&emu, Method::PUT, "/regions/2/fail").json(&json!({"status": 500})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(console_status(&emu, 2, "/ak/api/v3/components").await, 500);
    let (status, _) = status_and_body(authorized(&emu, Method::DELETE, "/regions/2/fail")).await;
    assert_eq!(status, 200);
    assert_eq!(console_status(&emu, 2, "/ak/api/v3/components").await, 200);
    let (status, log) = status_and_body(authorized(&emu, Method::GET, "/regions/2/requests")).await;
    assert_eq!(status, 200);
    let statuses: Vec<_> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [500, 200]);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_token_nothing_is_answered_or_changed() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 2, Scenario::Empty, Limits::default()).await;
    let wrong = "0".repeat(emu.control_token().len());
    let secret = emu.regions()[1].api_secret.clone();

    let refused = [
        ("no token", control(&emu, Method::POST, "/regions/2/down")),
        (
            "a wrong token",
            control(&emu, Method::POST, "/regions/2/down").bearer_auth(&wrong),
        ),
        (
            "the token as Basic credentials",
            control(&emu, Method::POST, "/regions/2/down")
                .basic_auth(emu.control_token(), None::<&str>),
        ),
        (
            // what a cross-origin page's fetch or form can send: no custom header, a simple body
            "a cross-origin browser POST",
            control(&emu, Method::POST, "/regions/2/latency")
                .header(ORIGIN, "http://evil.example")
                .header(CONTENT_TYPE, "text/plain")
                .body(r#"{"ms":5000}"#),
        ),
        (
            "a secrets read without a token",
            control(&emu, Method::GET, "/regions"),
        ),
        (
            "a node down without a token",
            control(&emu, Method::POST, "/regions/2/components/org1peer1/down"),
        ),
        ("even /healthz", control(&emu, Method::GET, "/healthz")),
        ("an unknown route", control(&emu, Method::GET, "/nothing")),
    ];
    for (what, req) in refused {
        let resp = req.send().await.expect("answer");
        assert_eq!(resp.status().as_u16(), 401, "{what}");
        assert!(resp.headers().contains_key("www-authenticate"), "{what}");
        let body: Value = resp.json().await.expect("a JSON error body");
        assert!(
            body["error"].as_str().unwrap().contains("Bearer"),
            "{what}: {body}"
        );
        assert!(!body.to_string().contains(&secret), "{what}");
    }

    let r2 = region(&emu, 2).await;
    assert_eq!((&r2["down"], &r2["latency_ms"]), (&json!(false), &json!(0)));
    assert_eq!(
        console_status(&emu, 2, "/ak/api/v3/components").await,
        200,
        "region 2 is still up"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_loopback_host_headers_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 2, Scenario::Empty, Limits::default()).await;
    let port = port(&emu);

    // a DNS-rebound page reaches 127.0.0.1 but names its own host; even with the token
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        let (status, body) =
            status_and_body(authorized(&emu, Method::POST, "/regions/2/down").header(HOST, &host))
                .await;
        assert_eq!(status, 403, "{host}");
        assert!(body["error"].is_string(), "{host}: {body}");
    }
    // the Host is refused before the token is looked at
    let (status, _) = status_and_body(
        control(&emu, Method::GET, "/regions").header(HOST, format!("evil.example:{port}")),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        region(&emu, 2).await["down"],
        json!(false),
        "nothing changed"
    );

    for host in [format!("localhost:{port}"), format!("[::1]:{port}")] {
        let (status, r2) = status_and_body(
            authorized(&emu, Method::POST, "/regions/2/latency")
                .header(HOST, &host)
                .json(&json!({"ms": 1})),
        )
        .await;
        assert_eq!((status, &r2["latency_ms"]), (200, &json!(1)), "{host}");
    }
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_start_has_a_new_token() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 1, Scenario::Empty, Limits::default()).await;
    let first = emu.control_token().to_string();
    emu.shutdown().await;
    let emu = common::start(dir.path(), 1, Scenario::Empty, Limits::default()).await;
    assert_ne!(emu.control_token(), first);
    let (status, _) =
        status_and_body(control(&emu, Method::GET, "/regions").bearer_auth(&first)).await;
    assert_eq!(status, 401, "the last start's token is void");
    emu.shutdown().await;
}
