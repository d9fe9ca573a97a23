//! The desktop shell. Each command deserializes its input, calls one `atlas-core` function and
//! returns its result or its `{code, message}` error. Health goes to the web view as an event, only
//! when it changed.

mod sandbox;

use std::sync::Arc;

use atlas_core::atlas::Atlas;
use atlas_core::connection::{ConnectionReport, ConnectionTest};
use atlas_core::fleet::{FleetStore, NewRegion, RegionEdit};
use atlas_core::geo::{self, Location};
use atlas_core::health::{HealthSnapshot, DEFAULT_POLL_INTERVAL};
use atlas_core::ipc::{AppInfo, RegionView, HEALTH_EVENT};
use atlas_core::secrets::{KeyringStore, SecretStore};
use atlas_core::AppError;
use tauri::{Emitter, Manager, Runtime};

type CommandResult<T> = Result<T, AppError>;

#[tauri::command]
async fn app_info(atlas: tauri::State<'_, Atlas>) -> CommandResult<AppInfo> {
    Ok(atlas.info())
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

#[tauri::command]
async fn health_snapshot(atlas: tauri::State<'_, Atlas>) -> CommandResult<HealthSnapshot> {
    Ok(atlas.health())
}

/// Registers the commands; generic over the runtime so tests can use Tauri's mock runtime.
pub fn setup<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        app_info,
        list_locations,
        list_regions,
        add_region,
        edit_region,
        remove_region,
        test_connection,
        health_snapshot
    ])
}

/// Opens the fleet, starts the sandbox when no console is configured, starts health polling and
/// forwards health changes to the web view.
pub fn start<R: Runtime>(
    app: &tauri::AppHandle<R>,
    store: FleetStore,
    keyring: Arc<dyn SecretStore>,
    sandbox_dir: std::path::PathBuf,
) -> Result<(), AppError> {
    let mut atlas = Atlas::open(store, keyring, DEFAULT_POLL_INTERVAL)?;
    if atlas.fleet_is_empty() {
        let sandbox = tauri::async_runtime::block_on(sandbox::Sandbox::start(&sandbox_dir))?;
        atlas.add_sandbox(sandbox.regions())?;
        app.manage(sandbox);
    }
    let mut changes = atlas.subscribe_health();
    tauri::async_runtime::block_on(async { atlas.start_polling() })?;
    app.manage(atlas);

    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while changes.changed().await.is_ok() {
            let snapshot = changes.borrow_and_update().clone();
            if let Err(e) = app.emit(HEALTH_EVENT, snapshot) {
                tracing::warn!("could not send health to the window: {e}");
            }
        }
    });
    Ok(())
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,hyper=warn,reqwest=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    setup(tauri::Builder::default())
        .setup(|app| {
            let store = FleetStore::default_location()?;
            let sandbox_dir = sandbox::default_dir(app.handle())?;
            start(
                app.handle(),
                store,
                Arc::new(KeyringStore::new()),
                sandbox_dir,
            )?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("Fabric Atlas could not start");
}

#[cfg(test)]
mod tests;
