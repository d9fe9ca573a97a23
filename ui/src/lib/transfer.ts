// Copying components from one region to others: which regions a payload goes to, and the copy
// the backend plans and applies. Shared by the pointer drag and the Copy dialog.

import type { Operation as OperationRequest } from "../bindings/Operation";
import * as ipc from "./ipc";
import { backendOperation, type Operation, type OperationApi } from "./operationRun.svelte";
import type { TransferPayload } from "./payload";

/** Every region but the source, in the order given. */
export function otherRegionIds(regionIds: readonly string[], sourceRegionId: string): string[] {
  return regionIds.filter((id) => id !== sourceRegionId);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}


/**
 * The copy the backend plans and applies for a payload and chosen targets: ids deduplicated, the
 * source never a target (the backend refuses that). Null when nothing would be copied anywhere.
 */
export function copyRequest(payload: TransferPayload, targetRegionIds: readonly string[]): OperationRequest | null {
  const componentIds = unique(payload.componentIds);
  const targets = unique(otherRegionIds(targetRegionIds, payload.sourceRegionId));
  if (componentIds.length === 0 || targets.length === 0) return null;
  return { kind: "copy", sourceRegionId: payload.sourceRegionId, componentIds, targetRegionIds: targets };
}

/** Copying `payload` as an operation the window's OperationRun starts, cancels and retries. */
export function copyOperation(payload: TransferPayload, api: OperationApi = ipc): Operation {
  return backendOperation(payload, false, (targets) => copyRequest(payload, targets), api);
}
