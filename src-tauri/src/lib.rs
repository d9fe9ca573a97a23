//! The desktop shell. Each command deserializes its input, calls one `atlas-core` function and
//! returns its result or its `{code, message}` error. Health goes to the web view as an event, only
//! when it changed.

mod dialogs;
mod sandbox;
mod transfers;

use std::sync::Arc;

use atlas_core::app_data;
use atlas_core::artifacts::Finding;
use atlas_core::atlas::{
    Atlas, AtlasOptions, CaServerInfo, ComponentDetails, RegisterReport, RegisterRequest,
    CONFIG_REFRESH_INTERVAL,
};
use atlas_core::audit::AuditRead;
use atlas_core::connection::{ConnectionReport, ConnectionTest};
use atlas_core::fabric_ca::CaIdentity;
use atlas_core::files::{write_export_replacing, ImportReport};
use atlas_core::fleet::{FleetStore, NewRegion, RegionEdit};
use atlas_core::geo::{self, Location};
use atlas_core::health::HealthSnapshot;
use atlas_core::identities::IdentityView;
use atlas_core::ipc::{
    AppInfo, CertificateCalendar, Change, ExportResult, RegionView, CHANGE_EVENT, HEALTH_EVENT,
};
use atlas_core::secrets::{KeyringStore, Secret, SecretStore};
use atlas_core::tls_trust::CertificateSummary;
use atlas_core::{AppError, ErrorCode};
use std::path::PathBuf;
use tokio::sync::broadcast;

use atlas_core::ca_admins::{CaAdminCredentials, CaAdminStatus};
use atlas_core::drift::{DriftReport, MakeEqualReport};
use atlas_core::identities::RegionAdminReport;
use atlas_core::posture::Posture;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, Runtime};

type CommandResult<T> = Result<T, AppError>;

/// When `run` began: the start the window's ready mark is measured from.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The UI's mark that the window is interactive (the regions are on the map); logged once.
#[tauri::command]
fn window_ready() {
    static MARKED: std::sync::Once = std::sync::Once::new();
    MARKED.call_once(|| {
        let ms = STARTED.get().map_or(0, |start| start.elapsed().as_millis());
        tracing::info!("window ready: the map is interactive {ms} ms after start");
    });
}

#[tauri::command]
async fn app_info(atlas: tauri::State<'_, Atlas>) -> CommandResult<AppInfo> {
    Ok(AppInfo {
        version: build_info::VERSION.into(),
        commit: Some(build_info::COMMIT.into()),
        log_dir: app_data::log_dir().map(|d| d.display().to_string()),
        ..atlas.info()
    })
}

#[tauri::command]
async fn list_locations() -> CommandResult<Vec<Location>> {
    Ok(geo::catalogue())
}

#[tauri::command]
async fn list_regions(atlas: tauri::State<'_, Atlas>) -> CommandResult<Vec<RegionView>> {
    Ok(atlas.regions())
}

#[tauri::command]
async fn add_region(
    atlas: tauri::State<'_, Atlas>,
    region: NewRegion,
) -> CommandResult<RegionView> {
    atlas.add_region(region)
}

#[tauri::command]
async fn edit_region(
    atlas: tauri::State<'_, Atlas>,
    id: String,
    edit: RegionEdit,
) -> CommandResult<RegionView> {
    atlas.edit_region(&id, edit)
}

#[tauri::command]
async fn remove_region(atlas: tauri::State<'_, Atlas>, id: String) -> CommandResult<()> {
    atlas.remove_region(&id)
}

#[tauri::command]
async fn test_connection(
    atlas: tauri::State<'_, Atlas>,
    test: ConnectionTest,
) -> CommandResult<ConnectionReport> {
    atlas.test_connection(test).await
}

/// The certificate a console presents, for the user to review before trusting it.
#[tauri::command]
async fn console_certificate(
    atlas: tauri::State<'_, Atlas>,
    console_url: String,
) -> CommandResult<CertificateSummary> {
    atlas.console_certificate(&console_url).await
}

#[tauri::command]
async fn health_snapshot(atlas: tauri::State<'_, Atlas>) -> CommandResult<HealthSnapshot> {
    Ok(atlas.health())
}

/// Exports a component through a save dialog, in the console UI's format.
#[tauri::command]
async fn export_component<R: Runtime>(
    app: AppHandle<R>,
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
    component_id: String,
) -> CommandResult<ExportResult> {
    let file = atlas.export_component(&region_id, &component_id).await?;
    let chosen = dialogs::save_path(&app, "Export component", &file.file_name).await;
    save(chosen, &file.file_name, &file.contents, false)
}

/// Validates and imports dropped (or chosen) files into a region. `on_wait` hears the console's
/// name when another Fabric Atlas operation holds it and the import waits its turn.
#[tauri::command]
async fn import_files(
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
    paths: Vec<PathBuf>,
    dry_run: bool,
    on_wait: Channel<String>,
) -> CommandResult<ImportReport> {
    let on_wait = |console: &str| {
        let _ = on_wait.send(console.to_owned());
    };
    atlas
        .import_files(&region_id, &paths, dry_run, &on_wait)
        .await
}

/// Picks console files to import with an open dialog; empty when cancelled. The web view then
/// imports them like dropped files (and can import them again once a CA's credentials are given).
#[tauri::command]
async fn choose_import_files<R: Runtime>(app: AppHandle<R>) -> CommandResult<Vec<PathBuf>> {
    Ok(dialogs::open_paths(
        &app,
        "Import into region",
        ("Console files", &["json", "zip"]),
    )
    .await)
}

/// Exports a whole region as the console's bulk ZIP through a save dialog.
#[tauri::command]
async fn export_region_zip<R: Runtime>(
    app: AppHandle<R>,
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
) -> CommandResult<ExportResult> {
    let zip = atlas.export_region_zip(&region_id).await?;
    let file_name = format!("{region_id}.zip");
    let chosen = dialogs::save_path(&app, "Export region", &file_name).await;
    save(chosen, &file_name, &zip, false)
}

/// Makes a wallet identity the admin identity of the org of an MSP on a region's console.
#[tauri::command]
async fn associate_identity(
    atlas: tauri::State<'_, Atlas>,
    name: String,
    region_id: String,
    msp_component_id: String,
) -> CommandResult<Vec<Finding>> {
    atlas
        .associate_identity(&name, &region_id, &msp_component_id)
        .await
}

#[tauri::command]
async fn list_identities(atlas: tauri::State<'_, Atlas>) -> CommandResult<Vec<IdentityView>> {
    Ok(atlas.identities())
}

/// Imports identity files into the wallet: from dropped paths, or (no paths) an open dialog.
#[tauri::command]
async fn import_identities<R: Runtime>(
    app: AppHandle<R>,
    paths: Option<Vec<PathBuf>>,
    passphrase: Option<String>,
) -> CommandResult<Option<ImportReport>> {
    let paths = match paths {
        Some(paths) => paths,
        None => {
            dialogs::open_paths(
                &app,
                "Import identities",
                ("Identity files", &["json", "age"]),
            )
            .await
        }
    };
    if paths.is_empty() {
        return Ok(None);
    }
    let passphrase = passphrase.filter(|p| !p.is_empty()).map(Secret::new);
    // Reading and decrypting files blocks: off the async runtime.
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        app.state::<Atlas>()
            .import_identities(&paths, passphrase.as_ref())
            .map(Some)
    })
    .await
    .map_err(|e| AppError::new(ErrorCode::Internal, format!("the import stopped: {e}")))?
}

/// Exports an identity through a save dialog (0600), encrypted when a passphrase is given.
#[tauri::command]
async fn export_identity<R: Runtime>(
    app: AppHandle<R>,
    atlas: tauri::State<'_, Atlas>,
    name: String,
    passphrase: Option<String>,
) -> CommandResult<ExportResult> {
    let passphrase = passphrase.filter(|p| !p.is_empty()).map(Secret::new);
    let file = atlas.export_identity(&name, passphrase.as_ref())?;
    let chosen = dialogs::save_path(&app, "Export identity", &file.file_name).await;
    save(chosen, &file.file_name, &file.contents, true)
}

#[tauri::command]
async fn remove_identity(atlas: tauri::State<'_, Atlas>, name: String) -> CommandResult<()> {
    atlas.remove_identity(&name)
}

/// Every certificate the consoles (listed now) and the wallet hold, soonest expiry first.
#[tauri::command]
async fn certificate_calendar(
    atlas: tauri::State<'_, Atlas>,
) -> CommandResult<CertificateCalendar> {
    atlas.certificates(std::time::SystemTime::now()).await
}

/// The HA posture with regions `lost` supposed gone (the what-if).
#[tauri::command]
async fn posture(atlas: tauri::State<'_, Atlas>, lost: Vec<String>) -> CommandResult<Posture> {
    atlas.posture(&lost).await
}

/// The administrator says where node `node` (its API URL) lives; answers the node's key.
#[tauri::command]
async fn place_node(
    atlas: tauri::State<'_, Atlas>,
    node: String,
    region_id: String,
) -> CommandResult<String> {
    atlas.place(&node, &region_id).await
}

/// One component in full: endpoints, certificates, home region, copies, recent health.
#[tauri::command]
async fn component_details(
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
    component_id: String,
) -> CommandResult<ComponentDetails> {
    atlas
        .component_details(&region_id, &component_id, std::time::SystemTime::now())
        .await
}

/// The nodes and MSPs whose copies on several consoles differ.
#[tauri::command]
async fn drift_report(atlas: tauri::State<'_, Atlas>) -> CommandResult<DriftReport> {
    atlas.drift().await
}

/// Makes every copy of `key` equal to region `from_region_id`'s (the user confirmed it).
#[tauri::command]
async fn make_equal(
    atlas: tauri::State<'_, Atlas>,
    key: String,
    from_region_id: String,
) -> CommandResult<MakeEqualReport> {
    atlas.make_equal(&key, &from_region_id).await
}

#[tauri::command]
async fn audit_log(atlas: tauri::State<'_, Atlas>) -> CommandResult<AuditRead> {
    atlas.audit_entries()
}

/// Shows a file the app wrote in the system's file manager ("Show in folder" on a notice).
#[tauri::command]
async fn show_in_folder<R: Runtime>(app: AppHandle<R>, path: PathBuf) -> CommandResult<()> {
    use tauri_plugin_opener::OpenerExt;
    if !path.is_file() {
        return Err(AppError::invalid_field(
            "path",
            format!("{} is not a file (any more)", path.display()),
        ));
    }
    app.opener().reveal_item_in_dir(&path).map_err(|e| {
        AppError::new(
            ErrorCode::Internal,
            format!("cannot show {}: {e}", path.display()),
        )
    })
}

fn save(
    chosen: Option<PathBuf>,
    file_name: &str,
    contents: &[u8],
    private: bool,
) -> CommandResult<ExportResult> {
    let path = match chosen {
        Some(path) => {
            // The save dialog asked before replacing a file.
            write_export_replacing(&path, contents, private)?;
            Some(path.display().to_string())
        }
        None => None,
    };
    Ok(ExportResult {
        path,
        file_name: file_name.to_owned(),
    })
}

/// An identity dropped on a region becomes the org's admin identity there (in the wallet).
#[tauri::command]
async fn make_region_admin(
    atlas: tauri::State<'_, Atlas>,
    name: String,
    region_id: String,
) -> CommandResult<RegionAdminReport> {
    atlas.make_region_admin(&name, &region_id).await
}

/// Keeps the admin and TLS CA admin enroll credentials of a CA a plan or an import report named;
/// the secrets go to the keyring.
#[tauri::command]
async fn save_ca_admins(
    atlas: tauri::State<'_, Atlas>,
    ca: CaAdminStatus,
    credentials: CaAdminCredentials,
) -> CommandResult<CaAdminStatus> {
    atlas.save_ca_admins(&ca, &credentials).await
}

/// A CA component of a region with what is kept of its admins (ids; verified or why not).
#[tauri::command]
async fn ca_admin_status(
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
    ca_id: String,
) -> CommandResult<CaAdminStatus> {
    atlas.ca_admin_status(&region_id, &ca_id).await
}

/// What the CA server of a CA component says about its CA and TLS CA.
#[tauri::command]
async fn ca_info(
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
    ca_id: String,
) -> CommandResult<CaServerInfo> {
    atlas.ca_info(&region_id, &ca_id).await
}

/// Registers an identity with a CA (a peer or orderer on its TLS CA too) as its verified admin.
#[tauri::command]
async fn register_identity(
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
    ca_id: String,
    request: RegisterRequest,
) -> CommandResult<RegisterReport> {
    atlas.register_identity(&region_id, &ca_id, &request).await
}

/// The secret an identity was registered with from this machine: shown once, on request.
#[tauri::command]
async fn registered_secret(
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
    ca_id: String,
    enroll_id: String,
) -> CommandResult<String> {
    let secret = atlas
        .registered_secret(&region_id, &ca_id, &enroll_id)
        .await?;
    Ok(secret.expose().to_owned())
}

/// The identities registered with a CA.
#[tauri::command]
async fn ca_identities(
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
    ca_id: String,
) -> CommandResult<Vec<CaIdentity>> {
    atlas.ca_identities(&region_id, &ca_id).await
}

/// Enrolls a registered identity into the wallet (its key made here, kept in the keyring).
#[tauri::command]
async fn enroll_into_wallet(
    atlas: tauri::State<'_, Atlas>,
    region_id: String,
    ca_id: String,
    enroll_id: String,
    enroll_secret: String,
    wallet_name: String,
) -> CommandResult<IdentityView> {
    let secret = Secret::new(enroll_secret);
    atlas
        .enroll_into_wallet(&region_id, &ca_id, &enroll_id, &secret, &wallet_name)
        .await
}

/// Registers the commands; generic over the runtime so tests can use Tauri's mock runtime.
pub fn setup<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .manage(transfers::Transfers::default())
        .invoke_handler(tauri::generate_handler![
            app_info,
            window_ready,
            certificate_calendar,
            posture,
            place_node,
            drift_report,
            make_equal,
            component_details,
            ca_admin_status,
            ca_info,
            register_identity,
            registered_secret,
            ca_identities,
            enroll_into_wallet,
            list_locations,
            list_regions,
            add_region,
            edit_region,
            remove_region,
            test_connection,
            health_snapshot,
            export_component,
            import_files,
            choose_import_files,
            console_certificate,
            show_in_folder,
            list_identities,
            import_identities,
            export_identity,
            remove_identity,
            audit_log,
            export_region_zip,
            associate_identity,
            make_region_admin,
            save_ca_admins,
            transfers::plan_operation,
            transfers::apply_operation,
            transfers::cancel_transfer
        ])
}

/// Opens the fleet, starts the sandbox when no console is configured, starts health polling and
/// forwards health changes to the web view.
pub fn start<R: Runtime>(
    app: &tauri::AppHandle<R>,
    store: FleetStore,
    keyring: Arc<dyn SecretStore>,
    sandbox_dir: std::path::PathBuf,
    options: AtlasOptions,
) -> Result<(), AppError> {
    let mut atlas = Atlas::open(store, keyring, options)?;
    let mut sandbox_identities = None;
    if atlas.fleet_is_empty() {
        let sandbox = tauri::async_runtime::block_on(sandbox::Sandbox::start(&sandbox_dir))?;
        atlas.add_sandbox(sandbox.regions())?;
        sandbox_identities = Some(sandbox.identities());
        app.manage(sandbox);
    } else if let Err(e) = atlas.forget_sandbox_identities() {
        tracing::warn!("could not remove the sandbox's identities: {}", e.message);
    }
    let mut health = atlas.subscribe_health();
    let mut changes = atlas.subscribe_changes();
    tauri::async_runtime::block_on(async { atlas.start_polling() })?;
    app.manage(atlas);
    if let Some((files, region_id)) = sandbox_identities {
        // The sandbox's org admin is in the wallet, and admin on its region, from the start.
        let handle = app.clone();
        tauri::async_runtime::spawn(async move {
            let atlas = handle.state::<Atlas>();
            let names = match atlas.add_sandbox_identities(&files) {
                Ok(names) => names,
                Err(e) => return tracing::warn!("sandbox identities: {}", e.message),
            };
            for name in names {
                if let Err(e) = atlas.make_region_admin(&name, &region_id).await {
                    tracing::warn!("sandbox identity {name}: {}", e.message);
                }
            }
        });
    }

    let to_window = app.clone();
    tauri::async_runtime::spawn(async move {
        while health.changed().await.is_ok() {
            let snapshot = health.borrow_and_update().clone();
            if let Err(e) = to_window.emit(HEALTH_EVENT, snapshot) {
                tracing::warn!("could not send health to the window: {e}");
            }
        }
    });
    // `atlas` runs change the same config files: what they changed reaches the views (and the
    // poller) within a few seconds, as the app's own changes do.
    let refresher = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(CONFIG_REFRESH_INTERVAL).await;
            if let Err(e) = refresher.state::<Atlas>().refresh_config() {
                tracing::warn!("could not read the configuration again: {}", e.message);
            }
        }
    });
    let to_window = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match changes.recv().await {
                Ok(change) => {
                    if let Err(e) = to_window.emit(CHANGE_EVENT, change) {
                        tracing::warn!("could not send a change to the window: {e}");
                    }
                }
                // Fell behind: the views reload everything they show.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    for change in [
                        Change::Regions,
                        Change::Wallet,
                        Change::Audit,
                        Change::CaAdmins,
                        Change::Homes,
                    ] {
                        let _ = to_window.emit(CHANGE_EVENT, change);
                    }
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    Ok(())
}

pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    let _log_writer = init_logging();
    // First: a second launch hands over to the running app (its window comes forward) and
    // exits, so one process polls the consoles and holds the sandbox.
    let builder =
        tauri::Builder::default().plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            bring_forward(app)
        }));
    setup(builder)
        .plugin(tauri_plugin_dialog::init())
        // The window comes back where and as large as the user left it.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let store = FleetStore::default_location()?;
            let sandbox_dir = sandbox::default_dir()?;
            // The keyring's probe (D-Bus round trips on Linux) runs while the window loads, so
            // the window's first question (`app_info`, which names a keyring problem) finds it
            // done. Here, not in `start`: tests call `start`, and a thread still talking to
            // D-Bus when a test process exits aborts it.
            let keyring = Arc::new(KeyringStore::new());
            let probe = keyring.clone();
            std::thread::spawn(move || probe.problem());
            start(
                app.handle(),
                store,
                keyring,
                sandbox_dir,
                options_from_env(),
            )?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("Fabric Atlas could not start");
}

/// Logs to stderr and to a daily file in the platform's log directory (a week kept), which a
/// user can send: nothing secret is ever logged (secrets are `Secret`, whose `Debug` is
/// redacted, and messages never carry them). The guard keeps the file writer flushing.
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "info,hyper=warn,reqwest=warn".into())
    };
    let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let file = app_data::log_dir().and_then(|dir| {
        std::fs::create_dir_all(&dir).ok()?;
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("fabric-atlas")
            .filename_suffix("log")
            .max_log_files(7)
            .build(&dir)
            .ok()
    });
    let (file_layer, guard) = match file {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(writer);
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(filter())
        .with(stderr)
        .with(file_layer)
        .init();
    guard
}

/// The app's options, with `FABRIC_ATLAS_SLOW_AFTER_MS` (when a console counts as slow).
fn options_from_env() -> AtlasOptions {
    let mut options = AtlasOptions::default();
    if let Some(ms) = std::env::var(SLOW_AFTER_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        options.slow_after = std::time::Duration::from_millis(ms);
    }
    options
}

const SLOW_AFTER_ENV: &str = "FABRIC_ATLAS_SLOW_AFTER_MS";

/// Shows the main window, restored and focused (a second launch asked for it).
fn bring_forward(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests;
