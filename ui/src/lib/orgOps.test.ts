import { describe, expect, it, vi } from "vitest";
import type { ItemReport } from "../bindings/ItemReport";
import {
  countOutcomes,
  meshOperation,
  newAdmins,
  planHasWork,
  planLine,
  replicateOrgOperation,
  sourceWords,
} from "./orgOps";
import type { TransferProgress } from "./transferProgress";

const item = (outcome: "would_create" | "already_there" | "created" | "failed" | "conflict"): ItemReport => {
  const base = { source: { from: "console" as const, regionId: "r1", componentId: "org1ca" }, displayName: "Org1 CA", kind: "fabric-ca" };
  if (outcome === "failed") return { ...base, outcome, reason: "503" };
  if (outcome === "conflict") return { ...base, outcome, id: "x", existing: "{}", incoming: "{}" };
  if (outcome === "would_create") return { ...base, outcome };
  return { ...base, outcome, id: "org1ca" };
};

describe("operations", () => {
  it("replicates an org by MSP id: a dry run is the backend's plan for the targets it is run for", async () => {
    const targets = [{ regionId: "r2", items: [], error: null }];
    const plan = { operation: { kind: "mesh" as const }, targets, casLackingAdmins: [] };
    const api = { planOperation: vi.fn(async () => plan), applyOperation: vi.fn() };
    const org = { mspId: "Org1MSP", mspComponentIds: ["org1msp", "org1msp_0"], names: ["Org1 MSP", "Org1 MSP copy"] };
    const op = replicateOrgOperation("r1", org, true, api);
    expect(op.payload).toEqual({ sourceRegionId: "r1", componentIds: ["org1msp", "org1msp_0"], label: "org Org1MSP" });
    await expect(op.run("t1", ["r2"], vi.fn())).resolves.toEqual(targets);
    expect(api.planOperation).toHaveBeenCalledWith({ kind: "replicate_org", sourceRegionId: "r1", mspId: "Org1MSP", targetRegionIds: ["r2"] });
    expect(api.applyOperation).not.toHaveBeenCalled();
  });

  it("applies the mesh over every region whatever targets it is given", async () => {
    const reports = [{ regionId: "r1", items: [], error: null }];
    const api = { planOperation: vi.fn(), applyOperation: vi.fn(async () => ({ sourceRegionId: "", dryRun: false, targets: reports })) };
    const op = meshOperation(false, api);
    expect(op.dryRun).toBe(false);
    const onEvent = vi.fn();
    await expect(op.run("t2", ["r1", "r2"], onEvent)).resolves.toBe(reports);
    expect(api.applyOperation).toHaveBeenCalledWith("t2", { kind: "mesh" }, onEvent);
  });
});

describe("plans and reports", () => {
  it("counts and words a region's items", () => {
    const items = [item("would_create"), item("would_create"), item("already_there"), item("conflict")];
    expect(countOutcomes(items)).toEqual({ create: 2, there: 1, conflicts: 1, failed: 0 });
    expect(planLine(items)).toBe("2 to create, 1 already there, 1 conflict");
    expect(planLine([])).toBe("Nothing to bring here");
  });

  const progress = (targets: Partial<TransferProgress["targets"][number]>[], finished = true): TransferProgress => ({
    request: { transferId: "t", sourceRegionId: "", componentIds: [], targetRegionIds: [], dryRun: true },
    payload: { sourceRegionId: "", componentIds: [], label: "x" },
    total: null,
    targets: targets.map((t, i) => ({ regionId: `r${i}`, phase: "done", toCreate: null, items: [], reason: null, heldElsewhere: false, ...t })),
    finished,
    cancelRequested: false,
    error: null,
    cancelError: null,
  });

  it("has work when a finished plan would create something", () => {
    expect(planHasWork(progress([{ items: [item("already_there")] }, { items: [item("would_create")] }]))).toBe(true);
    expect(planHasWork(progress([{ items: [item("already_there")] }]))).toBe(false);
    expect(planHasWork(progress([{ items: [item("would_create")] }], false))).toBe(false);
    expect(planHasWork(null)).toBe(false);
  });

  it("lists the identities a finished replication made admin on new regions", () => {
    const admin = (name: string, outcome: "created" | "already_there"): ItemReport =>
      ({ source: { from: "wallet" as const, identity: name }, displayName: name, kind: "identity", outcome, id: "org1msp" }) as ItemReport;
    const run = (finished = true) => {
      const p = progress(
        [
          { regionId: "r2", items: [item("created"), admin("org1admin", "created"), admin("backup", "already_there")] },
          { regionId: "r3", items: [admin("org1admin", "created"), admin("backup", "created")] },
        ],
        finished,
      );
      return { ...p, request: { ...p.request, dryRun: false } };
    };
    expect(newAdmins(run())).toEqual([
      { identity: "org1admin", regionIds: ["r2", "r3"] },
      { identity: "backup", regionIds: ["r3"] },
    ]);
    expect(newAdmins(run(false))).toEqual([]);
    expect(newAdmins(progress([{ items: [admin("org1admin", "created")] }]))).toEqual([]); // a dry run
    expect(newAdmins(null)).toEqual([]);
  });

  it("names where an item was read from, a copy as a copy (not as where the node comes from)", () => {
    const name = (id: string) => ({ "sandbox-1": "US East", "sandbox-3": "Canada" })[id] ?? id;
    expect(sourceWords({ from: "console", regionId: "sandbox-1", componentId: "org1peer1" }, name)).toBe("from US East");
    expect(sourceWords({ from: "console", regionId: "sandbox-3", componentId: "org1peer1", copy: true }, name)).toBe(
      "read from Canada's copy",
    );
    expect(sourceWords({ from: "file", name: "org1peer1.json" }, name)).toBeNull();
  });
});
