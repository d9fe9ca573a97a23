import { describe, expect, it } from "vitest";
import type { ItemReport } from "../bindings/ItemReport";
import type { TransferReport } from "../bindings/TransferReport";
import type { TransferRequest } from "./transferProgress";
import {
  applyEvent,
  applyFailure,
  applyReport,
  cancelFailed,
  needsRetry,
  requestCancel,
  retryTargetIds,
  startProgress,
  targetStatus,
  transferHeadline,
  type TransferProgress,
} from "./transferProgress";

const PAYLOAD = { sourceRegionId: "r1", componentIds: ["org1msp", "org1ca"], label: "Org1" };
const request = (targets: string[], transferId = "t1"): TransferRequest => ({
  transferId,
  sourceRegionId: "r1",
  componentIds: ["org1msp", "org1ca"],
  targetRegionIds: targets,
  dryRun: false,
});
const created = (name: string): ItemReport => ({ source: { from: "console" as const, regionId: "r1", componentId: name }, displayName: name, kind: "msp", outcome: "created", id: name });
const there = (name: string): ItemReport => ({ source: { from: "console" as const, regionId: "r1", componentId: name }, displayName: name, kind: "msp", outcome: "already_there", id: name });
const failed = (name: string, reason: string): ItemReport => ({ source: { from: "console" as const, regionId: "r1", componentId: name }, displayName: name, kind: "ca", outcome: "failed", reason });
const names: Record<string, string> = { r1: "US East", r2: "US West", r3: "Canada" };
const regionName = (id: string) => names[id] ?? id;

function run(...events: Parameters<typeof applyEvent>[1][]): TransferProgress {
  return events.reduce(applyEvent, startProgress(request(["r2", "r3"]), PAYLOAD));
}

describe("events", () => {
  it("start with every target waiting and nothing read", () => {
    const p = startProgress(request(["r2", "r3"]), PAYLOAD);
    expect(p.total).toBeNull();
    expect(p.targets.map((t) => [t.regionId, t.phase])).toEqual([
      ["r2", "waiting"],
      ["r3", "waiting"],
    ]);
    expect(targetStatus(p.targets[0]!, p.total, false)).toBe("Waiting for the source…");
  });

  it("count items per target as they come, n of m", () => {
    const p = run(
      { event: "read", items: 2 },
      { event: "planned", target: "r2", to_create: 1 },
      { event: "item", target: "r2", report: there("Org1 CA") },
    );
    const r2 = p.targets[0]!;
    expect(r2).toMatchObject({ phase: "copying", toCreate: 1 });
    expect(targetStatus(r2, p.total, false)).toBe("Copying: 1 of 2 items");
    expect(targetStatus(p.targets[1]!, p.total, false)).toBe("Planning…");
  });

  it("say a target waits while another Fabric Atlas operation holds its console, until it is planned", () => {
    const p = run({ event: "waiting", target: "r3" }, { event: "read", items: 2 });
    expect(targetStatus(p.targets[1]!, p.total, false)).toBe("Waiting for another Fabric Atlas operation on this console…");
    expect(targetStatus(p.targets[0]!, p.total, false)).toBe("Planning…");
    const planned = applyEvent(p, { event: "planned", target: "r3", to_create: 1 });
    expect(planned.targets[1]).toMatchObject({ phase: "copying", heldElsewhere: false });
  });

  it("mark a target done or failed on its own", () => {
    const p = run(
      { event: "read", items: 1 },
      { event: "planned", target: "r2", to_create: 1 },
      { event: "item", target: "r2", report: created("Org1 MSP") },
      { event: "targetDone", target: "r2" },
      { event: "targetFailed", target: "r3", reason: "connection refused" },
    );
    expect(p.targets.map((t) => t.phase)).toEqual(["done", "failed"]);
    expect(targetStatus(p.targets[0]!, p.total, false)).toBe("Done: 1 created");
    expect(targetStatus(p.targets[1]!, p.total, false)).toBe("Failed: connection refused");
  });

  it("ignore targets that are not part of the run", () => {
    const before = run({ event: "read", items: 1 });
    expect(applyEvent(before, { event: "targetDone", target: "elsewhere" })).toBe(before);
  });
});

describe("the final report", () => {
  const report: TransferReport = {
    sourceRegionId: "r1",
    dryRun: false,
    targets: [
      { regionId: "r2", items: [created("Org1 MSP"), there("Org1 CA")], error: null },
      { regionId: "r3", items: [], error: "console answered 503" },
    ],
  };

  it("rules over the events and ends the run; late events change nothing", () => {
    const during = run({ event: "read", items: 2 }, { event: "item", target: "r2", report: created("Org1 MSP") });
    const done = applyReport(during, report);
    expect(done.finished).toBe(true);
    expect(done.targets[0]).toMatchObject({ phase: "done", items: report.targets[0]!.items });
    expect(done.targets[1]).toMatchObject({ phase: "failed", reason: "console answered 503" });
    expect(applyEvent(done, { event: "item", target: "r2", report: created("late") })).toBe(done);
    expect(targetStatus(done.targets[0]!, done.total, true)).toBe("Done: 1 created, 1 already there");
  });

  it("offers a retry for failed targets and targets with failed items only", () => {
    const mixed: TransferReport = {
      ...report,
      targets: [
        { regionId: "r2", items: [created("Org1 MSP"), failed("Org1 CA", "console answered 500")], error: null },
        { regionId: "r3", items: [there("Org1 MSP"), there("Org1 CA")], error: null },
      ],
    };
    const done = applyReport(run(), mixed);
    expect(done.targets.map(needsRetry)).toEqual([true, false]);
    expect(retryTargetIds(done)).toEqual(["r2"]);
    expect(targetStatus(done.targets[0]!, 2, true)).toBe("Finished with failures: 1 created, 1 failed");
    expect(transferHeadline(done, regionName)).toEqual({ text: "Copied 1 of 2 to US West; 1 failed; already in Canada", tone: "warning" });
    expect(retryTargetIds(run())).toEqual([]); // nothing to retry while it runs
  });

  it("says where it went when everything arrived", () => {
    const ok = applyReport(run(), {
      ...report,
      targets: [
        { regionId: "r2", items: [created("Org1 MSP")], error: null },
        { regionId: "r3", items: [there("Org1 MSP")], error: null },
      ],
    });
    expect(transferHeadline(ok, regionName)).toEqual({ text: "Copied Org1 to US West; already in Canada", tone: "ok" });
    expect(transferHeadline(run(), regionName)).toEqual({ text: "Copying Org1 from US East…", tone: "running" });
  });
});

describe("the finished headline follows the items, never the request", () => {
  const finish = (targets: TransferReport["targets"]) => applyReport(run(), { sourceRegionId: "r1", dryRun: false, targets });

  it("already there everywhere: nothing copied, neutral", () => {
    expect(
      transferHeadline(
        finish([
          { regionId: "r2", items: [there("Org1 MSP")], error: null },
          { regionId: "r3", items: [there("Org1 MSP")], error: null },
        ]),
        regionName,
      ),
    ).toEqual({ text: "Org1 is already in US West, Canada — nothing copied", tone: "neutral" });
  });

  it("failed only: nothing copied, with the reasons, red", () => {
    expect(
      transferHeadline(
        finish([
          { regionId: "r2", items: [failed("Org1 CA", "console answered 500")], error: null },
          { regionId: "r3", items: [], error: "connection refused" },
        ]),
        regionName,
      ),
    ).toEqual({ text: "Nothing copied: US West failed (console answered 500); Canada failed (connection refused)", tone: "error" });
  });

  it("a command that failed after items arrived says what arrived, and where it never finished", () => {
    const during = run(
      { event: "read", items: 1 },
      { event: "planned", target: "r2", to_create: 1 },
      { event: "item", target: "r2", report: created("Org1 MSP") },
      { event: "targetDone", target: "r2" },
    );
    expect(transferHeadline(applyFailure(during, { code: "internal", message: "the app lost the channel" }), regionName)).toEqual({
      text: "Copied Org1 to US West; Canada failed (the app lost the channel)",
      tone: "warning",
    });
  });

  it("a target the report left out was not started", () => {
    expect(transferHeadline(finish([{ regionId: "r2", items: [created("Org1 MSP")], error: null }]), regionName).text).toBe(
      "Copied Org1 to US West; Canada failed (not started)",
    );
  });
});

describe("a failed command", () => {
  it("keeps the error and retries every target", () => {
    const p = applyFailure(run(), { code: "unreachable", message: "US East: connection refused" });
    expect(p.finished).toBe(true);
    expect(retryTargetIds(p)).toEqual(["r2", "r3"]);
    expect(transferHeadline(p, regionName)).toEqual({ text: "Nothing copied: US East: connection refused", tone: "error" });
    expect(targetStatus(p.targets[0]!, p.total, true)).toBe("Not started");
  });
});

describe("cancel", () => {
  it("is asked once while running, and a failure to cancel is kept", () => {
    const asked = requestCancel(run());
    expect(asked.cancelRequested).toBe(true);
    expect(transferHeadline(asked, regionName).text).toBe("Cancelling the copy of Org1…");
    const refused = cancelFailed(asked, { code: "internal", message: "no such transfer" });
    expect(refused).toMatchObject({ cancelRequested: false, cancelError: { message: "no such transfer" } });
    const done = applyReport(run(), { sourceRegionId: "r1", dryRun: false, targets: [] });
    expect(requestCancel(done)).toBe(done);
  });

  it("says what was left unfinished", () => {
    const cancelled = applyReport(requestCancel(run()), {
      sourceRegionId: "r1",
      dryRun: false,
      targets: [
        { regionId: "r2", items: [created("Org1 MSP"), failed("Org1 CA", "not attempted: cancelled")], error: null },
        { regionId: "r3", items: [there("Org1 MSP"), there("Org1 CA")], error: null },
      ],
    });
    expect(transferHeadline(cancelled, regionName)).toEqual({
      text: "Copied 1 of 2 to US West; 1 not attempted; already in Canada",
      tone: "warning",
    });
    expect(targetStatus(cancelled.targets[0]!, 2, true)).toBe("Stopped: 1 created, 1 not attempted");
    expect(retryTargetIds(cancelled)).toEqual(["r2"]);
  });
});

describe("a retry", () => {
  it("keeps the targets it does not run again and starts the retried ones over", () => {
    const first = applyReport(run(), {
      sourceRegionId: "r1",
      dryRun: false,
      targets: [
        { regionId: "r2", items: [created("Org1 MSP")], error: null },
        { regionId: "r3", items: [], error: "timed out" },
      ],
    });
    const again = startProgress(request(["r3"], "t2"), PAYLOAD, first);
    expect(again.finished).toBe(false);
    expect(again.request.transferId).toBe("t2");
    expect(again.targets.map((t) => [t.regionId, t.phase])).toEqual([
      ["r2", "done"],
      ["r3", "waiting"],
    ]);
    expect(again.targets[0]!.items).toEqual([created("Org1 MSP")]);
  });
});
