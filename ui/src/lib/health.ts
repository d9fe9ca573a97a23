// How a health state looks: colour, label, glyph and the short text shown beside a pin.
// Colour is never the only cue: every state also has a distinct label and a glyph.

import type { ComponentStatus } from "../bindings/ComponentStatus";
import type { HealthState } from "../bindings/HealthState";
import type { RegionHealth } from "../bindings/RegionHealth";

/** Shapes drawn inside a pin or badge (see Glyph.svelte). */
export type Glyph = "check" | "alert" | "cross" | "lock" | "clock" | "question";

export interface StateStyle {
  /** Human label, e.g. "Locked out". */
  label: string;
  /** Fill colour; white glyphs and text on it meet WCAG AA (4.5:1). */
  color: string;
  glyph: Glyph;
  /** Higher is worse; used to order and summarise. */
  severity: number;
}

export const HEALTH_STATES: readonly HealthState[] = [
  "healthy",
  "slow",
  "degraded",
  "rate_limited",
  "unknown",
  "unauthorized",
  "no_secret",
  "locked_out",
  "failing",
  "unreachable",
];

const STYLES: Record<HealthState, StateStyle> = {
  healthy: { label: "Healthy", color: "#1a7f37", glyph: "check", severity: 0 },
  slow: { label: "Slow", color: "#8a6d00", glyph: "clock", severity: 2 },
  degraded: { label: "Degraded", color: "#b04a00", glyph: "alert", severity: 2 },
  rate_limited: { label: "Throttled", color: "#7d5a00", glyph: "clock", severity: 3 },
  unknown: { label: "Unknown", color: "#5f6b76", glyph: "question", severity: 1 },
  unauthorized: { label: "Unauthorized", color: "#7c3aed", glyph: "lock", severity: 4 },
  no_secret: { label: "No secret", color: "#7c3aed", glyph: "lock", severity: 4 },
  locked_out: { label: "Locked out", color: "#6b21a8", glyph: "lock", severity: 5 },
  failing: { label: "Failing", color: "#c01c28", glyph: "alert", severity: 6 },
  unreachable: { label: "Unreachable", color: "#b91c1c", glyph: "cross", severity: 7 },
};

export function stateStyle(state: HealthState): StateStyle {
  // An unexpected value from a newer backend falls back to "unknown" instead of crashing.
  return STYLES[state] ?? STYLES.unknown;
}

/** Formats a latency in milliseconds: "<1 ms", "42 ms", "1.25 s", or "—" when there is none. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1) return "<1 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2).replace(/\.?0+$/, "")} s`;
  return `${Math.round(ms / 1000)} s`;
}

/**
 * The short status text shown next to a region's name on the map: its latency when the console
 * answers (with the state when that is not plain healthy), otherwise the state itself.
 */
export function pinStatusText(health: Pick<RegionHealth, "state" | "latencyMs"> | undefined): string {
  if (!health) return "checking…";
  const { state, latencyMs } = health;
  const answered =
    latencyMs !== null && (state === "healthy" || state === "slow" || state === "degraded" || state === "rate_limited");
  if (state === "healthy") return answered ? formatLatency(latencyMs) : "healthy";
  if (state === "unknown") return "checking…";
  const label = stateStyle(state).label.toLowerCase();
  return answered ? `${formatLatency(latencyMs)} · ${label}` : label;
}

/** "US East · 3 ms" */
export function pinLabel(name: string, health: Pick<RegionHealth, "state" | "latencyMs"> | undefined): string {
  return `${name} · ${pinStatusText(health)}`;
}

export interface ComponentStatusStyle {
  label: string;
  color: string;
  /** A hollow dot marks "not applicable" so it is told apart from "unknown" without colour. */
  hollow: boolean;
}

const COMPONENT_STATUS: Record<ComponentStatus, ComponentStatusStyle> = {
  ok: { label: "OK", color: "#1a7f37", hollow: false },
  not_ok: { label: "Not OK", color: "#c01c28", hollow: false },
  unknown: { label: "Status unknown", color: "#5f6b76", hollow: false },
  not_applicable: { label: "No status (not applicable)", color: "#5f6b76", hollow: true },
};

export function componentStatusStyle(status: ComponentStatus): ComponentStatusStyle {
  return COMPONENT_STATUS[status] ?? COMPONENT_STATUS.unknown;
}

/** WCAG relative-luminance contrast ratio between two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string): number => {
    const m = /^#([0-9a-f]{6})$/i.exec(hex);
    if (!m || m[1] === undefined) throw new Error(`not a #rrggbb colour: ${hex}`);
    const n = parseInt(m[1], 16);
    const channel = (v: number): number => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** How many regions are in each state, worst first, leaving out states no region is in. */
export function countByState(states: readonly HealthState[]): { state: HealthState; count: number }[] {
  const counts = new Map<HealthState, number>();
  for (const s of states) {
    const known: HealthState = s in STYLES ? s : "unknown";
    counts.set(known, (counts.get(known) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([state, count]) => ({ state, count }))
    .sort((a, b) => stateStyle(b.state).severity - stateStyle(a.state).severity);
}

/** States in which a console cannot take a copy now. */
const UNAVAILABLE: ReadonlySet<HealthState> = new Set<HealthState>([
  "unreachable",
  "failing",
  "unauthorized",
  "locked_out",
  "no_secret",
]);

/**
 * Why a region cannot take a copy now ("unreachable", "no secret"…), or null when it can (or
 * its health is not known yet): target pickers mark such regions and never pre-select them.
 */
export function unavailableReason(health: Pick<RegionHealth, "state"> | undefined): string | null {
  if (!health || !UNAVAILABLE.has(health.state)) return null;
  return stateStyle(health.state).label.toLowerCase();
}
