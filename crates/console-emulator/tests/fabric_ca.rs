//! The simulated CAs as Fabric CA servers, through real HTTPS on loopback: every operation
//! and every refusal a client meets, the two CAs behind one port, the bootstrap identities
//! (configurable), what persists across a restart, and how the control API lists the CAs.

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::fabric_ca::{csr, high_s, payload, sign_low_s, Enrolled};
use console_emulator::{CaAdmin, Emulator, EmulatorOptions, Limits, RegionCa, Scenario};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::{json, Value};
use std::path::Path;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

/// How a request authenticates.
enum Auth<'a> {
    None,
    Basic(&'a str, &'a str),
    Token(&'a Enrolled),
    Header(String),
}

struct Answer {
    status: u16,
    raw: String,
    json: Value,
    location: Option<String>,
}

impl Answer {
    /// The one error's code (panics on a success).
    fn code(&self) -> u64 {
        assert_eq!(self.json["success"], false, "{}", self.raw);
        self.json["errors"][0]["code"].as_u64().unwrap()
    }

    fn result(&self) -> &Value {
        assert_eq!(self.json["success"], true, "{}", self.raw);
        &self.json["result"]
    }
}

/// One CA server (a CA node's API URL).
struct Ca {
    http: reqwest::Client,
    url: String,
}

impl Ca {
    fn of(ca: &RegionCa) -> Ca {
        Ca {
            http: common::client("fabric-ca-test"),
            url: ca.api_url.clone(),
        }
    }

    async fn call(&self, method: &str, uri: &str, body: Option<&str>, auth: Auth<'_>) -> Answer {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{uri}", self.url));
        req = match auth {
            Auth::None => req,
            Auth::Basic(id, secret) => req.basic_auth(id, Some(secret)),
            Auth::Token(who) => req.header(
                "Authorization",
                who.token(method, uri, body.unwrap_or_default().as_bytes()),
            ),
            Auth::Header(h) => req.header("Authorization", h),
        };
        if let Some(body) = body {
            req = req.body(body.to_string());
        }
        let resp = req.send().await.expect("the CA answers");
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        let raw = resp.text().await.unwrap();
        Answer {
            status,
            json: serde_json::from_str(&raw).unwrap_or(Value::Null),
            raw,
            location,
        }
    }

    /// Enrolls `id` on CA `ca` (`?ca=`), `profile` and `hosts` as given.
    async fn enroll(
        &self,
        ca: &str,
        id: &str,
        secret: &str,
        extra: Value,
    ) -> (Answer, Option<Enrolled>) {
        let (request, key) = csr(id, &[]);
        let mut body = json!({ "certificate_request": request });
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            body[k] = v;
        }
        let answer = self
            .call(
                "POST",
                &format!("/api/v1/enroll?ca={ca}"),
                Some(&body.to_string()),
                Auth::Basic(id, secret),
            )
            .await;
        let enrolled = (answer.status == 201).then(|| Enrolled {
            cert_pem: common::fabric_ca::cert_of(&answer.json),
            key,
        });
        (answer, enrolled)
    }

    async fn admin(&self, ca: &str) -> Enrolled {
        let (answer, admin) = self.enroll(ca, "admin", "adminpw", json!({})).await;
        assert_eq!(answer.status, 201, "{}", answer.raw);
        admin.unwrap()
    }
}

async fn sandbox(dir: &Path) -> (Emulator, RegionCa) {
    let emu = common::start(dir, 1, Scenario::Sandbox, Limits::default()).await;
    let ca = emu
        .cas(1)
        .into_iter()
        .next()
        .expect("the sandbox hosts a CA");
    (emu, ca)
}

fn der(pem: &str) -> Vec<u8> {
    x509_parser::pem::parse_x509_pem(pem.as_bytes())
        .unwrap()
        .1
        .contents
}

/// Whether `issuer_pem`'s key signed `cert_pem`.
fn signed_by(cert_pem: &str, issuer_pem: &str) -> bool {
    let (cert_der, issuer_der) = (der(cert_pem), der(issuer_pem));
    let (_, cert) = X509Certificate::from_der(&cert_der).unwrap();
    let (_, issuer) = X509Certificate::from_der(&issuer_der).unwrap();
    let key = VerifyingKey::from_sec1_bytes(&issuer.public_key().subject_public_key.data).unwrap();
    let sig = Signature::from_der(&cert.signature_value.data).unwrap();
    let sig = sig.normalize_s().unwrap_or(sig);
    key.verify(cert.tbs_certificate.as_ref(), &sig).is_ok()
}

/// The CA's root (PEM) as `cainfo` gives it.
async fn root(ca: &Ca, name: &str) -> String {
    let info = ca
        .call("GET", &format!("/cainfo?ca={name}"), None, Auth::None)
        .await;
    let chain = info.result()["CAChain"].as_str().unwrap().to_string();
    String::from_utf8(B64.decode(chain).unwrap()).unwrap()
}

#[tokio::test]
async fn both_cas_answer_cainfo_on_one_port() {
    let dir = tempfile::tempdir().unwrap();
    let (emu, region_ca) = sandbox(dir.path()).await;
    assert_eq!(
        (region_ca.ca_name.as_str(), region_ca.tlsca_name.as_str()),
        ("ca", "tlsca")
    );
    let ca = Ca::of(&region_ca);
    let default = ca.call("GET", "/cainfo", None, Auth::None).await;
    assert_eq!(default.status, 200);
    assert_eq!(default.result()["CAName"], "ca");
    assert_eq!(default.result()["Version"], "v1.5.21");
    assert!(default
        .raw
        .ends_with("}\n,\"errors\":[],\"messages\":[],\"success\":true}"));
    let tls = ca
        .call("GET", "/api/v1/cainfo?ca=tlsca", None, Auth::None)
        .await;
    assert_eq!(tls.result()["CAName"], "tlsca");
    assert_ne!(tls.result()["CAChain"], default.result()["CAChain"]);
    // the name in the body, as Go reads it: any case
    for body in [
        r#"{"caname":"tlsca"}"#,
        r#"{"CAName":"tlsca"}"#,
        r#"{"caName":"tlsca"}"#,
    ] {
        let by_body = ca
            .call("POST", "/api/v1/cainfo", Some(body), Auth::None)
            .await;
        assert_eq!(by_body.result()["CAName"], "tlsca", "{body}");
    }
    let head = ca.call("HEAD", "/api/v1/cainfo", None, Auth::None).await;
    assert_eq!((head.status, head.raw.as_str()), (200, ""));
    let unknown = ca
        .call("GET", "/cainfo?ca=nosuchca", None, Auth::None)
        .await;
    assert_eq!((unknown.status, unknown.code()), (404, 19));
    assert_eq!(
        unknown.raw,
        "{\"result\":\"\",\"errors\":[{\"code\":19,\"message\":\"CA 'nosuchca' does not exist\"}\n],\"messages\":[],\"success\":false}"
    );
    let nowhere = ca.call("GET", "/api/v1/nosuch", None, Auth::None).await;
    assert_eq!(
        (nowhere.status, nowhere.raw.as_str()),
        (404, "404 page not found\n")
    );
    // the chains are the org's roots, the console's record of the CA
    let org_root = emu.identities(1)[0].cert.clone();
    let admin_cert = String::from_utf8(B64.decode(org_root).unwrap()).unwrap();
    assert!(signed_by(&admin_cert, &root(&ca, "ca").await));
    emu.shutdown().await;
}

#[tokio::test]
async fn enroll_signs_the_csr_as_asked_and_refuses_what_fabric_ca_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let (emu, region_ca) = sandbox(dir.path()).await;
    let ca = Ca::of(&region_ca);
    let (ca_root, tls_root) = (root(&ca, "ca").await, root(&ca, "tlsca").await);

    let admin = ca.admin("ca").await;
    assert!(
        signed_by(&admin.cert_pem, &ca_root),
        "issued by the enrollment CA"
    );
    assert!(!signed_by(&admin.cert_pem, &tls_root));
    let admin_der = der(&admin.cert_pem);
    let (_, cert) = X509Certificate::from_der(&admin_der).unwrap();
    assert_eq!(cert.subject().to_string(), "OU=client, CN=admin");
    assert!(cert.subject_alternative_name().unwrap().is_none());

    let (tls, tls_admin) = ca
        .enroll(
            "tlsca",
            "admin",
            "adminpw",
            json!({"profile": "tls", "hosts": ["peer0.org1.example.com", "127.0.0.1"]}),
        )
        .await;
    assert_eq!(tls.status, 201, "{}", tls.raw);
    assert_eq!(tls.result()["ServerInfo"]["CAName"], "tlsca");
    assert_eq!(tls.result()["ServerInfo"]["Version"], "");
    let tls_pem = tls_admin.unwrap().cert_pem;
    assert!(signed_by(&tls_pem, &tls_root), "issued by the TLS CA");
    let tls_der = der(&tls_pem);
    let (_, tls_cert) = X509Certificate::from_der(&tls_der).unwrap();
    let sans = &tls_cert
        .subject_alternative_name()
        .unwrap()
        .unwrap()
        .value
        .general_names;
    assert!(matches!(
        sans[0],
        GeneralName::DNSName("peer0.org1.example.com")
    ));
    assert!(matches!(sans[1], GeneralName::IPAddress(ip) if ip == [127, 0, 0, 1]));
    let eku = tls_cert.extended_key_usage().unwrap().unwrap().value;
    assert!(eku.server_auth && eku.client_auth);

    // the CN must be the enrollment id
    let (request, _) = csr("someoneelse", &[]);
    let body = json!({ "certificate_request": request }).to_string();
    let mismatch = ca
        .call(
            "POST",
            "/api/v1/enroll",
            Some(&body),
            Auth::Basic("admin", "adminpw"),
        )
        .await;
    assert_eq!((mismatch.status, mismatch.code()), (403, 77));
    // credentials
    let (request, _) = csr("admin", &[]);
    let body = json!({ "certificate_request": request }).to_string();
    for (auth, status, code) in [
        (Auth::Basic("admin", "wrongpw"), 401, 20),
        (Auth::Basic("nobody", "x"), 401, 20),
        (Auth::None, 401, 2),
    ] {
        let refused = ca.call("POST", "/api/v1/enroll", Some(&body), auth).await;
        assert_eq!(
            (refused.status, refused.code()),
            (status, code),
            "{}",
            refused.raw
        );
    }
    // bodies
    let basic = || Auth::Basic("admin", "adminpw");
    for (body, status, code) in [
        (r#"{"certificate_request": "abc","#, 400, 5),
        ("", 400, 4),
        (r#"{"profile":""}"#, 400, 31),
        (r#"{"certificate_request": "not a csr"}"#, 400, 31),
    ] {
        let refused = ca.call("POST", "/api/v1/enroll", Some(body), basic()).await;
        assert_eq!(
            (refused.status, refused.code()),
            (status, code),
            "{body}: {}",
            refused.raw
        );
    }
    let (unknown_profile, _) = ca
        .enroll("ca", "admin", "adminpw", json!({"profile": "doesnotexist"}))
        .await;
    assert_eq!((unknown_profile.status, unknown_profile.code()), (500, 0));
    assert_eq!(
        unknown_profile.json["errors"][0]["message"],
        "Invalid profile: 'doesnotexist'"
    );
    let (intermediate, sub_ca) = ca
        .enroll("ca", "admin", "adminpw", json!({"profile": "ca"}))
        .await;
    assert_eq!(intermediate.status, 201, "{}", intermediate.raw);
    let sub_der = der(&sub_ca.unwrap().cert_pem);
    let (_, sub) = X509Certificate::from_der(&sub_der).unwrap();
    assert!(
        sub.basic_constraints().unwrap().unwrap().value.ca,
        "an intermediate CA"
    );
    let peer = r#"{"id":"p","type":"peer","affiliation":"org1","secret":"ppw"}"#;
    let admin_token = Auth::Token(&admin);
    assert_eq!(
        ca.call("POST", "/api/v1/register", Some(peer), admin_token)
            .await
            .status,
        201
    );
    let (not_allowed, _) = ca.enroll("ca", "p", "ppw", json!({"profile": "ca"})).await;
    assert_eq!(
        (not_allowed.status, not_allowed.code()),
        (403, 71),
        "no hf.IntermediateCA"
    );
    let get = ca.call("GET", "/api/v1/enroll", None, basic()).await;
    assert_eq!((get.status, get.code()), (405, 1));
    // the content type is not looked at; the legacy path works
    let (request, _) = csr("admin", &[]);
    let body = json!({ "certificate_request": request }).to_string();
    let resp = ca
        .http
        .post(format!("{}/enroll", ca.url))
        .basic_auth("admin", Some("adminpw"))
        .header("Content-Type", "text/plain")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    emu.shutdown().await;
}

#[tokio::test]
async fn register_enroll_reenroll_and_revoke_an_identity() {
    let dir = tempfile::tempdir().unwrap();
    let (emu, region_ca) = sandbox(dir.path()).await;
    let ca = Ca::of(&region_ca);
    let admin = ca.admin("ca").await;
    let body = r#"{"id":"peer1","type":"peer","secret":"peer1pw","max_enrollments":5,"affiliation":"org1.department1","attrs":[{"name":"app.role","value":"tester","ecert":true}]}"#;
    let registered = ca
        .call("POST", "/api/v1/register", Some(body), Auth::Token(&admin))
        .await;
    assert_eq!(registered.status, 201, "{}", registered.raw);
    assert_eq!(registered.result()["secret"], "peer1pw");
    assert_eq!(
        registered.location.as_deref(),
        Some("/api/v1/identities/peer1")
    );
    let again = ca
        .call("POST", "/api/v1/register", Some(body), Auth::Token(&admin))
        .await;
    assert_eq!((again.status, again.code()), (409, 74));
    // a generated secret, the registrar's type by default; the legacy path
    let minimal = r#"{"id":"user10","affiliation":"org1"}"#;
    let generated = ca
        .call("POST", "/register", Some(minimal), Auth::Token(&admin))
        .await;
    let secret = generated.result()["secret"].as_str().unwrap().to_string();
    assert_eq!(secret.len(), 12);
    let bad_aff = ca
        .call(
            "POST",
            "/api/v1/register",
            Some(r#"{"id":"u11","affiliation":"nosuch.aff"}"#),
            Auth::Token(&admin),
        )
        .await;
    assert_eq!((bad_aff.status, bad_aff.code()), (403, 71));

    // the registered identity enrolls with its attribute, and is no registrar
    let (peer_answer, peer) = ca
        .enroll(
            "ca",
            "peer1",
            "peer1pw",
            json!({"attr_reqs": [{"name": "app.role", "optional": true}]}),
        )
        .await;
    assert_eq!(peer_answer.status, 201, "{}", peer_answer.raw);
    let peer = peer.unwrap();
    let peer_der = der(&peer.cert_pem);
    let (_, cert) = X509Certificate::from_der(&peer_der).unwrap();
    assert_eq!(cert.subject().to_string(), "OU=peer, CN=peer1");
    let attrs = cert
        .extensions()
        .iter()
        .find(|e| e.oid.to_id_string() == "1.2.3.4.5.6.7.8.1")
        .expect("the attribute extension");
    assert_eq!(attrs.value, br#"{"attrs":{"app.role":"tester"}}"#);
    let (_, user10) = ca.enroll("ca", "user10", &secret, json!({})).await;
    assert!(user10.is_some(), "the generated secret enrolls");
    let once = r#"{"id":"once","affiliation":"org2","secret":"oncepw","max_enrollments":1}"#;
    assert_eq!(
        ca.call("POST", "/api/v1/register", Some(once), Auth::Token(&admin))
            .await
            .status,
        201
    );
    let (first, _) = ca.enroll("ca", "once", "oncepw", json!({})).await;
    assert_eq!(first.status, 201);
    let (second, _) = ca.enroll("ca", "once", "oncepw", json!({})).await;
    assert_eq!(
        (second.status, second.code()),
        (401, 20),
        "max_enrollments reached"
    );
    let by_peer = ca
        .call(
            "POST",
            "/api/v1/register",
            Some(r#"{"id":"user9","type":"client","affiliation":"org1"}"#),
            Auth::Token(&peer),
        )
        .await;
    assert_eq!((by_peer.status, by_peer.code()), (403, 71));

    // reenroll with the token: a new certificate for the same identity
    let (request, key) = csr("peer1", &[]);
    let body = json!({ "certificate_request": request }).to_string();
    let reenrolled = ca
        .call(
            "POST",
            "/api/v1/reenroll?ca=ca",
            Some(&body),
            Auth::Token(&peer),
        )
        .await;
    assert_eq!(reenrolled.status, 201, "{}", reenrolled.raw);
    let peer2 = Enrolled {
        cert_pem: common::fabric_ca::cert_of(&reenrolled.json),
        key,
    };

    // certificates of the identity, then its revocation
    let certs = ca
        .call(
            "GET",
            "/api/v1/certificates?id=peer1",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(certs.result()["certs"].as_array().unwrap().len(), 2);
    assert!(
        certs.raw.contains("], \"caname\":\"\"}"),
        "streamed: {}",
        certs.raw
    );
    let revoke = r#"{"id": "peer1", "reason": "keycompromise", "gencrl": true}"#;
    let revoked = ca
        .call("POST", "/api/v1/revoke", Some(revoke), Auth::Token(&admin))
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.raw);
    assert_eq!(
        revoked.result()["RevokedCerts"].as_array().unwrap().len(),
        2
    );
    let crl = String::from_utf8(
        B64.decode(revoked.result()["CRL"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(crl.starts_with("-----BEGIN X509 CRL-----"));
    for who in [&peer, &peer2] {
        let after = ca
            .call("POST", "/api/v1/reenroll", Some(&body), Auth::Token(who))
            .await;
        assert_eq!((after.status, after.code()), (401, 20));
    }
    let (enroll_revoked, _) = ca.enroll("ca", "peer1", "peer1pw", json!({})).await;
    assert_eq!((enroll_revoked.status, enroll_revoked.code()), (401, 20));
    let unknown_serial = ca
        .call(
            "POST",
            "/api/v1/revoke",
            Some(r#"{"serial":"1234","aki":"abcd"}"#),
            Auth::Token(&admin),
        )
        .await;
    assert_eq!((unknown_serial.status, unknown_serial.code()), (404, 8));
    emu.shutdown().await;
}

#[tokio::test]
async fn tokens_must_be_exact_and_from_that_ca() {
    let dir = tempfile::tempdir().unwrap();
    let (emu, region_ca) = sandbox(dir.path()).await;
    let ca = Ca::of(&region_ca);
    let admin = ca.admin("ca").await;
    let tls_admin = ca.admin("tlsca").await;
    let uri = "/api/v1/identities?ca=ca";
    let token_for = |signed_uri: &str, tweak: &dyn Fn(Signature) -> Vec<u8>| {
        let sig = sign_low_s(
            &admin.key,
            &payload("GET", signed_uri, b"", &admin.cert_pem),
        );
        format!("{}.{}", B64.encode(&admin.cert_pem), B64.encode(tweak(sig)))
    };
    let good = |s: Signature| s.to_der().as_bytes().to_vec();
    let ok = ca
        .call("GET", uri, None, Auth::Header(token_for(uri, &good)))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.raw);
    let flipped = |s: Signature| {
        let mut d = s.to_der().as_bytes().to_vec();
        d[10] ^= 0x01;
        d
    };
    let high = |s: Signature| high_s(&s).to_der().as_bytes().to_vec();
    for (what, header) in [
        ("flipped byte", token_for(uri, &flipped)),
        ("high S", token_for(uri, &high)),
        (
            "signed without the query",
            token_for("/api/v1/identities", &good),
        ),
        (
            "signed for the legacy path",
            token_for("/identities?ca=ca", &good),
        ),
        ("Bearer prefix", format!("Bearer {}", token_for(uri, &good))),
        ("garbage", "not.a.token".to_string()),
    ] {
        let refused = ca.call("GET", uri, None, Auth::Header(header)).await;
        assert_eq!((refused.status, refused.code()), (401, 20), "{what}");
    }
    let none = ca.call("GET", uri, None, Auth::None).await;
    assert_eq!((none.status, none.code()), (401, 2));
    // a good token of the TLS CA's admin is no good on the enrollment CA, and back
    let foreign = ca.call("GET", uri, None, Auth::Token(&tls_admin)).await;
    assert_eq!((foreign.status, foreign.code()), (401, 20));
    let wrong_ca = ca
        .call(
            "GET",
            "/api/v1/identities?ca=tlsca",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!((wrong_ca.status, wrong_ca.code()), (401, 20));
    let own = ca
        .call(
            "GET",
            "/api/v1/identities?ca=tlsca",
            None,
            Auth::Token(&tls_admin),
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.raw);
    // a certificate copying an issued one's serial and AKI, signed by another key
    let forged = forge(&admin.cert_pem);
    let refused = ca.call("GET", uri, None, Auth::Token(&forged)).await;
    assert_eq!((refused.status, refused.code()), (401, 20), "forged");
    // the body is signed too
    let body = r#"{"id":"x1","affiliation":"org1"}"#;
    let header = admin.token("POST", "/api/v1/register", b"{}");
    let changed = ca
        .call("POST", "/api/v1/register", Some(body), Auth::Header(header))
        .await;
    assert_eq!((changed.status, changed.code()), (401, 20));
    emu.shutdown().await;
}

/// A look-alike of `cert_pem` (same subject CN, serial and AKI) from a key of our own.
fn forge(cert_pem: &str) -> Enrolled {
    use p256::pkcs8::DecodePrivateKey;
    use rcgen::{CertificateParams, DnType, Issuer, KeyIdMethod, KeyPair, SerialNumber};
    let d = der(cert_pem);
    let (_, cert) = X509Certificate::from_der(&d).unwrap();
    let aki = cert
        .extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            x509_parser::extensions::ParsedExtension::AuthorityKeyIdentifier(a) => {
                a.key_identifier.as_ref().map(|k| k.0.to_vec())
            }
            _ => None,
        })
        .unwrap();
    let mut issuer_params = CertificateParams::default();
    issuer_params.key_identifier_method = KeyIdMethod::PreSpecified(aki);
    let issuer = Issuer::new(issuer_params, KeyPair::generate().unwrap());
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::default();
    params.distinguished_name.push(DnType::CommonName, "admin");
    params.serial_number = Some(SerialNumber::from_slice(cert.raw_serial()));
    params.use_authority_key_identifier_extension = true;
    let forged = params.signed_by(&key, &issuer).unwrap();
    Enrolled {
        cert_pem: forged.pem(),
        key: p256::ecdsa::SigningKey::from_pkcs8_pem(&key.serialize_pem()).unwrap(),
    }
}

#[tokio::test]
async fn identities_and_affiliations() {
    let dir = tempfile::tempdir().unwrap();
    let (emu, region_ca) = sandbox(dir.path()).await;
    let ca = Ca::of(&region_ca);
    let admin = ca.admin("ca").await;
    let list = ca
        .call("GET", "/api/v1/identities", None, Auth::Token(&admin))
        .await;
    assert_eq!(list.status, 200, "before any POST");
    let ids = list.result()["identities"].as_array().unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0]["id"], "admin");
    assert_eq!(ids[0]["affiliation"], "");
    let attrs: Vec<(&str, &str)> = ids[0]["attrs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        attrs,
        [
            ("hf.Registrar.Roles", "*"),
            ("hf.Registrar.DelegateRoles", "*"),
            ("hf.Revoker", "1"),
            ("hf.IntermediateCA", "1"),
            ("hf.GenCRL", "1"),
            ("hf.Registrar.Attributes", "*"),
            ("hf.AffiliationMgr", "1"),
        ]
    );
    assert!(
        list.raw.contains("], \"caname\":\"ca\"},\"errors\""),
        "streamed: {}",
        list.raw
    );
    let unknown = ca
        .call(
            "GET",
            "/api/v1/identities/nosuch",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!((unknown.status, unknown.code()), (404, 63));

    let add = r#"{"id":"user20","type":"client","affiliation":"org1","secret":"pw20"}"#;
    let added = ca
        .call(
            "POST",
            "/api/v1/identities?ca=ca",
            Some(add),
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.raw);
    assert_eq!(added.result()["secret"], "pw20");
    assert_eq!(added.result()["caname"], "ca");
    assert_eq!(added.location.as_deref(), Some("/api/v1/identities/user20"));
    let one = ca
        .call(
            "GET",
            "/api/v1/identities/user20",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(one.result()["max_enrollments"], -1);
    assert!(one.result().get("secret").is_none());
    // fabric-ca's shared-endpoint bug: the listing now answers 201, on both paths — and on
    // the TLS CA too, the endpoint being the server's
    for uri in ["/api/v1/identities", "/identities"] {
        let after = ca.call("GET", uri, None, Auth::Token(&admin)).await;
        assert_eq!(after.status, 201, "{uri}");
        assert_eq!(after.result()["identities"].as_array().unwrap().len(), 2);
    }
    let tls_admin = ca.admin("tlsca").await;
    let tls_list = ca
        .call(
            "GET",
            "/api/v1/identities?ca=tlsca",
            None,
            Auth::Token(&tls_admin),
        )
        .await;
    assert_eq!(tls_list.status, 201);
    assert_eq!(
        tls_list.result()["identities"].as_array().unwrap().len(),
        1,
        "its own registry"
    );
    let removed = ca
        .call(
            "DELETE",
            "/api/v1/identities/user20?ca=ca",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!((removed.status, removed.code()), (403, 56));
    let modified = ca
        .call(
            "PUT",
            "/api/v1/identities/user20",
            Some(r#"{"type":"peer","attrs":[{"name":"app.x","value":"1"}]}"#),
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(modified.status, 200, "{}", modified.raw);
    assert_eq!(modified.result()["type"], "peer");

    let affs = ca
        .call(
            "GET",
            "/api/v1/affiliations?ca=ca",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(
        affs.status, 200,
        "identities' POST does not touch affiliations"
    );
    assert_eq!(
        affs.result(),
        &json!({"name": "", "affiliations": [
            {"name": "org1", "affiliations": [{"name": "org1.department1"}, {"name": "org1.department2"}]},
            {"name": "org2", "affiliations": [{"name": "org2.department1"}]}
        ], "caname": "ca"})
    );
    let org1 = ca
        .call(
            "GET",
            "/api/v1/affiliations/org1",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(org1.result()["affiliations"].as_array().unwrap().len(), 2);
    let add = ca
        .call(
            "POST",
            "/api/v1/affiliations",
            Some(r#"{"name":"org1.department9"}"#),
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(add.status, 201, "{}", add.raw);
    assert_eq!(
        add.result(),
        &json!({"name": "org1.department9", "caname": "ca"})
    );
    let orphan = ca
        .call(
            "POST",
            "/api/v1/affiliations",
            Some(r#"{"name":"org3.x"}"#),
            Auth::Token(&admin),
        )
        .await;
    assert_eq!((orphan.status, orphan.code()), (400, 60));
    let forced = ca
        .call(
            "POST",
            "/api/v1/affiliations?force=true",
            Some(r#"{"name":"org3.x"}"#),
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(forced.status, 201, "{}", forced.raw);
    let after = ca
        .call("GET", "/api/v1/affiliations", None, Auth::Token(&admin))
        .await;
    assert_eq!(after.status, 201, "the same bug on affiliations");
    assert_eq!(after.result()["affiliations"].as_array().unwrap().len(), 3);
    let register_there = ca
        .call(
            "POST",
            "/api/v1/register",
            Some(r#"{"id":"u9","affiliation":"org1.department9"}"#),
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(register_there.status, 201, "{}", register_there.raw);
    emu.shutdown().await;
}

#[tokio::test]
async fn keys_and_registries_persist_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (emu, region_ca) = sandbox(dir.path()).await;
    let ca = Ca::of(&region_ca);
    let ca_root = root(&ca, "ca").await;
    let admin = ca.admin("ca").await;
    let body = r#"{"id":"keeper","affiliation":"org2","secret":"keeperpw"}"#;
    assert_eq!(
        ca.call("POST", "/api/v1/register", Some(body), Auth::Token(&admin))
            .await
            .status,
        201
    );
    let aff = r#"{"name":"org2.department7"}"#;
    assert_eq!(
        ca.call(
            "POST",
            "/api/v1/affiliations",
            Some(aff),
            Auth::Token(&admin)
        )
        .await
        .status,
        201
    );
    let (_, doomed) = ca.enroll("ca", "keeper", "keeperpw", json!({})).await;
    let doomed = doomed.unwrap();
    let serial = {
        let d = der(&doomed.cert_pem);
        let (_, cert) = X509Certificate::from_der(&d).unwrap();
        cert.raw_serial_as_string().replace(':', "")
    };
    let certs = ca
        .call(
            "GET",
            "/api/v1/certificates?id=keeper",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(certs.result()["certs"].as_array().unwrap().len(), 1);
    let aki = {
        let d = der(&admin.cert_pem);
        let (_, cert) = X509Certificate::from_der(&d).unwrap();
        cert.extensions()
            .iter()
            .find_map(|e| match e.parsed_extension() {
                x509_parser::extensions::ParsedExtension::AuthorityKeyIdentifier(a) => a
                    .key_identifier
                    .as_ref()
                    .map(|k| k.0.iter().map(|b| format!("{b:02x}")).collect::<String>()),
                _ => None,
            })
            .unwrap()
    };
    let revoke = json!({"serial": serial, "aki": aki}).to_string();
    let revoked = ca
        .call("POST", "/api/v1/revoke", Some(&revoke), Auth::Token(&admin))
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.raw);
    emu.shutdown().await;

    let (emu, region_ca) = sandbox(dir.path()).await;
    let ca = Ca::of(&region_ca);
    assert_eq!(root(&ca, "ca").await, ca_root, "the same root");
    // the admin's certificate from before the restart still signs tokens
    let keeper = ca
        .call(
            "GET",
            "/api/v1/identities/keeper",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(keeper.status, 200, "{}", keeper.raw);
    assert_eq!(keeper.result()["affiliation"], "org2");
    let affs = ca
        .call(
            "GET",
            "/api/v1/affiliations/org2",
            None,
            Auth::Token(&admin),
        )
        .await;
    assert_eq!(
        affs.result()["affiliations"].as_array().unwrap().len(),
        2,
        "{}",
        affs.raw
    );
    let refused = ca
        .call("GET", "/api/v1/identities", None, Auth::Token(&doomed))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (401, 20),
        "revocations persist"
    );
    // what it signs after the restart chains to the same root
    let (answer, again) = ca.enroll("ca", "keeper", "keeperpw", json!({})).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    assert!(signed_by(&again.unwrap().cert_pem, &ca_root));
    emu.shutdown().await;
}

#[tokio::test]
async fn the_bootstrap_identity_is_configurable_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let boot: CaAdmin = "boot:s3cret".parse().unwrap();
    let emu = Emulator::start_with_ca_admin(
        EmulatorOptions {
            regions: 2,
            base_port: 0,
            data_dir: dir.path().into(),
            scenario: Scenario::Sandbox,
            limits: Limits::default(),
        },
        boot.clone(),
    )
    .await
    .unwrap();
    let cas = emu.cas(1);
    assert_eq!(cas.len(), 1);
    assert_eq!(
        (cas[0].component_id.as_str(), cas[0].display_name.as_str()),
        ("org1ca", "Org1 CA")
    );
    assert_eq!(cas[0].ca_admin, boot);
    assert_eq!(cas[0].tlsca_admin, boot);
    assert!(emu.cas(2).is_empty(), "region 2 hosts no CA");
    let ca = Ca::of(&cas[0]);
    for name in ["ca", "tlsca"] {
        let (old, _) = ca.enroll(name, "admin", "adminpw", json!({})).await;
        assert_eq!((old.status, old.code()), (401, 20), "{name}");
        let (new, _) = ca.enroll(name, "boot", "s3cret", json!({})).await;
        assert_eq!(new.status, 201, "{name}: {}", new.raw);
    }
    // the control API lists them with their credentials
    let region: Value = common::client("fabric-ca-test")
        .get(format!("{}/regions/1", emu.control_url()))
        .bearer_auth(emu.control_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = &region["cas"][0];
    assert_eq!(listed["component_id"], "org1ca");
    assert_eq!(listed["api_url"], cas[0].api_url.as_str());
    assert_eq!(listed["ca_name"], "ca");
    assert_eq!(listed["tlsca_name"], "tlsca");
    assert_eq!(
        listed["ca_admin"],
        json!({"enroll_id": "boot", "enroll_secret": "s3cret"})
    );
    assert_eq!(
        listed["tlsca_admin"],
        json!({"enroll_id": "boot", "enroll_secret": "s3cret"})
    );
    emu.shutdown().await;

    // a later start with the default gives the default back
    let emu = common::start(dir.path(), 2, Scenario::Sandbox, Limits::default()).await;
    let ca = Ca::of(&emu.cas(1)[0]);
    let (answer, _) = ca.enroll("ca", "admin", "adminpw", json!({})).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    emu.shutdown().await;
}

#[tokio::test]
async fn the_ha_network_serves_its_ca_from_region_1() {
    let dir = tempfile::tempdir().unwrap();
    let emu = common::start(dir.path(), 3, Scenario::Ha, Limits::default()).await;
    assert_eq!(emu.cas(1).len(), 1);
    assert!(
        emu.cas(2).is_empty() && emu.cas(3).is_empty(),
        "copies are not hosted"
    );
    let ca = Ca::of(&emu.cas(1)[0]);
    let admin = ca.admin("ca").await;
    assert!(signed_by(&admin.cert_pem, &root(&ca, "ca").await));
    emu.shutdown().await;
}

#[tokio::test]
async fn a_plain_http_request_to_the_tls_port_gets_gos_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (emu, region_ca) = sandbox(dir.path()).await;
    let url = region_ca.api_url.replacen("https://", "http://", 1);
    let resp = common::client("fabric-ca-test")
        .get(format!("{url}/api/v1/cainfo"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.text().await.unwrap(),
        "Client sent an HTTP request to an HTTPS server.\n"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_standalone_server_keeps_its_pki_and_registry() {
    use console_emulator::{FabricCaOptions, FabricCaServer};
    let dir = tempfile::tempdir().unwrap();
    let options = FabricCaOptions {
        ca_names: vec!["org1ca".into(), "tlsca".into()],
        admin: CaAdmin::default(),
        data_dir: dir.path().into(),
    };
    let server = FabricCaServer::start(options.clone()).await.unwrap();
    let root = server.ca_cert_pem("org1ca").unwrap().to_string();
    assert!(server.ca_cert_pem("nosuch").is_none());
    // its TLS certificate is the first CA's, for 127.0.0.1: a verifying client trusts it
    let verifying = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(root.as_bytes()).unwrap()])
        .build()
        .unwrap();
    let ca = Ca {
        http: verifying,
        url: server.url().to_string(),
    };
    let info = ca.call("GET", "/cainfo", None, Auth::None).await;
    assert_eq!(
        info.result()["CAName"],
        "org1ca",
        "the first CA is the default"
    );
    let admin = ca.admin("org1ca").await;
    assert!(signed_by(&admin.cert_pem, &root));
    server.shutdown().await;

    let server = FabricCaServer::start(options).await.unwrap();
    assert_eq!(server.ca_cert_pem("org1ca").unwrap(), root);
    let ca = Ca {
        http: common::client("fabric-ca-test"),
        url: server.url().to_string(),
    };
    let list = ca
        .call("GET", "/api/v1/identities", None, Auth::Token(&admin))
        .await;
    assert_eq!(
        list.status, 200,
        "the admin's certificate is still known: {}",
        list.raw
    );
    server.shutdown().await;
}
