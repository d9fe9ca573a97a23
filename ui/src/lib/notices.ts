// The short messages the app shows after an action: what they say and which test id they carry.

import type { AppError } from "../bindings/AppError";
import type { ExportResult } from "../bindings/ExportResult";

export interface NoticeData {
  /** data-testid of the notice, so each kind can be found. */
  testid: string;
  outcome: "ok" | "error" | "info";
  message: string;
  /** A path or id shown in monospace under the message. */
  detail?: string;
  /** The whole of what the message shortens (a file's full path), as the notice's tooltip. */
  title?: string;
  /** A file written, offered as "Show in folder". */
  reveal?: string;
}

/** The last part of a path, by either separator (the backend may run on Windows). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** The folder part of a path ("" for a bare name). */
function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return cut < 0 ? "" : cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
}

/**
 * After an export: the file the backend wrote (`path`, which the user may have renamed in the save
 * dialog, never the name it suggested); nothing when the dialog was cancelled.
 */
export function exportNotice(what: string, result: ExportResult): NoticeData | null {
  if (result.path === null) return null;
  const folder = folderOf(result.path);
  return {
    testid: "export-result",
    outcome: "ok",
    message: `Exported ${what} to ${baseName(result.path)}.`,
    ...(folder ? { detail: `in ${folder}` } : {}),
    title: result.path,
    reveal: result.path,
  };
}

export function exportFailedNotice(what: string, error: AppError): NoticeData {
  return { testid: "export-result", outcome: "error", message: `Could not export ${what}: ${error.message}` };
}

export function importFailedNotice(target: string, error: AppError): NoticeData {
  return { testid: "import-error", outcome: "error", message: `Could not import into ${target}: ${error.message}` };
}

/** Files dropped where no region (card or pin) and no wallet is. */
export function missedDropNotice(what: string): NoticeData {
  return {
    testid: "drop-hint",
    outcome: "info",
    message: `Nothing was imported: ${what} landed outside any region. Drop files on a region's card or map pin, or identity files on the open wallet.`,
  };
}

export function busyNotice(target: string): NoticeData {
  return {
    testid: "drop-hint",
    outcome: "info",
    message: `An import into ${target} is still running; drop again when it has finished.`,
  };
}

export function transferBusyNotice(): NoticeData {
  return {
    testid: "transfer-busy",
    outcome: "info",
    message: "A copy between regions is still running; start the next one when it has finished (or cancel it).",
  };
}

/** A copy of a CA that did not start: the credentials prompt was cancelled or could not be read. */
export function caAdminsMissingNotice(what: string, error: AppError | null): NoticeData {
  return {
    testid: "transfer-ca-admins",
    outcome: error ? "error" : "info",
    message: error
      ? `Nothing was copied: could not check the CA admin credentials of ${what}: ${error.message}`
      : `Nothing was copied: a console needs the CA admin credentials to use ${what} in another region.`,
  };
}
