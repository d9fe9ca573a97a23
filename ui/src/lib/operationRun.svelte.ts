// One multi-region operation other than a plain copy (replicate an org, the full mesh): starts it,
// feeds its Channel events into the same progress model a copy uses (transferProgress.ts),
// cancels it by id, and retries the targets that failed. Dialogs read `progress`.

import type { Operation as OperationRequest } from "../bindings/Operation";
import type { TargetReport } from "../bindings/TargetReport";
import type { TransferEvent } from "../bindings/TransferEvent";
import * as ipc from "./ipc";
import type { TransferPayload } from "./payload";
import {
  applyEvent,
  applyFailure,
  applyReport,
  cancelFailed,
  requestCancel,
  retryTargetIds,
  startProgress,
  type TransferProgress,
} from "./transferProgress";

/** Runs the operation for `targetRegionIds` under `transferId`; resolves with one report per target. */
export type OperationRunner = (
  transferId: string,
  targetRegionIds: string[],
  onEvent: (event: TransferEvent) => void,
) => Promise<TargetReport[]>;

export type RunApi = Pick<typeof ipc, "cancelTransfer" | "toAppError">;

export interface Operation {
  /** What runs; `payload.label` names it, `sourceRegionId` is "" when it has no single source. */
  payload: TransferPayload;
  dryRun: boolean;
  run: OperationRunner;
}

/** A fresh id for cancelling this run (random: several windows or retries never collide). */
export function newTransferId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(12));
  return `transfer-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export type OperationApi = Pick<typeof ipc, "planOperation" | "applyOperation">;

/**
 * An operation the backend decides: a dry run shows its plan, a real run applies it. `request`
 * builds what to ask for the chosen targets (null: nothing to do anywhere).
 */
export function backendOperation(
  payload: TransferPayload,
  dryRun: boolean,
  request: (targetRegionIds: string[]) => OperationRequest | null,
  api: OperationApi = ipc,
): Operation {
  return {
    payload,
    dryRun,
    run: async (transferId, targetRegionIds, onEvent) => {
      const asked = request(targetRegionIds);
      if (!asked) return [];
      if (dryRun) return (await api.planOperation(asked)).targets;
      return (await api.applyOperation(transferId, asked, onEvent)).targets;
    },
  };
}

export class OperationRun {
  progress = $state<TransferProgress | null>(null);
  readonly running = $derived(this.progress !== null && !this.progress.finished);

  #api: RunApi;
  #operation: Operation | null = null;

  constructor(api: RunApi = ipc) {
    this.#api = api;
  }

  /**
   * Runs `operation` for `targetRegionIds`; resolves with the reports, or null when nothing was
   * started (one is running, no target) or the command failed (then `progress.error` says why).
   */
  async start(
    operation: Operation,
    targetRegionIds: readonly string[],
    previous: TransferProgress | null = null,
  ): Promise<TargetReport[] | null> {
    if (this.running || targetRegionIds.length === 0) return null;
    const transferId = newTransferId();
    const targets = targetRegionIds.filter((id, i) => targetRegionIds.indexOf(id) === i);
    const request = {
      transferId,
      sourceRegionId: operation.payload.sourceRegionId,
      componentIds: operation.payload.componentIds,
      targetRegionIds: targets,
      dryRun: operation.dryRun,
    };
    this.#operation = operation;
    this.progress = startProgress(request, operation.payload, previous);
    const mine = (p: TransferProgress | null): p is TransferProgress => p?.request.transferId === transferId;
    try {
      const reports = await operation.run(transferId, targets, (event) => {
        if (mine(this.progress)) this.progress = applyEvent(this.progress, event);
      });
      if (mine(this.progress)) {
        this.progress = applyReport(this.progress, {
          sourceRegionId: operation.payload.sourceRegionId,
          dryRun: operation.dryRun,
          targets: reports,
        });
      }
      return reports;
    } catch (error) {
      if (mine(this.progress)) this.progress = applyFailure(this.progress, this.#api.toAppError(error));
      return null;
    }
  }

  /** Asks the backend to stop before the next item; items already created stay. */
  async cancel(): Promise<void> {
    const progress = this.progress;
    if (!progress || progress.finished || progress.cancelRequested) return;
    const id = progress.request.transferId;
    this.progress = requestCancel(progress);
    try {
      await this.#api.cancelTransfer(id);
    } catch (error) {
      if (this.progress?.request.transferId === id) this.progress = cancelFailed(this.progress, this.#api.toAppError(error));
    }
  }

  /** Runs the failed targets again (safe: the backend re-plans and never duplicates). */
  retry(): Promise<TargetReport[] | null> {
    const progress = this.progress;
    const operation = this.#operation;
    if (!progress || !operation) return Promise.resolve(null);
    return this.start(operation, retryTargetIds(progress), progress);
  }

  /** Forgets a finished run. */
  reset(): void {
    if (!this.running) {
      this.progress = null;
      this.#operation = null;
    }
  }
}
