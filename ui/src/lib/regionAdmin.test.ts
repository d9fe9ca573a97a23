import { describe, expect, it } from "vitest";
import type { RegionAdminReport } from "../bindings/RegionAdminReport";
import { adminCandidates, regionAdminOutcome } from "./regionAdmin";

const REGIONS = [
  { id: "r1", name: "US East" },
  { id: "r2", name: "US West" },
  { id: "r3", name: "Canada" },
];
const name = (id: string) => REGIONS.find((r) => r.id === id)?.name ?? id;

describe("regionAdminOutcome", () => {
  it("says whose admin the identity now is, and where", () => {
    const report: RegionAdminReport = { identity: "org1admin", regionId: "r2", mspId: "Org1MSP", mspComponentId: "org1msp", findings: [] };
    expect(regionAdminOutcome("org1admin", "r2", { report }, name)).toEqual({
      kind: "admin",
      identity: "org1admin",
      regionId: "r2",
      mspId: "Org1MSP",
      message: "org1admin is now Org1MSP's admin identity on US West.",
    });
  });

  it("keeps the findings of a refusal", () => {
    const findings = [{ file: "org1admin", field: "cert", severity: "error" as const, reason: "does not chain to Org1MSP's roots", remedy: null }];
    const report: RegionAdminReport = { identity: "org1admin", regionId: "r3", mspId: null, mspComponentId: null, findings };
    const outcome = regionAdminOutcome("org1admin", "r3", { report }, name);
    expect(outcome.kind).toBe("refused");
    expect(outcome.kind === "refused" && outcome.findings).toEqual(findings);
    expect(outcome.message).toMatch(/^Refused: .*Canada\. Nothing was changed\.$/);
  });

  it("tells to bring the org's MSP first when the region has none", () => {
    const error = { code: "not_found" as const, message: "region 'r3' has no MSP definition for org 'Org1MSP': copy the org's MSP there first" };
    const outcome = regionAdminOutcome("org1admin", "r3", { error }, name);
    expect(outcome.kind).toBe("error");
    expect(outcome.message).toMatch(/^Canada has no MSP definition of org1admin's org yet: replicate the org/);
    const other = regionAdminOutcome("org1admin", "r3", { error: { code: "unreachable", message: "down" } }, name);
    expect(other.message).toBe("Could not make org1admin an admin on Canada: down");
  });
});

describe("admin regions", () => {
  it("offers the regions not yet administered first", () => {
    expect(adminCandidates({ adminOf: ["r1"] }, REGIONS).map((r) => r.id)).toEqual(["r2", "r3", "r1"]);
  });
});
