import { describe, expect, it, vi } from "vitest";
import type { TransferReport } from "../bindings/TransferReport";
import { newTransferId } from "./operationRun.svelte";
import type { TransferPayload } from "./payload";
import { copyOperation, copyRequest, otherRegionIds } from "./transfer";

const MSP: TransferPayload = { sourceRegionId: "r1", componentIds: ["org1msp"], label: "Org1 MSP" };

describe("otherRegionIds", () => {
  it("keeps every region but the source, in order", () => {
    expect(otherRegionIds(["r1", "r2", "r3"], "r2")).toEqual(["r1", "r3"]);
    expect(otherRegionIds(["r1"], "r1")).toEqual([]);
  });
});

describe("newTransferId", () => {
  it("is 'transfer-' and 24 hex digits from the random source", () => {
    const id = newTransferId((b) => b.fill(0xab));
    expect(id).toBe(`transfer-${"ab".repeat(12)}`);
  });

  it("differs between calls with the real random source", () => {
    const a = newTransferId();
    expect(a).toMatch(/^transfer-[0-9a-f]{24}$/);
    expect(newTransferId()).not.toBe(a);
  });
});

describe("copyRequest", () => {
  it("is the backend's copy operation", () => {
    expect(copyRequest(MSP, ["r2", "r3"])).toEqual({
      kind: "copy",
      sourceRegionId: "r1",
      componentIds: ["org1msp"],
      targetRegionIds: ["r2", "r3"],
    });
  });

  it("drops the source from the targets and duplicates from both lists", () => {
    const payload = { ...MSP, componentIds: ["os1", "os2", "os1"] };
    expect(copyRequest(payload, ["r2", "r1", "r2"])).toMatchObject({
      componentIds: ["os1", "os2"],
      targetRegionIds: ["r2"],
    });
  });

  it("is null when nothing would be copied anywhere", () => {
    expect(copyRequest(MSP, ["r1"])).toBeNull();
    expect(copyRequest(MSP, [])).toBeNull();
    expect(copyRequest({ ...MSP, componentIds: [] }, ["r2"])).toBeNull();
  });
});

describe("copyOperation", () => {
  it("applies one copy under the run's id and answers with its per-target reports", async () => {
    const report: TransferReport = { sourceRegionId: "r1", dryRun: false, targets: [{ regionId: "r2", items: [], error: null }] };
    const api = { applyOperation: vi.fn(async () => report), planOperation: vi.fn() };
    const onEvent = vi.fn();
    const op = copyOperation({ ...MSP, componentIds: ["org1msp", "org1msp"] }, api);
    expect(op).toMatchObject({ payload: { label: "Org1 MSP" }, dryRun: false });
    await expect(op.run("transfer-1", ["r2", "r1"], onEvent)).resolves.toEqual(report.targets);
    expect(api.applyOperation).toHaveBeenCalledExactlyOnceWith(
      "transfer-1",
      { kind: "copy", sourceRegionId: "r1", componentIds: ["org1msp"], targetRegionIds: ["r2"] },
      onEvent,
    );
    expect(api.planOperation).not.toHaveBeenCalled();
  });

  it("calls nothing when only the source was chosen", async () => {
    const api = { applyOperation: vi.fn(), planOperation: vi.fn() };
    await expect(copyOperation(MSP, api).run("transfer-1", ["r1"], () => {})).resolves.toEqual([]);
    expect(api.applyOperation).not.toHaveBeenCalled();
  });
});
