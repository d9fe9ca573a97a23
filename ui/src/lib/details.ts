// A component's details in words (the details drawer): what it is, where it runs and which rule
// decided it, which consoles hold copies, its certificates' fingerprints and its recent health.

import type { ComponentKind } from "../bindings/ComponentKind";
import type { ComponentStatus } from "../bindings/ComponentStatus";
import type { HealthRun } from "../bindings/HealthRun";
import type { HeldBy } from "../bindings/HeldBy";
import type { HomeRule } from "../bindings/HomeRule";
import { lastSeenTime } from "./lastSeen";

const KINDS: Record<ComponentKind, string> = {
  ca: "certificate authority",
  msp: "MSP definition",
  peer: "peer",
  orderer: "ordering node",
  other: "component",
};

/** "peer", "ordering node", "MSP definition". */
export function kindWords(kind: ComponentKind): string {
  return KINDS[kind] ?? KINDS.other;
}

// After "<home region> — ": why the node is said to run there.
const RULES: Record<Exclude<HomeRule, "unplaced">, string> = {
  own: "its console holds it as its own",
  copied: "Fabric Atlas recorded it there when it copied it",
  only_holder: "the only console that holds it",
  placed: "placed there by an administrator",
};

const UNPLACED = "unplaced — no console holds it as its own, Fabric Atlas never copied it and no administrator placed it";

/**
 * Where a node or CA runs, with the rule that decided it: "US East — its console holds it as its
 * own". Null for what has no home (an MSP definition).
 */
export function homeWords(
  home: string | null,
  rule: HomeRule | null,
  regionName: (id: string) => string,
): { text: string; placed: boolean } | null {
  if (rule === null) return null;
  if (rule === "unplaced" || home === null) return { text: UNPLACED, placed: false };
  return { text: `${regionName(home)} — ${RULES[rule] ?? rule}`, placed: true };
}

export interface Holder {
  regionId: string;
  componentId: string;
  /** "US West (import)", "US East (its own)". */
  text: string;
  imported: boolean;
  /** The copy these details are of. */
  shown: boolean;
}

/** The consoles holding a copy, by region name, each marked as an import or the console's own. */
export function holders(
  heldBy: readonly HeldBy[],
  shown: { regionId: string; componentId: string },
  regionName: (id: string) => string,
): Holder[] {
  return heldBy.map((h) => ({
    regionId: h.regionId,
    componentId: h.componentId,
    text: `${regionName(h.regionId)} (${h.imported ? "import" : "its own"})`,
    imported: h.imported,
    shown: h.regionId === shown.regionId && h.componentId === shown.componentId,
  }));
}

/** A SHA-256 in hex as people compare it: "AB:CD:EF:…", upper case. */
export function fingerprint(sha256: string): string {
  const hex = sha256.replace(/[^0-9a-f]/gi, "").toUpperCase();
  return (hex.match(/.{1,2}/g) ?? []).join(":");
}

const STATUS: Record<ComponentStatus, string> = {
  ok: "ok",
  not_ok: "not ok",
  unknown: "unknown",
  not_applicable: "not applicable",
};

export interface RunWords {
  status: ComponentStatus;
  /** "ok 10:02–10:14" (local times; the day too when it is not today). */
  text: string;
  tone: "ok" | "error" | "neutral";
}

/** One health run in words. */
export function runWords(run: HealthRun, now: Date = new Date()): RunWords {
  const from = lastSeenTime(run.fromMs, now);
  const sameDay = new Date(run.fromMs).toDateString() === new Date(run.toMs).toDateString();
  const to = sameDay ? lastSeenTime(run.toMs, new Date(run.fromMs)) : lastSeenTime(run.toMs, now);
  const span = to === from ? from : `${from}–${to}`;
  const tone = run.status === "ok" ? "ok" : run.status === "not_ok" ? "error" : "neutral";
  return { status: run.status, text: `${STATUS[run.status] ?? run.status} ${span}`, tone };
}

/** "2024-01-05 – 2034-01-02". */
export function validityWords(notBefore: string, notAfter: string): string {
  return `${notBefore} – ${notAfter}`;
}
