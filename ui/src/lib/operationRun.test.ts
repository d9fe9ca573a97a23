import { describe, expect, it, vi } from "vitest";
import type { TargetReport } from "../bindings/TargetReport";
import type { TransferEvent } from "../bindings/TransferEvent";
import { toAppError } from "./ipc";
import { OperationRun, type Operation } from "./operationRun.svelte";

const created = { source: { from: "console" as const, regionId: "r1", componentId: "org1msp" }, displayName: "Org1 MSP", kind: "msp", outcome: "created" as const, id: "org1msp" };

/** An operation the test settles by hand. */
function controllable() {
  let send: (e: TransferEvent) => void = () => {};
  let settle: { resolve: (r: TargetReport[]) => void; reject: (e: unknown) => void } | undefined;
  const calls: { transferId: string; targets: string[] }[] = [];
  const operation: Operation = {
    payload: { sourceRegionId: "r1", componentIds: ["org1msp"], label: "org Org1MSP" },
    dryRun: false,
    run: vi.fn((transferId: string, targets: string[], onEvent: (e: TransferEvent) => void) => {
      calls.push({ transferId, targets });
      send = onEvent;
      return new Promise<TargetReport[]>((resolve, reject) => (settle = { resolve, reject }));
    }),
  };
  const api = { toAppError, cancelTransfer: vi.fn(async () => true) };
  return {
    operation,
    api,
    calls,
    send: (e: TransferEvent) => send(e),
    resolve: (r: TargetReport[]) => settle!.resolve(r),
    reject: (e: unknown) => settle!.reject(e),
  };
}

describe("OperationRun", () => {
  it("follows the events, settles on the reports, and retries only the failed targets", async () => {
    const c = controllable();
    const run = new OperationRun(c.api);
    const first = run.start(c.operation, ["r2", "r3", "r2"]);
    expect(run.running).toBe(true);
    expect(c.calls[0]!.targets).toEqual(["r2", "r3"]);
    expect(c.calls[0]!.transferId).toMatch(/^transfer-[0-9a-f]{24}$/);

    c.send({ event: "planned", target: "r2", to_create: 1 });
    c.send({ event: "item", target: "r2", report: created });
    expect(run.progress?.targets.map((t) => [t.regionId, t.phase, t.items.length])).toEqual([
      ["r2", "copying", 1],
      ["r3", "waiting", 0],
    ]);

    const reports = [
      { regionId: "r2", items: [created], error: null },
      { regionId: "r3", items: [], error: "connection refused" },
    ];
    c.resolve(reports);
    await expect(first).resolves.toEqual(reports);
    expect(run.running).toBe(false);
    expect(run.progress?.targets.map((t) => t.phase)).toEqual(["done", "failed"]);

    const again = run.retry();
    expect(c.calls[1]!.targets).toEqual(["r3"]);
    expect(run.progress?.targets.map((t) => [t.regionId, t.phase])).toEqual([
      ["r2", "done"],
      ["r3", "waiting"],
    ]);
    c.resolve([{ regionId: "r3", items: [created], error: null }]);
    await again;
    expect(run.progress?.targets.map((t) => t.phase)).toEqual(["done", "done"]);
  });

  it("starts nothing while one runs, or without targets", async () => {
    const c = controllable();
    const run = new OperationRun(c.api);
    await expect(run.start(c.operation, [])).resolves.toBeNull();
    void run.start(c.operation, ["r2"]);
    await expect(run.start(c.operation, ["r3"])).resolves.toBeNull();
    expect(c.calls).toHaveLength(1);
  });

  it("cancels by the run's id, and shows a failed command as an error", async () => {
    const c = controllable();
    const run = new OperationRun(c.api);
    const done = run.start(c.operation, ["r2"]);
    await run.cancel();
    expect(c.api.cancelTransfer).toHaveBeenCalledWith(c.calls[0]!.transferId);
    expect(run.progress?.cancelRequested).toBe(true);
    c.reject({ code: "unreachable", message: "source down" });
    await expect(done).resolves.toBeNull();
    expect(run.progress?.error).toEqual({ code: "unreachable", message: "source down" });
    run.reset();
    expect(run.progress).toBeNull();
  });

  it("keeps a failure to cancel, and forgets only a finished run", async () => {
    const c = controllable();
    c.api.cancelTransfer.mockRejectedValueOnce({ code: "internal", message: "IPC gone" });
    const run = new OperationRun(c.api);
    void run.start(c.operation, ["r2"]);
    await run.cancel();
    expect(run.progress).toMatchObject({ cancelRequested: false, cancelError: { message: "IPC gone" } });
    run.reset();
    expect(run.progress).not.toBeNull();
    c.resolve([]);
    await Promise.resolve();
    await Promise.resolve();
    run.reset();
    expect(run.progress).toBeNull();
  });
});
