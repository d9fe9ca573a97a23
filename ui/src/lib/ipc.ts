// The one module that talks to the Rust backend (ESLint forbids @tauri-apps/api elsewhere).
// Every function resolves with the command's typed result or rejects with an AppError.

import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import type { AppError } from "../bindings/AppError";
import type { Change } from "../bindings/Change";
import type { AppInfo } from "../bindings/AppInfo";
import type { AuditRead } from "../bindings/AuditRead";
import type { CertificateCalendar } from "../bindings/CertificateCalendar";
import type { CertificateSummary } from "../bindings/CertificateSummary";
import type { CaAdminCredentials } from "../bindings/CaAdminCredentials";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import type { CaIdentity } from "../bindings/CaIdentity";
import type { CaServerInfo } from "../bindings/CaServerInfo";
import type { ConnectionReport } from "../bindings/ConnectionReport";
import type { ConnectionTest } from "../bindings/ConnectionTest";
import type { ComponentDetails } from "../bindings/ComponentDetails";
import type { DriftReport } from "../bindings/DriftReport";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ExportResult } from "../bindings/ExportResult";
import type { HealthSnapshot } from "../bindings/HealthSnapshot";
import type { IdentityView } from "../bindings/IdentityView";
import type { ImportReport } from "../bindings/ImportReport";
import type { MakeEqualReport } from "../bindings/MakeEqualReport";
import type { Location } from "../bindings/Location";
import type { NewRegion } from "../bindings/NewRegion";
import type { Operation as OperationRequest } from "../bindings/Operation";
import type { Plan } from "../bindings/Plan";
import type { Posture } from "../bindings/Posture";
import type { RegionAdminReport } from "../bindings/RegionAdminReport";
import type { RegionEdit } from "../bindings/RegionEdit";
import type { RegionView } from "../bindings/RegionView";
import type { RegisterReport } from "../bindings/RegisterReport";
import type { RegisterRequest } from "../bindings/RegisterRequest";
import type { TransferEvent } from "../bindings/TransferEvent";
import type { TransferReport } from "../bindings/TransferReport";
import { physicalToCss, type Point } from "./drop";

export const HEALTH_EVENT = "health://changed";
export const CHANGE_EVENT = "atlas://changed";

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "invalid_input",
  "not_found",
  "conflict",
  "unreachable",
  "unauthorized",
  "locked_out",
  "rate_limited",
  "console",
  "keyring",
  "config",
  "internal",
]);

export function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && ERROR_CODES.has(v.code) && typeof v.message === "string";
}

/** Turns whatever a rejected call produced into an AppError. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) {
    const { code, message, field } = error;
    return typeof field === "string" ? { code, message, field } : { code, message };
  }
  if (typeof error === "string") return { code: "internal", message: error || "Unknown error" };
  if (error instanceof Error) return { code: "internal", message: error.message || error.name };
  if (typeof error === "object" && error !== null) {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === "string" && message) return { code: "internal", message };
    try {
      return { code: "internal", message: JSON.stringify(error) };
    } catch {
      // fall through
    }
  }
  return { code: "internal", message: error === undefined ? "Unknown error" : String(error) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return args === undefined ? await invoke<T>(command) : await invoke<T>(command, args);
  } catch (error) {
    throw toAppError(error);
  }
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

/** Tells the app its window is interactive (logged once, with the time since the app started). */
export function windowReady(): Promise<void> {
  return call<void>("window_ready");
}

export function listLocations(): Promise<Location[]> {
  return call<Location[]>("list_locations");
}

export function listRegions(): Promise<RegionView[]> {
  return call<RegionView[]>("list_regions");
}

export function addRegion(region: NewRegion): Promise<RegionView> {
  return call<RegionView>("add_region", { region });
}

export function editRegion(id: string, edit: RegionEdit): Promise<RegionView> {
  return call<RegionView>("edit_region", { id, edit });
}

export async function removeRegion(id: string): Promise<void> {
  await call<null>("remove_region", { id });
}

export function testConnection(test: ConnectionTest): Promise<ConnectionReport> {
  return call<ConnectionReport>("test_connection", { test });
}

/** Shows a file the app wrote in the system's file manager. */
export async function showInFolder(path: string): Promise<void> {
  await call<null>("show_in_folder", { path });
}

/** The certificate an https console presents, for the user to review before trusting it. */
export function consoleCertificate(consoleUrl: string): Promise<CertificateSummary> {
  return call<CertificateSummary>("console_certificate", { consoleUrl });
}

export function healthSnapshot(): Promise<HealthSnapshot> {
  return call<HealthSnapshot>("health_snapshot");
}

/** Calls `cb` with what changed after every mutation the backend made; resolves to an unsubscribe function. */
export async function onChanged(cb: (change: Change) => void): Promise<() => void> {
  try {
    return await listen<Change>(CHANGE_EVENT, (event) => cb(event.payload));
  } catch (error) {
    throw toAppError(error);
  }
}

/** Calls `cb` with every health snapshot the backend emits; resolves to an unsubscribe function. */
export async function onHealth(cb: (snapshot: HealthSnapshot) => void): Promise<() => void> {
  try {
    return await listen<HealthSnapshot>(HEALTH_EVENT, (event) => cb(event.payload));
  } catch (error) {
    throw toAppError(error);
  }
}

/**
 * Exports a component in the console UI's format through a native save dialog (Rust writes the
 * file). `path` is null when the user cancelled.
 */
export function exportComponent(regionId: string, componentId: string): Promise<ExportResult> {
  return call<ExportResult>("export_component", { regionId, componentId });
}

/**
 * Validates and imports files (absolute paths, e.g. from an OS drop) into a region's console.
 * All or nothing: any error finding refuses the batch (`refused: true`) and nothing is sent.
 * `onWait` hears the console's name while another Fabric Atlas operation (the app or `atlas`)
 * holds it and the import waits its turn.
 */
export function importFiles(
  regionId: string,
  paths: string[],
  dryRun = false,
  onWait: (console: string) => void = () => {},
): Promise<ImportReport> {
  const channel = new Channel<string>();
  channel.onmessage = onWait;
  return call<ImportReport>("import_files", { regionId, paths, dryRun, onWait: channel });
}

/** Picks console files with a native open dialog; empty when the user cancelled. */
export function chooseImportFiles(): Promise<string[]> {
  return call<string[]>("choose_import_files");
}

/** The wallet's identities: names, certificates' subjects and expiry; never a private key. */
export function listIdentities(): Promise<IdentityView[]> {
  return call<IdentityView[]>("list_identities");
}

/**
 * Imports identity files into the wallet: `paths` (dropped files), or a native open dialog when
 * null. `passphrase` opens age-encrypted files. Null when the dialog was cancelled.
 */
export function importIdentities(paths: string[] | null, passphrase: string | null): Promise<ImportReport | null> {
  return call<ImportReport | null>("import_identities", { paths, passphrase: passphrase || null });
}

/** Exports an identity through a save dialog (file mode 0600), age-encrypted with a passphrase. */
export function exportIdentity(name: string, passphrase: string | null): Promise<ExportResult> {
  return call<ExportResult>("export_identity", { name, passphrase: passphrase || null });
}

export async function removeIdentity(name: string): Promise<void> {
  await call<null>("remove_identity", { name });
}

/** Every change made to a console, oldest first, and the lines of the log that could not be read. */
/** Every certificate the consoles (listed now) and the wallet hold, soonest expiry first. */
export function certificateCalendar(): Promise<CertificateCalendar> {
  return call<CertificateCalendar>("certificate_calendar");
}

/**
 * The HA posture with the regions `lost` supposed gone (the what-if). Lists every console (one
 * GET each): call it when something changed, never in a loop.
 */
export function posture(lost: string[]): Promise<Posture> {
  return call<Posture>("posture", { lost });
}

/**
 * Records that node `node` (a `NodeHome.key`: its API URL) lives in region `regionId`; answers
 * the node's key. The backend then says `homes` changed.
 */
export function placeNode(node: string, regionId: string): Promise<string> {
  return call<string>("place_node", { node, regionId });
}

/**
 * One component in full (endpoints, certificates, home and rule, copies, recent health). Lists
 * every console (one GET each): call it when the details open, never in a loop.
 */
export function componentDetails(regionId: string, componentId: string): Promise<ComponentDetails> {
  return call<ComponentDetails>("component_details", { regionId, componentId });
}

/** The nodes and MSPs whose copies differ between consoles. Lists every console (one GET each). */
export function driftReport(): Promise<DriftReport> {
  return call<DriftReport>("drift_report", {});
}

/**
 * Makes every copy of `key` (a drift's key) equal to region `fromRegionId`'s: changes consoles
 * (audited), so only after the user confirmed. The backend then says `audit` changed.
 */
export function makeEqual(key: string, fromRegionId: string): Promise<MakeEqualReport> {
  return call<MakeEqualReport>("make_equal", { key, fromRegionId });
}

export function auditLog(): Promise<AuditRead> {
  return call<AuditRead>("audit_log");
}

/** What an operation would do, read fresh from every console involved; nothing is sent. */
export function planOperation(operation: OperationRequest): Promise<Plan> {
  return call<Plan>("plan_operation", { operation });
}

/**
 * Runs an operation (copy, replicate org, full mesh): the backend re-plans against fresh lists,
 * never duplicates, and takes each console's answer as the verification. `onEvent` gets the
 * progress as it happens; the report rules over the events. Cancel with `cancelTransfer`.
 */
export function applyOperation(
  transferId: string,
  operation: OperationRequest,
  onEvent: (event: TransferEvent) => void,
): Promise<TransferReport> {
  const channel = new Channel<TransferEvent>();
  channel.onmessage = onEvent;
  return call<TransferReport>("apply_operation", { transferId, operation, onEvent: channel });
}

/** Stops a running operation before its next item; false when none runs under that id. */
export function cancelTransfer(transferId: string): Promise<boolean> {
  return call<boolean>("cancel_transfer", { transferId });
}

/** Keeps a CA's admin and TLS CA admin credentials; the secrets go to the keyring, never back here. */
export function saveCaAdmins(ca: CaAdminStatus, credentials: CaAdminCredentials): Promise<CaAdminStatus> {
  return call<CaAdminStatus>("save_ca_admins", { ca, credentials });
}

/** A CA row's admin credentials as kept: the enroll ids, and whether the CA verified them. */
export function caAdminStatus(regionId: string, caId: string): Promise<CaAdminStatus> {
  return call<CaAdminStatus>("ca_admin_status", { regionId, caId });
}

/** What the CA server behind a CA row says of its CA and TLS CA (names, versions, chains). */
export function caInfo(regionId: string, caId: string): Promise<CaServerInfo> {
  return call<CaServerInfo>("ca_info", { regionId, caId });
}

/**
 * Registers an identity with a CA row's CA (a peer or orderer on its TLS CA too), as its verified
 * admin. Rejects with `field: "caAdmins"` when the CA's admins are not verified yet.
 */
export function registerIdentity(regionId: string, caId: string, request: RegisterRequest): Promise<RegisterReport> {
  return call<RegisterReport>("register_identity", { regionId, caId, request });
}

/**
 * The secret `enrollId` was registered with from this machine. Shown once, on request: the
 * caller shows it and lets it go, never stores or logs it.
 */
export function registeredSecret(regionId: string, caId: string, enrollId: string): Promise<string> {
  return call<string>("registered_secret", { regionId, caId, enrollId });
}

/** The identities registered with a CA row's CA (as its verified admin). */
export function caIdentities(regionId: string, caId: string): Promise<CaIdentity[]> {
  return call<CaIdentity[]>("ca_identities", { regionId, caId });
}

/** Enrolls a registered identity (a key made by the backend, kept in the keyring) into the wallet. */
export function enrollIntoWallet(
  regionId: string,
  caId: string,
  enrollId: string,
  enrollSecret: string,
  walletName: string,
): Promise<IdentityView> {
  return call<IdentityView>("enroll_into_wallet", { regionId, caId, enrollId, enrollSecret, walletName });
}

/** Makes a wallet identity its org's admin identity on a region (refused with findings when it does not chain). */
export function makeRegionAdmin(name: string, regionId: string): Promise<RegionAdminReport> {
  return call<RegionAdminReport>("make_region_admin", { name, regionId });
}

/** An OS drag of files over the window; `position` in CSS pixels relative to the viewport. */
export interface FileDragEvent {
  type: "enter" | "over" | "drop" | "leave";
  /** The dragged files' absolute paths (those of the last `enter` for `over`; none on `leave`). */
  paths: string[];
  /** Null on `leave`. */
  position: Point | null;
}

function devicePixelRatio(): number {
  return typeof window === "undefined" ? 1 : window.devicePixelRatio;
}

/**
 * Calls `cb` for every OS file drag over the web view (Tauri's native drop handler: on Linux the
 * page itself never gets these drops). Resolves to an unsubscribe function.
 */
export async function onFileDrop(cb: (event: FileDragEvent) => void): Promise<() => void> {
  let dragged: string[] = [];
  try {
    const unlisten = await getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === "leave") {
        dragged = [];
        cb({ type: "leave", paths: [], position: null });
        return;
      }
      if (p.type === "enter" || p.type === "drop") dragged = [...p.paths];
      const position = physicalToCss({ x: p.position.x, y: p.position.y }, devicePixelRatio());
      cb({ type: p.type, paths: [...dragged], position });
      if (p.type === "drop") dragged = [];
    });
    return () => {
      void Promise.resolve(unlisten()).catch(() => {});
    };
  } catch (error) {
    throw toAppError(error);
  }
}
