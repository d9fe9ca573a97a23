//! Console-to-console operations (transfer, replicate org, full mesh): progress streams to the
//! web view over a Channel, and each running operation can be cancelled by its id.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use atlas_core::atlas::Atlas;
use atlas_core::operation::{Operation, Plan};
use atlas_core::transfer::{TransferEvent, TransferReport};
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

/// What an operation would do (nothing is sent): the plan the dialogs show.
#[tauri::command]
pub async fn plan_operation(
    atlas: tauri::State<'_, Atlas>,
    operation: Operation,
) -> CommandResult<Plan> {
    atlas.plan(&operation).await
}

/// Runs an operation (copy, replicate org, full mesh); progress streams over `on_event`.
#[tauri::command]
pub async fn apply_operation(
    atlas: tauri::State<'_, Atlas>,
    transfers: tauri::State<'_, Transfers>,
    transfer_id: String,
    operation: Operation,
    on_event: Channel<TransferEvent>,
) -> CommandResult<TransferReport> {
    let running = transfers.start(&transfer_id);
    atlas
        .apply(&operation, &running.cancel, &forward(&on_event))
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
