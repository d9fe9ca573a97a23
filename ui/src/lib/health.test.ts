import { describe, expect, it } from "vitest";
import type { HealthState } from "../bindings/HealthState";
import {
  HEALTH_STATES,
  componentStatusStyle,
  contrastRatio,
  countByState,
  formatLatency,
  pinLabel,
  pinStatusText,
  stateStyle,
  unavailableReason,
} from "./health";

const ALL: HealthState[] = [
  "unknown",
  "healthy",
  "slow",
  "degraded",
  "unreachable",
  "unauthorized",
  "no_secret",
  "locked_out",
  "rate_limited",
  "failing",
];

describe("stateStyle", () => {
  it("covers every HealthState, each with its own label", () => {
    expect([...HEALTH_STATES].sort()).toEqual([...ALL].sort());
    const labels = ALL.map((s) => stateStyle(s).label);
    expect(new Set(labels).size).toBe(ALL.length);
  });

  it("uses the agreed colour families", () => {
    const hue = (hex: string) => {
      const n = parseInt(hex.slice(1), 16);
      const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
      return { r, g, b };
    };
    const healthy = hue(stateStyle("healthy").color);
    expect(healthy.g).toBeGreaterThan(healthy.r);
    expect(healthy.g).toBeGreaterThan(healthy.b);
    for (const s of ["unreachable", "failing"] as const) {
      const c = hue(stateStyle(s).color);
      expect(c.r).toBeGreaterThan(c.g * 2);
      expect(c.r).toBeGreaterThan(c.b * 2);
    }
    for (const s of ["unauthorized", "locked_out"] as const) {
      const c = hue(stateStyle(s).color);
      expect(c.b).toBeGreaterThan(c.g);
      expect(c.r).toBeGreaterThan(c.g);
    }
    for (const s of ["degraded", "rate_limited"] as const) {
      const c = hue(stateStyle(s).color);
      expect(c.r).toBeGreaterThan(c.g);
      expect(c.g).toBeGreaterThan(c.b);
    }
    const unknown = hue(stateStyle("unknown").color);
    expect(Math.max(unknown.r, unknown.g, unknown.b) - Math.min(unknown.r, unknown.g, unknown.b)).toBeLessThan(40);
  });

  it("keeps white glyphs and text readable on every state colour (WCAG AA)", () => {
    for (const s of ALL) expect(contrastRatio(stateStyle(s).color, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });

  it("does not rely on colour alone: states of one colour family differ in glyph or label", () => {
    expect(stateStyle("unreachable").glyph).not.toBe(stateStyle("failing").glyph);
    expect(stateStyle("degraded").glyph).not.toBe(stateStyle("rate_limited").glyph);
    expect(stateStyle("healthy").glyph).toBe("check");
    expect(stateStyle("unauthorized").label).not.toBe(stateStyle("locked_out").label);
  });

  it("falls back to unknown for a state it does not know", () => {
    expect(stateStyle("exploded" as HealthState)).toEqual(stateStyle("unknown"));
  });

  it("orders severity so unreachable is worst and healthy best", () => {
    const sorted = [...ALL].sort((a, b) => stateStyle(a).severity - stateStyle(b).severity);
    expect(sorted[0]).toBe("healthy");
    expect(sorted[sorted.length - 1]).toBe("unreachable");
  });
});

describe("contrastRatio", () => {
  it("matches known WCAG values", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 1);
  });
  it("rejects what is not a colour", () => {
    expect(() => contrastRatio("red", "#ffffff")).toThrow(/not a #rrggbb/);
  });
});

describe("formatLatency", () => {
  it.each([
    [null, "—"],
    [undefined, "—"],
    [-1, "—"],
    [Number.NaN, "—"],
    [0, "<1 ms"],
    [0.4, "<1 ms"],
    [3, "3 ms"],
    [2.6, "3 ms"],
    [999.4, "999 ms"],
    [1000, "1 s"],
    [1250, "1.25 s"],
    [1500, "1.5 s"],
    [12_345, "12 s"],
  ])("%s → %s", (input, expected) => {
    expect(formatLatency(input)).toBe(expected);
  });
});

describe("pin labels", () => {
  it("shows name and latency for a healthy region", () => {
    expect(pinLabel("US East", { state: "healthy", latencyMs: 3 })).toBe("US East · 3 ms");
  });
  it("names the state instead of a latency when the console did not answer", () => {
    expect(pinStatusText({ state: "unreachable", latencyMs: null })).toBe("unreachable");
    expect(pinStatusText({ state: "locked_out", latencyMs: null })).toBe("locked out");
    expect(pinStatusText({ state: "unauthorized", latencyMs: 12 })).toBe("unauthorized");
  });
  it("adds the state to the latency when the region answered but is not healthy", () => {
    expect(pinStatusText({ state: "degraded", latencyMs: 41 })).toBe("41 ms · degraded");
    expect(pinStatusText({ state: "rate_limited", latencyMs: 1200 })).toBe("1.2 s · throttled");
  });
  it("says it is still checking when there is no health yet", () => {
    expect(pinStatusText(undefined)).toBe("checking…");
    expect(pinStatusText({ state: "unknown", latencyMs: null })).toBe("checking…");
    expect(pinLabel("Toronto", undefined)).toBe("Toronto · checking…");
  });
});

describe("componentStatusStyle", () => {
  it("distinguishes not-applicable from unknown by shape, and ok from not ok by colour and label", () => {
    expect(componentStatusStyle("not_applicable").hollow).toBe(true);
    expect(componentStatusStyle("unknown").hollow).toBe(false);
    expect(componentStatusStyle("ok").color).not.toBe(componentStatusStyle("not_ok").color);
    expect(componentStatusStyle("ok").label).toBe("OK");
    expect(componentStatusStyle("not_ok").label).toBe("Not OK");
  });
});

describe("countByState", () => {
  it("counts each state and lists the worst first", () => {
    expect(countByState(["healthy", "unreachable", "healthy", "degraded"])).toEqual([
      { state: "unreachable", count: 1 },
      { state: "degraded", count: 1 },
      { state: "healthy", count: 2 },
    ]);
  });
  it("is empty for no regions", () => {
    expect(countByState([])).toEqual([]);
  });
});

describe("unavailableReason", () => {
  it("names the states in which a region cannot take a copy, and only those", () => {
    expect(unavailableReason({ state: "unreachable" })).toBe("unreachable");
    expect(unavailableReason({ state: "no_secret" })).toBe("no secret");
    expect(unavailableReason({ state: "healthy" })).toBeNull();
    expect(unavailableReason({ state: "slow" })).toBeNull();
    expect(unavailableReason({ state: "rate_limited" })).toBeNull();
    expect(unavailableReason(undefined)).toBeNull();
  });
});
