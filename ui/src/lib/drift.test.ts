import { describe, expect, it } from "vitest";
import type { Drift } from "../bindings/Drift";
import type { MakeEqualReport } from "../bindings/MakeEqualReport";
import { copyOutcomes, driftColumns, makeEqualHeadline, makeEqualPlan, planChanges, valueWords } from "./drift";

const NAMES: Record<string, string> = { east: "US East", west: "US West", canada: "Canada" };
const regionName = (id: string) => NAMES[id] ?? id;

const MSP: Drift = {
  key: "msp:Org1MSP",
  kind: "msp",
  displayName: "Org1 MSP",
  copies: [
    { regionId: "east", componentId: "org1msp", imported: false },
    { regionId: "west", componentId: "org1msp", imported: true },
    { regionId: "canada", componentId: "org1msp", imported: true },
  ],
  fields: [
    { field: "admins", label: "Admins", values: ["CN=admin (SHA-256 AA…)", "CN=other (SHA-256 BB…)", "CN=admin (SHA-256 AA…)"], editable: true },
    { field: "revocation_list", label: "Revocation list", values: [null, "crl", null], editable: true },
    { field: "msp.ca.name", label: "CA name", values: ["ca", "ca", "tlsca"], editable: false },
  ],
};

const report = (copies: MakeEqualReport["copies"]): MakeEqualReport => ({
  key: MSP.key,
  displayName: "Org1 MSP",
  fromRegionId: "east",
  copies,
});
const copy = (regionId: string, edited: string[], left: string[] = [], error: string | null = null) => ({
  regionId,
  componentId: "org1msp",
  edited,
  left,
  error,
});

describe("drift columns", () => {
  it("is one column per copy by region name, imports marked; a console's second copy offers no make-equal", () => {
    const drift: Drift = { ...MSP, copies: [...MSP.copies, { regionId: "west", componentId: "org1msp-2", imported: true }] };
    expect(driftColumns(drift, regionName).map((c) => [c.title, c.source])).toEqual([
      ["US East", true],
      ["US West (import)", true],
      ["Canada (import)", true],
      ["US West (import)", false],
    ]);
    expect(valueWords(null)).toBe("none");
    expect(valueWords("CN=admin")).toBe("CN=admin");
  });
});

describe("the make-equal plan", () => {
  it("names what will be set where, and what cannot change and why", () => {
    const plan = makeEqualPlan(MSP, "east", regionName);
    expect(plan.map((p) => p.regionId)).toEqual(["west", "canada"]);
    const [west, canada] = plan;
    expect(west!.set).toEqual(["Admins"]);
    expect(west!.text).toBe(
      "US West's copy: Admins will be set to US East's; Revocation list (US East's copy has none, and a console never blanks a field) cannot change.",
    );
    expect(canada!.set).toEqual([]);
    expect(canada!.text).toBe("Canada's copy: CA name (not editable — import the copy again) cannot change.");
    expect(planChanges(plan)).toBe(true);
  });

  it("from another copy, sets every editable field that differs; a copy equal already says so", () => {
    const plan = makeEqualPlan(MSP, "west", regionName);
    expect(plan.find((p) => p.regionId === "east")!.text).toBe("US East's copy: Admins and Revocation list will be set to US West's.");
    const equal: Drift = { ...MSP, fields: [MSP.fields[0]!] };
    const fromCanada = makeEqualPlan(equal, "canada", regionName);
    expect(fromCanada.find((p) => p.regionId === "east")!.text).toBe("US East's copy is equal already.");
    expect(planChanges(makeEqualPlan({ ...MSP, fields: [MSP.fields[2]!] }, "east", regionName))).toBe(false);
    expect(makeEqualPlan(MSP, "nowhere", regionName)).toEqual([]);
  });
});

describe("the make-equal report", () => {
  it("says per copy what was edited, equal already, still differs or failed", () => {
    const outcomes = copyOutcomes(
      report([copy("west", ["Admins"]), copy("canada", [], []), copy("east", ["Admins"], ["CA name"]), copy("x", [], [], "409 conflict")]),
    );
    expect(outcomes.map((o) => [o.regionId, o.text, o.tone])).toEqual([
      ["west", "edited Admins", "ok"],
      ["canada", "equal already", "neutral"],
      ["east", "edited Admins; still differs: CA name", "warning"],
      ["x", "failed: 409 conflict", "error"],
    ]);
  });

  it("heads the report with one sentence and a tone", () => {
    expect(makeEqualHeadline(report([copy("west", ["Admins"]), copy("canada", [])]), regionName)).toEqual({
      text: "Edited 1 copy of Org1 MSP to match US East's.",
      tone: "ok",
    });
    expect(makeEqualHeadline(report([copy("west", ["Admins"]), copy("canada", [], ["CA name"])]), regionName)).toEqual({
      text: "Edited 1 copy of Org1 MSP to match US East's; 1 still differs.",
      tone: "warning",
    });
    expect(makeEqualHeadline(report([copy("west", [], [], "down"), copy("canada", [], ["CA name"])]), regionName)).toEqual({
      text: "Nothing was edited; 1 failed, 1 still differs.",
      tone: "error",
    });
    expect(makeEqualHeadline(report([copy("west", [], [], "down")]), regionName)).toEqual({
      text: "No copy of Org1 MSP was changed: the edit failed.",
      tone: "error",
    });
    expect(makeEqualHeadline(report([copy("west", [])]), regionName)).toEqual({
      text: "Every copy of Org1 MSP was equal to US East's already.",
      tone: "neutral",
    });
  });
});
