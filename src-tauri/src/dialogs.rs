//! Native file dialogs (Tauri's dialog plugin, which drives rfd), called from Rust only: the web
//! view has no dialog or fs permission.
//!
//! End-to-end tests cannot click a native dialog, so in debug builds (what the tests drive) two
//! variables answer for it when set: `FABRIC_ATLAS_TEST_SAVE_DIR` (a save dialog answers
//! `<dir>/<suggested name>`) and `FABRIC_ATLAS_TEST_OPEN_FILES` (an open dialog answers these
//! paths, separated like `PATH`). A release build has no such seam.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

pub const TEST_SAVE_DIR_ENV: &str = "FABRIC_ATLAS_TEST_SAVE_DIR";
pub const TEST_OPEN_FILES_ENV: &str = "FABRIC_ATLAS_TEST_OPEN_FILES";

/// Asks where to save `suggested_name`; `None` when the user cancels.
pub async fn save_path<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    suggested_name: &str,
) -> Option<PathBuf> {
    if let Some(dir) = test_seam(TEST_SAVE_DIR_ENV) {
        return Some(PathBuf::from(dir).join(suggested_name));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(suggested_name)
        .save_file(move |path| {
            let _ = tx.send(path.and_then(|p| p.into_path().ok()));
        });
    rx.await.ok().flatten()
}

/// Asks for files to open; empty when the user cancels.
pub async fn open_paths<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    filter: (&str, &[&str]),
) -> Vec<PathBuf> {
    if let Some(list) = test_seam(TEST_OPEN_FILES_ENV) {
        return std::env::split_paths(&list).collect();
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(filter.0, filter.1)
        .pick_files(move |paths| {
            let picked = paths
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| p.into_path().ok())
                .collect();
            let _ = tx.send(picked);
        });
    rx.await.unwrap_or_default()
}

/// A test seam's value: debug builds only.
fn test_seam(name: &str) -> Option<std::ffi::OsString> {
    if cfg!(debug_assertions) {
        std::env::var_os(name)
    } else {
        None
    }
}
