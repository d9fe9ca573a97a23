//! The `console-emulator` binary: its output lines (the control line's token opens the control
//! API), `--exit-on-stdin-close` and `--ca-admin`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(&format!("{key}="))? + key.len() + 1;
    let rest = &line[start..];
    if let Some(quoted) = rest.strip_prefix('"') {
        return quoted.split('"').next();
    }
    rest.split(' ').next()
}

/// The raw answer to `GET {url}{path}` with that `Authorization` (plain HTTP/1.1: the test
/// has no async runtime and needs nothing more).
fn get(url: &str, path: &str, auth: Option<&str>) -> String {
    let authority = url.strip_prefix("http://").expect("an http URL");
    let mut stream = TcpStream::connect(authority).expect("the control API listens");
    let auth = auth.map_or(String::new(), |a| format!("Authorization: {a}\r\n"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// The status of `GET {url}{path}` with that `Authorization`.
fn status(url: &str, path: &str, auth: Option<&str>) -> u16 {
    let answer = get(url, path, auth);
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer}"))
}

#[test]
fn prints_one_line_per_region_and_stops_when_stdin_closes() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_console-emulator"))
        .args(["--regions", "2", "--base-port", "0", "--scenario", "empty"])
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "--get-per-min",
            "50",
            "--non-get-per-min",
            "7",
            "--exit-on-stdin-close",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");

    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    while lines.len() < 3 {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => lines.push(line),
            Err(_) => {
                let _ = child.kill();
                panic!("the binary printed only {lines:?}");
            }
        }
    }

    for (i, line) in lines[..2].iter().enumerate() {
        assert_eq!(
            field(line, "region"),
            Some((i + 1).to_string().as_str()),
            "{line}"
        );
        assert_eq!(
            field(line, "name"),
            Some(format!("Region {}", i + 1).as_str())
        );
        assert_eq!(
            field(line, "location"),
            Some(format!("region-{}", i + 1).as_str())
        );
        assert!(field(line, "url").unwrap().starts_with("http://127.0.0.1:"));
        assert!(field(line, "api_key").unwrap().starts_with('k'));
        assert_eq!(field(line, "api_secret").unwrap().len(), 32);
    }
    let control = &lines[2];
    assert!(
        control.starts_with("control url=http://127.0.0.1:"),
        "{control}"
    );
    let url = field(control, "url").unwrap();
    let token = field(control, "token").unwrap_or_else(|| panic!("no token in {control}"));
    assert_eq!(
        control,
        &format!("control url={url} token={token}"),
        "nothing else on the line"
    );
    assert_eq!(token.len(), 64, "{control}");
    assert!(token.bytes().all(|c| c.is_ascii_hexdigit()), "{control}");
    assert_eq!(
        status(url, "/regions", Some(&format!("Bearer {token}"))),
        200
    );
    assert_eq!(status(url, "/regions", None), 401);
    assert_eq!(
        status(url, "/regions", Some(&format!("Bearer {}", "0".repeat(64)))),
        401
    );

    drop(child.stdin.take());
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("the binary kept running after its stdin closed");
}

#[test]
fn ca_admin_sets_every_cas_bootstrap_identity() {
    let dir = tempfile::tempdir().unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_console-emulator"))
        .args(["--ca-admin", "no-secret", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("ID:SECRET"));

    let mut child = Command::new(env!("CARGO_BIN_EXE_console-emulator"))
        .args([
            "--regions",
            "1",
            "--scenario",
            "sandbox",
            "--ca-admin",
            "boot:s3cret",
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--exit-on-stdin-close")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let control = loop {
        let line = lines.next().expect("a line").unwrap();
        if line.starts_with("control ") {
            break line;
        }
    };
    let (url, token) = (
        field(&control, "url").unwrap(),
        field(&control, "token").unwrap(),
    );
    let region = get(url, "/regions/1", Some(&format!("Bearer {token}")));
    assert!(
        region.contains(r#""ca_admin":{"enroll_id":"boot","enroll_secret":"s3cret"}"#),
        "{region}"
    );
    drop(child.stdin.take());
    let _ = child.wait();
}
