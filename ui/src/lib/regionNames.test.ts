import { describe, expect, it } from "vitest";
import { recordedNames, regionLabel } from "./regionNames";

describe("regionLabel", () => {
  it("names a region, a removed one as removed, and keeps the id for the tooltip", () => {
    expect(regionLabel({ id: "us-east", name: "US East", removed: false })).toEqual({ text: "US East", title: "us-east" });
    expect(regionLabel({ id: "frankfurt", name: "Frankfurt", removed: true })).toEqual({
      text: "Frankfurt (removed)",
      title: "frankfurt",
    });
    // Removed before names were kept: still no id in the text.
    expect(regionLabel({ id: "sandbox-2", name: null, removed: true })).toEqual({ text: "Removed region", title: "sandbox-2" });
  });
});

describe("recordedNames", () => {
  it("names ids by the record's names first, then by the live regions", () => {
    const nameOf = recordedNames([{ id: "frankfurt", name: "Frankfurt", removed: true }], (id) => (id === "east" ? "East" : id));
    expect(nameOf("frankfurt")).toBe("Frankfurt (removed)");
    expect(nameOf("east")).toBe("East");
  });
});
