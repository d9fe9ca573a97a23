// CA admin credentials: a console needs a CA's admin and TLS CA admin enroll id + secret to use
// an imported CA. The app asks once per CA (the backend keeps them, secrets in the keyring) and
// reuses them for every further region. This module decides who to ask about and checks the form.

import type { AppError } from "../bindings/AppError";
import type { CaAdminCredentials } from "../bindings/CaAdminCredentials";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import type { Operation as OperationRequest } from "../bindings/Operation";
import * as ipc from "./ipc";

/** The four fields of one CA's form, as typed. */
export interface CaAdminForm {
  caAdminEnrollId: string;
  caAdminEnrollSecret: string;
  tlscaAdminEnrollId: string;
  tlscaAdminEnrollSecret: string;
}

export type CaAdminField = keyof CaAdminForm;

export const CA_ADMIN_FIELDS: readonly { field: CaAdminField; label: string; secret: boolean }[] = [
  { field: "caAdminEnrollId", label: "CA admin enroll ID", secret: false },
  { field: "caAdminEnrollSecret", label: "CA admin enroll secret", secret: true },
  { field: "tlscaAdminEnrollId", label: "TLS CA admin enroll ID", secret: false },
  { field: "tlscaAdminEnrollSecret", label: "TLS CA admin enroll secret", secret: true },
];

/**
 * What the sandbox's simulated CAs take: fabric-ca-server's conventional bootstrap admin, for the
 * CA and its TLS CA alike (the app enrolls both when they are given). The prompt offers them there
 * and says so.
 */
export const SANDBOX_CA_ADMIN = { id: "admin", secret: "adminpw" } as const;
export const SANDBOX_TLSCA_ADMIN = { id: "admin", secret: "adminpw" } as const;

export function emptyCaAdminForm(): CaAdminForm {
  return { caAdminEnrollId: "", caAdminEnrollSecret: "", tlscaAdminEnrollId: "", tlscaAdminEnrollSecret: "" };
}

/** One message per empty field, naming it ("CA admin enroll secret is required."). */
export function caAdminFormProblems(form: CaAdminForm): Partial<Record<CaAdminField, string>> {
  const problems: Partial<Record<CaAdminField, string>> = {};
  for (const { field, label } of CA_ADMIN_FIELDS) {
    if (form[field].trim() === "") problems[field] = `${label} is required.`;
  }
  return problems;
}

/** The `save_ca_admins` body. Ids are trimmed; secrets are sent exactly as typed. */
export function toCredentials(form: CaAdminForm): CaAdminCredentials {
  return {
    caAdmin: { enrollId: form.caAdminEnrollId.trim(), enrollSecret: form.caAdminEnrollSecret },
    tlscaAdmin: { enrollId: form.tlscaAdminEnrollId.trim(), enrollSecret: form.tlscaAdminEnrollSecret },
  };
}

/**
 * The form field a backend error is about (its typed `field`, e.g. `caAdmin.enrollSecret`), so
 * the message can sit under that field.
 */
export function fieldOfError(error: Pick<AppError, "field">): CaAdminField | null {
  const named = error.field;
  const map: Record<string, CaAdminField> = {
    "caAdmin.enrollId": "caAdminEnrollId",
    "caAdmin.enrollSecret": "caAdminEnrollSecret",
    "tlscaAdmin.enrollId": "tlscaAdminEnrollId",
    "tlscaAdmin.enrollSecret": "tlscaAdminEnrollSecret",
  };
  return named ? (map[named] ?? null) : null;
}

/**
 * Asks the user for the credentials of `missing` CAs, copied from `regionId` (null: imported
 * from files), and saves them; resolves true once every one is saved, false when cancelled.
 */
export type CaAdminPromptFn = (regionId: string | null, missing: CaAdminStatus[]) => Promise<boolean>;

export type CaAdminApi = Pick<typeof ipc, "planOperation">;

/**
 * Makes sure every CA `operation` would create has its admin credentials before it runs: the
 * backend's plan names the CAs lacking them, and only those are asked about through `prompt`.
 * Resolves true when the operation may go on, false when the user cancelled. Rejects with the
 * AppError of the plan.
 */
export async function ensureCaAdmins(
  operation: OperationRequest | null,
  prompt: CaAdminPromptFn,
  api: CaAdminApi = ipc,
): Promise<boolean> {
  if (!operation || operation.kind === "mesh") return true;
  const { casLackingAdmins } = await api.planOperation(operation);
  return casLackingAdmins.length === 0 || prompt(operation.sourceRegionId, casLackingAdmins);
}
