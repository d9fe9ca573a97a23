// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import {
  DRAG_THRESHOLD_PX,
  pastThreshold,
  sameTransferTarget,
  targetRegionIds,
  transferTargetAt,
  transferTargetOf,
} from "./transferDrag";

const REGIONS = ["r1", "r2", "r3"];

afterEach(() => {
  document.body.innerHTML = "";
});

function page() {
  document.body.innerHTML = `
    <article data-drop-region="r1" id="source-card"><h3 id="source-title">US East</h3></article>
    <article data-drop-region="r2" id="card"><ul><li><span id="row">Org1 MSP</span></li></ul></article>
    <svg><g data-drop-region="r3" id="pin"><circle id="halo" r="13"></circle></g></svg>
    <svg><g data-drop-region="gone" id="stale-pin"><circle id="stale" r="13"></circle></g></svg>
    <div data-drop-all id="all"><span id="all-text">All other regions</span></div>
    <div data-drop-wallet id="wallet"><p id="wallet-text">Wallet</p></div>
    <p id="outside">elsewhere</p>`;
  return (id: string) => document.getElementById(id);
}

describe("pastThreshold", () => {
  it.each([
    [{ x: 10, y: 10 }, false],
    [{ x: 13, y: 13 }, false],
    [{ x: 10 + DRAG_THRESHOLD_PX, y: 10 }, true],
    [{ x: 14, y: 14 }, true],
    [{ x: 10, y: 2 }, true],
  ])("from (10, 10) to %j: %s", (now, past) => {
    expect(pastThreshold({ x: 10, y: 10 }, now)).toBe(past);
  });

  it("takes another threshold", () => {
    expect(pastThreshold({ x: 0, y: 0 }, { x: 3, y: 0 }, 2)).toBe(true);
  });
});

describe("transferTargetOf", () => {
  it("finds another region's card or pin around the hit element", () => {
    const el = page();
    expect(transferTargetOf(el("row"), "r1", REGIONS)).toEqual({ kind: "region", regionId: "r2" });
    expect(transferTargetOf(el("halo"), "r1", REGIONS)).toEqual({ kind: "region", regionId: "r3" });
  });

  it("never offers the source region, an unknown region, the wallet or the page", () => {
    const el = page();
    expect(transferTargetOf(el("source-title"), "r1", REGIONS)).toBeNull();
    expect(transferTargetOf(el("stale"), "r1", REGIONS)).toBeNull();
    expect(transferTargetOf(el("wallet-text"), "r1", REGIONS)).toBeNull();
    expect(transferTargetOf(el("outside"), "r1", REGIONS)).toBeNull();
    expect(transferTargetOf(null, "r1", REGIONS)).toBeNull();
  });

  it("offers the All other regions zone only when there is another region", () => {
    const el = page();
    expect(transferTargetOf(el("all-text"), "r1", REGIONS)).toEqual({ kind: "all" });
    expect(transferTargetOf(el("all-text"), "r1", ["r1"])).toBeNull();
  });
});

describe("transferTargetAt", () => {
  it("hit-tests the point with elementFromPoint", () => {
    const el = page();
    const hits: [number, number][] = [];
    const doc = {
      elementFromPoint: (x: number, y: number) => {
        hits.push([x, y]);
        return el("halo");
      },
    };
    expect(transferTargetAt({ x: 300, y: 200 }, doc, "r1", REGIONS)).toEqual({ kind: "region", regionId: "r3" });
    expect(hits).toEqual([[300, 200]]);
  });

  it("hits nothing at a point that is not a number", () => {
    const doc = { elementFromPoint: () => document.body };
    expect(transferTargetAt({ x: Number.NaN, y: 1 }, doc, "r1", REGIONS)).toBeNull();
  });
});

describe("targetRegionIds", () => {
  it("is the one region, every other region, or none", () => {
    expect(targetRegionIds({ kind: "region", regionId: "r2" }, "r1", REGIONS)).toEqual(["r2"]);
    expect(targetRegionIds({ kind: "all" }, "r2", REGIONS)).toEqual(["r1", "r3"]);
    expect(targetRegionIds(null, "r1", REGIONS)).toEqual([]);
    expect(targetRegionIds({ kind: "region", regionId: "r1" }, "r1", REGIONS)).toEqual([]);
  });
});

describe("sameTransferTarget", () => {
  it("compares kinds and region ids", () => {
    expect(sameTransferTarget(null, null)).toBe(true);
    expect(sameTransferTarget({ kind: "all" }, null)).toBe(false);
    expect(sameTransferTarget({ kind: "all" }, { kind: "all" })).toBe(true);
    expect(sameTransferTarget({ kind: "region", regionId: "a" }, { kind: "region", regionId: "a" })).toBe(true);
    expect(sameTransferTarget({ kind: "region", regionId: "a" }, { kind: "region", regionId: "b" })).toBe(false);
    expect(sameTransferTarget({ kind: "region", regionId: "a" }, { kind: "all" })).toBe(false);
  });
});
