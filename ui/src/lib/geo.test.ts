import { describe, expect, it } from "vitest";
import {
  LABEL_HEIGHT,
  LABEL_HEIGHT_TWO_LINES,
  MAX_ZOOM,
  PIN_HALO,
  boxesOverlap,
  estimateLabelWidth,
  layoutLabels,
  makeProjection,
  projectPins,
  regionArcs,
  spreadPins,
  type Box,
  type PinPoint,
} from "./geo";

const SIZE = { width: 960, height: 500 };
const US_EAST = { id: "us-east", label: "US East · 3 ms", longitude: -77.5, latitude: 39.0 }; // Ashburn
const TORONTO = { id: "ca-tor", label: "Toronto · 5 ms", longitude: -79.4, latitude: 43.7 };
const US_WEST = { id: "us-west", label: "US West · 70 ms", longitude: -119.7, latitude: 45.8 }; // Boardman
const SYDNEY = { id: "syd", label: "Sydney · 210 ms", longitude: 151.2, latitude: -33.9 };

function inside(box: Box, size = SIZE): boolean {
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
}

describe("makeProjection", () => {
  it("fits the whole world into the viewport", () => {
    const p = makeProjection(SIZE);
    for (const [lon, lat] of [
      [-179.9, 0],
      [179.9, 0],
      [0, 89.9],
      [0, -89.9],
    ] as const) {
      const [x, y] = p([lon, lat])!;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(SIZE.width);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(SIZE.height);
    }
  });

  it("puts a known coordinate where it belongs: Ashburn top-left of centre, Sydney bottom-right", () => {
    const p = makeProjection(SIZE);
    const [ex, ey] = p([US_EAST.longitude, US_EAST.latitude])!;
    expect(ex).toBeGreaterThan(0);
    expect(ex).toBeLessThan(SIZE.width / 2);
    expect(ey).toBeGreaterThan(0);
    expect(ey).toBeLessThan(SIZE.height / 2);
    const [sx, sy] = p([SYDNEY.longitude, SYDNEY.latitude])!;
    expect(sx).toBeGreaterThan(SIZE.width / 2);
    expect(sx).toBeLessThan(SIZE.width);
    expect(sy).toBeGreaterThan(SIZE.height / 2);
    expect(sy).toBeLessThan(SIZE.height);
    // Null Island is the centre.
    const [cx, cy] = p([0, 0])!;
    expect(cx).toBeCloseTo(SIZE.width / 2, 0);
    expect(cy).toBeCloseTo(SIZE.height / 2, 0);
  });

  it("zooms onto close regions in 'regions' focus, keeping them all in view", () => {
    const world = makeProjection(SIZE, [US_EAST, TORONTO, US_WEST], "world");
    const zoomed = makeProjection(SIZE, [US_EAST, TORONTO, US_WEST], "regions");
    expect(zoomed.scale()).toBeGreaterThan(world.scale() * 1.5);
    expect(zoomed.scale()).toBeLessThanOrEqual(world.scale() * MAX_ZOOM + 1e-6);
    const pins = projectPins([US_EAST, TORONTO, US_WEST], zoomed, SIZE);
    expect(pins.every((p) => p.visible)).toBe(true);
  });

  it("caps the zoom for a single region and centres on it", () => {
    const world = makeProjection(SIZE);
    const one = makeProjection(SIZE, [TORONTO], "regions");
    expect(one.scale()).toBeLessThanOrEqual(world.scale() * MAX_ZOOM + 1e-6);
    const [x, y] = one([TORONTO.longitude, TORONTO.latitude])!;
    expect(Math.abs(x - SIZE.width / 2)).toBeLessThan(SIZE.width / 4);
    expect(Math.abs(y - SIZE.height / 2)).toBeLessThan(SIZE.height / 4);
  });

  it("falls back to the world view for regions spread round the globe, or none", () => {
    const world = makeProjection(SIZE);
    expect(makeProjection(SIZE, [US_WEST, SYDNEY, { longitude: 10, latitude: 50 }], "regions").scale()).toBeCloseTo(
      world.scale(),
      6,
    );
    expect(makeProjection(SIZE, [], "regions").scale()).toBeCloseTo(world.scale(), 6);
  });

  it("survives a zero-sized container", () => {
    const p = makeProjection({ width: 0, height: 0 });
    expect(Number.isFinite(p.scale())).toBe(true);
  });
});

describe("projectPins", () => {
  it("marks invalid coordinates as not visible instead of drawing them at NaN", () => {
    const p = makeProjection(SIZE);
    const [good, bad, far] = projectPins(
      [US_EAST, { id: "bad", label: "x", longitude: Number.NaN, latitude: 0 }, { id: "far", label: "y", longitude: 0, latitude: 120 }],
      p,
      SIZE,
    );
    expect(good!.visible).toBe(true);
    expect(bad!.visible).toBe(false);
    expect(far!.visible).toBe(false);
  });
});

describe("layoutLabels", () => {
  it("places a lone label right beside its pin, inside the viewport, without a leader", () => {
    const [label] = layoutLabels([{ id: "a", x: 300, y: 200, label: "US East · 3 ms" }], SIZE);
    expect(label!.box.x).toBeGreaterThan(300);
    expect(label!.box.x - 300).toBeLessThan(30);
    expect(label!.box.y).toBeLessThan(200);
    expect(label!.box.y + label!.box.height).toBeGreaterThan(200);
    expect(label!.leader).toBe(false);
    expect(inside(label!.box)).toBe(true);
  });

  it("gives two close pins labels that overlap neither each other nor any pin", () => {
    const pins = [
      { id: "us-east", x: 300, y: 200, label: "US East · 3 ms" },
      { id: "ca-tor", x: 306, y: 190, label: "Toronto · 5 ms" },
    ];
    const [a, b] = layoutLabels(pins, SIZE);
    expect(boxesOverlap(a!.box, b!.box)).toBe(false);
    for (const label of [a!, b!]) {
      expect(inside(label.box)).toBe(true);
      for (const pin of pins) {
        const pinBox = { x: pin.x - PIN_HALO, y: pin.y - PIN_HALO, width: 2 * PIN_HALO, height: 2 * PIN_HALO };
        expect(boxesOverlap(label.box, pinBox)).toBe(false);
      }
    }
  });

  it("keeps a crowd of pins readable, adding leader lines for labels set apart", () => {
    const pins = Array.from({ length: 6 }, (_, i) => ({
      id: `r${i}`,
      x: 400 + (i % 3) * 8,
      y: 250 + Math.floor(i / 3) * 8,
      label: `Region number ${i} · ${i * 10} ms`,
    }));
    const labels = layoutLabels(pins, SIZE);
    expect(labels.map((l) => l.id)).toEqual(pins.map((p) => p.id));
    for (let i = 0; i < labels.length; i++) {
      expect(inside(labels[i]!.box)).toBe(true);
      for (let j = i + 1; j < labels.length; j++) expect(boxesOverlap(labels[i]!.box, labels[j]!.box)).toBe(false);
    }
    expect(labels.some((l) => l.leader)).toBe(true);
  });

  it("flips a label to the left of a pin at the right edge", () => {
    const [label] = layoutLabels([{ id: "e", x: SIZE.width - 10, y: 200, label: "Far East · 300 ms" }], SIZE);
    expect(label!.box.x + label!.box.width).toBeLessThan(SIZE.width - 10);
    expect(inside(label!.box)).toBe(true);
  });

  it("ignores pins without a position", () => {
    expect(layoutLabels([{ id: "x", x: Number.NaN, y: 1, label: "x" }], SIZE)).toEqual([]);
  });

  it("sizes label boxes from the text", () => {
    expect(estimateLabelWidth("US East · 3 ms")).toBeLessThan(estimateLabelWidth("Asia Pacific (Tokyo) · 3 ms"));
    const [label] = layoutLabels([{ id: "a", x: 100, y: 100, label: "abc" }], SIZE, () => 50);
    expect(label!.box.width).toBe(50);
    expect(label!.box.height).toBe(LABEL_HEIGHT);
  });

  it("makes a label with a second line taller, as wide as its wider line, still clear of close pins", () => {
    const measure = (text: string) => text.length * 7;
    const pins = [
      { id: "us-east", x: 300, y: 200, label: "US East · 3 ms", sub: "12 peers · 5 consenters" },
      { id: "ca-tor", x: 306, y: 190, label: "Toronto · 5 ms", sub: "0 peers · 0 consenters" },
    ];
    const [a, b] = layoutLabels(pins, SIZE, measure);
    expect(a!.box.height).toBe(LABEL_HEIGHT_TWO_LINES);
    expect(a!.box.width).toBe(measure("12 peers · 5 consenters"));
    expect(boxesOverlap(a!.box, b!.box)).toBe(false);
    expect(inside(a!.box) && inside(b!.box)).toBe(true);
  });
});

describe("spreadPins", () => {
  const pin = (id: string, x: number, y: number): PinPoint => ({ id, label: id, x, y, visible: true });

  it("moves apart pins at the same spot, keeping the true spot for a leader", () => {
    const spread = spreadPins([pin("a", 100, 100), pin("b", 100, 100), pin("c", 400, 100)]);
    const [a, b, c] = spread;
    expect(Math.hypot(a!.x - b!.x, a!.y - b!.y)).toBeGreaterThanOrEqual(PIN_HALO * 2);
    expect(a!.displaced && b!.displaced).toBe(true);
    expect([a!.ox, a!.oy, b!.ox, b!.oy]).toEqual([100, 100, 100, 100]);
    expect(c).toMatchObject({ x: 400, y: 100, displaced: false });
  });

  it("separates a chain of near pins, keeping their east–west order", () => {
    const spread = spreadPins([pin("w", 200, 200), pin("m", 206, 200), pin("e", 212, 200)]);
    for (let i = 0; i < spread.length; i++)
      for (let j = i + 1; j < spread.length; j++)
        expect(Math.hypot(spread[i]!.x - spread[j]!.x, spread[i]!.y - spread[j]!.y)).toBeGreaterThanOrEqual(
          PIN_HALO * 2,
        );
    const two = spreadPins([pin("w", 200, 200), pin("e", 205, 200)]);
    expect(two[0]!.x).toBeLessThan(two[1]!.x);
  });

  it("leaves far-apart and hidden pins alone", () => {
    const hidden = { ...pin("h", 100, 100), visible: false };
    const spread = spreadPins([pin("a", 100, 100), hidden]);
    expect(spread.map((p) => p.displaced)).toEqual([false, false]);
  });
});

describe("regionArcs", () => {
  it("joins every pair once and skips regions at the same place or without coordinates", () => {
    const arcs = regionArcs([
      US_EAST,
      TORONTO,
      US_WEST,
      { id: "same", longitude: US_EAST.longitude, latitude: US_EAST.latitude },
      { id: "nan", longitude: Number.NaN, latitude: 0 },
    ]);
    expect(arcs.map((a) => a.id).sort()).toEqual(
      ["us-east--ca-tor", "us-east--us-west", "ca-tor--us-west", "ca-tor--same", "us-west--same"].sort(),
    );
  });
  it("draws nothing for zero or one region and caps big fleets", () => {
    expect(regionArcs([])).toEqual([]);
    expect(regionArcs([US_EAST])).toEqual([]);
    const many = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, longitude: i * 5, latitude: i }));
    expect(regionArcs(many, 10)).toHaveLength(10);
  });
});
