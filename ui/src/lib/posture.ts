// The HA posture in words: the verdict the top bar and the panel show, a finding's tone, how a
// node's home was decided, "2 of 5 working, quorum 3", what a region holds. The figures are the
// backend's (atlas-core's posture); nothing here judges the network.

import type { AppError } from "../bindings/AppError";
import type { FindingFix } from "../bindings/FindingFix";
import type { FindingLevel } from "../bindings/FindingLevel";
import type { HomeRule } from "../bindings/HomeRule";
import type { Operation } from "../bindings/Operation";
import type { Posture } from "../bindings/Posture";
import type { RegionDistance } from "../bindings/RegionDistance";
import type { RegionPosture } from "../bindings/RegionPosture";

/** Whether the network survives the loss of any one region, as `data-survives` says it. */
export type Survives = "yes" | "no" | "unknown";
export type Tone = "ok" | "warning" | "error" | "neutral";

export interface Verdict {
  /** One line: "Survives the loss of any one region: no". */
  text: string;
  survives: Survives;
  tone: Tone;
  /** What breaks, per region whose loss breaks something (the backend's words). */
  why: string[];
}

/** "A", "A and B", "A, B and C". */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A sentence's words inside another: "What if…" → "what if…" (names keep their case). */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "What if US East is lost", "What if US East and Canada are lost". */
export function whatIfWords(lostNames: readonly string[]): string {
  return `What if ${listed(lostNames)} ${lostNames.length === 1 ? "is" : "are"} lost`;
}

export function survivesOf(posture: Pick<Posture, "survivesAnyOneRegion"> | null): Survives {
  if (!posture || posture.survivesAnyOneRegion === null) return "unknown";
  return posture.survivesAnyOneRegion ? "yes" : "no";
}

export function survivesWords(survives: Survives): string {
  return survives === "unknown" ? "nothing to judge yet" : survives;
}

/** Some ordering service has lost quorum, or some org has no working peer, with the lost regions gone. */
export function brokenNow(posture: Pick<Posture, "orderingServices" | "orgs">): boolean {
  return posture.orderingServices.some((s) => !s.hasQuorum) || posture.orgs.some((o) => o.available === 0);
}

/**
 * The verdict on `posture`: without a what-if, whether the network survives the loss of any one
 * region; with one, whether what is left keeps working, and survives one more loss.
 */
export function verdict(posture: Posture, regionName: (id: string) => string): Verdict {
  const survives = survivesOf(posture);
  const why = [...posture.whyNot];
  if (posture.lost.length === 0) {
    return {
      text: `Survives the loss of any one region: ${survivesWords(survives)}`,
      survives,
      tone: survives === "yes" ? "ok" : survives === "no" ? "error" : "neutral",
      why,
    };
  }
  const prefix = whatIfWords(posture.lost.map(regionName));
  if (survives === "unknown") return { text: `${prefix}: nothing to judge`, survives, tone: "neutral", why };
  if (brokenNow(posture)) return { text: `${prefix}: keeps working: no`, survives, tone: "error", why };
  return {
    text: `${prefix}: keeps working: yes · one more loss: ${survives}`,
    survives,
    tone: survives === "yes" ? "ok" : "warning",
    why,
  };
}

/** What the window knows of the posture: the last one read, the what-if now, a read under way, a failure. */
export interface PostureView {
  posture: Posture | null;
  lost: readonly string[];
  loading: boolean;
  error: AppError | null;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/**
 * The verdict the top bar shows now: the posture's when it is for the what-if chosen, else that
 * it is being worked out, or why it could not be.
 */
export function currentVerdict(view: PostureView, regionName: (id: string) => string): Verdict {
  if (view.posture && sameSet(view.posture.lost, view.lost)) return verdict(view.posture, regionName);
  const subject = view.lost.length > 0 ? whatIfWords(view.lost.map(regionName)) : "Survives the loss of any one region";
  if (view.error && !view.loading) {
    return { text: `${subject}: could not be worked out`, survives: "unknown", tone: "error", why: [view.error.message] };
  }
  return { text: `${subject}: checking…`, survives: "unknown", tone: "neutral", why: [] };
}

const LEVELS: Record<FindingLevel, { words: string; tone: Tone }> = {
  error: { words: "Error", tone: "error" },
  warning: { words: "Warning", tone: "warning" },
  info: { words: "Info", tone: "neutral" },
};

export function levelWords(level: FindingLevel): string {
  return (LEVELS[level] ?? LEVELS.info).words;
}

export function levelTone(level: FindingLevel): Tone {
  return (LEVELS[level] ?? LEVELS.info).tone;
}

const RULES: Record<HomeRule, string> = {
  own: "its console holds it as its own",
  copied: "Fabric Atlas copied it from there",
  only_holder: "the only console that holds it",
  placed: "placed there by an administrator",
  unplaced: "not known: place it",
};

/** Why a node lives where the posture says. */
export function ruleWords(rule: HomeRule): string {
  return RULES[rule] ?? rule;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 of 5 working, quorum 3" (an ordering service) or "1 of 2 working" (an org's peers). */
export function workingWords(available: number, total: number, quorum?: number): string {
  const working = `${available} of ${total} working`;
  return quorum === undefined ? working : `${working}, quorum ${quorum}`;
}

/** What is homed in a region, as its pin shows it: "2 peers · 1 consenter". */
export function homedWords(region: Pick<RegionPosture, "peers" | "consenters">): string {
  return `${count(region.peers, "peer")} · ${count(region.consenters, "consenter")}`;
}

/** The same, with its CAs, for a tooltip or a screen reader: "2 peers, 1 consenter and 1 CA". */
export function homedLongWords(region: Pick<RegionPosture, "peers" | "consenters" | "cas">): string {
  return listed([count(region.peers, "peer"), count(region.consenters, "consenter"), count(region.cas, "CA")]);
}

export interface PerRegion {
  id: string;
  name: string;
  value: number;
}

/** A per-region count, in the fleet's order, leaving out the regions with none. */
export function perRegion(
  counts: { [id in string]?: number },
  regions: readonly Pick<RegionPosture, "id" | "name">[],
): PerRegion[] {
  return regions.map((r) => ({ id: r.id, name: r.name, value: counts[r.id] ?? 0 })).filter((r) => r.value > 0);
}

/** "US East 2 · Canada 1", or "none placed". */
export function perRegionWords(counts: { [id in string]?: number }, regions: readonly Pick<RegionPosture, "id" | "name">[]): string {
  const shown = perRegion(counts, regions);
  return shown.length === 0 ? "none placed" : shown.map((r) => `${r.name} ${r.value}`).join(" · ");
}

export interface RegionSurvival {
  id: string;
  name: string;
  survives: boolean;
}

/**
 * Per region not already lost, whether it is survived (`survivesLossOf`), in the fleet's order:
 * the regions the backend judged.
 */
export function survivalByRegion(
  survivesLossOf: { [id in string]?: boolean },
  regions: readonly Pick<RegionPosture, "id" | "name" | "lost">[],
): RegionSurvival[] {
  return regions
    .filter((r) => !r.lost && survivesLossOf[r.id] !== undefined)
    .map((r) => ({ id: r.id, name: r.name, survives: survivesLossOf[r.id] === true }));
}

/** "US East – US West: 3,600 km, about 36 ms round trip". */
export function distanceWords(distance: RegionDistance, regionName: (id: string) => string): string {
  const km = Math.round(distance.km).toLocaleString("en-US");
  return `${regionName(distance.a)} – ${regionName(distance.b)}: ${km} km, about ${Math.round(distance.rttMs)} ms round trip`;
}

/** What a fix's control says. */
export function fixWords(fix: FindingFix): string {
  switch (fix.kind) {
    case "operation":
      return `${fix.label}…`;
    case "place":
      return "Place…";
    case "step":
      return fix.text;
  }
}

/** The dialog a fix's operation opens, pre-filled: the user sees the plan and confirms as always. */
export type OperationDialog =
  | { kind: "replicate"; sourceRegionId: string; mspId: string; targetRegionIds: string[] }
  | { kind: "mesh" }
  | { kind: "copy"; sourceRegionId: string; componentIds: string[]; label: string };

export function operationDialog(operation: Operation): OperationDialog {
  switch (operation.kind) {
    case "replicate_org":
      return {
        kind: "replicate",
        sourceRegionId: operation.sourceRegionId,
        mspId: operation.mspId,
        targetRegionIds: [...operation.targetRegionIds],
      };
    case "mesh":
      return { kind: "mesh" };
    case "copy":
      return {
        kind: "copy",
        sourceRegionId: operation.sourceRegionId,
        componentIds: [...operation.componentIds],
        label: count(operation.componentIds.length, "component"),
      };
  }
}
