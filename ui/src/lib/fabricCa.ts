// The guide's step 4.1 against Fabric CA itself, from a CA row: what the CA dialogs check before
// sending, and how the backend's answers read. Who is registered where (a node on the TLS CA too),
// and every refusal, is the backend's; this module only words it and keeps forms honest.

import type { AppError } from "../bindings/AppError";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import type { CaAttribute } from "../bindings/CaAttribute";
import type { CaIdentity } from "../bindings/CaIdentity";
import type { IdentityView } from "../bindings/IdentityView";
import type { RegisteredOn } from "../bindings/RegisteredOn";
import type { RegisterOutcome } from "../bindings/RegisterOutcome";
import type { RegisterReport } from "../bindings/RegisterReport";
import type { RegisterRequest } from "../bindings/RegisterRequest";
import { fieldMessage } from "./formErrors";
import type { Headline, Tone } from "./outcomes";

/** A CA component on a region, as its row names it. */
export interface CaRef {
  regionId: string;
  caId: string;
  /** Its display name ("Org1 CA"). */
  label: string;
}

export type CaAction = "register" | "identities" | "enroll" | "admins";

/** What a CA row offers, in its menu's order. */
export const CA_ACTIONS: readonly { action: CaAction; label: string }[] = [
  { action: "register", label: "Register identity…" },
  { action: "identities", label: "Identities" },
  { action: "enroll", label: "Enroll into wallet…" },
  { action: "admins", label: "CA admins…" },
];

/** "a peer", "an orderer", "an admin". */
const article = (kind: string) => (/^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`);

/** A backend message as a sentence: its first letter capitalised. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

// ---------------------------------------------------------------- register

export const IDENTITY_KINDS = ["peer", "orderer", "client", "admin"] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/** A node needs an enrollment certificate and a TLS certificate: it is registered on both CAs. */
export function registersOnTlsCa(kind: string): boolean {
  return kind === "peer" || kind === "orderer";
}

/** Identities the wallet can take: people and applications, not nodes (a node enrolls itself). */
export function enrollsIntoWallet(kind: string): boolean {
  return kind === "client" || kind === "admin";
}

/** Where a registration of `kind` goes, said under the type. */
export function kindHint(kind: string, caLabel: string): string {
  return registersOnTlsCa(kind)
    ? `Registered on ${caLabel} and on its TLS CA, with the same secret: the node needs both certificates.`
    : `Registered on ${caLabel} only: ${article(kind)} needs no TLS certificate of its own.`;
}

export interface AttributeRow {
  name: string;
  value: string;
  /** Put into the enrollment certificate by default. */
  ecert: boolean;
}

/** The register form as typed; `maxEnrollments` stays text until it is checked. */
export interface RegisterForm {
  enrollId: string;
  kind: IdentityKind;
  affiliation: string;
  maxEnrollments: string;
  attrs: AttributeRow[];
  /** Empty: the backend makes one. Lives only in the form; cleared once sent. */
  secret: string;
}

export type RegisterField = "enrollId" | "kind" | "affiliation" | "maxEnrollments" | "attrs" | "secret";

export function emptyRegisterForm(): RegisterForm {
  return { enrollId: "", kind: "peer", affiliation: "", maxEnrollments: "", attrs: [], secret: "" };
}

export function emptyAttribute(): AttributeRow {
  return { name: "", value: "", ecert: false };
}

export interface RegisterProblems {
  fields: Partial<Record<RegisterField, string>>;
  /** The attribute rows the `attrs` message is about (indexes). */
  badRows: number[];
}

/** The problem with an enroll id, or null: Fabric CA takes no blank and no space in one. */
export function enrollIdProblem(enrollId: string): string | null {
  const id = enrollId.trim();
  if (id === "") return "Enroll ID is required.";
  if (/\s/.test(id)) return "An enroll ID has no spaces.";
  return null;
}

const blankRow = (row: AttributeRow) => row.name.trim() === "" && row.value.trim() === "";

/** Everything the backend would refuse of the form, said under its field before anything is sent. */
export function registerFormProblems(form: RegisterForm): RegisterProblems {
  const fields: Partial<Record<RegisterField, string>> = {};
  const idProblem = enrollIdProblem(form.enrollId);
  if (idProblem) fields.enrollId = idProblem;
  if (!(IDENTITY_KINDS as readonly string[]).includes(form.kind)) fields.kind = "Choose peer, orderer, client or admin.";
  const max = form.maxEnrollments.trim();
  if (max !== "" && (!/^-?\d+$/.test(max) || (Number(max) < 1 && Number(max) !== -1))) {
    fields.maxEnrollments = "A whole number, 1 or more (−1: unlimited), or empty for the CA's default.";
  }
  const badRows: number[] = [];
  const seen = new Map<string, number>();
  form.attrs.forEach((row, i) => {
    if (blankRow(row)) return;
    const name = row.name.trim();
    if (name === "") {
      badRows.push(i);
      fields.attrs ??= `Attribute ${i + 1} needs a name.`;
    } else if (seen.has(name)) {
      badRows.push(i);
      fields.attrs ??= `Attribute “${name}” is given twice.`;
    } else {
      seen.set(name, i);
    }
  });
  return { fields, badRows };
}

export function hasProblems(problems: RegisterProblems): boolean {
  return Object.keys(problems.fields).length > 0;
}

/** The `register_identity` request: ids and names trimmed, blank rows dropped, empties as null. */
export function toRegisterRequest(form: RegisterForm): RegisterRequest {
  const max = form.maxEnrollments.trim();
  const attrs: CaAttribute[] = form.attrs
    .filter((row) => !blankRow(row))
    .map((row) => ({ name: row.name.trim(), value: row.value.trim(), ecert: row.ecert }));
  return {
    enrollId: form.enrollId.trim(),
    kind: form.kind,
    affiliation: form.affiliation.trim() || null,
    maxEnrollments: max === "" ? null : Number(max),
    attrs,
    secret: form.secret.trim() === "" ? null : form.secret,
  };
}

const REGISTER_FIELDS: readonly RegisterField[] = ["enrollId", "kind", "affiliation", "maxEnrollments", "attrs", "secret"];

/**
 * What a register error is about: one of the form's fields (its message to go under it), the CA's
 * admins not verified yet (`caAdmins`: offer to give them), or nothing in particular.
 */
export function registerErrorPlace(error: AppError): RegisterField | "caAdmins" | null {
  if (error.field === "caAdmins") return "caAdmins";
  return (REGISTER_FIELDS as readonly string[]).includes(error.field ?? "") ? (error.field as RegisterField) : null;
}

/** A backend message about a field, as it reads under that field. */
export function underField(error: AppError): string {
  return error.field ? fieldMessage(error.message, error.field) : sentence(error.message);
}

const OUTCOME_WORDS: Record<RegisterOutcome, { text: string; tone: Tone }> = {
  registered: { text: "registered", tone: "ok" },
  already_registered: { text: "already registered", tone: "neutral" },
  failed: { text: "failed", tone: "error" },
};

/** One CA's line of a registration's report. */
export function registeredOnWords(result: RegisteredOn): { text: string; tone: Tone } {
  return OUTCOME_WORDS[result.outcome];
}

const joined = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

/** A registration's result in one sentence and one tone, from nothing but its per-CA outcomes. */
export function registerHeadline(report: RegisterReport): Headline {
  const on = (outcome: RegisterOutcome) => report.results.filter((r) => r.outcome === outcome).map((r) => r.ca);
  const [registered, already, failed] = [on("registered"), on("already_registered"), on("failed")];
  const id = report.enrollId;
  const all = report.results.length;
  if (all === 0) return { text: `Nothing was registered for ${id}.`, tone: "neutral" };
  if (registered.length === all) return { text: `Registered ${id} as ${article(report.kind)} on ${joined(registered)}.`, tone: "ok" };
  if (already.length === all) return { text: `${id} is already registered on ${joined(already)}: nothing changed.`, tone: "neutral" };
  if (failed.length === all) return { text: `Could not register ${id} on ${joined(failed)}.`, tone: "error" };
  const parts = [
    registered.length ? `registered on ${joined(registered)}` : "",
    already.length ? `already registered on ${joined(already)}` : "",
    failed.length ? `failed on ${joined(failed)}` : "",
  ].filter(Boolean);
  const tone: Tone = failed.length ? "warning" : registered.length ? "ok" : "neutral";
  return { text: `${id}: ${parts.join("; ")}.`, tone };
}

/** Whether the CA knows the id already on any CA: its existing identity is the one to use. */
export function alreadyRegistered(report: RegisterReport): boolean {
  return report.results.some((r) => r.outcome === "already_registered");
}

/** Whether anything new was registered (the CA's identities changed). */
export function registeredAnything(report: RegisterReport): boolean {
  return report.results.some((r) => r.outcome === "registered");
}

// ---------------------------------------------------------------- identities

/**
 * A failed read of a CA in words, and whether giving the CA's admins is the way out (`caAdmins`:
 * not verified yet). An unreachable CA's message names its URL already (the backend's words).
 */
export function caErrorWords(error: AppError): { text: string; needsAdmins: boolean } {
  return { text: underField(error), needsAdmins: error.field === "caAdmins" };
}

export function sortCaIdentities(identities: readonly CaIdentity[]): CaIdentity[] {
  return [...identities].sort((a, b) => a.id.localeCompare(b.id));
}

/** -1 (or any negative) is unlimited. */
export function maxEnrollmentsWords(n: number): string {
  return n < 0 ? "unlimited" : String(n);
}

export function affiliationWords(affiliation: string): string {
  return affiliation.trim() === "" ? "none (the root)" : affiliation;
}

/** Fabric CA's own attributes (`hf.Registrar.Roles`, …) apart from the ones people gave. */
export function splitAttributes(attrs: readonly CaAttribute[]): { own: CaAttribute[]; hf: CaAttribute[] } {
  const hf = (a: CaAttribute) => a.name.startsWith("hf.");
  return { own: attrs.filter((a) => !hf(a)), hf: attrs.filter(hf) };
}

export function attributeWords(attr: CaAttribute): string {
  return `${attr.name}=${attr.value}${attr.ecert ? " (in its certificates)" : ""}`;
}

// ---------------------------------------------------------------- enroll into the wallet

export interface EnrollForm {
  enrollId: string;
  /** Lives only in the form; cleared once the identity is enrolled. */
  secret: string;
  walletName: string;
  /** The wallet name was typed: it stops following the enroll id. */
  walletNameEdited: boolean;
}

export type EnrollField = "enrollId" | "enrollSecret" | "walletName";

export function emptyEnrollForm(enrollId = ""): EnrollForm {
  return { enrollId, secret: "", walletName: enrollId, walletNameEdited: false };
}

/** The enroll id as typed; the wallet name follows it until the user types one. */
export function withEnrollId(form: EnrollForm, enrollId: string): EnrollForm {
  return { ...form, enrollId, walletName: form.walletNameEdited ? form.walletName : enrollId.trim() };
}

export function enrollFormProblems(form: EnrollForm): Partial<Record<EnrollField, string>> {
  const problems: Partial<Record<EnrollField, string>> = {};
  const idProblem = enrollIdProblem(form.enrollId);
  if (idProblem) problems.enrollId = idProblem;
  if (form.secret === "") problems.enrollSecret = "Enroll secret is required.";
  if (form.walletName.trim() === "") problems.walletName = "Wallet name is required.";
  return problems;
}

/** The field an enroll error is about, or null (an unreachable CA, a certificate of another org…). */
export function enrollFieldOf(error: AppError): EnrollField | null {
  const field = error.field;
  return field === "enrollId" || field === "enrollSecret" || field === "walletName" ? field : null;
}

/** What the wallet now holds, in a sentence. */
export function enrolledWords(identity: IdentityView, enrollId: string): string {
  const org = identity.mspId ? `, an identity of ${identity.mspId}` : "";
  return `${enrollId} is in the wallet as “${identity.name}”${org}, valid until ${identity.notAfter}.`;
}

// ---------------------------------------------------------------- CA admins

/** Whether admin credentials are kept for the CA at all (their ids are; secrets are in the keyring). */
export function caAdminsKept(status: CaAdminStatus): boolean {
  return status.caAdminEnrollId !== null && status.tlscaAdminEnrollId !== null;
}

/** What is kept of a CA's admins, in words: the ids, and verified or why not. */
export function caAdminStatusWords(status: CaAdminStatus): { text: string; tone: Tone } {
  if (!caAdminsKept(status)) {
    return { text: `No admin credentials are kept for ${status.displayName} yet.`, tone: "neutral" };
  }
  const who = `CA admin “${status.caAdminEnrollId}” and TLS CA admin “${status.tlscaAdminEnrollId}”`;
  if (status.verified) return { text: `${who} are kept, verified with the CA.`, tone: "ok" };
  if (status.note) return { text: `${who} are kept, ${status.note.replace(/\.$/, "")}.`, tone: "warning" };
  return {
    text: `${who} are kept but were never verified with the CA: registering needs them verified, so give them again.`,
    tone: "warning",
  };
}

/** What a save came to: verified, or kept unchecked with the backend's reason (never hidden). */
export function savedAdminsWords(status: CaAdminStatus): { text: string; tone: Tone } {
  if (status.verified) return { text: `${status.displayName} accepted both admins: verified and kept.`, tone: "ok" };
  const why = status.note ? status.note.replace(/\.$/, "") : "not checked with the CA";
  return { text: `Kept for ${status.displayName}, ${why}.`, tone: "warning" };
}
