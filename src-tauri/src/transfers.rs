//! Console-to-console operations (transfer, replicate org, full mesh): progress streams to the
//! web view over a Channel, and each running operation can be cancelled by its id.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use atlas_core::atlas::Atlas;
use atlas_core::transfer::{TargetReport, TransferEvent, TransferReport};
use atlas_core::AppError;
use tauri::ipc::Channel;

type CommandResult<T> = Result<T, AppError>;

/// Running operations, so the UI can cancel one by id.
#[derive(Default)]
pub struct Transfers(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Transfers {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers an operation and returns its cancel flag; the guard unregisters it.
    fn start(&self, id: &str) -> Running<'_> {
        let cancel = Arc::new(AtomicBool::new(false));
        self.lock().insert(id.to_owned(), Arc::clone(&cancel));
        Running {
            transfers: self,
            id: id.to_owned(),
            cancel,
        }
    }
}

struct Running<'a> {
    transfers: &'a Transfers,
    id: String,
    cancel: Arc<AtomicBool>,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.transfers.lock().remove(&self.id);
    }
}

fn forward(on_event: &Channel<TransferEvent>) -> impl Fn(TransferEvent) + Sync + '_ {
    move |event| {
        if let Err(e) = on_event.send(event) {
            tracing::warn!("progress not delivered: {e}");
        }
    }
}

/// Copies components between regions; progress streams over `on_event`.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn transfer(
    atlas: tauri::State<'_, Atlas>,
    transfers: tauri::State<'_, Transfers>,
    transfer_id: String,
    source_region_id: String,
    component_ids: Vec<String>,
    target_region_ids: Vec<String>,
    dry_run: bool,
    on_event: Channel<TransferEvent>,
) -> CommandResult<TransferReport> {
    let running = transfers.start(&transfer_id);
    atlas
        .transfer(
            &source_region_id,
            &component_ids,
            &target_region_ids,
            dry_run,
            &running.cancel,
            &forward(&on_event),
        )
        .await
}

/// Brings an org (MSP definitions and CAs) from one region to others, targets in parallel.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn replicate_org(
    atlas: tauri::State<'_, Atlas>,
    transfers: tauri::State<'_, Transfers>,
    transfer_id: String,
    source_region_id: String,
    msp_id: String,
    target_region_ids: Vec<String>,
    dry_run: bool,
    on_event: Channel<TransferEvent>,
) -> CommandResult<TransferReport> {
    let running = transfers.start(&transfer_id);
    atlas
        .replicate_org(
            &source_region_id,
            &msp_id,
            &target_region_ids,
            dry_run,
            &running.cancel,
            &forward(&on_event),
        )
        .await
}

/// Every console learns every other console's peers and ordering nodes; `dry_run` is the plan.
#[tauri::command]
pub async fn mesh(
    atlas: tauri::State<'_, Atlas>,
    transfers: tauri::State<'_, Transfers>,
    transfer_id: String,
    dry_run: bool,
    on_event: Channel<TransferEvent>,
) -> CommandResult<Vec<TargetReport>> {
    let running = transfers.start(&transfer_id);
    atlas
        .mesh(dry_run, &running.cancel, &forward(&on_event))
        .await
}

/// Stops a running operation before its next item (items already imported stay imported).
#[tauri::command]
pub async fn cancel_transfer(
    transfers: tauri::State<'_, Transfers>,
    transfer_id: String,
) -> CommandResult<bool> {
    let cancel = transfers.lock().get(&transfer_id).cloned();
    Ok(cancel.map(|c| c.store(true, Ordering::SeqCst)).is_some())
}
