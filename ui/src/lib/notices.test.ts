import { describe, expect, it } from "vitest";
import { exportFailedNotice, exportNotice, importFailedNotice, missedDropNotice } from "./notices";

describe("notices", () => {
  it("confirm an export with the written path, and say nothing when it was cancelled", () => {
    expect(exportNotice("Org1 MSP", { path: "/tmp/out/Org1 MSP_msp.json", fileName: "Org1 MSP_msp.json" })).toEqual({
      testid: "export-result",
      outcome: "ok",
      message: "Exported Org1 MSP to Org1 MSP_msp.json.",
      detail: "/tmp/out/Org1 MSP_msp.json",
    });
    expect(exportNotice("Org1 MSP", { path: null, fileName: "Org1 MSP_msp.json" })).toBeNull();
  });

  it("carry the backend's message on failure", () => {
    const n = exportFailedNotice("Org1 CA", { code: "unreachable", message: "console did not answer" });
    expect(n).toMatchObject({ testid: "export-result", outcome: "error" });
    expect(n.message).toContain("console did not answer");
    expect(importFailedNotice("US West", { code: "not_found", message: "no region x" }).message).toBe(
      "Could not import into US West: no region x",
    );
  });

  it("explain a drop outside every region", () => {
    const n = missedDropNotice("org1msp.json");
    expect(n.testid).toBe("drop-hint");
    expect(n.message).toMatch(/^Nothing was imported: org1msp.json landed outside any region/);
  });
});
