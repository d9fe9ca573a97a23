// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { identityOf, identityPayload, identityTargetAt, WALLET_SOURCE } from "./identityDrag";

describe("identity drag payload", () => {
  it("carries the identity's name from the wallet, and is told apart from components", () => {
    const payload = identityPayload("org1admin");
    expect(payload).toEqual({ sourceRegionId: WALLET_SOURCE, componentIds: ["org1admin"], label: "org1admin" });
    expect(identityOf(payload)).toBe("org1admin");
    expect(identityOf({ sourceRegionId: "r1", componentIds: ["org1msp"], label: "Org1 MSP" })).toBeNull();
  });
});

describe("identityTargetAt", () => {
  document.body.innerHTML = `
    <article data-drop-region="r2"><span id="inside">card</span></article>
    <g data-drop-region="gone"><span id="stale">pin</span></g>
    <p id="outside">map</p>`;
  const at = (id: string | null) => ({ elementFromPoint: () => (id ? document.getElementById(id) : null) });

  it("answers the known region whose pin or card is under the point", () => {
    expect(identityTargetAt({ x: 1, y: 1 }, at("inside"), ["r1", "r2"])).toBe("r2");
  });

  it("answers null elsewhere, over an unknown region, or for a point off the page", () => {
    expect(identityTargetAt({ x: 1, y: 1 }, at("outside"), ["r2"])).toBeNull();
    expect(identityTargetAt({ x: 1, y: 1 }, at("stale"), ["r2"])).toBeNull();
    expect(identityTargetAt({ x: 1, y: 1 }, at(null), ["r2"])).toBeNull();
    expect(identityTargetAt({ x: Number.NaN, y: 1 }, at("inside"), ["r2"])).toBeNull();
  });
});
