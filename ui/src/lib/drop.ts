// OS file drops: where on the page a drag is, and which drop target (a region's card or map pin,
// or the wallet) is under it. Tauri reports drag positions in physical pixels relative to the web
// view; the DOM works in CSS pixels, so positions are divided by the device pixel ratio first.

export interface Point {
  x: number;
  y: number;
}

/** Marks an element (a region card, a map pin) that takes dropped files for a region. */
export const DROP_REGION_ATTR = "data-drop-region";
/** Marks the element (the wallet panel) that takes dropped identity files. */
export const DROP_WALLET_ATTR = "data-drop-wallet";

export type DropTarget = { kind: "region"; regionId: string } | { kind: "wallet" };

/** A usable device pixel ratio: 1 when the one given is missing, zero, negative or not finite. */
export function safeRatio(ratio: number | undefined | null): number {
  return typeof ratio === "number" && Number.isFinite(ratio) && ratio > 0 ? ratio : 1;
}

/** Converts a physical-pixel position (as Tauri reports drags) into CSS pixels. */
export function physicalToCss(position: Point, devicePixelRatio: number | undefined | null): Point {
  const ratio = safeRatio(devicePixelRatio);
  return { x: position.x / ratio, y: position.y / ratio };
}

/** The drop target an element belongs to: its nearest ancestor-or-self marked as one. */
export function dropTargetOf(element: Element | null): DropTarget | null {
  const marked = element?.closest(`[${DROP_REGION_ATTR}], [${DROP_WALLET_ATTR}]`);
  if (!marked) return null;
  const regionId = marked.getAttribute(DROP_REGION_ATTR);
  if (regionId) return { kind: "region", regionId };
  return marked.hasAttribute(DROP_WALLET_ATTR) ? { kind: "wallet" } : null;
}

/**
 * The drop target under a CSS-pixel point, hit-testing with `elementFromPoint` (the real
 * document's, or a stand-in in tests). Points outside the viewport hit nothing.
 */
export function dropTargetAt(
  point: Point | null,
  doc: Pick<Document, "elementFromPoint">,
  viewport?: { width: number; height: number },
): DropTarget | null {
  if (!point || !Number.isFinite(point.x) || !Number.isFinite(point.y)) return null;
  if (point.x < 0 || point.y < 0) return null;
  if (viewport && (point.x >= viewport.width || point.y >= viewport.height)) return null;
  return dropTargetOf(doc.elementFromPoint(point.x, point.y));
}

export function sameTarget(a: DropTarget | null, b: DropTarget | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === "region" && b.kind === "region") return a.regionId === b.regionId;
  return a.kind === b.kind;
}

/** "2 files" / "Org1 MSP_msp.json": what is being dragged, for hints. */
export function describePaths(paths: readonly string[]): string {
  if (paths.length === 1) {
    const path = paths[0] ?? "";
    return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
  }
  return `${paths.length} files`;
}
