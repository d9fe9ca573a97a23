import { describe, expect, it, vi } from "vitest";
import type { TransferReport } from "../bindings/TransferReport";
import { buildRequest, copyOperation, newTransferId, otherRegionIds, type TransferPayload } from "./transfer";

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

describe("buildRequest", () => {
  it("builds the transfer command's arguments, never a dry run", () => {
    expect(buildRequest(MSP, ["r2", "r3"], "t1")).toEqual({
      transferId: "t1",
      sourceRegionId: "r1",
      componentIds: ["org1msp"],
      targetRegionIds: ["r2", "r3"],
      dryRun: false,
    });
  });

  it("drops the source from the targets and duplicates from both lists", () => {
    const payload = { ...MSP, componentIds: ["os1", "os2", "os1"] };
    expect(buildRequest(payload, ["r2", "r1", "r2"], "t1")).toMatchObject({
      componentIds: ["os1", "os2"],
      targetRegionIds: ["r2"],
    });
  });

  it("is null when nothing would be copied anywhere", () => {
    expect(buildRequest(MSP, ["r1"], "t1")).toBeNull();
    expect(buildRequest(MSP, [], "t1")).toBeNull();
    expect(buildRequest({ ...MSP, componentIds: [] }, ["r2"], "t1")).toBeNull();
  });

  it("gets a fresh id when none is given", () => {
    expect(buildRequest(MSP, ["r2"])?.transferId).toMatch(/^transfer-[0-9a-f]{24}$/);
  });
});

describe("copyOperation", () => {
  it("sends one transfer under the run's id and answers with its per-target reports", async () => {
    const report: TransferReport = { sourceRegionId: "r1", dryRun: false, targets: [{ regionId: "r2", items: [], error: null }] };
    const transfer = vi.fn(async () => report);
    const onEvent = vi.fn();
    const op = copyOperation({ ...MSP, componentIds: ["org1msp", "org1msp"] }, { transfer });
    expect(op).toMatchObject({ payload: { label: "Org1 MSP" }, dryRun: false });
    await expect(op.run("transfer-1", ["r2", "r1"], onEvent)).resolves.toEqual(report.targets);
    expect(transfer).toHaveBeenCalledExactlyOnceWith(
      { transferId: "transfer-1", sourceRegionId: "r1", componentIds: ["org1msp"], targetRegionIds: ["r2"], dryRun: false },
      onEvent,
    );
  });

  it("calls nothing when only the source was chosen", async () => {
    const transfer = vi.fn();
    await expect(copyOperation(MSP, { transfer }).run("transfer-1", ["r1"], () => {})).resolves.toEqual([]);
    expect(transfer).not.toHaveBeenCalled();
  });
});
