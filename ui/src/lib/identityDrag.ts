// Dragging a wallet identity onto a region (its map pin or card) makes it the org's admin identity
// there. The pointer mechanics are dragSource's (made for component rows, so its payload is a
// TransferPayload): an identity travels as one with the wallet as its source and its name as the
// only "component". This module is the one place that knows that encoding.

import { DROP_REGION_ATTR, type Point } from "./drop";
import type { TransferPayload } from "./payload";

/** The source of an identity drag: no region has this id. */
export const WALLET_SOURCE = "wallet";

export function identityPayload(name: string): TransferPayload {
  return { sourceRegionId: WALLET_SOURCE, componentIds: [name], label: name };
}

/** The identity a drag payload carries, or null when it carries components. */
export function identityOf(payload: TransferPayload): string | null {
  return payload.sourceRegionId === WALLET_SOURCE && payload.componentIds.length === 1 ? payload.componentIds[0]! : null;
}

/** The known region whose pin or card is under a CSS-pixel point, if any. */
export function identityTargetAt(
  point: Point,
  doc: Pick<Document, "elementFromPoint">,
  regionIds: readonly string[],
): string | null {
  if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) return null;
  const regionId = doc.elementFromPoint(point.x, point.y)?.closest(`[${DROP_REGION_ATTR}]`)?.getAttribute(DROP_REGION_ATTR);
  return regionId && regionIds.includes(regionId) ? regionId : null;
}
