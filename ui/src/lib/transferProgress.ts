// A transfer as the panel shows it, built from the Channel's events and settled by the final
// report: per target, how many items are done out of how many, each item's outcome, which
// targets a retry should run again, and the finished run's headline (worded by outcomes.ts).
// Pure functions; every step returns a new value.

import type { AppError } from "../bindings/AppError";
import type { ItemReport } from "../bindings/ItemReport";
import type { TransferEvent } from "../bindings/TransferEvent";
import type { TransferReport } from "../bindings/TransferReport";
import { breakdown, COPY, outcomeHeadline, targetOutcome, type Headline, type Outcomes, type TargetOutcome, type Tone } from "./outcomes";
import type { TransferPayload } from "./payload";

/** What a run was asked to do, as its progress shows it. */
export interface TransferRequest {
  transferId: string;
  sourceRegionId: string;
  componentIds: string[];
  targetRegionIds: string[];
  dryRun: boolean;
}

/** waiting: not planned yet · copying: planned, items coming · done · failed: the whole target. */
export type TargetPhase = "waiting" | "copying" | "done" | "failed";

export interface TargetProgress {
  regionId: string;
  phase: TargetPhase;
  /** Items the plan will create (the rest are already there or conflict). */
  toCreate: number | null;
  items: ItemReport[];
  /** Why the whole target failed. */
  reason: string | null;
  /** Another Fabric Atlas operation holds the target's console: this one waits for it. */
  heldElsewhere: boolean;
}

export interface TransferProgress {
  request: TransferRequest;
  payload: TransferPayload;
  /** Items read from the source: the "m" of "n of m" on every target. Null until read. */
  total: number | null;
  targets: TargetProgress[];
  finished: boolean;
  cancelRequested: boolean;
  /** The command itself failed (source unreachable, bad input): nothing reached a target. */
  error: AppError | null;
  /** Cancelling failed (the transfer went on). */
  cancelError: AppError | null;
}

function waitingTarget(regionId: string): TargetProgress {
  return { regionId, phase: "waiting", toCreate: null, items: [], reason: null, heldElsewhere: false };
}

/**
 * A run about to start. With `previous` (a retry), the targets not retried keep what they
 * showed; the retried ones start over.
 */
export function startProgress(
  request: TransferRequest,
  payload: TransferPayload,
  previous: TransferProgress | null = null,
): TransferProgress {
  const retried = new Set(request.targetRegionIds);
  const kept = (previous?.targets ?? []).filter((t) => !retried.has(t.regionId));
  const order = [...(previous?.targets.map((t) => t.regionId) ?? []), ...request.targetRegionIds];
  const byId = new Map<string, TargetProgress>([
    ...kept.map((t) => [t.regionId, t] as const),
    ...request.targetRegionIds.map((id) => [id, waitingTarget(id)] as const),
  ]);
  const targets = [...new Set(order)].flatMap((id) => byId.get(id) ?? []);
  return {
    request,
    payload,
    total: null,
    targets,
    finished: false,
    cancelRequested: false,
    error: null,
    cancelError: null,
  };
}

function updateTarget(
  progress: TransferProgress,
  regionId: string,
  update: (target: TargetProgress) => TargetProgress,
): TransferProgress {
  if (!progress.targets.some((t) => t.regionId === regionId)) return progress;
  return { ...progress, targets: progress.targets.map((t) => (t.regionId === regionId ? update(t) : t)) };
}

/** One Channel event. Events after the end (a late delivery) change nothing: the report rules. */
export function applyEvent(progress: TransferProgress, event: TransferEvent): TransferProgress {
  if (progress.finished) return progress;
  switch (event.event) {
    case "waiting":
      return updateTarget(progress, event.target, (t) => ({ ...t, heldElsewhere: true }));
    case "read":
      return { ...progress, total: event.items };
    case "planned":
      return updateTarget(progress, event.target, (t) => ({ ...t, phase: "copying", toCreate: event.to_create, heldElsewhere: false }));
    case "item":
      return updateTarget(progress, event.target, (t) => ({
        ...t,
        phase: t.phase === "waiting" ? "copying" : t.phase,
        items: [...t.items, event.report],
      }));
    case "targetFailed":
      return updateTarget(progress, event.target, (t) => ({ ...t, phase: "failed", reason: event.reason }));
    case "targetDone":
      return updateTarget(progress, event.target, (t) => ({ ...t, phase: "done" }));
    default:
      return progress;
  }
}

/** The final report replaces what the events said for each target it covers. */
export function applyReport(progress: TransferProgress, report: TransferReport): TransferProgress {
  let next: TransferProgress = { ...progress, finished: true };
  for (const target of report.targets) {
    next = updateTarget(next, target.regionId, (t) => ({
      ...t,
      phase: target.error === null ? "done" : "failed",
      items: target.items,
      reason: target.error,
    }));
  }
  return next;
}

/** The command failed as a whole: targets that had not finished did not get anything. */
export function applyFailure(progress: TransferProgress, error: AppError): TransferProgress {
  return { ...progress, finished: true, error };
}

export function requestCancel(progress: TransferProgress): TransferProgress {
  return progress.finished ? progress : { ...progress, cancelRequested: true, cancelError: null };
}

export function cancelFailed(progress: TransferProgress, error: AppError): TransferProgress {
  return { ...progress, cancelRequested: false, cancelError: error };
}

/** A target needs another run when it failed as a whole or any of its items failed. */
export function needsRetry(target: TargetProgress): boolean {
  return target.phase === "failed" || target.items.some((i) => i.outcome === "failed");
}

/**
 * What "Retry" runs again once the run is over: the failed targets, or every target of this run
 * when the command itself failed. Re-running is safe: the backend re-plans and never duplicates.
 */
export function retryTargetIds(progress: TransferProgress): string[] {
  if (!progress.finished) return [];
  if (progress.error) return [...progress.request.targetRegionIds];
  return progress.targets.filter(needsRetry).map((t) => t.regionId);
}

export function itemsDone(target: TargetProgress): number {
  return target.items.length;
}

/** "Copying: 1 of 3 items", "Done: 1 created, 2 already there", "Failed: connection refused". */
export function targetStatus(target: TargetProgress, total: number | null, finished: boolean): string {
  if (target.phase === "failed") return `Failed: ${target.reason ?? "unknown error"}`;
  if (target.phase === "waiting" && !finished && target.heldElsewhere) return "Waiting for another Fabric Atlas operation on this console…";
  if (target.phase === "waiting") return finished ? "Not started" : total === null ? "Waiting for the source…" : "Planning…";
  const of = total === null ? `${itemsDone(target)} items` : `${itemsDone(target)} of ${total} item${total === 1 ? "" : "s"}`;
  if (target.phase === "copying" && !finished) return `Copying: ${of}`;
  const { counts } = targetOutcome("", target.items);
  const parts = [counts.created ? `${counts.created} created` : "", breakdown(counts)].filter(Boolean).join(", ");
  if (parts === "") return target.phase === "done" ? "Done: nothing to copy" : `Stopped: ${of}`;
  const how = counts.failed ? "Finished with failures" : counts.notAttempted ? "Stopped" : "Done";
  return `${how}: ${parts}`;
}

/**
 * Each target as the headline rule reads it: one that failed keeps its reason, one the run never
 * finished failed with the run's own error (or was not started).
 */
export function targetOutcomes(progress: TransferProgress, regionName: (id: string) => string): TargetOutcome[] {
  const unfinished = progress.error?.message ?? "not started";
  return progress.targets.map((t) =>
    targetOutcome(
      regionName(t.regionId),
      t.items,
      t.phase === "failed" ? (t.reason ?? "unknown error") : t.phase === "done" ? null : unfinished,
    ),
  );
}

/** How a finished run reads: what `outcomeHeadline` makes of its targets' items. */
export function resultHeadline(
  progress: TransferProgress,
  regionName: (id: string) => string,
  words: Omit<Outcomes, "targets" | "error">,
): Headline {
  return outcomeHeadline({ ...words, targets: targetOutcomes(progress, regionName), error: progress.error?.message ?? null });
}

/** A headline's tone, or "running" until the run is over. */
export type RunTone = Tone | "running";

/** The copy panel's one-line state, also read out to screen readers. */
export function transferHeadline(progress: TransferProgress, regionName: (id: string) => string): { text: string; tone: RunTone } {
  const what = progress.payload.label;
  if (!progress.finished) {
    const text = progress.cancelRequested
      ? `Cancelling the copy of ${what}…`
      : `Copying ${what} from ${regionName(progress.payload.sourceRegionId)}…`;
    return { text, tone: "running" };
  }
  return resultHeadline(progress, regionName, { what, wording: COPY });
}
