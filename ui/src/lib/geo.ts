// Map geometry: the projection, where pins land, and where their labels go so that pins close
// together (us-east-1 and ca-tor, say) stay readable. Pure functions, no DOM.

import { geoNaturalEarth1, type GeoProjection } from "d3-geo";

export interface Size {
  width: number;
  height: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** "world" shows the whole globe; "regions" zooms onto the regions (never beyond MAX_ZOOM). */
export type MapFocus = "world" | "regions";

export const MAX_ZOOM = 6;
/** Degrees added around the regions' bounding box in "regions" focus. */
const REGION_MARGIN_DEG = 8;

export interface GeoPoint {
  longitude: number;
  latitude: number;
}

function validPoint(p: GeoPoint): boolean {
  return (
    Number.isFinite(p.longitude) &&
    Number.isFinite(p.latitude) &&
    Math.abs(p.latitude) <= 90 &&
    Math.abs(p.longitude) <= 180
  );
}

/**
 * A Natural Earth projection fitted to `size` with `padding` pixels to spare. With focus
 * "regions" and some points it zooms onto their bounding box, but never further than MAX_ZOOM
 * times the world view, and never out beyond the world view.
 */
export function makeProjection(
  size: Size,
  points: readonly GeoPoint[] = [],
  focus: MapFocus = "world",
  padding = 16,
): GeoProjection {
  const width = Math.max(1, size.width);
  const height = Math.max(1, size.height);
  const pad = Math.min(padding, width / 4, height / 4);
  const projection = geoNaturalEarth1().fitExtent(
    [
      [pad, pad],
      [width - pad, height - pad],
    ],
    { type: "Sphere" },
  );
  const valid = points.filter(validPoint);
  if (focus === "world" || valid.length === 0) return projection;

  const lons = valid.map((p) => p.longitude);
  const lats = valid.map((p) => p.latitude);
  const west = Math.max(-180, Math.min(...lons) - REGION_MARGIN_DEG);
  const east = Math.min(180, Math.max(...lons) + REGION_MARGIN_DEG);
  const south = Math.max(-89, Math.min(...lats) - REGION_MARGIN_DEG);
  const north = Math.min(89, Math.max(...lats) + REGION_MARGIN_DEG);
  if (east - west > 200) return projection; // spans most of the globe: the world view is best

  const worldScale = projection.scale();
  // Sample the box's edges so the fit follows the projection's curvature.
  const samples: [number, number][] = [];
  for (let i = 0; i <= 8; i++) {
    const lon = west + ((east - west) * i) / 8;
    const lat = south + ((north - south) * i) / 8;
    samples.push([lon, south], [lon, north], [west, lat], [east, lat]);
  }
  const zoomPad = Math.min(Math.max(pad, 48), width / 4, height / 4);
  projection.fitExtent(
    [
      [zoomPad, zoomPad],
      [width - zoomPad, height - zoomPad],
    ],
    { type: "MultiPoint", coordinates: samples },
  );
  const scale = Math.min(Math.max(projection.scale(), worldScale), worldScale * MAX_ZOOM);
  if (scale !== projection.scale()) {
    projection.scale(scale);
    const centre = projection([(west + east) / 2, (south + north) / 2]);
    const [tx, ty] = projection.translate();
    if (centre) projection.translate([tx + width / 2 - centre[0], ty + height / 2 - centre[1]]);
  }
  return projection;
}

export interface PinInput extends GeoPoint {
  id: string;
  label: string;
}

export interface PinPoint {
  id: string;
  label: string;
  x: number;
  y: number;
  /** False when the pin falls outside the drawing (zoomed view) or has no valid coordinates. */
  visible: boolean;
}

export function projectPins(pins: readonly PinInput[], projection: GeoProjection, size: Size): PinPoint[] {
  return pins.map((pin) => {
    const xy = validPoint(pin) ? projection([pin.longitude, pin.latitude]) : null;
    if (!xy || !Number.isFinite(xy[0]) || !Number.isFinite(xy[1])) {
      return { id: pin.id, label: pin.label, x: NaN, y: NaN, visible: false };
    }
    const [x, y] = xy;
    const visible = x >= 0 && y >= 0 && x <= size.width && y <= size.height;
    return { id: pin.id, label: pin.label, x, y, visible };
  });
}

export const LABEL_FONT_PX = 12;
export const LABEL_HEIGHT = 22;
/** A label with a second, smaller line (what the region holds). */
export const LABEL_HEIGHT_TWO_LINES = 36;
export const PIN_RADIUS = 9;
/** The pin's outer ring; labels keep clear of it. */
export const PIN_HALO = PIN_RADIUS + 4;

/**
 * A generous width estimate for a one-line label in the system sans-serif font. The label's
 * background pill is this wide and the text is centred in it, so erring wide is harmless.
 */
export function estimateLabelWidth(text: string, fontPx = LABEL_FONT_PX): number {
  let units = 0;
  for (const ch of text) {
    if (/[ilj.,·:;'|!]/.test(ch)) units += 0.3;
    else if (/[mwMW@]/.test(ch)) units += 0.9;
    else if (/[A-Z0-9]/.test(ch)) units += 0.68;
    else if (ch === " ") units += 0.3;
    else if (ch.charCodeAt(0) > 0x2e80) units += 1.0; // CJK and other wide scripts
    else units += 0.56;
  }
  return Math.ceil(units * fontPx + 16);
}

export function boxesOverlap(a: Box, b: Box, gap = 0): boolean {
  return (
    a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap
  );
}

function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export interface PlacedLabel {
  id: string;
  box: Box;
  /** Pin centre. */
  x: number;
  y: number;
  /** True when the label sits away from its pin and needs a leader line. */
  leader: boolean;
  /** Where the leader line meets the label box. */
  anchor: { x: number; y: number };
}

interface Candidate {
  box: Box;
  adjacent: boolean;
}

function candidates(x: number, y: number, w: number, h: number, size: Size): Candidate[] {
  const r = PIN_HALO + 4;
  const near: Candidate[] = [
    { box: { x: x + r, y: y - h / 2, width: w, height: h }, adjacent: true }, // right
    { box: { x: x - r - w, y: y - h / 2, width: w, height: h }, adjacent: true }, // left
    { box: { x: x - w / 2, y: y - r - h, width: w, height: h }, adjacent: true }, // above
    { box: { x: x - w / 2, y: y + r, width: w, height: h }, adjacent: true }, // below
    { box: { x: x + r, y: y - r - h, width: w, height: h }, adjacent: true }, // above right
    { box: { x: x + r, y: y + r, width: w, height: h }, adjacent: true }, // below right
    { box: { x: x - r - w, y: y - r - h, width: w, height: h }, adjacent: true }, // above left
    { box: { x: x - r - w, y: y + r, width: w, height: h }, adjacent: true }, // below left
  ];
  // Further out, stacked rows on either side, joined to the pin by a leader line.
  const far: Candidate[] = [];
  const step = h + 4;
  for (let ring = 1; ring <= 8; ring++) {
    const dx = r + 18 + ring * 6;
    for (const dy of [-ring * step, ring * step]) {
      far.push({ box: { x: x + dx, y: y - h / 2 + dy, width: w, height: h }, adjacent: false });
      far.push({ box: { x: x - dx - w, y: y - h / 2 + dy, width: w, height: h }, adjacent: false });
    }
    far.push({ box: { x: x - w / 2, y: y - r - h - ring * step, width: w, height: h }, adjacent: false });
    far.push({ box: { x: x - w / 2, y: y + r + ring * step, width: w, height: h }, adjacent: false });
  }
  return [...near, ...far].map((c) => ({ ...c, box: clampInto(c.box, size) }));
}

function clampInto(box: Box, size: Size): Box {
  const x = Math.min(Math.max(box.x, 2), Math.max(2, size.width - box.width - 2));
  const y = Math.min(Math.max(box.y, 2), Math.max(2, size.height - box.height - 2));
  return { ...box, x, y };
}

function pinBox(p: { x: number; y: number }): Box {
  return { x: p.x - PIN_HALO, y: p.y - PIN_HALO, width: PIN_HALO * 2, height: PIN_HALO * 2 };
}

function nearestPointOnBox(box: Box, x: number, y: number): { x: number; y: number } {
  return {
    x: Math.min(Math.max(x, box.x), box.x + box.width),
    y: Math.min(Math.max(y, box.y), box.y + box.height),
  };
}

/**
 * Places one label per visible pin so that no label overlaps another label or any pin, and each
 * stays inside the drawing. Greedy: pins are handled top to bottom, each taking the first free
 * spot beside it, else a free spot further out (with a leader line), else the least crowded spot.
 * A pin with a `sub` line gets a two-line label, as wide as its wider line.
 */
export function layoutLabels(
  pins: readonly { id: string; x: number; y: number; label: string; sub?: string }[],
  size: Size,
  measure: (text: string) => number = estimateLabelWidth,
): PlacedLabel[] {
  const visible = pins.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const order = [...visible].sort((a, b) => a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : 1));
  const pinBoxes = visible.map(pinBox);
  const placed: Box[] = [];
  const result = new Map<string, PlacedLabel>();
  const gap = 2;

  for (const pin of order) {
    const w = Math.max(measure(pin.label), pin.sub ? measure(pin.sub) : 0);
    const options = candidates(pin.x, pin.y, w, pin.sub ? LABEL_HEIGHT_TWO_LINES : LABEL_HEIGHT, size);
    const obstacles = [...placed, ...pinBoxes];
    let chosen = options.find((c) => obstacles.every((o) => !boxesOverlap(c.box, o, gap)));
    if (!chosen) {
      let best = Infinity;
      for (const c of options) {
        const cost = obstacles.reduce((sum, o) => sum + overlapArea(c.box, o), 0);
        if (cost < best) {
          best = cost;
          chosen = c;
        }
      }
    }
    const box = (chosen ?? options[0])!.box;
    placed.push(box);
    const anchor = nearestPointOnBox(box, pin.x, pin.y);
    const distance = Math.hypot(anchor.x - pin.x, anchor.y - pin.y);
    result.set(pin.id, {
      id: pin.id,
      box,
      x: pin.x,
      y: pin.y,
      leader: !(chosen?.adjacent ?? false) || distance > PIN_HALO + 14,
      anchor,
    });
  }
  // Keep the caller's order.
  return visible.map((p) => result.get(p.id)!);
}

export interface Arc {
  id: string;
  from: [number, number];
  to: [number, number];
}

/** One great-circle arc per pair of regions (longitude, latitude pairs), capped for big fleets. */
export function regionArcs(points: readonly (GeoPoint & { id: string })[], maxArcs = 60): Arc[] {
  const valid = points.filter(validPoint);
  const arcs: Arc[] = [];
  for (let i = 0; i < valid.length; i++) {
    for (let j = i + 1; j < valid.length; j++) {
      const a = valid[i]!;
      const b = valid[j]!;
      if (a.longitude === b.longitude && a.latitude === b.latitude) continue;
      arcs.push({ id: `${a.id}--${b.id}`, from: [a.longitude, a.latitude], to: [b.longitude, b.latitude] });
      if (arcs.length >= maxArcs) return arcs;
    }
  }
  return arcs;
}

export interface SpreadPin extends PinPoint {
  /** Where the region really is; differs from (x, y) when the pin was moved apart from others. */
  ox: number;
  oy: number;
  displaced: boolean;
}

/**
 * Moves apart pins that would sit on top of each other (two consoles in one data centre, or
 * neighbours at world scale): each cluster is laid out on a small circle round its centre, so
 * every pin stays clickable. Pins not visible are passed through untouched.
 */
export function spreadPins(pins: readonly PinPoint[], minDistance = PIN_HALO * 2 + 2): SpreadPin[] {
  const out: SpreadPin[] = pins.map((p) => ({ ...p, ox: p.x, oy: p.y, displaced: false }));
  const shown = out.filter((p) => p.visible);
  // Single-link clustering (union-find) on the projected positions.
  const parent = shown.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) {
      const a = shown[i]!;
      const b = shown[j]!;
      if (Math.hypot(a.x - b.x, a.y - b.y) < minDistance) parent[find(i)] = find(j);
    }
  }
  const clusters = new Map<number, SpreadPin[]>();
  shown.forEach((p, i) => {
    const root = find(i);
    const cluster = clusters.get(root);
    if (cluster) cluster.push(p);
    else clusters.set(root, [p]);
  });
  for (const cluster of clusters.values()) {
    const k = cluster.length;
    if (k < 2) continue;
    const cx = cluster.reduce((s, p) => s + p.ox, 0) / k;
    const cy = cluster.reduce((s, p) => s + p.oy, 0) / k;
    // Neighbouring points on a circle of this radius are minDistance apart.
    const radius = Math.max(minDistance / (2 * Math.sin(Math.PI / k)), minDistance / 2) + 1;
    // A stable order: by angle from the centre (ties by id) so pins keep their side.
    const ordered = [...cluster].sort(
      (a, b) => Math.atan2(a.oy - cy, a.ox - cx) - Math.atan2(b.oy - cy, b.ox - cx) || (a.id < b.id ? -1 : 1),
    );
    const first = ordered[0]!;
    const start = first.ox === cx && first.oy === cy ? -Math.PI / 2 : Math.atan2(first.oy - cy, first.ox - cx);
    ordered.forEach((p, i) => {
      const angle = start + (2 * Math.PI * i) / k;
      p.x = cx + radius * Math.cos(angle);
      p.y = cy + radius * Math.sin(angle);
      p.displaced = true;
    });
  }
  return out;
}
