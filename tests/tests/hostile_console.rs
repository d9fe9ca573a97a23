//! A console that misbehaves on purpose (a small HTTP server on loopback): answers too large to
//! hold, lists of a million components, redirects elsewhere, echoes of our credentials, and
//! answers that never finish. The client takes none of it, and says why.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_core::budget::RequestBudget;
use atlas_core::client::{
    parse_console_url, ClientSettings, ConsoleClient, ConsoleError, Credentials,
};
use atlas_core::secrets::Secret;
use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SECRET: &str = "hostile-test-secret-value";

/// What the server answers to every request: it writes the whole response itself.
type Answer = Arc<dyn Fn(String) -> Vec<Vec<u8>> + Send + Sync>;

/// A server on loopback answering every request with `answer` (given the request head); the
/// request heads it received, in order.
async fn serve(answer: Answer) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let answer = Arc::clone(&answer);
            let log = Arc::clone(&log);
            tokio::spawn(async move { reply(stream, answer, log).await });
        }
    });
    (url, seen)
}

async fn reply(mut stream: TcpStream, answer: Answer, log: Arc<Mutex<Vec<String>>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    log.lock().unwrap().push(head.clone());
    for chunk in answer(head) {
        // The client hanging up early is what a refused answer looks like from here.
        if stream.write_all(&chunk).await.is_err() {
            return;
        }
    }
    // Open until the client lets go: an answer shorter than it said never ends by itself.
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut byte)).await;
}

fn client(url: &str, request_timeout: Duration) -> ConsoleClient {
    let settings = ClientSettings {
        request_timeout,
        max_rate_limit_wait: Duration::ZERO,
        ..ClientSettings::default()
    };
    ConsoleClient::new(
        parse_console_url(url).unwrap(),
        Credentials::ApiKey {
            key: "key1".into(),
            secret: Secret::new(SECRET),
        },
        Arc::new(RequestBudget::default()),
        &settings,
    )
    .unwrap()
}

fn json_head(status: &str, length: Option<usize>) -> Vec<u8> {
    let length = length
        .map(|n| format!("content-length: {n}\r\n"))
        .unwrap_or_default();
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{length}connection: close\r\n\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn an_answer_larger_than_a_console_sends_is_refused_without_holding_it() {
    // Declared: refused before a byte of the body is read.
    let (url, _) = serve(Arc::new(|_| vec![json_head("200 OK", Some(1 << 30))])).await;
    let e = client(&url, Duration::from_secs(10))
        .list_components(true)
        .await
        .unwrap_err();
    assert_eq!(
        e,
        ConsoleError::TooLarge {
            limit: 25 * 1024 * 1024
        }
    );
    assert!(e.to_string().contains("larger than 25 MB"), "{e}");

    // Undeclared, streamed without end: refused once it passes the cap.
    let (url, _) = serve(Arc::new(|_| {
        let mut chunks = vec![json_head("200 OK", None), b"{\"components\":[".to_vec()];
        chunks.extend(std::iter::repeat_n(vec![b' '; 1 << 20], 1 << 10));
        chunks
    }))
    .await;
    let e = client(&url, Duration::from_secs(30))
        .list_components(true)
        .await
        .unwrap_err();
    assert_eq!(
        e,
        ConsoleError::TooLarge {
            limit: 25 * 1024 * 1024
        }
    );
    // One component is kilobytes: its cap is far lower.
    let (url, _) = serve(Arc::new(|_| vec![json_head("200 OK", Some(3 << 20))])).await;
    let e = client(&url, Duration::from_secs(10))
        .get_component("org1peer1")
        .await
        .unwrap_err();
    assert_eq!(
        e,
        ConsoleError::TooLarge {
            limit: 2 * 1024 * 1024
        }
    );
}

#[tokio::test]
async fn a_list_of_a_million_components_is_refused() {
    let mut body = b"{\"components\":[".to_vec();
    body.extend(std::iter::repeat_n(b"{},".as_slice(), 1_000_000).flatten());
    body.extend_from_slice(b"{}]}");
    let body = Arc::new(body);
    let (url, _) = serve(Arc::new(move |_| {
        vec![json_head("200 OK", Some(body.len())), body.to_vec()]
    }))
    .await;
    let e = client(&url, Duration::from_secs(30))
        .list_components(true)
        .await
        .unwrap_err();
    let message = e.to_string();
    assert!(
        message.contains("more than 2000 components listed"),
        "{message}"
    );
}

#[tokio::test]
async fn a_redirect_is_reported_with_its_target_and_never_followed() {
    let (elsewhere, reached) = serve(Arc::new(|_| {
        vec![json_head("200 OK", Some(2)), b"{}".to_vec()]
    }))
    .await;
    let target = format!("{elsewhere}/ak/api/v3/components/fabric-peer");
    let (url, _) = serve(Arc::new(move |_| {
        vec![format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {target}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").into_bytes()]
    }))
    .await;
    let e = client(&url, Duration::from_secs(10))
        .import_component("fabric-peer", &serde_json::json!({"display_name": "p"}))
        .await
        .unwrap_err();
    let ConsoleError::Redirected { status, location } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*status, 307);
    assert!(location.starts_with(&elsewhere), "{location}");
    assert!(e.to_string().contains("not followed"), "{e}");
    assert!(
        reached.lock().unwrap().is_empty(),
        "nothing reached the redirect's target"
    );
}

#[tokio::test]
async fn credentials_a_console_echoes_back_are_never_shown() {
    let (url, seen) = serve(Arc::new(|head: String| {
        let authorization = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
            .unwrap_or_default()
            .to_owned();
        let body = serde_json::json!({"statusCode": 500, "msg": format!("you sent {authorization} and {SECRET}")})
            .to_string();
        vec![json_head("500 Internal Server Error", Some(body.len())), body.into_bytes()]
    }))
    .await;
    let e = client(&url, Duration::from_secs(10))
        .list_components(true)
        .await
        .unwrap_err();
    let shown = e.to_string();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("key1:{SECRET}"));
    assert!(
        seen.lock().unwrap()[0].contains(&basic),
        "the request carried them"
    );
    assert!(
        !shown.contains(&basic) && !shown.contains(SECRET),
        "{shown}"
    );
    assert!(shown.contains("[redacted]"), "{shown}");
}

#[tokio::test]
async fn an_answer_that_never_finishes_ends_at_the_timeout() {
    let (url, _) = serve(Arc::new(|_| {
        // Headers, a little body, then silence while the connection stays open.
        vec![
            json_head("200 OK", Some(1000)),
            b"{\"components\":[".to_vec(),
        ]
    }))
    .await;
    let e = client(&url, Duration::from_millis(300))
        .list_components(true)
        .await
        .unwrap_err();
    assert!(matches!(e, ConsoleError::Timeout { .. }), "{e:?}");
}
