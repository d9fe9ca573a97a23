// The certificate calendar in words: how soon each certificate is due, what it is where it is
// used, and a filter over subjects and holders.

import type { CalendarEntry } from "../bindings/CalendarEntry";
import type { Due } from "../bindings/Due";
import type { UsedAs } from "../bindings/UsedAs";

const DUE: Record<Due, { words: string; tone: "error" | "warning" | "ok" }> = {
  expired: { words: "Expired", tone: "error" },
  within_7_days: { words: "Within 7 days", tone: "warning" },
  within_30_days: { words: "Within 30 days", tone: "warning" },
  later: { words: "", tone: "ok" },
};

const USED_AS: Record<UsedAs, string> = {
  ca_root: "CA root",
  ca_intermediate: "CA intermediate",
  tls_root: "TLS root",
  tls_intermediate: "TLS intermediate",
  admin: "admin",
  node_ecert: "node ecert",
  node_tls: "node TLS",
  identity: "identity",
};

export function dueWords(due: Due): { words: string; tone: "error" | "warning" | "ok" } {
  return DUE[due];
}

export function usedAsWords(usedAs: UsedAs): string {
  return USED_AS[usedAs];
}

/** "in 12 days", "today", "3 days ago". */
export function daysWords(daysLeft: number): string {
  if (daysLeft === 0) return "today";
  if (daysLeft === 1) return "tomorrow";
  if (daysLeft === -1) return "yesterday";
  return daysLeft > 0 ? `in ${daysLeft} days` : `${-daysLeft} days ago`;
}

/** The entries whose subject, issuer or any holder contains `query` (case-insensitive). */
export function filterCalendar(entries: readonly CalendarEntry[], query: string): CalendarEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...entries];
  return entries.filter((e) =>
    [e.subject, e.issuer, ...e.uses.map((u) => u.holder)].some((text) => text.toLowerCase().includes(q)),
  );
}

/** How many entries are expired, and due within 30 days (7 included). */
export function dueCounts(entries: readonly CalendarEntry[]): { expired: number; soon: number } {
  return {
    expired: entries.filter((e) => e.due === "expired").length,
    soon: entries.filter((e) => e.due === "within_7_days" || e.due === "within_30_days").length,
  };
}
