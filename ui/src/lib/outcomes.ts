// What came of an operation, in one sentence and one tone, worked out from nothing but its
// items' outcomes. Every result headline (copy, replicate org, full mesh, an import into a region
// or the wallet) is worded here, so no view can claim more than happened.

import type { ItemReport } from "../bindings/ItemReport";

export type Tone = "ok" | "neutral" | "warning" | "error";

/** How many items of one target ended each way (a dry run's `would_create` counts as created). */
export interface Counts {
  created: number;
  alreadyThere: number;
  conflict: number;
  failed: number;
  /** Never sent: the run was cancelled, or the console refused this run's key on an earlier item. */
  notAttempted: number;
}

/** One target of an operation (a region, the wallet) and what its items came to. */
export interface TargetOutcome {
  /** As people call it: "US West", "the wallet". */
  name: string;
  counts: Counts;
  /** Why the target failed as a whole (none of its items was attempted); null otherwise. */
  error: string | null;
  /** The first failed item's reason. */
  failedReason: string | null;
  /** Why the first item not attempted was not ("cancelled"). */
  notAttemptedReason: string | null;
}

/** The verbs of one kind of operation, in lower case: "copied" → "Copied Org1 MSP to US West". */
export interface Wording {
  verb: string;
  done: string;
  participle: string;
  into: string;
}

export const COPY: Wording = { verb: "copy", done: "copied", participle: "copied", into: "to" };
export const REPLICATE: Wording = { verb: "replicate", done: "replicated", participle: "replicated", into: "to" };
export const IMPORT: Wording = { verb: "import", done: "imported", participle: "imported", into: "into" };
/** A dry run's plan. */
export const PLAN: Wording = { verb: "create", done: "would create", participle: "would be created", into: "in" };

export interface Outcomes {
  /** What went, named when a target got all of it or had all of it: "Org1 MSP", "all 3 components". */
  what: string;
  /** `what` opening a sentence ("All 3 components"); names are never recased, so it defaults to `what`. */
  subject?: string;
  /** `what` takes "are" ("All 3 components are already in US West"). */
  plural?: boolean;
  wording: Wording;
  targets: readonly TargetOutcome[];
  /** The operation failed as a whole before any item's outcome was known. */
  error?: string | null;
}

export interface Headline {
  text: string;
  tone: Tone;
}

// The backend reports an item it never sent as failed with this prefix (import.rs `not_attempted`).
const NOT_ATTEMPTED = "not attempted: ";

/** Why an item was never sent, or null when it was (or it did not fail). */
export function notAttemptedReason(item: ItemReport): string | null {
  return item.outcome === "failed" && item.reason.startsWith(NOT_ATTEMPTED) ? item.reason.slice(NOT_ATTEMPTED.length) : null;
}

/** What a target's items came to; `error` when the target failed as a whole. */
export function targetOutcome(name: string, items: readonly ItemReport[], error: string | null = null): TargetOutcome {
  const counts: Counts = { created: 0, alreadyThere: 0, conflict: 0, failed: 0, notAttempted: 0 };
  let failedReason: string | null = null;
  let skippedReason: string | null = null;
  for (const item of items) {
    const why = notAttemptedReason(item);
    if (why !== null) {
      counts.notAttempted += 1;
      skippedReason ??= why;
    } else if (item.outcome === "failed") {
      counts.failed += 1;
      failedReason ??= item.reason;
    } else if (item.outcome === "created" || item.outcome === "would_create") counts.created += 1;
    else if (item.outcome === "already_there") counts.alreadyThere += 1;
    else if (item.outcome === "conflict") counts.conflict += 1;
  }
  return { name, counts, error, failedReason, notAttemptedReason: skippedReason };
}

const size = (c: Counts) => c.created + c.alreadyThere + c.conflict + c.failed + c.notAttempted;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "1 already there, 2 conflicts, 1 failed": every outcome but `created`, in that order. */
export function breakdown(c: Counts): string {
  return [
    c.alreadyThere ? `${c.alreadyThere} already there` : "",
    c.conflict ? plural(c.conflict, "conflict") : "",
    c.failed ? `${c.failed} failed` : "",
    c.notAttempted ? `${c.notAttempted} not attempted` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/**
 * Green only when something was created and nothing went wrong; neutral when nothing needed doing;
 * red when nothing succeeded (created or already there) and something failed; amber otherwise.
 */
export function outcomeTone(targets: readonly TargetOutcome[]): Tone {
  const sum = (key: keyof Counts) => targets.reduce((n, t) => n + t.counts[key], 0);
  const bad = sum("failed") + sum("notAttempted") + targets.filter((t) => t.error !== null).length;
  const good = sum("created") + sum("alreadyThere");
  if (bad > 0 && good === 0) return "error";
  if (bad > 0 || sum("conflict") > 0) return "warning";
  return sum("created") > 0 ? "ok" : "neutral";
}

/** The clause of a target that got nothing new and did not have everything already. */
function problem(t: TargetOutcome): string {
  const c = t.counts;
  const n = size(c);
  if (t.error !== null) return `${t.name} failed (${t.error})`;
  if (c.failed > 0 && c.failed + c.notAttempted === n) return `${t.name} failed (${t.failedReason})`;
  if (c.notAttempted === n) return `${t.name} not attempted (${t.notAttemptedReason})`;
  if (c.conflict === n) return n === 1 ? `conflict in ${t.name}` : `${n} conflicts in ${t.name}`;
  return `${breakdown(c)} in ${t.name}`;
}

/**
 * The one rule for result headlines. Targets that got everything are named together ("Copied
 * Org1 MSP to US West"), then each that got part ("copied 2 of 3 to Canada; 1 failed"), each that
 * got nothing ("Toronto failed (…)"), and those that had it all already ("already in Ireland").
 * When nothing was created anywhere the sentence says so first.
 */
export function outcomeHeadline({ what, subject = what, plural: many = false, wording: w, targets, error = null }: Outcomes): Headline {
  const tone = outcomeTone(targets);
  const known = targets.some((t) => size(t.counts) > 0);
  if (error !== null && !known) return { text: `Nothing ${w.participle}: ${error}`, tone: "error" };

  const all: string[] = [];
  const there: string[] = [];
  const partial: string[] = [];
  const problems: string[] = [];
  for (const t of targets) {
    const c = t.counts;
    const n = size(c);
    if (c.created > 0 && t.error !== null) partial.push(`${w.done} ${c.created} ${w.into} ${t.name}, then it failed (${t.error})`);
    else if (t.error !== null) problems.push(problem(t));
    else if (n === 0) continue; // nothing was to go there
    else if (c.created === n) all.push(t.name);
    else if (c.alreadyThere === n) there.push(t.name);
    else if (c.created > 0) partial.push(`${w.done} ${c.created} of ${n} ${w.into} ${t.name}; ${breakdown(c)}`);
    else problems.push(problem(t));
  }

  const created = all.length > 0 || partial.length > 0;
  if (!created && problems.length === 0) {
    if (there.length === 0) return { text: `Nothing to ${w.verb}`, tone };
    return { text: `${subject} ${many ? "are" : "is"} already in ${there.join(", ")} — nothing ${w.participle}`, tone };
  }
  const clauses = [
    ...(all.length > 0 ? [`${w.done} ${what} ${w.into} ${all.join(", ")}`] : []),
    ...partial,
    ...problems,
    ...(there.length > 0 ? [`already in ${there.join(", ")}`] : []),
  ];
  const text = created ? capital(clauses.join("; ")) : `Nothing ${w.participle}: ${clauses.join("; ")}`;
  return { text, tone };
}
