import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../bindings/AuditEntry";
import { auditTone, filterEntries, foldIntents, formatTime, isoTime, newestFirst, sourceLabel, unreadableNote } from "./audit";

const entry = (atMs: number, outcome: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  atMs,
  operation: "import",
  artifact: "msp Org1 MSP",
  source: "Org1 MSP_msp.json",
  target: "sandbox-3",
  outcome,
  ...over,
});

describe("newestFirst", () => {
  it("reverses the log's oldest-first order, latest written first on equal times", () => {
    const log = [entry(1000, "created a"), entry(2000, "created b"), entry(2000, "created c"), entry(3000, "created d")];
    expect(newestFirst(log).map((e) => e.outcome)).toEqual(["created d", "created c", "created b", "created a"]);
    expect(log[0]?.outcome).toBe("created a"); // the input is left alone
  });
});

describe("foldIntents", () => {
  it("leaves out an intent once its outcome is logged, and shows one without an outcome as interrupted", () => {
    const peer = { artifact: "fabric-peer Org1 Peer1", source: "org1peer1 on sandbox-1" };
    const log = [
      entry(1000, "sending"),
      entry(1000, "sending", peer),
      entry(1200, "created org1msp"),
      entry(1300, "sending", { target: "sandbox-2" }),
    ];
    expect(foldIntents(log).map((e) => [e.artifact, e.target, e.outcome])).toEqual([
      ["fabric-peer Org1 Peer1", "sandbox-3", "sent; no outcome recorded (interrupted?)"],
      ["msp Org1 MSP", "sandbox-3", "created org1msp"],
      ["msp Org1 MSP", "sandbox-2", "sent; no outcome recorded (interrupted?)"],
    ]);
  });
});

describe("formatTime", () => {
  it("shows local date and time to the second", () => {
    const at = new Date(2026, 10, 26, 9, 5, 7).getTime();
    expect(formatTime(at)).toBe("2026-11-26 09:05:07");
    expect(isoTime(Date.UTC(2026, 10, 26, 9, 5, 7))).toBe("2026-11-26T09:05:07.000Z");
  });

  it("shows a dash for a time that is not one", () => {
    expect(formatTime(Number.NaN)).toBe("—");
    expect(isoTime(Number.NaN)).toBe("");
  });
});

describe("auditTone", () => {
  it.each([
    ["created org1msp", "ok"],
    ["already there as org1msp; skipped", "skipped"],
    ["conflict with org1msp; not imported", "conflict"],
    ["failed: the console answered 400", "failed"],
    ["something new", "other"],
  ])("%s → %s", (outcome, tone) => {
    expect(auditTone(outcome)).toBe(tone);
  });
});

describe("filterEntries", () => {
  const log = [
    entry(1, "created org1msp"),
    entry(2, "failed: timeout", { artifact: "fabric-ca Org1 CA", target: "sandbox-2" }),
    entry(3, "created org1peer1", { artifact: "fabric-peer Org1 Peer1", source: "sandbox-1" }),
  ];
  const names: Record<string, string> = { "sandbox-2": "US West", "sandbox-3": "Canada" };

  it("keeps entries matching every word, in any column, ignoring case", () => {
    expect(filterEntries(log, "ORG1 ca").map((e) => e.atMs)).toEqual([2]);
    expect(filterEntries(log, "created").map((e) => e.atMs)).toEqual([1, 3]);
    expect(filterEntries(log, "sandbox-1").map((e) => e.atMs)).toEqual([3]);
  });

  it("matches region names as well as ids", () => {
    expect(filterEntries(log, "west", (id) => names[id] ?? id).map((e) => e.atMs)).toEqual([2]);
    expect(filterEntries(log, "west").map((e) => e.atMs)).toEqual([]);
  });

  it("keeps everything for an empty query", () => {
    expect(filterEntries(log, "  ")).toHaveLength(3);
  });
});

describe("unreadableNote", () => {
  it("says nothing when every line was read", () => {
    expect(unreadableNote([])).toBeNull();
  });
  it("names one line, or several, and says they are kept", () => {
    expect(unreadableNote([7])).toMatch(/^Line 7 of the audit log could not be read .*it is kept in audit.jsonl/);
    expect(unreadableNote([2, 5, 9])).toMatch(/^Lines 2, 5 and 9 of the audit log could not be read .*they are kept/);
  });
});

describe("sourceLabel", () => {
  it("names the region a copy came from, and keeps a file's name", () => {
    const names = (id: string) => ({ "sandbox-1": "US East" })[id] ?? id;
    const copy = { atMs: 1, operation: "replicate org", artifact: "msp Org1 MSP", source: "org1msp on sandbox-1", sourceRegionId: "sandbox-1", target: "sandbox-2", outcome: "created org1msp" };
    expect(sourceLabel(copy, names)).toBe("US East");
    expect(sourceLabel({ ...copy, source: "org1msp.json", sourceRegionId: undefined }, names)).toBe("org1msp.json");
    expect(filterEntries([copy], "east", names)).toHaveLength(1);
  });
});
