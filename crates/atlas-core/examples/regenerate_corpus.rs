//! Writes the committed test corpus (`tests/corpus/{pki,good,bad}`): fresh certificates and keys,
//! the good files and the bad-input files with their `expected.json`. Run by hand with
//! `make corpus` when the corpus must change; tests never write it. Needs no network.

#[path = "../tests/corpus/support.rs"]
mod support;

use std::fs;
use std::io::Write;

use atlas_core::artifacts;
use serde_json::{json, Value};
use support::*;

mod gen {
    use p256::pkcs8::{DecodePrivateKey, LineEnding};
    use rcgen::{
        date_time_ymd, BasicConstraints, CertificateParams, DistinguishedName, DnType,
        ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
        PKCS_ECDSA_P384_SHA384,
    };

    pub struct Authority {
        pub pem: String,
        pub issuer: Issuer<'static, KeyPair>,
    }

    fn dn(org: &str, ou: Option<&str>, cn: &str) -> DistinguishedName {
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, "US");
        dn.push(DnType::OrganizationName, org);
        if let Some(ou) = ou {
            dn.push(DnType::OrganizationalUnitName, ou);
        }
        dn.push(DnType::CommonName, cn);
        dn
    }

    fn years(params: &mut CertificateParams, from: i32, to: i32) {
        params.not_before = date_time_ymd(from, 1, 1);
        params.not_after = date_time_ymd(to, 1, 1);
    }

    pub fn root(org: &str, cn: &str) -> Authority {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
        let mut p = CertificateParams::default();
        p.distinguished_name = dn(org, None, cn);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        years(&mut p, 2025, 2099);
        let pem = p.self_signed(&key).unwrap().pem();
        Authority {
            pem,
            issuer: Issuer::new(p, key),
        }
    }

    pub fn intermediate(parent: &Authority, org: &str, cn: &str) -> Authority {
        issuer_below(parent, org, cn, true)
    }

    /// A certificate that signs others without being a CA (no basic constraints CA:TRUE):
    /// what a chain check must refuse to go through.
    pub fn not_a_ca(parent: &Authority, org: &str, cn: &str) -> Authority {
        issuer_below(parent, org, cn, false)
    }

    fn issuer_below(parent: &Authority, org: &str, cn: &str, ca: bool) -> Authority {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
        let mut p = CertificateParams::default();
        p.distinguished_name = dn(org, None, cn);
        if ca {
            p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        } else {
            p.is_ca = IsCa::ExplicitNoCa;
            p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        }
        p.use_authority_key_identifier_extension = true;
        years(&mut p, 2025, 2099);
        let pem = p.signed_by(&key, &parent.issuer).unwrap().pem();
        Authority {
            pem,
            issuer: Issuer::new(p, key),
        }
    }

    /// An end-entity certificate and its PKCS#8 key (PEM).
    pub fn leaf(
        ca: &Authority,
        org: &str,
        ou: &str,
        cn: &str,
        tls: bool,
        from: i32,
        to: i32,
    ) -> (String, String) {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
        let sans = if tls {
            vec![cn.to_string(), "localhost".to_string()]
        } else {
            vec![]
        };
        let mut p = CertificateParams::new(sans).unwrap();
        p.distinguished_name = dn(org, Some(ou), cn);
        p.is_ca = IsCa::ExplicitNoCa;
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        if tls {
            p.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
            ];
        }
        p.use_authority_key_identifier_extension = true;
        years(&mut p, from, to);
        let pem = p.signed_by(&key, &ca.issuer).unwrap().pem();
        (pem, key.serialize_pem())
    }

    pub fn p384_key() -> String {
        KeyPair::generate_for(&PKCS_ECDSA_P384_SHA384)
            .unwrap()
            .serialize_pem()
    }

    pub fn sec1(pkcs8_pem: &str) -> String {
        let key = p256::SecretKey::from_pkcs8_pem(pkcs8_pem).unwrap();
        key.to_sec1_pem(LineEnding::LF).unwrap().to_string()
    }
}

fn write(dir: &str, name: &str, bytes: &[u8]) {
    let path = corpus_dir().join(dir).join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn pretty(v: &Value) -> Vec<u8> {
    artifacts::to_console_json(v).into_bytes()
}

fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        if name.ends_with('/') {
            zip.add_directory(name.trim_end_matches('/'), opts).unwrap();
        } else {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(bytes).unwrap();
        }
    }
    zip.finish().unwrap().into_inner()
}

fn main() {
    use gen::*;
    const O1: &str = "org1.example.com";
    const O2: &str = "org2.example.com";
    let ca1 = root(O1, "ca.org1.example.com");
    let tlsca1 = root(O1, "tlsca.org1.example.com");
    let ica1 = intermediate(&ca1, O1, "ica.org1.example.com");
    let ca2 = root(O2, "ca.org2.example.com");
    let tlsca2 = root(O2, "tlsca.org2.example.com");
    let (admin1, admin1_key) = leaf(
        &ca1,
        O1,
        "admin",
        "Admin@org1.example.com",
        false,
        2025,
        2099,
    );
    let (_admin1b, admin1b_key) = leaf(
        &ca1,
        O1,
        "admin",
        "Admin2@org1.example.com",
        false,
        2025,
        2099,
    );
    let (client1, client1_key) = leaf(
        &ica1,
        O1,
        "client",
        "User1@org1.example.com",
        false,
        2025,
        2099,
    );
    let (ecert1, _) = leaf(
        &ca1,
        O1,
        "peer",
        "peer0.org1.example.com",
        false,
        2025,
        2099,
    );
    let (peer_tls, _) = leaf(
        &tlsca1,
        O1,
        "peer",
        "peer0.org1.example.com",
        true,
        2025,
        2099,
    );
    let (ord0_tls, _) = leaf(
        &tlsca1,
        O1,
        "orderer",
        "orderer0.org1.example.com",
        true,
        2025,
        2099,
    );
    let (ord1_tls, _) = leaf(
        &tlsca1,
        O1,
        "orderer",
        "orderer1.org1.example.com",
        true,
        2025,
        2099,
    );
    let (ca_tls, _) = leaf(
        &tlsca1,
        O1,
        "client",
        "ca.org1.example.com",
        true,
        2025,
        2099,
    );
    let (admin1_old, admin1_old_key) = leaf(
        &ca1,
        O1,
        "admin",
        "OldAdmin@org1.example.com",
        false,
        2019,
        2020,
    );
    let (peer_tls_old, _) = leaf(
        &tlsca1,
        O1,
        "peer",
        "peer0.org1.example.com",
        true,
        2019,
        2020,
    );
    let (admin2, admin2_key) = leaf(
        &ca2,
        O2,
        "admin",
        "Admin@org2.example.com",
        false,
        2025,
        2099,
    );
    let (peer2_tls, _) = leaf(
        &tlsca2,
        O2,
        "peer",
        "peer0.org2.example.com",
        true,
        2025,
        2099,
    );
    let p384 = p384_key();
    let admin1_sec1 = sec1(&admin1_key);
    let (peer_tls_future, _) = leaf(
        &tlsca1,
        O1,
        "peer",
        "peer0.org1.example.com",
        true,
        2090,
        2099,
    );
    let (admin1_future, admin1_future_key) = leaf(
        &ca1,
        O1,
        "admin",
        "FutureAdmin@org1.example.com",
        false,
        2090,
        2099,
    );

    // Org3: every certificate below an intermediate CA (two-level chains), enrollment and TLS
    const O3: &str = "org3.example.com";
    let ca3 = root(O3, "ca.org3.example.com");
    let ica3 = intermediate(&ca3, O3, "ica.org3.example.com");
    let tlsca3 = root(O3, "tlsca.org3.example.com");
    let tlsica3 = intermediate(&tlsca3, O3, "tlsica.org3.example.com");
    let noca3 = not_a_ca(&ca3, O3, "notaca.org3.example.com");
    let (admin3, admin3_key) = leaf(
        &ica3,
        O3,
        "admin",
        "Admin@org3.example.com",
        false,
        2025,
        2099,
    );
    let (admin3_noca, _) = leaf(
        &noca3,
        O3,
        "admin",
        "Admin@org3.example.com",
        false,
        2025,
        2099,
    );
    let (ecert3, _) = leaf(
        &ica3,
        O3,
        "peer",
        "peer0.org3.example.com",
        false,
        2025,
        2099,
    );
    let (peer3_tls, _) = leaf(
        &tlsica3,
        O3,
        "peer",
        "peer0.org3.example.com",
        true,
        2025,
        2099,
    );
    let (ord3_tls0, _) = leaf(
        &tlsica3,
        O3,
        "orderer",
        "orderer0.org3.example.com",
        true,
        2025,
        2099,
    );
    let (ord3_tls1, _) = leaf(
        &tlsica3,
        O3,
        "orderer",
        "orderer1.org3.example.com",
        true,
        2025,
        2099,
    );
    let (ca3_tls, _) = leaf(
        &tlsica3,
        O3,
        "client",
        "ca.org3.example.com",
        true,
        2025,
        2099,
    );

    let pki: Vec<(&str, &str)> = vec![
        ("org1-ca.crt.pem", &ca1.pem),
        ("org1-tlsca.crt.pem", &tlsca1.pem),
        ("org1-ica.crt.pem", &ica1.pem),
        ("org2-ca.crt.pem", &ca2.pem),
        ("org2-tlsca.crt.pem", &tlsca2.pem),
        ("org1-admin.crt.pem", &admin1),
        ("org1-admin.key.pem", &admin1_key),
        ("org1-admin.sec1.key.pem", &admin1_sec1),
        ("org1-admin2.key.pem", &admin1b_key),
        ("org1-client.crt.pem", &client1),
        ("org1-client.key.pem", &client1_key),
        ("org1-peer0-ecert.crt.pem", &ecert1),
        ("org1-peer0-tls.crt.pem", &peer_tls),
        ("org1-orderer0-tls.crt.pem", &ord0_tls),
        ("org1-orderer1-tls.crt.pem", &ord1_tls),
        ("org1-ca-tls.crt.pem", &ca_tls),
        ("org1-admin-expired.crt.pem", &admin1_old),
        ("org1-admin-expired.key.pem", &admin1_old_key),
        ("org1-peer0-tls-expired.crt.pem", &peer_tls_old),
        ("org2-admin.crt.pem", &admin2),
        ("org2-admin.key.pem", &admin2_key),
        ("org2-peer0-tls.crt.pem", &peer2_tls),
        ("p384.key.pem", &p384),
        ("org1-peer0-tls-future.crt.pem", &peer_tls_future),
        ("org1-admin-future.crt.pem", &admin1_future),
        ("org1-admin-future.key.pem", &admin1_future_key),
        ("org3-ca.crt.pem", &ca3.pem),
        ("org3-ica.crt.pem", &ica3.pem),
        ("org3-tlsca.crt.pem", &tlsca3.pem),
        ("org3-tlsica.crt.pem", &tlsica3.pem),
        ("org3-not-a-ca.crt.pem", &noca3.pem),
        ("org3-admin.crt.pem", &admin3),
        ("org3-admin.key.pem", &admin3_key),
        ("org3-admin-under-not-a-ca.crt.pem", &admin3_noca),
        ("org3-peer0-ecert.crt.pem", &ecert3),
        ("org3-peer0-tls.crt.pem", &peer3_tls),
        ("org3-orderer0-tls.crt.pem", &ord3_tls0),
        ("org3-orderer1-tls.crt.pem", &ord3_tls1),
        ("org3-ca-tls.crt.pem", &ca3_tls),
    ];
    let _ = fs::remove_dir_all(corpus_dir().join("pki"));
    for (name, pem) in &pki {
        write("pki", name, pem.as_bytes());
    }

    // ---- good files, in the console UI's export format
    let ca = json!({
        "api_url": "https://ca.org1.example.com:7054", "ca_name": "ca", "ca_url": "https://ca.org1.example.com:7054",
        "display_name": "Org1 CA", "id": "org1ca", "location": "us-east",
        "msp": {"ca": {"name": "ca", "root_certs": [b64(&ca1.pem)]}, "component": {"tls_cert": b64(&ca_tls)},
                "tlsca": {"name": "tlsca", "root_certs": [b64(&tlsca1.pem)]}},
        "name": "Org1 CA", "operations_url": "https://ca.org1.example.com:9443", "pem": b64(&ca_tls),
        "scheme_version": "v1", "tls_ca_root_cert": b64(&tlsca1.pem), "tls_cert": b64(&ca_tls), "tlsca_name": "tlsca",
        "type": "fabric-ca"
    });
    let peer = json!({
        "api_url": "grpcs://peer0.org1.example.com:7051", "display_name": "Org1 Peer0",
        "grpcwp_url": "https://peer0-proxy.org1.example.com:443", "id": "org1peer0", "location": "us-east",
        "msp": {"ca": {"root_certs": [b64(&ca1.pem)]},
                "component": {"admin_certs": [b64(&admin1)], "ecert": b64(&ecert1), "tls_cert": b64(&peer_tls)},
                "tlsca": {"root_certs": [b64(&tlsca1.pem)]}},
        "msp_id": "Org1MSP", "name": "Org1 Peer0", "node_ou": {"enabled": true},
        "operations_url": "https://peer0.org1.example.com:9443", "pem": b64(&tlsca1.pem), "scheme_version": "v1",
        "tls_ca_root_cert": b64(&tlsca1.pem), "tls_cert": b64(&peer_tls), "type": "fabric-peer"
    });
    let node = |n: u32, tls: &str| {
        json!({
            "api_url": format!("grpcs://orderer{n}.org1.example.com:7050"), "cluster_id": "osorg1",
            "cluster_name": "Org1 Ordering Service", "display_name": format!("Orderer{n}"),
            "grpcwp_url": format!("https://orderer{n}-proxy.org1.example.com:443"), "id": format!("orderer{n}"),
            "location": "us-east",
            "msp": {"ca": {"root_certs": [b64(&ca1.pem)]}, "component": {"admin_certs": [], "tls_cert": b64(tls)},
                    "tlsca": {"root_certs": [b64(&tlsca1.pem)]}},
            "msp_id": "Org1MSP", "name": format!("Orderer{n}"), "operations_url": format!("https://orderer{n}.org1.example.com:8443"),
            "osnadmin_url": format!("https://orderer{n}.org1.example.com:7053"), "pem": b64(&tlsca1.pem), "scheme_version": "v1",
            "system_channel_id": "", "systemless": true, "tls_ca_root_cert": b64(&tlsca1.pem), "tls_cert": b64(tls),
            "type": "fabric-orderer"
        })
    };
    let orderers = json!([node(0, &ord0_tls), node(1, &ord1_tls)]);
    let ou =
        |name: &str| json!({"certificate": b64(&ca1.pem), "organizational_unit_identifier": name});
    let msp = json!({
        "admins": [b64(&admin1)], "display_name": "Org1 MSP",
        "fabric_node_ous": {"admin_ou_identifier": ou("admin"), "client_ou_identifier": ou("client"), "enable": true,
                            "orderer_ou_identifier": ou("orderer"), "peer_ou_identifier": ou("peer")},
        "host_url": "https://console-us-east.example.com:443", "id": "org1msp", "intermediate_certs": [b64(&ica1.pem)],
        "msp_id": "Org1MSP", "name": "Org1 MSP", "organizational_unit_identifiers": [], "revocation_list": [],
        "root_certs": [b64(&ca1.pem)], "scheme_version": "v1", "tls_intermediate_certs": [],
        "tls_root_certs": [b64(&tlsca1.pem)], "type": "msp"
    });
    let msp2 = json!({
        "admins": [b64(&admin2)], "display_name": "Org2 MSP", "host_url": "https://console-us-west.example.com:443",
        "msp_id": "Org2MSP", "root_certs": [b64(&ca2.pem)], "tls_root_certs": [b64(&tlsca2.pem)], "type": "msp"
    });
    let identity = |name: &str, cert: &str, key: &str| json!({"cert": b64(cert), "name": name, "private_key": b64(key), "type": "identity"});
    let admin_identity = identity("org1admin", &admin1, &admin1_key);
    let ansible = json!({"name": "org1client", "cert": b64(&client1), "ca": b64(&format!("{}{}", ica1.pem, ca1.pem)), "hsm": false, "private_key": b64(&client1_key)});
    let legacy_ca = json!({"display_name": "org1ca - legacy", "api_url": "https://ca.org1.example.com:7054",
        "operations_url": "http://ca.org1.example.com:17054", "ca_url": "https://ca.org1.example.com:7054", "name": "org1ca - legacy",
        "type": "fabric-ca", "ca_name": "ca-org1", "tlsca_name": "tlsca-org1", "tls_cert": ca_tls.clone()});
    let _ = fs::remove_dir_all(corpus_dir().join("good"));
    write("good", "Org1 CA_ca.json", &pretty(&ca));
    write("good", "Org1 Peer0_peer.json", &pretty(&peer));
    write(
        "good",
        "Org1 Ordering Service_orderer.json",
        &pretty(&orderers),
    );
    write(
        "good",
        "raft_orderer.json",
        &pretty(&json!({"raft": orderers.clone()})),
    );
    write("good", "Org1 MSP_msp.json", &pretty(&msp));
    write("good", "Org2 MSP_msp.json", &pretty(&msp2));
    write("good", "org1admin_identity.json", &pretty(&admin_identity));
    write("good", "org1client_ansible.json", &pretty(&ansible));
    write("good", "legacy raw pem_ca.json", &pretty(&legacy_ca));

    // Org3, as a console exports components whose CAs are intermediates: a node's or CA's
    // intermediates under msp.intermediate_ca / msp.intermediate_tlsca (athena's fmt_v3), an
    // MSP's in intermediate_certs / tls_intermediate_certs
    let ica_sections = json!({"intermediate_ca": {"root_certs": [b64(&ica3.pem)]},
                              "intermediate_tlsca": {"root_certs": [b64(&tlsica3.pem)]}});
    let with_ica = |msp: Value| {
        let mut msp = msp;
        for (k, v) in ica_sections.as_object().unwrap() {
            msp[k] = v.clone();
        }
        msp
    };
    let ca3_file = json!({
        "api_url": "https://ca.org3.example.com:7054", "ca_name": "ica", "ca_url": "https://ca.org3.example.com:7054",
        "display_name": "Org3 CA", "id": "org3ca", "location": "eu-west",
        "msp": with_ica(json!({"ca": {"name": "ica", "root_certs": [b64(&ca3.pem)]}, "component": {"tls_cert": b64(&ca3_tls)},
                "tlsca": {"name": "tlsica", "root_certs": [b64(&tlsca3.pem)]}})),
        "name": "Org3 CA", "operations_url": "https://ca.org3.example.com:9443", "pem": b64(&tlsca3.pem),
        "scheme_version": "v1", "tls_ca_root_cert": b64(&tlsca3.pem), "tls_cert": b64(&ca3_tls), "tlsca_name": "tlsica",
        "type": "fabric-ca"
    });
    let peer3 = json!({
        "api_url": "grpcs://peer0.org3.example.com:7051", "display_name": "Org3 Peer0",
        "grpcwp_url": "https://peer0-proxy.org3.example.com:443", "id": "org3peer0", "location": "eu-west",
        "msp": with_ica(json!({"ca": {"root_certs": [b64(&ca3.pem)]},
                "component": {"admin_certs": [b64(&admin3)], "ecert": b64(&ecert3), "tls_cert": b64(&peer3_tls)},
                "tlsca": {"root_certs": [b64(&tlsca3.pem)]}})),
        "msp_id": "Org3MSP", "name": "Org3 Peer0", "node_ou": {"enabled": true},
        "operations_url": "https://peer0.org3.example.com:9443", "pem": b64(&tlsca3.pem), "scheme_version": "v1",
        "tls_ca_root_cert": b64(&tlsca3.pem), "tls_cert": b64(&peer3_tls), "type": "fabric-peer"
    });
    let node3 = |n: u32, tls: &str| {
        json!({
            "api_url": format!("grpcs://orderer{n}.org3.example.com:7050"), "cluster_id": "osorg3",
            "cluster_name": "Org3 Ordering Service", "display_name": format!("Org3 Orderer{n}"),
            "grpcwp_url": format!("https://orderer{n}-proxy.org3.example.com:443"), "id": format!("org3orderer{n}"),
            "location": "eu-west",
            "msp": with_ica(json!({"ca": {"root_certs": [b64(&ca3.pem)]}, "component": {"admin_certs": [b64(&admin3)], "tls_cert": b64(tls)},
                    "tlsca": {"root_certs": [b64(&tlsca3.pem)]}})),
            "msp_id": "Org3MSP", "name": format!("Org3 Orderer{n}"), "operations_url": format!("https://orderer{n}.org3.example.com:8443"),
            "osnadmin_url": format!("https://orderer{n}.org3.example.com:7053"), "pem": b64(&tlsca3.pem), "scheme_version": "v1",
            "system_channel_id": "", "systemless": true, "tls_ca_root_cert": b64(&tlsca3.pem), "tls_cert": b64(tls),
            "type": "fabric-orderer"
        })
    };
    let orderers3 = json!([node3(0, &ord3_tls0), node3(1, &ord3_tls1)]);
    let ou3 =
        |name: &str| json!({"certificate": b64(&ica3.pem), "organizational_unit_identifier": name});
    let msp3 = json!({
        "admins": [b64(&admin3)], "display_name": "Org3 MSP",
        "fabric_node_ous": {"admin_ou_identifier": ou3("admin"), "client_ou_identifier": ou3("client"), "enable": true,
                            "orderer_ou_identifier": ou3("orderer"), "peer_ou_identifier": ou3("peer")},
        "host_url": "https://console-eu-west.example.com:443", "id": "org3msp", "intermediate_certs": [b64(&ica3.pem)],
        "msp_id": "Org3MSP", "name": "Org3 MSP", "organizational_unit_identifiers": [], "revocation_list": [],
        "root_certs": [b64(&ca3.pem)], "scheme_version": "v1", "tls_intermediate_certs": [b64(&tlsica3.pem)],
        "tls_root_certs": [b64(&tlsca3.pem)], "type": "msp"
    });
    let admin3_identity = identity("org3admin", &admin3, &admin3_key);
    write("good", "Org3 CA_ca.json", &pretty(&ca3_file));
    write("good", "Org3 Peer0_peer.json", &pretty(&peer3));
    write(
        "good",
        "Org3 Ordering Service_orderer.json",
        &pretty(&orderers3),
    );
    write("good", "Org3 MSP_msp.json", &pretty(&msp3));
    write("good", "org3admin_identity.json", &pretty(&admin3_identity));

    // ---- bad files and what each must be refused for
    let mut bad: Vec<(String, Vec<u8>, Value)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>, field: &str, reason: &str| {
        bad.push((
            name.to_string(),
            bytes,
            json!({"field": field, "reason": reason}),
        ));
    };
    let with = |base: &Value, path: &[&str], value: Value| {
        let mut v = base.clone();
        let mut cur = &mut v;
        for p in &path[..path.len() - 1] {
            cur = if let Ok(i) = p.parse::<usize>() {
                &mut cur[i]
            } else {
                &mut cur[*p]
            };
        }
        let last = path[path.len() - 1];
        if value.is_null() {
            cur.as_object_mut().unwrap().remove(last);
        } else if let Ok(i) = last.parse::<usize>() {
            cur[i] = value;
        } else {
            cur[last] = value;
        }
        pretty(&v)
    };
    let half = |pem: &str| pem[..pem.len() / 2].to_string();

    add(
        "malformed_peer.json",
        b"{\"display_name\": \"Org1 Peer0\",".to_vec(),
        "$",
        "malformed JSON",
    );
    let p = pretty(&peer);
    add(
        "truncated_peer.json",
        p[..p.len() / 3].to_vec(),
        "$",
        "malformed JSON",
    );
    add("not_json_ca.json", b"nope".to_vec(), "$", "malformed JSON");
    add(
        "trailing_garbage_msp.json",
        [pretty(&msp), b"}".to_vec()].concat(),
        "$",
        "malformed JSON",
    );
    add("empty_msp.json", Vec::new(), "$", "empty");
    add(
        "whitespace_only_peer.json",
        b"  \n\t \n".to_vec(),
        "$",
        "empty",
    );
    add(
        "latin1_ca.json",
        b"{\"display_name\": \"Org1 CA \xe9\"}".to_vec(),
        "$",
        "not UTF-8",
    );
    add(
        "deep_nesting_msp.json",
        [vec![b'['; 100], vec![b']'; 100]].concat(),
        "$",
        "nested 100 levels",
    );
    add(
        "json_string_peer.json",
        b"\"Org1 Peer0\"".to_vec(),
        "$",
        "not an object or array",
    );
    add(
        "msp named as ca_ca.json",
        pretty(&msp),
        "type",
        "the file name says a CA (_ca.json) but the content is an MSP definition",
    );
    add(
        "peer named as msp_msp.json",
        pretty(&peer),
        "type",
        "the file name says an MSP definition",
    );
    add(
        "untyped msp named as identity_identity.json",
        with(&msp, &["type"], Value::Null),
        "$",
        "the file name says a wallet identity",
    );
    add(
        "orderers named as peer_peer.json",
        pretty(&orderers),
        "$",
        "the file name says a peer",
    );
    add(
        "unknown_type_ca.json",
        with(&ca, &["type"], json!("fabric-foo")),
        "type",
        "not a console artifact type",
    );
    add(
        "no_type_no_hint.json",
        pretty(&json!({"display_name": "Something"})),
        "$",
        "cannot tell what this is",
    );
    add(
        "truncated_cert_peer.json",
        with(
            &peer,
            &["msp", "component", "tls_cert"],
            json!(b64(&half(&peer_tls))),
        ),
        "msp.component.tls_cert",
        "truncated",
    );
    add(
        "non_pem_cert_peer.json",
        with(
            &peer,
            &["msp", "component", "tls_cert"],
            json!(b64("hello world")),
        ),
        "msp.component.tls_cert",
        "not PEM",
    );
    add(
        "not_base64_cert_ca.json",
        with(
            &ca,
            &["msp", "component", "tls_cert"],
            json!("###not-a-cert###"),
        ),
        "msp.component.tls_cert",
        "neither base64",
    );
    let corrupt = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUAAAAAAAAAAAAAAAAAAAAAAAAAAAwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n";
    add(
        "corrupt_der_msp.json",
        with(&msp, &["root_certs", "0"], json!(b64(corrupt))),
        "root_certs[0]",
        "not a valid X.509",
    );
    let garbled = peer_tls.replacen('M', "@@garbage@@", 1);
    add(
        "raw_pem_with_garbage_peer.json",
        with(&peer, &["msp", "component", "tls_cert"], json!(garbled)),
        "msp.component.tls_cert",
        "not valid base64",
    );
    add(
        "key_instead_of_cert_msp.json",
        with(&msp, &["admins", "0"], json!(b64(&admin1_key))),
        "admins[0]",
        "'PRIVATE KEY' PEM block, not a certificate",
    );
    add(
        "expired_tls_cert_peer.json",
        with(
            &peer,
            &["msp", "component", "tls_cert"],
            json!(b64(&peer_tls_old)),
        ),
        "msp.component.tls_cert",
        "expired on 2020-01-01",
    );
    add(
        "expired_admin_msp.json",
        with(&msp, &["admins", "0"], json!(b64(&admin1_old))),
        "admins[0]",
        "expired on 2020-01-01",
    );
    add(
        "expired_identity.json",
        pretty(&identity("oldadmin", &admin1_old, &admin1_old_key)),
        "cert",
        "expired on 2020-01-01",
    );
    add(
        "key_mismatch_identity.json",
        pretty(&identity("org1admin", &admin1, &admin1b_key)),
        "private_key",
        "does not match",
    );
    add(
        "sec1_key_identity.json",
        pretty(&identity("org1admin", &admin1, &admin1_sec1)),
        "private_key",
        "SEC1",
    );
    add(
        "p384_key_for_p256_cert_identity.json",
        pretty(&identity("org1admin", &admin1, &p384)),
        "private_key",
        "EC P-384 but the certificate holds an EC P-256 key",
    );
    add(
        "missing_key_identity.json",
        with(&admin_identity, &["private_key"], Value::Null),
        "private_key",
        "missing",
    );
    add(
        "missing_cert_identity.json",
        with(&admin_identity, &["cert"], Value::Null),
        "cert",
        "missing",
    );
    add(
        "empty_name_identity.json",
        with(&admin_identity, &["name"], json!("")),
        "name",
        "missing",
    );
    add(
        "leading_space_name_identity.json",
        with(&admin_identity, &["name"], json!(" org1admin")),
        "name",
        "whitespace",
    );
    add(
        "bidi_name_identity.json",
        with(&admin_identity, &["name"], json!("admin\u{202E}gnp.exe")),
        "name",
        "control character U+202E",
    );
    add(
        "whitespace_name_peer.json",
        with(&peer, &["display_name"], json!("   ")),
        "display_name",
        "only whitespace",
    );
    add(
        "long_name_msp.json",
        with(&msp, &["display_name"], json!("O".repeat(70))),
        "display_name",
        "at most 64",
    );
    add(
        "control_char_name_ca.json",
        with(&ca, &["display_name"], json!("Org1\u{7}CA")),
        "display_name",
        "control character U+0007",
    );
    add(
        "missing_msp_id_peer.json",
        with(&peer, &["msp_id"], Value::Null),
        "msp_id",
        "missing",
    );
    add(
        "bad_msp_id_msp.json",
        with(&msp, &["msp_id"], json!("Org1 MSP")),
        "msp_id",
        "may only hold",
    );
    add(
        "missing_root_certs_msp.json",
        with(&msp, &["root_certs"], Value::Null),
        "root_certs",
        "at least one root certificate",
    );
    let mut no_tls = orderers.clone();
    no_tls[0]["msp"]["component"]
        .as_object_mut()
        .unwrap()
        .remove("tls_cert");
    no_tls[0].as_object_mut().unwrap().remove("tls_cert");
    add(
        "missing_tls_cert_orderer.json",
        pretty(&no_tls),
        "[0].msp.component.tls_cert",
        "is missing",
    );
    let mut no_ca_name = ca.clone();
    no_ca_name["msp"]["ca"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    no_ca_name.as_object_mut().unwrap().remove("ca_name");
    add(
        "missing_ca_name_ca.json",
        pretty(&no_ca_name),
        "msp.ca.name",
        "is missing",
    );
    let mut no_api = ca.clone();
    no_api.as_object_mut().unwrap().remove("api_url");
    no_api.as_object_mut().unwrap().remove("ca_url");
    add(
        "missing_api_url_ca.json",
        pretty(&no_api),
        "api_url",
        "is missing",
    );
    add(
        "unknown_msp_key_peer.json",
        with(&peer, &["msp", "component", "tls_key"], json!("x")),
        "msp.component.tls_key",
        "unknown key",
    );
    add(
        "unknown_msp_section_ca.json",
        with(&ca, &["msp", "hsm"], json!({})),
        "msp.hsm",
        "unknown key",
    );
    add(
        "https_api_url_peer.json",
        with(
            &peer,
            &["api_url"],
            json!("https://peer0.org1.example.com:7051"),
        ),
        "api_url",
        "not a gRPC URL",
    );
    let mut no_port = orderers.clone();
    no_port[1]["api_url"] = json!("grpcs://orderer1.org1.example.com");
    add(
        "grpc_url_without_port_orderer.json",
        pretty(&no_port),
        "[1].api_url",
        "not a gRPC URL",
    );
    add(
        "port_out_of_range_peer.json",
        with(
            &peer,
            &["grpcwp_url"],
            json!("https://peer0-proxy.org1.example.com:70000"),
        ),
        "grpcwp_url",
        "out of range",
    );
    add(
        "ftp_api_url_ca.json",
        with(&ca, &["api_url"], json!("ftp://ca.org1.example.com:7054")),
        "api_url",
        "not an http(s) URL",
    );
    add(
        "operations_url_without_scheme_peer.json",
        with(
            &peer,
            &["operations_url"],
            json!("peer0.org1.example.com:9443"),
        ),
        "operations_url",
        "not an http(s) URL",
    );
    add(
        "ipv6_host_msp.json",
        with(&msp, &["host_url"], json!("https://[::1]:443")),
        "host_url",
        "no valid host name",
    );
    add(
        "raft_empty_orderer.json",
        pretty(&json!({"raft": []})),
        "raft",
        "holds no ordering nodes",
    );
    add(
        "empty_array_orderer.json",
        b"[]".to_vec(),
        "$",
        "holds no ordering nodes",
    );
    add(
        "raft_not_a_list_orderer.json",
        pretty(&json!({"raft": {"display_name": "x"}})),
        "raft",
        "must be an array",
    );
    add(
        "tls_cert_of_other_org_peer.json",
        with(
            &peer,
            &["msp", "component", "tls_cert"],
            json!(b64(&peer2_tls)),
        ),
        "msp.component.tls_cert",
        "is not issued by the given TLS root certificates",
    );
    add(
        "admin_of_other_org_msp.json",
        with(&msp, &["admins", "0"], json!(b64(&admin2))),
        "admins[0]",
        "is not issued by this MSP's root or intermediate certificates",
    );
    add(
        "leaf_as_root_msp.json",
        with(&msp, &["root_certs", "0"], json!(b64(&admin1))),
        "root_certs[0]",
        "not a CA certificate",
    );
    add(
        "leaf_as_tls_root_msp.json",
        with(&msp, &["tls_root_certs", "0"], json!(b64(&peer_tls))),
        "tls_root_certs[0]",
        "not a CA certificate",
    );
    add(
        "number_as_url_peer.json",
        with(&peer, &["api_url"], json!(7051)),
        "api_url",
        "invalid type: integer `7051`, expected a string",
    );
    add(
        "long_tag_peer.json",
        with(&peer, &["tags"], json!(["a".repeat(40)])),
        "tags[0]",
        "longer than 32",
    );
    add(
        "missing_cluster_name_orderer.json",
        with(&node(0, &ord0_tls), &["cluster_name"], Value::Null),
        "cluster_name",
        "is missing",
    );
    add(
        "expired_legacy_tls_cert_ca.json",
        with(&legacy_ca, &["tls_cert"], json!(b64(&peer_tls_old))),
        "tls_cert",
        "expired on 2020-01-01",
    );
    add(
        "identity_typed_as_peer_identity.json",
        with(&admin_identity, &["type"], json!("fabric-peer")),
        "type",
        "the file name says a wallet identity",
    );
    add(
        "bulk_array_with_bad_item.json",
        pretty(&json!([
            msp.clone(),
            with_value(&peer, &["msp_id"], json!("Org1 MSP"))
        ])),
        "[1].msp_id",
        "may only hold",
    );

    // chains through intermediates
    let mut no_ica = peer3.clone();
    for k in ["intermediate_ca", "intermediate_tlsca"] {
        no_ica["msp"].as_object_mut().unwrap().remove(k);
    }
    add(
        "missing_intermediate_peer.json",
        pretty(&no_ica),
        "msp.component.tls_cert",
        "is not in msp.tlsca.root_certs or msp.intermediate_tlsca.root_certs",
    );
    add(
        "missing_intermediate_msp.json",
        with(&msp3, &["intermediate_certs"], Value::Null),
        "admins[0]",
        "is not issued by this MSP's root or intermediate certificates",
    );
    let mut only_tls_ica = orderers3.clone();
    only_tls_ica[1]["msp"]
        .as_object_mut()
        .unwrap()
        .remove("intermediate_tlsca");
    add(
        "missing_tls_intermediate_orderer.json",
        pretty(&only_tls_ica),
        "[1].msp.component.tls_cert",
        "is not in msp.tlsca.root_certs or msp.intermediate_tlsca.root_certs",
    );
    let mut ca_wrong_ica = ca3_file.clone();
    ca_wrong_ica["msp"]["intermediate_ca"]["root_certs"] = json!([b64(&ica1.pem)]);
    add(
        "intermediate_of_other_root_ca.json",
        pretty(&ca_wrong_ica),
        "msp.intermediate_ca.root_certs[0]",
        "is not issued by msp.ca.root_certs",
    );
    add(
        "intermediate_not_ca_msp.json",
        pretty(&with_value(
            &with_value(&msp3, &["intermediate_certs"], json!([b64(&noca3.pem)])),
            &["admins"],
            json!([b64(&admin3_noca)]),
        )),
        "intermediate_certs[0]",
        "not a CA certificate",
    );
    let mut noca_peer = peer3.clone();
    noca_peer["msp"]["intermediate_ca"]["root_certs"] = json!([b64(&noca3.pem)]);
    noca_peer["msp"]["component"]["admin_certs"] = json!([b64(&admin3_noca)]);
    add(
        "intermediate_not_ca_peer.json",
        pretty(&noca_peer),
        "msp.component.admin_certs[0]",
        "is not a CA certificate (no basic constraints CA:TRUE)",
    );

    // not yet valid
    add(
        "not_yet_valid_tls_cert_peer.json",
        with(
            &peer,
            &["msp", "component", "tls_cert"],
            json!(b64(&peer_tls_future)),
        ),
        "msp.component.tls_cert",
        "not valid before 2090-01-01",
    );
    add(
        "not_yet_valid_identity.json",
        pretty(&identity("futureadmin", &admin1_future, &admin1_future_key)),
        "cert",
        "not valid before 2090-01-01",
    );

    // duplicate keys: the console keeps the last value without a word
    let msp_text = String::from_utf8(pretty(&msp)).unwrap();
    add(
        "duplicate_key_msp.json",
        msp_text
            .replacen("{\n", "{\n    \"msp_id\": \"Org2MSP\",\n", 1)
            .into_bytes(),
        "msp_id",
        "duplicate key 'msp_id'",
    );
    let peer_text = String::from_utf8(pretty(&peer)).unwrap();
    add(
        "duplicate_nested_key_peer.json",
        peer_text
            .replacen(
                "\"component\": {\n",
                &format!(
                    "\"component\": {{\n            \"tls_cert\": \"{}\",\n",
                    b64(&peer2_tls)
                ),
                1,
            )
            .into_bytes(),
        "msp.component.tls_cert",
        "duplicate key 'tls_cert'",
    );

    // identity of another org, checked against Org1's MSP
    bad.push((
        "org2admin_identity.json".into(),
        pretty(&identity("org2admin", &admin2, &admin2_key)),
        json!({"field": "cert", "reason": "is not issued by MSP 'Org1MSP'", "msp": "Org1 MSP_msp.json"}),
    ));

    // an identity below Org3's intermediate CA is no member of Org1
    bad.push((
        "org3admin_given_with_org1_identity.json".into(),
        pretty(&admin3_identity),
        json!({"field": "cert", "reason": "is not issued by MSP 'Org1MSP' (Org1 MSP_msp.json)", "msp": "Org1 MSP_msp.json"}),
    ));

    // bulk ZIPs
    let ok_ca = pretty(&with_value(&ca, &["id"], Value::Null));
    let bad_peer = with(
        &with_value(&peer, &["id"], Value::Null),
        &["msp", "component", "tls_cert"],
        json!(b64(&peer_tls_old)),
    );
    let zip1 = zip_of(&[
        ("Certificate Authorities/", vec![]),
        ("Certificate Authorities/org1ca_ca.json", ok_ca.clone()),
        ("Peers/org1peer0_peer.json", bad_peer),
        (
            "__MACOSX/Peers/._org1peer0_peer.json",
            b"\x00\x05\x16\x07junk".to_vec(),
        ),
    ]);
    bad.push(("bulk_with_bad_entry.zip".into(), zip1, json!({
        "file": "bulk_with_bad_entry.zip/Peers/org1peer0_peer.json", "field": "msp.component.tls_cert", "reason": "expired on 2020-01-01"})));
    let zip2 = zip_of(&[
        ("Certificate_Authorities/org1ca_ca.json", ok_ca),
        (
            "Peers/org1msp.json",
            pretty(&with_value(&msp, &["id"], Value::Null)),
        ),
    ]);
    bad.push(("bulk_msp_in_peers_folder.zip".into(), zip2, json!({
        "file": "bulk_msp_in_peers_folder.zip/Peers/org1msp.json", "field": "type", "reason": "the folder says a peer"})));
    let zip3 = zip_of(&[(
        "Wallet/org1admin_identity.json",
        b"{\"name\": \"org1admin\", ".to_vec(),
    )]);
    bad.push(("bulk_with_malformed_identity.zip".into(), zip3, json!({
        "file": "bulk_with_malformed_identity.zip/Wallet/org1admin_identity.json", "field": "$", "reason": "malformed JSON"})));
    bad.push((
        "not_really_a.zip".into(),
        b"this is text".to_vec(),
        json!({"field": "$", "reason": "not a ZIP archive"}),
    ));

    let bad_dir = corpus_dir().join("bad");
    let _ = fs::remove_dir_all(&bad_dir);
    let mut manifest = serde_json::Map::new();
    for (name, bytes, exp) in bad {
        write("bad", &name, &bytes);
        manifest.insert(name, exp);
    }
    write("bad", "expected.json", &pretty(&Value::Object(manifest)));
}

fn with_value(base: &Value, path: &[&str], value: Value) -> Value {
    let mut v = base.clone();
    let mut cur = &mut v;
    for p in &path[..path.len() - 1] {
        cur = &mut cur[*p];
    }
    if value.is_null() {
        cur.as_object_mut().unwrap().remove(path[path.len() - 1]);
    } else {
        cur[path[path.len() - 1]] = value;
    }
    v
}
