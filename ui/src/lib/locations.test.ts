import { describe, expect, it } from "vitest";
import type { Location } from "../bindings/Location";
import { describeLocation, groupLocations, locationOptionLabel } from "./locations";

const loc = (id: string, provider: string, name: string, city: string): Location => ({
  id,
  provider,
  name,
  city,
  latitude: 0,
  longitude: 0,
});

describe("groupLocations", () => {
  it("groups by provider, providers and names in alphabetical order", () => {
    const groups = groupLocations([
      loc("us-west-2", "AWS", "US West (Oregon)", "Boardman"),
      loc("ca-tor", "IBM Cloud", "Toronto", "Toronto"),
      loc("us-east-1", "AWS", "US East (N. Virginia)", "Ashburn"),
      loc("eastus", "Azure", "East US", "Virginia"),
    ]);
    expect(groups.map((g) => g.provider)).toEqual(["AWS", "Azure", "IBM Cloud"]);
    expect(groups[0]!.locations.map((l) => l.id)).toEqual(["us-east-1", "us-west-2"]);
  });
  it("is empty for an empty catalogue", () => {
    expect(groupLocations([])).toEqual([]);
  });
});

describe("labels", () => {
  it("labels an option with name, city and id, without repeating a city equal to the name", () => {
    expect(locationOptionLabel(loc("us-east-1", "AWS", "US East (N. Virginia)", "Ashburn"))).toBe(
      "US East (N. Virginia) — Ashburn (us-east-1)",
    );
    expect(locationOptionLabel(loc("ca-tor", "IBM Cloud", "Toronto", "Toronto"))).toBe("Toronto (ca-tor)");
  });
  it("describes a location as provider · name · city", () => {
    expect(describeLocation(loc("ca-tor", "IBM Cloud", "Toronto", "Toronto"))).toBe("IBM Cloud · Toronto · Toronto");
    expect(describeLocation(loc("x", "AWS", "Somewhere", ""))).toBe("AWS · Somewhere");
  });
});
