//! `atlas ca …`: the guide's step 4.1 against Fabric CA itself — a CA's info, its admins
//! enrolled (and so verified), identities registered, listed and enrolled into the wallet.
//! Secrets come from environment variables or stdin and are never printed, except a generated
//! registration secret when asked for with `--show-secret`.

use std::process::ExitCode;

use atlas_core::atlas::{RegisterOutcome, RegisterRequest};
use atlas_core::ca_admins::{CaAdminCredentials, EnrollCredentials};
use atlas_core::fabric_ca::CaAttribute;
use atlas_core::secrets::Secret;
use atlas_core::AppError;
use clap::Subcommand;

use crate::output;
use crate::regions::{read_secret, Context};

#[derive(Subcommand)]
pub enum CaCommand {
    /// What the CA server says about its CA and TLS CA (names, versions, chains).
    Info { region: String, ca: String },
    /// Enroll the CA admin and the TLS CA admin with the CA itself; kept only when both are
    /// accepted (their identities then serve every registration). Secrets from the named
    /// environment variables, else stdin: two lines, the CA admin's first.
    EnrollAdmin {
        region: String,
        ca: String,
        #[arg(long, value_name = "ENROLL_ID")]
        ca_admin: String,
        #[arg(long, value_name = "ENROLL_ID")]
        tlsca_admin: String,
        #[arg(long, value_name = "VAR")]
        ca_secret_env: Option<String>,
        #[arg(long, value_name = "VAR")]
        tlsca_secret_env: Option<String>,
    },
    /// Register an identity (a peer or orderer on the TLS CA too); its secret is kept in the
    /// keyring for the node's creation (made here unless --secret-env names one).
    Register {
        region: String,
        ca: String,
        #[arg(long)]
        id: String,
        /// peer, orderer, client or admin.
        #[arg(long = "type", value_name = "TYPE")]
        kind: String,
        #[arg(long)]
        affiliation: Option<String>,
        #[arg(long, value_name = "N")]
        max_enrollments: Option<i64>,
        /// An attribute, NAME=VALUE (repeat for several).
        #[arg(long = "attr", value_name = "NAME=VALUE")]
        attrs: Vec<String>,
        #[arg(long, value_name = "VAR")]
        secret_env: Option<String>,
        /// Print the secret it was registered with (once; it is never logged).
        #[arg(long)]
        show_secret: bool,
    },
    /// The identities registered with the CA.
    Identities { region: String, ca: String },
    /// Enroll a registered identity into the wallet (a fresh key, kept in the keyring). The
    /// secret from --secret-env, else stdin.
    Enroll {
        region: String,
        ca: String,
        #[arg(long)]
        id: String,
        #[arg(long, value_name = "NAME")]
        wallet_name: String,
        #[arg(long, value_name = "VAR")]
        secret_env: Option<String>,
    },
}

pub async fn run(ctx: &Context, command: CaCommand) -> Result<ExitCode, AppError> {
    let atlas = ctx.atlas()?;
    match command {
        CaCommand::Info { region, ca } => {
            let info = atlas.ca_info(&region, &ca).await?;
            if ctx.json {
                output::json(&info);
            } else {
                println!("{}", info.api_url);
                for (what, named) in [("CA", &info.ca), ("TLS CA", &info.tlsca)] {
                    println!(
                        "  {what} {} ({}): {}",
                        named.name,
                        if named.version.is_empty() {
                            "version not given"
                        } else {
                            &named.version
                        },
                        output::printable(&named.chain.join(" <- "))
                    );
                }
            }
        }
        CaCommand::EnrollAdmin {
            region,
            ca,
            ca_admin,
            tlsca_admin,
            ca_secret_env,
            tlsca_secret_env,
        } => {
            let credentials = CaAdminCredentials {
                ca_admin: EnrollCredentials {
                    enroll_secret: read_secret(
                        ca_secret_env.as_deref(),
                        "--ca-secret-env",
                        "CA admin enroll secret",
                    )?,
                    enroll_id: ca_admin,
                },
                tlsca_admin: EnrollCredentials {
                    enroll_secret: read_secret(
                        tlsca_secret_env.as_deref(),
                        "--tlsca-secret-env",
                        "TLS CA admin enroll secret",
                    )?,
                    enroll_id: tlsca_admin,
                },
            };
            let which = atlas.ca_admin_status(&region, &ca).await?;
            let status = atlas.save_ca_admins(&which, &credentials).await?;
            if ctx.json {
                output::json(&status);
            } else if status.verified {
                println!(
                    "{}: both admins enrolled with the CA; kept",
                    output::printable(&status.display_name)
                );
            } else {
                println!(
                    "{}: kept, {}",
                    output::printable(&status.display_name),
                    output::printable(status.note.as_deref().unwrap_or("not checked"))
                );
            }
            if !status.verified {
                return Ok(ExitCode::from(3));
            }
        }
        CaCommand::Register {
            region,
            ca,
            id,
            kind,
            affiliation,
            max_enrollments,
            attrs,
            secret_env,
            show_secret,
        } => {
            let secret = match &secret_env {
                Some(_) => Some(read_secret(
                    secret_env.as_deref(),
                    "--secret-env",
                    "enroll secret",
                )?),
                None => None,
            };
            let request = RegisterRequest {
                enroll_id: id.clone(),
                kind,
                affiliation,
                max_enrollments,
                attrs: attrs
                    .iter()
                    .map(|a| attribute(a))
                    .collect::<Result<_, _>>()?,
                secret,
            };
            let report = atlas.register_identity(&region, &ca, &request).await?;
            if ctx.json {
                output::json(&report);
            } else {
                for r in &report.results {
                    let what = match r.outcome {
                        RegisterOutcome::Registered => "registered".to_owned(),
                        RegisterOutcome::AlreadyRegistered | RegisterOutcome::Failed => {
                            output::printable(r.message.as_deref().unwrap_or("failed"))
                        }
                    };
                    println!("{} on {}: {what}", report.enroll_id, r.ca);
                }
                if report.secret_kept {
                    println!("its secret is kept in the keyring for the node's creation");
                }
            }
            if show_secret && report.secret_kept {
                let secret = atlas.registered_secret(&region, &ca, &id).await?;
                println!("secret: {}", secret.expose());
            }
            if report
                .results
                .iter()
                .any(|r| r.outcome == RegisterOutcome::Failed)
            {
                return Ok(ExitCode::from(1));
            }
        }
        CaCommand::Identities { region, ca } => {
            let identities = atlas.ca_identities(&region, &ca).await?;
            if ctx.json {
                output::json(&identities);
            } else {
                let rows: Vec<Vec<String>> = identities
                    .iter()
                    .map(|i| {
                        let attrs: Vec<String> = i
                            .attrs
                            .iter()
                            .filter(|a| !a.name.starts_with("hf."))
                            .map(|a| format!("{}={}", a.name, a.value))
                            .collect();
                        vec![
                            i.id.clone(),
                            i.kind.clone(),
                            i.affiliation.clone(),
                            if i.max_enrollments < 0 {
                                "unlimited".to_owned()
                            } else {
                                i.max_enrollments.to_string()
                            },
                            attrs.join(", "),
                        ]
                    })
                    .collect();
                output::table(
                    &["ID", "TYPE", "AFFILIATION", "MAX ENROLLMENTS", "ATTRIBUTES"],
                    &rows,
                );
            }
        }
        CaCommand::Enroll {
            region,
            ca,
            id,
            wallet_name,
            secret_env,
        } => {
            let secret = Secret::new(read_secret(
                secret_env.as_deref(),
                "--secret-env",
                "enroll secret",
            )?);
            let identity = atlas
                .enroll_into_wallet(&region, &ca, &id, &secret, &wallet_name)
                .await?;
            if ctx.json {
                output::json(&identity);
            } else {
                println!(
                    "{} enrolled into the wallet: {} (until {}){}",
                    output::printable(&identity.name),
                    output::printable(&identity.subject),
                    identity.not_after,
                    identity
                        .msp_id
                        .as_deref()
                        .map(|m| format!(", of {m}"))
                        .unwrap_or_default()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `NAME=VALUE` as an attribute put into the enrollment certificate.
fn attribute(given: &str) -> Result<CaAttribute, AppError> {
    let (name, value) = given.split_once('=').ok_or_else(|| {
        AppError::invalid_field("attr", format!("--attr '{given}': expected NAME=VALUE"))
    })?;
    Ok(CaAttribute {
        name: name.trim().to_owned(),
        value: value.to_owned(),
        ecert: true,
    })
}
