// The one module that talks to the Rust backend (ESLint forbids @tauri-apps/api elsewhere).
// Every function resolves with the command's typed result or rejects with an AppError.

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AppError } from "../bindings/AppError";
import type { AppInfo } from "../bindings/AppInfo";
import type { ConnectionReport } from "../bindings/ConnectionReport";
import type { ConnectionTest } from "../bindings/ConnectionTest";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { HealthSnapshot } from "../bindings/HealthSnapshot";
import type { Location } from "../bindings/Location";
import type { NewRegion } from "../bindings/NewRegion";
import type { RegionEdit } from "../bindings/RegionEdit";
import type { RegionView } from "../bindings/RegionView";

export const HEALTH_EVENT = "health://changed";

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
  if (isAppError(error)) return { code: error.code, message: error.message };
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

export function healthSnapshot(): Promise<HealthSnapshot> {
  return call<HealthSnapshot>("health_snapshot");
}

/** Calls `cb` with every health snapshot the backend emits; resolves to an unsubscribe function. */
export async function onHealth(cb: (snapshot: HealthSnapshot) => void): Promise<() => void> {
  try {
    return await listen<HealthSnapshot>(HEALTH_EVENT, (event) => cb(event.payload));
  } catch (error) {
    throw toAppError(error);
  }
}
