import { describe, expect, it } from "vitest";
import { PANEL_BUTTONS, PANELS, openerTestId } from "./panels";

describe("panels", () => {
  it("opens the HA posture from its badge, every other panel from a button of its own", () => {
    expect(PANELS.map((p) => p.id)).toContain("posture");
    expect(PANEL_BUTTONS.map((p) => p.id)).toEqual(["wallet", "certificates", "drift", "audit"]);
    expect(openerTestId("posture")).toBe("posture-badge");
    expect(openerTestId("wallet")).toBe("open-wallet");
    expect(openerTestId("drift")).toBe("open-drift");
  });
});
