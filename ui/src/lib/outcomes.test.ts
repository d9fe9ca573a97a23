import { describe, expect, it } from "vitest";
import type { ItemReport } from "../bindings/ItemReport";
import {
  breakdown,
  COPY,
  IMPORT,
  notAttemptedReason,
  outcomeHeadline,
  PLAN,
  REPLICATE,
  targetOutcome,
  type TargetOutcome,
} from "./outcomes";

const source = { from: "console" as const, regionId: "r1", componentId: "x" };
const created = (name = "Org1 MSP"): ItemReport => ({ source, displayName: name, kind: "msp", outcome: "created", id: "x" });
const there = (name = "Org1 MSP"): ItemReport => ({ source, displayName: name, kind: "msp", outcome: "already_there", id: "x" });
const conflict = (name = "Org1 MSP"): ItemReport => ({ source, displayName: name, kind: "msp", outcome: "conflict", id: "x", existing: "{}", incoming: "{}" });
const failed = (reason = "console answered 500", name = "Org1 MSP"): ItemReport => ({ source, displayName: name, kind: "msp", outcome: "failed", reason });
const skipped = (why = "cancelled", name = "Org1 MSP"): ItemReport => failed(`not attempted: ${why}`, name);
const planned = (name = "Org1 MSP"): ItemReport => ({ source, displayName: name, kind: "msp", outcome: "would_create" });

const copy = (...targets: TargetOutcome[]) => outcomeHeadline({ what: "Org1 MSP", wording: COPY, targets });

describe("targetOutcome", () => {
  it("counts each outcome, telling an item never sent from one that failed", () => {
    const t = targetOutcome("US West", [created(), there(), conflict(), failed("400 bad cert"), skipped("cancelled"), skipped("refused"), planned()]);
    expect(t.counts).toEqual({ created: 2, alreadyThere: 1, conflict: 1, failed: 1, notAttempted: 2 });
    expect(t).toMatchObject({ name: "US West", error: null, failedReason: "400 bad cert", notAttemptedReason: "cancelled" });
    expect(notAttemptedReason(skipped("cancelled"))).toBe("cancelled");
    expect(notAttemptedReason(failed("timed out"))).toBeNull();
    expect(notAttemptedReason(created())).toBeNull();
  });

  it("keeps why a whole target failed", () => {
    expect(targetOutcome("US West", [], "connection refused").error).toBe("connection refused");
  });
});

describe("breakdown", () => {
  it("lists every outcome but created, singular and plural", () => {
    expect(breakdown({ created: 5, alreadyThere: 1, conflict: 2, failed: 1, notAttempted: 3 })).toBe(
      "1 already there, 2 conflicts, 1 failed, 3 not attempted",
    );
    expect(breakdown({ created: 1, alreadyThere: 0, conflict: 1, failed: 0, notAttempted: 0 })).toBe("1 conflict");
  });
});

describe("outcomeHeadline: one target, one item", () => {
  it("created: names what went where, green", () => {
    expect(copy(targetOutcome("US West", [created()]))).toEqual({ text: "Copied Org1 MSP to US West", tone: "ok" });
  });

  it("already there only: says nothing was copied, neutral", () => {
    expect(copy(targetOutcome("US West", [there()]))).toEqual({
      text: "Org1 MSP is already in US West — nothing copied",
      tone: "neutral",
    });
  });

  it("failed only: nothing copied, with the reason, red", () => {
    expect(copy(targetOutcome("US West", [failed("console answered 500")]))).toEqual({
      text: "Nothing copied: US West failed (console answered 500)",
      tone: "error",
    });
  });

  it("the target failed as a whole: nothing copied, with its reason, red", () => {
    expect(copy(targetOutcome("US West", [], "connection refused"))).toEqual({
      text: "Nothing copied: US West failed (connection refused)",
      tone: "error",
    });
  });

  it("conflict only: nothing copied, amber", () => {
    expect(copy(targetOutcome("US West", [conflict()]))).toEqual({ text: "Nothing copied: conflict in US West", tone: "warning" });
  });

  it("cancelled before it was sent: not attempted, red", () => {
    expect(copy(targetOutcome("US West", [skipped("cancelled")]))).toEqual({
      text: "Nothing copied: US West not attempted (cancelled)",
      tone: "error",
    });
  });
});

describe("outcomeHeadline: one target, several items", () => {
  it("mixed created and failed: counts, amber", () => {
    expect(copy(targetOutcome("US West", [created("a"), created("b"), failed("x", "c")]))).toEqual({
      text: "Copied 2 of 3 to US West; 1 failed",
      tone: "warning",
    });
  });

  it("created and already there: counts, green (nothing went wrong)", () => {
    expect(copy(targetOutcome("US West", [created("a"), there("b")]))).toEqual({
      text: "Copied 1 of 2 to US West; 1 already there",
      tone: "ok",
    });
  });

  it("created, then a cancel: the rest not attempted, amber", () => {
    expect(copy(targetOutcome("US West", [created("a"), skipped("cancelled", "b"), skipped("cancelled", "c")]))).toEqual({
      text: "Copied 1 of 3 to US West; 2 not attempted",
      tone: "warning",
    });
  });

  it("a refused key: the first failed, the rest never sent — the target failed, with the first reason", () => {
    expect(copy(targetOutcome("US West", [failed("401: key refused", "a"), skipped("401: key refused", "b")]))).toEqual({
      text: "Nothing copied: US West failed (401: key refused)",
      tone: "error",
    });
  });

  it("already there and failed, nothing created: amber, nothing copied", () => {
    expect(copy(targetOutcome("US West", [there("a"), failed("x", "b")]))).toEqual({
      text: "Nothing copied: 1 already there, 1 failed in US West",
      tone: "warning",
    });
  });

  it("several conflicts", () => {
    expect(copy(targetOutcome("US West", [conflict("a"), conflict("b")])).text).toBe("Nothing copied: 2 conflicts in US West");
  });

  it("opens a sentence with the subject given, plural when asked; a name is never recased", () => {
    const all = { what: "all 3 components", subject: "All 3 components", plural: true, wording: IMPORT };
    expect(outcomeHeadline({ ...all, targets: [targetOutcome("US West", [there("a"), there("b"), there("c")])] })).toEqual({
      text: "All 3 components are already in US West — nothing imported",
      tone: "neutral",
    });
    expect(outcomeHeadline({ ...all, targets: [targetOutcome("US West", [created("a"), created("b"), created("c")])] }).text).toBe(
      "Imported all 3 components into US West",
    );
    expect(outcomeHeadline({ what: "org1admin", wording: IMPORT, targets: [targetOutcome("the wallet", [there()])] }).text).toBe(
      "org1admin is already in the wallet — nothing imported",
    );
  });
});

describe("outcomeHeadline: several targets", () => {
  it("created in one, already in another: green", () => {
    expect(copy(targetOutcome("US West", [created()]), targetOutcome("Canada", [there()]))).toEqual({
      text: "Copied Org1 MSP to US West; already in Canada",
      tone: "ok",
    });
  });

  it("names every target that got it all together", () => {
    expect(copy(targetOutcome("US West", [created()]), targetOutcome("Canada", [created()])).text).toBe(
      "Copied Org1 MSP to US West, Canada",
    );
  });

  it("created in one, failed in another: amber, with the failure's reason", () => {
    expect(copy(targetOutcome("US West", [created()]), targetOutcome("Canada", [], "timed out"))).toEqual({
      text: "Copied Org1 MSP to US West; Canada failed (timed out)",
      tone: "warning",
    });
  });

  it("failed in one, already in the other: nothing copied, amber", () => {
    expect(copy(targetOutcome("US West", [failed("refused")]), targetOutcome("Canada", [there()]))).toEqual({
      text: "Nothing copied: US West failed (refused); already in Canada",
      tone: "warning",
    });
  });

  it("failed everywhere: red, each with its reason", () => {
    expect(copy(targetOutcome("US West", [], "timed out"), targetOutcome("Canada", [failed("500")]))).toEqual({
      text: "Nothing copied: US West failed (timed out); Canada failed (500)",
      tone: "error",
    });
  });

  it("cancelled midway: what arrived, and what was not attempted", () => {
    expect(copy(targetOutcome("US West", [created()]), targetOutcome("Canada", [skipped("cancelled")]))).toEqual({
      text: "Copied Org1 MSP to US West; Canada not attempted (cancelled)",
      tone: "warning",
    });
  });

  it("partial in one and whole in another, in that order, then the rest", () => {
    expect(
      copy(
        targetOutcome("Ireland", [there()]),
        targetOutcome("US West", [created("a"), failed("x", "b")]),
        targetOutcome("Canada", [created()]),
        targetOutcome("Toronto", [], "down"),
      ).text,
    ).toBe("Copied Org1 MSP to Canada; copied 1 of 2 to US West; 1 failed; Toronto failed (down); already in Ireland");
  });

  it("already everywhere: neutral", () => {
    expect(copy(targetOutcome("US West", [there()]), targetOutcome("Canada", [there()]))).toEqual({
      text: "Org1 MSP is already in US West, Canada — nothing copied",
      tone: "neutral",
    });
  });

  it("a target that failed after something reached it says both", () => {
    expect(copy(targetOutcome("US West", [created()], "connection reset")).text).toBe(
      "Copied 1 to US West, then it failed (connection reset)",
    );
  });

  it("leaves out targets with nothing to bring; nothing anywhere is nothing to do", () => {
    expect(copy(targetOutcome("US East", []), targetOutcome("US West", [created()])).text).toBe("Copied Org1 MSP to US West");
    expect(copy(targetOutcome("US East", []))).toEqual({ text: "Nothing to copy", tone: "neutral" });
  });
});

describe("outcomeHeadline: other operations", () => {
  it("an operation that failed before any outcome was known", () => {
    expect(
      outcomeHeadline({ what: "Org1 MSP", wording: COPY, targets: [targetOutcome("US West", [])], error: "US East: connection refused" }),
    ).toEqual({ text: "Nothing copied: US East: connection refused", tone: "error" });
  });

  it("replicate org", () => {
    const targets = [targetOutcome("US West", [created(), created("org1admin")]), targetOutcome("Canada", [there(), there("org1admin")])];
    expect(outcomeHeadline({ what: "Org1MSP", wording: REPLICATE, targets })).toEqual({
      text: "Replicated Org1MSP to US West; already in Canada",
      tone: "ok",
    });
    expect(outcomeHeadline({ what: "Org1MSP", wording: REPLICATE, targets: [targets[1]!] }).text).toBe(
      "Org1MSP is already in Canada — nothing replicated",
    );
  });

  it("import into a region", () => {
    const into = (items: ItemReport[], what = "Org1 MSP") => outcomeHeadline({ what, wording: IMPORT, targets: [targetOutcome("US West", items)] });
    expect(into([created()]).text).toBe("Imported Org1 MSP into US West");
    expect(into([there()]).text).toBe("Org1 MSP is already in US West — nothing imported");
    expect(into([created("a"), there("b"), conflict("c"), failed("400", "d")])).toEqual({
      text: "Imported 1 of 4 into US West; 1 already there, 1 conflict, 1 failed",
      tone: "warning",
    });
    expect(into([failed("400: bad cert")])).toEqual({ text: "Nothing imported: US West failed (400: bad cert)", tone: "error" });
  });

  it("wallet import", () => {
    const wallet = (items: ItemReport[], what = "org1admin") => outcomeHeadline({ what, wording: IMPORT, targets: [targetOutcome("the wallet", items)] });
    expect(wallet([created("org1admin")])).toEqual({ text: "Imported org1admin into the wallet", tone: "ok" });
    expect(wallet([there("org1admin")])).toEqual({ text: "org1admin is already in the wallet — nothing imported", tone: "neutral" });
    expect(wallet([created("a"), conflict("b")])).toEqual({
      text: "Imported 1 of 2 into the wallet; 1 conflict",
      tone: "warning",
    });
  });

  it("a dry run's plan", () => {
    expect(outcomeHeadline({ what: "Org1 MSP", wording: PLAN, targets: [targetOutcome("Canada", [planned()])] }).text).toBe(
      "Would create Org1 MSP in Canada",
    );
    expect(outcomeHeadline({ what: "Org1 MSP", wording: PLAN, targets: [targetOutcome("Canada", [there()])] }).text).toBe(
      "Org1 MSP is already in Canada — nothing would be created",
    );
  });
});
