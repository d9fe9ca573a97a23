// The audit log as the UI shows it: newest first, local times, outcomes told apart at a glance.

import type { AuditEntry } from "../bindings/AuditEntry";

/** Newest first; entries with the same time keep the log's order, reversed (latest written first). */
export function newestFirst(entries: readonly AuditEntry[]): AuditEntry[] {
  return entries
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => b.entry.atMs - a.entry.atMs || b.i - a.i)
    .map(({ entry }) => entry);
}

/** The outcome the backend writes before a change is sent (the intent). */
export const INTENT = "sending";

/**
 * One row per change: an intent is left out once its outcome is in the log (the outcome row says
 * it all); an intent with no outcome after it is a change sent whose answer was never recorded
 * (the app or `atlas` stopped in between), and is shown as such.
 */
export function foldIntents(entries: readonly AuditEntry[]): AuditEntry[] {
  const same = (a: AuditEntry, b: AuditEntry) =>
    a.operation === b.operation && a.artifact === b.artifact && a.source === b.source && a.target === b.target;
  return entries.flatMap((entry, i) => {
    if (entry.outcome !== INTENT) return [entry];
    const answered = entries.slice(i + 1).some((later) => later.outcome !== INTENT && same(later, entry));
    return answered ? [] : [{ ...entry, outcome: "sent; no outcome recorded (interrupted?)" }];
  });
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:MM:SS` in local time; "—" for a time that is not a number. */
export function formatTime(atMs: number): string {
  const d = new Date(atMs);
  if (!Number.isFinite(atMs) || Number.isNaN(d.getTime())) return "—";
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** The same instant in UTC, ISO 8601 (for a tooltip and `<time datetime>`). */
export function isoTime(atMs: number): string {
  const d = new Date(atMs);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
}

export type AuditTone = "ok" | "skipped" | "conflict" | "failed" | "other";

/** Reads the outcome text the backend writes (`created org1msp`, `already there as …`, `failed: …`). */
export function auditTone(outcome: string): AuditTone {
  const o = outcome.trim().toLowerCase();
  if (o.startsWith("failed") || o.startsWith("error")) return "failed";
  if (o.startsWith("conflict")) return "conflict";
  if (o.startsWith("already there") || o.includes("skipped")) return "skipped";
  if (o.startsWith("created") || o.startsWith("deleted") || o.startsWith("updated") || o.startsWith("ok")) return "ok";
  return "other";
}

/** Entries any of whose columns contain every word of `query` (case-insensitive). */
/** Where an entry's artifact came from, as a person reads it: the region's name, else the file or wallet identity. */
export function sourceLabel(entry: AuditEntry, nameOf: (regionId: string) => string = (id) => id): string {
  return entry.sourceRegionId ? nameOf(entry.sourceRegionId) : entry.source;
}

export function filterEntries(
  entries: readonly AuditEntry[],
  query: string,
  nameOf: (regionId: string) => string = (id) => id,
): AuditEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  return entries.filter((e) => {
    const text = [
      formatTime(e.atMs),
      e.operation,
      e.artifact,
      sourceLabel(e, nameOf),
      e.target,
      nameOf(e.target),
      e.outcome,
    ]
      .join("\n")
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/**
 * What the log says of lines it could not read (a write torn by a crash or a full disk): they
 * are kept in the file, never hide the entries after them, and are named so they can be checked.
 */
export function unreadableNote(lines: readonly number[]): string | null {
  if (lines.length === 0) return null;
  const list =
    lines.length === 1 ? `Line ${lines[0]}` : `Lines ${lines.slice(0, -1).join(", ")} and ${lines[lines.length - 1]}`;
  const verb = lines.length === 1 ? "was" : "were";
  return `${list} of the audit log could not be read (a write cut short, e.g. by a crash or a full disk); ${lines.length === 1 ? "it is" : "they are"} kept in audit.jsonl and ${verb} skipped here.`;
}
