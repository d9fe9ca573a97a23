// The side panels the top bar opens, in its order: one list for the buttons and the panel state.

export const PANELS = [
  { id: "wallet", label: "Wallet" },
  { id: "certificates", label: "Certificates" },
  { id: "audit", label: "Audit log" },
] as const;

export type Panel = (typeof PANELS)[number]["id"];
