import { describe, expect, it } from "vitest";
import { baseName, exportFailedNotice, exportNotice, importFailedNotice, missedDropNotice } from "./notices";

describe("notices", () => {
  it("confirm an export with the file actually written, never the suggested name", () => {
    // The user renamed the file in the save dialog.
    expect(exportNotice("Org1 MSP", { path: "/tmp/out/org1msp.json", fileName: "Org1 MSP_msp.json" })).toEqual({
      testid: "export-result",
      outcome: "ok",
      message: "Exported Org1 MSP to org1msp.json.",
      detail: "in /tmp/out",
      title: "/tmp/out/org1msp.json",
      reveal: "/tmp/out/org1msp.json",
    });
    expect(exportNotice("Org1 CA", { path: "C:\\Users\\me\\ca.json", fileName: "Org1 CA_ca.json" })).toMatchObject({
      message: "Exported Org1 CA to ca.json.",
      detail: "in C:\\Users\\me",
      title: "C:\\Users\\me\\ca.json",
    });
    expect(exportNotice("Org1 CA", { path: "/ca.json", fileName: "x" })).toMatchObject({ message: "Exported Org1 CA to ca.json.", detail: "in /" });
  });

  it("say nothing when the save dialog was cancelled", () => {
    expect(exportNotice("Org1 MSP", { path: null, fileName: "Org1 MSP_msp.json" })).toBeNull();
  });

  it("take a path's last part by either separator", () => {
    expect(baseName("/home/me/org1msp.json")).toBe("org1msp.json");
    expect(baseName("D:\\exports\\peer.json")).toBe("peer.json");
    expect(baseName("plain.json")).toBe("plain.json");
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
