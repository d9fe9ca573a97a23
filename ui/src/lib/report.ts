// How an import report reads: outcome labels, the one-line summary (worded by outcomes.ts, like
// every result headline), and findings as "file · field · reason". Pure functions over the
// generated report types.

import type { Finding } from "../bindings/Finding";
import type { ImportReport } from "../bindings/ImportReport";
import type { ItemOutcome } from "../bindings/ItemOutcome";
import type { ItemSource } from "../bindings/ItemSource";
import type { Remedy } from "../bindings/Remedy";
import { IMPORT, outcomeHeadline, PLAN, targetOutcome, type Tone } from "./outcomes";

export type Outcome = ItemOutcome["outcome"];

/** Where an item came from, in words: a file's name, "org1msp on sandbox-1", "admin in the wallet". */
export function sourceText(source: ItemSource): string {
  switch (source.from) {
    case "file":
      return source.name;
    case "console":
      return `${source.componentId} on ${source.regionId}`;
    case "wallet":
      return `${source.identity} in the wallet`;
  }
}

/** Report rows are listed in this order: what needs attention first. */
export const OUTCOME_ORDER: readonly Outcome[] = ["failed", "conflict", "created", "would_create", "already_there"];

const OUTCOME_LABELS: Record<Outcome, string> = {
  created: "Created",
  already_there: "Already there (skipped)",
  conflict: "Conflict (not imported)",
  would_create: "Would be created",
  failed: "Failed",
};

export type { Tone };

const OUTCOME_TONES: Record<Outcome, Tone> = {
  created: "ok",
  already_there: "neutral",
  conflict: "warning",
  would_create: "neutral",
  failed: "error",
};

function known(outcome: string): outcome is Outcome {
  return Object.prototype.hasOwnProperty.call(OUTCOME_LABELS, outcome);
}

/** The label of an item outcome; an outcome a newer backend invents is shown as it comes. */
export function outcomeLabel(outcome: string): string {
  return known(outcome) ? OUTCOME_LABELS[outcome] : outcome.replace(/_/g, " ");
}

const IDENTITY_LABELS: Partial<Record<Outcome, string>> = {
  created: "Now admin",
  already_there: "Already admin",
  would_create: "Would become admin",
};

/** An item's outcome for people: an identity "created" on a region became its org's admin there. */
export function itemOutcomeLabel(item: { kind: string; outcome: string }): string {
  const forIdentity = item.kind === "identity" && known(item.outcome) ? IDENTITY_LABELS[item.outcome] : undefined;
  return forIdentity ?? outcomeLabel(item.outcome);
}

export function outcomeTone(outcome: string): Tone {
  return known(outcome) ? OUTCOME_TONES[outcome] : "neutral";
}

/** The JSON path of a finding for a human: `$` is the file itself. */
export function fieldLabel(field: string): string {
  return field === "$" || field === "" ? "whole file" : field;
}

/** `file · field · reason` */
export function findingLine(finding: Pick<Finding, "file" | "field" | "reason">): string {
  return `${finding.file} · ${fieldLabel(finding.field)} · ${finding.reason}`;
}

/** What to do about a finding that has a known remedy. */
export function remedyHint(remedy: Remedy | null): string | null {
  if (remedy === "convert_sec1_to_pkcs8") {
    return "The key is in SEC1 form (EC PRIVATE KEY); convert it to PKCS#8, e.g. with `openssl pkcs8 -topk8 -nocrypt`.";
  }
  return null;
}

/** Errors before warnings; otherwise the backend's order (by file, then field) is kept. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => (f.severity === "error" ? 0 : 1);
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export interface ReportSummary {
  refused: boolean;
  errors: number;
  warnings: number;
  /** Distinct files named by error findings. */
  filesWithErrors: number;
  counts: Record<Outcome, number>;
  total: number;
  /** One sentence for the report's header. */
  headline: string;
  tone: Tone;
}

/** What an import carried, for its headline: the one item's name, or "all 3 components". */
function subjectOf(items: ImportReport["items"]): { what: string; subject: string; plural: boolean } {
  if (items.length === 1) return { what: items[0]!.displayName, subject: items[0]!.displayName, plural: false };
  const identities = items.filter((i) => i.kind === "identity").length;
  const noun = identities === items.length ? "identities" : identities === 0 ? "components" : "items";
  return { what: `all ${items.length} ${noun}`, subject: `All ${items.length} ${noun}`, plural: true };
}

/** Summarises a report; `target` names where it went ("US West", "the wallet"). */
export function summariseReport(report: ImportReport, target: string): ReportSummary {
  const errors = report.findings.filter((f) => f.severity === "error");
  const warnings = report.findings.length - errors.length;
  const filesWithErrors = new Set(errors.map((f) => f.file)).size;
  const counts: Record<Outcome, number> = { created: 0, already_there: 0, conflict: 0, would_create: 0, failed: 0 };
  for (const item of report.items) if (known(item.outcome)) counts[item.outcome] += 1;
  const total = report.items.length;

  if (report.refused) {
    const n = Math.max(errors.length, 1);
    const where = filesWithErrors > 0 ? ` in ${plural(filesWithErrors, "file")}` : "";
    return {
      refused: true,
      errors: errors.length,
      warnings,
      filesWithErrors,
      counts,
      total,
      headline: `Refused: ${plural(n, "error")}${where}. Nothing was imported and nothing was changed.`,
      tone: "error",
    };
  }

  const { text: headline, tone } =
    total === 0
      ? { text: `Nothing to import into ${target}`, tone: "neutral" as const }
      : outcomeHeadline({ ...subjectOf(report.items), wording: report.dryRun ? PLAN : IMPORT, targets: [targetOutcome(target, report.items)] });
  return { refused: false, errors: errors.length, warnings, filesWithErrors, counts, total, headline, tone };
}

/** Items in OUTCOME_ORDER (failures and conflicts first), stable inside each outcome. */
export function orderItems<T extends { outcome: string }>(items: readonly T[]): T[] {
  const rank = (o: string) => {
    const i = OUTCOME_ORDER.indexOf(o as Outcome);
    return i < 0 ? OUTCOME_ORDER.length : i;
  };
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.outcome) - rank(b.item.outcome) || a.i - b.i)
    .map(({ item }) => item);
}
