// Dragging components onto other regions with the pointer (not HTML5 drag and drop, which fights
// Tauri's native OS file drop in WebKitGTK): when a press becomes a drag, and which drop target
// (another region's card or pin, or the "All other regions" zone) is under the pointer.

import { DROP_REGION_ATTR, type Point } from "./drop";
import { otherRegionIds } from "./transfer";

/** Marks the zone that copies to every region but the source. */
export const DROP_ALL_ATTR = "data-drop-all";

/** How far (CSS px) a press must move before it is a drag: shorter moves stay clicks. */
export const DRAG_THRESHOLD_PX = 5;

export type TransferTarget = { kind: "region"; regionId: string } | { kind: "all" };

export function pastThreshold(start: Point, now: Point, threshold = DRAG_THRESHOLD_PX): boolean {
  return Math.hypot(now.x - start.x, now.y - start.y) >= threshold;
}

/**
 * The drop target an element belongs to, for a drag from `sourceRegionId`: the source itself,
 * unknown regions and an "all" zone with no other region are not targets.
 */
export function transferTargetOf(
  element: Element | null,
  sourceRegionId: string,
  regionIds: readonly string[],
): TransferTarget | null {
  const marked = element?.closest(`[${DROP_REGION_ATTR}], [${DROP_ALL_ATTR}]`);
  if (!marked) return null;
  if (marked.hasAttribute(DROP_ALL_ATTR)) {
    return otherRegionIds(regionIds, sourceRegionId).length > 0 ? { kind: "all" } : null;
  }
  const regionId = marked.getAttribute(DROP_REGION_ATTR);
  if (!regionId || regionId === sourceRegionId || !regionIds.includes(regionId)) return null;
  return { kind: "region", regionId };
}

/** The drop target under a CSS-pixel point (`elementFromPoint` of the document or a stand-in). */
export function transferTargetAt(
  point: Point,
  doc: Pick<Document, "elementFromPoint">,
  sourceRegionId: string,
  regionIds: readonly string[],
): TransferTarget | null {
  if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) return null;
  return transferTargetOf(doc.elementFromPoint(point.x, point.y), sourceRegionId, regionIds);
}

/** The regions a drop on `target` copies to. */
export function targetRegionIds(
  target: TransferTarget | null,
  sourceRegionId: string,
  regionIds: readonly string[],
): string[] {
  if (target === null) return [];
  if (target.kind === "all") return otherRegionIds(regionIds, sourceRegionId);
  return target.regionId === sourceRegionId ? [] : [target.regionId];
}

export function sameTransferTarget(a: TransferTarget | null, b: TransferTarget | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === "region" && b.kind === "region") return a.regionId === b.regionId;
  return a.kind === b.kind;
}
