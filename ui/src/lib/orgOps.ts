// The guide's org-wide steps as operations the dialogs run: "replicate org" (an org's MSP and CAs
// from one region to others) and the "full mesh" (every console learns every other console's
// nodes). Plus how a plan or report reads.

import type { ItemReport } from "../bindings/ItemReport";
import type { ItemSource } from "../bindings/ItemSource";
import * as ipc from "./ipc";
import type { Operation as OperationRequest } from "../bindings/Operation";
import type { OrgOnConsole } from "../bindings/OrgOnConsole";
import { backendOperation, type Operation, type OperationApi } from "./operationRun.svelte";
import type { TransferProgress } from "./transferProgress";

/** Brings `org` from `sourceRegionId` to the targets the run is given. */
export function replicateOrgOperation(
  sourceRegionId: string,
  org: OrgOnConsole,
  dryRun: boolean,
  api: OperationApi = ipc,
): Operation {
  const payload = { sourceRegionId, componentIds: org.mspComponentIds, label: `org ${org.mspId}` };
  return backendOperation(payload, dryRun, (targetRegionIds) => replicateRequest(sourceRegionId, org.mspId, targetRegionIds), api);
}

export function replicateRequest(sourceRegionId: string, mspId: string, targetRegionIds: string[]): OperationRequest {
  return { kind: "replicate_org", sourceRegionId, mspId, targetRegionIds };
}

/** The full mesh over every region (the backend takes no target list: it always covers all). */
export function meshOperation(dryRun: boolean, api: OperationApi = ipc): Operation {
  const payload = { sourceRegionId: "", componentIds: [], label: "the full mesh" };
  return backendOperation(payload, dryRun, () => ({ kind: "mesh" }), api);
}

export interface PlanCounts {
  create: number;
  there: number;
  conflicts: number;
  failed: number;
}

export function countOutcomes(items: readonly ItemReport[]): PlanCounts {
  const n = (o: ItemReport["outcome"]) => items.filter((i) => i.outcome === o).length;
  return {
    create: n("would_create") + n("created"),
    there: n("already_there"),
    conflicts: n("conflict"),
    failed: n("failed"),
  };
}

/** True when a finished dry run would create something on some region. */
export function planHasWork(progress: TransferProgress | null): boolean {
  return progress?.finished === true && progress.targets.some((t) => t.items.some((i) => i.outcome === "would_create"));
}

/** A finished dry run's line for one region: "2 to create, 1 already there". */
export function planLine(items: readonly ItemReport[]): string {
  const c = countOutcomes(items);
  const parts: string[] = [];
  if (c.create) parts.push(`${c.create} to create`);
  if (c.there) parts.push(`${c.there} already there`);
  if (c.conflicts) parts.push(`${c.conflicts} conflict${c.conflicts === 1 ? "" : "s"}`);
  if (c.failed) parts.push(`${c.failed} failed`);
  return parts.length === 0 ? "Nothing to bring here" : parts.join(", ");
}

/** A finished replication's identities that became the org's admin on new regions, with those. */
export function newAdmins(progress: TransferProgress | null): { identity: string; regionIds: string[] }[] {
  if (!progress?.finished || progress.request.dryRun) return [];
  const regionsOf = new Map<string, string[]>();
  for (const target of progress.targets) {
    for (const item of target.items) {
      if (item.kind !== "identity" || item.outcome !== "created") continue;
      regionsOf.set(item.displayName, [...(regionsOf.get(item.displayName) ?? []), target.regionId]);
    }
  }
  return [...regionsOf].map(([identity, regionIds]) => ({ identity, regionIds }));
}

/**
 * Where an item was read from, in words that claim no more than the consoles tell: "from US East",
 * or, for a copy the region imported (the same node held by several regions, none of which holds
 * it as its own), "read from Canada's copy". Null when it was not read from a console.
 */
export function sourceWords(source: ItemSource, regionName: (regionId: string) => string): string | null {
  if (source.from !== "console") return null;
  const name = regionName(source.regionId);
  return source.copy ? `read from ${name}'s copy` : `from ${name}`;
}
