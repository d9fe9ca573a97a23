//! A console served over HTTPS on loopback with a certificate of its own (self-signed, or from
//! its organisation's CA): refused until the user trusts it, then served, and only for the names
//! the certificate carries — trusting adds to the system's roots, verification stays on.

use std::sync::Arc;
use std::time::Duration;

use atlas_core::budget::RequestBudget;
use atlas_core::client::{
    parse_console_url, ClientSettings, ConsoleClient, ConsoleError, Credentials,
};
use atlas_core::secrets::Secret;
use atlas_core::tls_trust::presented_certificate;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the console's TLS serves: its chain (leaf first) and the leaf's key.
struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    /// The certificate a user would trust: the CA when there is one, else the leaf.
    anchor_pem: String,
}

fn self_signed(names: &[&str]) -> Identity {
    let key = rcgen::KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let cert = rcgen::CertificateParams::new(names)
        .unwrap()
        .self_signed(&key)
        .unwrap();
    Identity {
        chain: vec![cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        anchor_pem: cert.pem(),
    }
}

fn from_own_ca(names: &[&str]) -> Identity {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Console CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let leaf = rcgen::CertificateParams::new(names)
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    Identity {
        chain: vec![leaf.der().clone(), ca.der().clone()],
        key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        anchor_pem: ca.pem(),
    }
}

/// Serves `{"components":[]}` over TLS on loopback; answers its port.
async fn serve(identity: Identity) -> u16 {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(identity.chain, identity.key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if tls.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let body = r#"{"components":[]}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

fn client(url: &str, trusted: Option<&str>) -> ConsoleClient {
    let settings = ClientSettings {
        trusted_certificate: trusted.map(str::to_owned),
        request_timeout: Duration::from_secs(10),
        ..ClientSettings::default()
    };
    ConsoleClient::new(
        parse_console_url(url).unwrap(),
        Credentials::ApiKey {
            key: "k".into(),
            secret: Secret::new("s"),
        },
        Arc::new(RequestBudget::default()),
        &settings,
    )
    .unwrap()
}

#[tokio::test]
async fn a_self_signed_console_is_served_once_its_certificate_is_trusted() {
    let identity = self_signed(&["localhost"]);
    let anchor = identity.anchor_pem.clone();
    let port = serve(identity).await;
    let url = format!("https://localhost:{port}");

    let e = client(&url, None).list_components(true).await.unwrap_err();
    assert!(matches!(e, ConsoleError::Unreachable { .. }), "{e:?}");
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");

    // What the user is shown before trusting it is the certificate the console presents.
    let shown = presented_certificate(&parse_console_url(&url).unwrap(), Duration::from_secs(5))
        .await
        .unwrap();
    let expected = atlas_core::tls_trust::summarize_trusted(&anchor).unwrap();
    assert_eq!(shown.sha256, expected.sha256);
    assert!(shown.self_signed);

    assert_eq!(
        client(&url, Some(&shown.pem))
            .list_components(true)
            .await
            .unwrap(),
        []
    );
    // Trust covers the certificate's own names only: the same server by another name is not it.
    let by_address = format!("https://127.0.0.1:{port}");
    let e = client(&by_address, Some(&shown.pem))
        .list_components(true)
        .await
        .unwrap_err();
    assert!(matches!(e, ConsoleError::Unreachable { .. }), "{e:?}");
}

#[tokio::test]
async fn a_console_with_its_organisations_ca_is_trusted_through_that_ca() {
    let identity = from_own_ca(&["localhost"]);
    let ca = identity.anchor_pem.clone();
    let port = serve(identity).await;
    let url = format!("https://localhost:{port}");
    let shown = presented_certificate(&parse_console_url(&url).unwrap(), Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(
        shown.subject, "CN=Console CA",
        "the top of the chain is offered"
    );
    assert_eq!(
        shown.sha256,
        atlas_core::tls_trust::summarize_trusted(&ca)
            .unwrap()
            .sha256
    );
    assert!(client(&url, Some(&ca)).list_components(true).await.is_ok());
    // Another CA's certificate trusts nothing here.
    let other = self_signed(&["localhost"]).anchor_pem;
    assert!(client(&url, Some(&other))
        .list_components(true)
        .await
        .is_err());
}

/// Through the app's own service: a region added with the certificate trusted is served; the
/// same console added without it is refused, and a region's trust is only its own.
#[tokio::test]
async fn a_region_keeps_its_trusted_certificate_and_uses_it_alone() {
    use atlas_core::atlas::{Atlas, AtlasOptions};
    use atlas_core::fleet::{FleetStore, NewRegion};
    use atlas_core::secrets::MemoryStore;

    let identity = self_signed(&["localhost"]);
    let anchor = identity.anchor_pem.clone();
    let port = serve(identity).await;
    let config = tempfile::tempdir().unwrap();
    let atlas = Atlas::open(
        FleetStore::in_dir(config.path()),
        Arc::new(MemoryStore::default()),
        AtlasOptions {
            state_dir: Some(config.path().join("state")),
            ..AtlasOptions::default()
        },
    )
    .unwrap();
    let region = |name: &str, url: String, trusted: Option<String>| NewRegion {
        name: name.into(),
        location: "us-east-1".into(),
        console_url: url,
        api_key: "k".into(),
        api_secret: "s".into(),
        allow_insecure_http: None,
        trusted_certificate: trusted,
    };
    let trusting = atlas
        .add_region(region(
            "Trusting",
            format!("https://localhost:{port}"),
            Some(anchor),
        ))
        .unwrap();
    assert!(trusting.trusted_certificate.as_ref().unwrap().self_signed);
    assert!(atlas.components(&trusting.id).await.unwrap().is_empty());
    let plain = atlas
        .add_region(region("Plain", format!("https://localhost:{port}/x"), None))
        .unwrap();
    let e = atlas.components(&plain.id).await.unwrap_err();
    assert!(
        e.message.to_lowercase().contains("certificate"),
        "{}",
        e.message
    );
    // Kept in the fleet file, where a restart finds it.
    let saved = std::fs::read_to_string(config.path().join("fleet.json")).unwrap();
    assert!(saved.contains("BEGIN CERTIFICATE"));
    let e = atlas
        .add_region(region(
            "Broken",
            "https://localhost:1".into(),
            Some("not a certificate".into()),
        ))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("trustedCertificate"));
}
