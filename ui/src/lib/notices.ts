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
}

/** After an export: the written path, nothing when the save dialog was cancelled. */
export function exportNotice(what: string, result: ExportResult): NoticeData | null {
  if (result.path === null) return null;
  return { testid: "export-result", outcome: "ok", message: `Exported ${what} to ${result.fileName}.`, detail: result.path };
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
