// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { describePaths, dropTargetAt, dropTargetOf, physicalToCss, safeRatio, sameTarget } from "./drop";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("physicalToCss", () => {
  it.each([
    [{ x: 1060, y: 691 }, 1, { x: 1060, y: 691 }],
    [{ x: 1060, y: 690 }, 2, { x: 530, y: 345 }],
    [{ x: 300, y: 150 }, 1.5, { x: 200, y: 100 }],
    [{ x: 300, y: 150 }, 0, { x: 300, y: 150 }],
    [{ x: 300, y: 150 }, -2, { x: 300, y: 150 }],
    [{ x: 300, y: 150 }, Number.NaN, { x: 300, y: 150 }],
    [{ x: 300, y: 150 }, undefined, { x: 300, y: 150 }],
  ])("%j at ratio %s is %j in CSS px", (physical, ratio, css) => {
    expect(physicalToCss(physical, ratio)).toEqual(css);
  });

  it("falls back to a ratio of 1 only when the given one is unusable", () => {
    expect(safeRatio(1.25)).toBe(1.25);
    expect(safeRatio(Infinity)).toBe(1);
    expect(safeRatio(null)).toBe(1);
  });
});

function page() {
  document.body.innerHTML = `
    <article data-drop-region="sandbox-3" id="card"><h3 id="title">Canada</h3><ul><li><span id="row">Org1 MSP</span></li></ul></article>
    <svg><g data-drop-region="sandbox-2" id="pin"><circle id="halo" r="13"></circle></g></svg>
    <div data-drop-wallet id="wallet"><p id="wallet-text">Wallet</p></div>
    <p id="outside">elsewhere</p>`;
  return (id: string) => document.getElementById(id);
}

describe("dropTargetOf", () => {
  it("finds the nearest card, pin or wallet around the hit element", () => {
    const el = page();
    expect(dropTargetOf(el("row"))).toEqual({ kind: "region", regionId: "sandbox-3" });
    expect(dropTargetOf(el("card"))).toEqual({ kind: "region", regionId: "sandbox-3" });
    expect(dropTargetOf(el("halo"))).toEqual({ kind: "region", regionId: "sandbox-2" });
    expect(dropTargetOf(el("wallet-text"))).toEqual({ kind: "wallet" });
    expect(dropTargetOf(el("outside"))).toBeNull();
    expect(dropTargetOf(null)).toBeNull();
  });
});

describe("dropTargetAt", () => {
  it("hit-tests the converted point with elementFromPoint", () => {
    const el = page();
    const asked: [number, number][] = [];
    const doc = {
      elementFromPoint: (x: number, y: number) => {
        asked.push([x, y]);
        return x < 100 ? el("row") : el("halo");
      },
    };
    const css = physicalToCss({ x: 120, y: 60 }, 2);
    expect(dropTargetAt(css, doc)).toEqual({ kind: "region", regionId: "sandbox-3" });
    expect(asked).toEqual([[60, 30]]);
    expect(dropTargetAt({ x: 400, y: 30 }, doc)).toEqual({ kind: "region", regionId: "sandbox-2" });
  });

  it("hits nothing for no position, a point off the page, or an element outside every target", () => {
    const el = page();
    const doc = { elementFromPoint: () => el("outside") };
    const everywhere = { elementFromPoint: () => el("row") };
    expect(dropTargetAt({ x: 10, y: 10 }, doc)).toBeNull();
    expect(dropTargetAt(null, everywhere)).toBeNull();
    expect(dropTargetAt({ x: -1, y: 10 }, everywhere)).toBeNull();
    expect(dropTargetAt({ x: Number.NaN, y: 10 }, everywhere)).toBeNull();
    expect(dropTargetAt({ x: 1280, y: 10 }, everywhere, { width: 1280, height: 820 })).toBeNull();
    expect(dropTargetAt({ x: 1279, y: 819 }, everywhere, { width: 1280, height: 820 })).toEqual({
      kind: "region",
      regionId: "sandbox-3",
    });
    expect(dropTargetAt({ x: 5, y: 5 }, { elementFromPoint: () => null })).toBeNull();
  });
});

describe("sameTarget", () => {
  it("compares region ids and kinds", () => {
    const r3 = { kind: "region", regionId: "r3" } as const;
    expect(sameTarget(r3, { kind: "region", regionId: "r3" })).toBe(true);
    expect(sameTarget(r3, { kind: "region", regionId: "r2" })).toBe(false);
    expect(sameTarget(r3, { kind: "wallet" })).toBe(false);
    expect(sameTarget({ kind: "wallet" }, { kind: "wallet" })).toBe(true);
    expect(sameTarget(null, null)).toBe(true);
    expect(sameTarget(null, r3)).toBe(false);
  });
});

describe("describePaths", () => {
  it("names one file by its base name and counts several", () => {
    expect(describePaths(["/home/me/Downloads/Org1 MSP_msp.json"])).toBe("Org1 MSP_msp.json");
    expect(describePaths(["C:\\Users\\me\\org1ca.json"])).toBe("org1ca.json");
    expect(describePaths(["/a.json", "/b.json"])).toBe("2 files");
  });
});
