// Drift in words (the Drift panel): one column per copy of a node or MSP, one row per field in
// which the copies differ; what "make every copy equal to this one" would change where, and what
// it did. The backend decides what differs and what the console's edit route can change; this
// only says it.

import type { Drift } from "../bindings/Drift";
import type { MakeEqualReport } from "../bindings/MakeEqualReport";
import type { Tone } from "./outcomes";

export interface DriftColumn {
  regionId: string;
  componentId: string;
  /** The region's name, "(import)" when its console holds the copy as an import. */
  title: string;
  imported: boolean;
  /**
   * Whether this column offers "make every copy equal to this one": make_equal names the source
   * by region, so a console holding two copies offers it on its first only.
   */
  source: boolean;
}

/** The copies of a drift as columns, in the fleet's order. */
export function driftColumns(drift: Drift, regionName: (id: string) => string): DriftColumn[] {
  const seen = new Set<string>();
  return drift.copies.map((copy) => {
    const source = !seen.has(copy.regionId);
    seen.add(copy.regionId);
    return {
      regionId: copy.regionId,
      componentId: copy.componentId,
      title: `${regionName(copy.regionId)}${copy.imported ? " (import)" : ""}`,
      imported: copy.imported,
      source,
    };
  });
}

/** A copy's value as shown: the backend's words, "none" when the copy has none. */
export function valueWords(value: string | null | undefined): string {
  return value ?? "none";
}

export const NOT_EDITABLE = "not editable — import the copy again";

/** What making every copy equal to one region's would do to one other copy. */
export interface CopyPlan {
  regionId: string;
  componentId: string;
  /** "US West's copy: Admins will be set to US East's." or "US West's copy is equal already." */
  text: string;
  /** The fields that will be set. */
  set: string[];
  /** Fields that stay different, each with why: "CA name (not editable — import the copy again)". */
  cannot: string[];
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * Per other copy, what "make every copy equal to `fromRegionId`'s" would change and what it
 * cannot (a field that is not editable, or one the source has none of: the console never blanks
 * a field). Worked out from the report the panel shows; the backend checks again when it runs.
 */
export function makeEqualPlan(drift: Drift, fromRegionId: string, regionName: (id: string) => string): CopyPlan[] {
  const from = drift.copies.findIndex((c) => c.regionId === fromRegionId);
  if (from < 0) return [];
  const source = regionName(fromRegionId);
  return drift.copies.flatMap((copy, i) => {
    if (copy.regionId === fromRegionId) return [];
    const set: string[] = [];
    const cannot: string[] = [];
    for (const field of drift.fields) {
      const want = field.values[from] ?? null;
      if ((field.values[i] ?? null) === want) continue;
      if (!field.editable) cannot.push(`${field.label} (${NOT_EDITABLE})`);
      else if (want === null) cannot.push(`${field.label} (${source}'s copy has none, and a console never blanks a field)`);
      else set.push(field.label);
    }
    const whose = `${regionName(copy.regionId)}'s copy`;
    const parts = [
      set.length > 0 ? `${list(set)} will be set to ${source}'s` : "",
      cannot.length > 0 ? `${list(cannot)} cannot change` : "",
    ].filter(Boolean);
    const text = parts.length > 0 ? `${whose}: ${parts.join("; ")}.` : `${whose} is equal already.`;
    return [{ regionId: copy.regionId, componentId: copy.componentId, text, set, cannot }];
  });
}

/** Whether the plan changes anything at all (else Confirm has nothing to do). */
export function planChanges(plan: readonly CopyPlan[]): boolean {
  return plan.some((p) => p.set.length > 0);
}

export interface CopyOutcome {
  regionId: string;
  /** "edited Admins", "equal already", "still differs: CA name", "failed: …". */
  text: string;
  tone: Tone;
}

/** What make_equal did to each copy, in words. */
export function copyOutcomes(report: MakeEqualReport): CopyOutcome[] {
  return report.copies.map((copy) => {
    if (copy.error !== null) return { regionId: copy.regionId, text: `failed: ${copy.error}`, tone: "error" };
    const parts = [
      copy.edited.length > 0 ? `edited ${list(copy.edited)}` : "",
      copy.left.length > 0 ? `still differs: ${list(copy.left)}` : "",
    ].filter(Boolean);
    if (parts.length === 0) return { regionId: copy.regionId, text: "equal already", tone: "neutral" };
    return { regionId: copy.regionId, text: parts.join("; "), tone: copy.left.length > 0 ? "warning" : "ok" };
  });
}

/** One sentence and a tone for the whole run. */
export function makeEqualHeadline(report: MakeEqualReport, regionName: (id: string) => string): { text: string; tone: Tone } {
  const name = report.displayName;
  const failed = report.copies.filter((c) => c.error !== null).length;
  const left = report.copies.filter((c) => c.error === null && c.left.length > 0).length;
  const edited = report.copies.filter((c) => c.error === null && c.edited.length > 0).length;
  if (failed > 0 && failed === report.copies.length) {
    return { text: `No copy of ${name} was changed: ${failed === 1 ? "the edit" : "every edit"} failed.`, tone: "error" };
  }
  const done = edited > 0 ? `Edited ${edited} ${edited === 1 ? "copy" : "copies"} of ${name} to match ${regionName(report.fromRegionId)}'s` : "";
  const trouble = [failed > 0 ? `${failed} failed` : "", left > 0 ? `${left} still ${left === 1 ? "differs" : "differ"}` : ""]
    .filter(Boolean)
    .join(", ");
  if (trouble) return { text: `${done || "Nothing was edited"}; ${trouble}.`, tone: failed > 0 ? "error" : "warning" };
  if (done) return { text: `${done}.`, tone: "ok" };
  return { text: `Every copy of ${name} was equal to ${regionName(report.fromRegionId)}'s already.`, tone: "neutral" };
}
