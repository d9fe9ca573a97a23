// The side panels the top bar opens, in its order: one list for the buttons and the panel state.

export const PANELS = [
  { id: "wallet", label: "Wallet" },
  { id: "certificates", label: "Certificates" },
  { id: "drift", label: "Drift" },
  { id: "audit", label: "Audit log" },
  // Opened by the top bar's posture badge (its verdict is the button), not a button of its own.
  { id: "posture", label: "HA posture", opener: "posture-badge" },
] as const;

export type Panel = (typeof PANELS)[number]["id"];

/** The data-testid of what opens `panel` in the top bar (it gets the keyboard back on close). */
export function openerTestId(panel: Panel): string {
  const entry = PANELS.find((p) => p.id === panel);
  return entry && "opener" in entry ? entry.opener : `open-${panel}`;
}

/** The panels with a button of their own in the top bar. */
export const PANEL_BUTTONS = PANELS.filter((p) => !("opener" in p));
