// @vitest-environment happy-dom
// The target-region picker marks the regions that cannot take a copy now.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { RegionHealth } from "../bindings/RegionHealth";
import type { RegionView } from "../bindings/RegionView";
import TargetRegions from "./TargetRegions.svelte";
import { byTestId } from "../testing/dom";

const region = (id: string, name: string): RegionView => ({
  id,
  name,
  location: { id: "us-east-1", provider: "AWS", name: "N. Virginia", city: "Ashburn", latitude: 0, longitude: 0 },
  consoleUrl: `https://${id}.example.org`,
  apiKey: "k",
  sandbox: false,
});
const health = (regionId: string, state: RegionHealth["state"]): RegionHealth => ({
  regionId,
  state,
  latencyMs: null,
  message: null,
  components: [],
  orgs: [],
  orderingServices: [],
});

let app: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = "";
});

describe("TargetRegions", () => {
  it("marks a region that is down with why, and only that one", () => {
    app = mount(TargetRegions, {
      target: document.body,
      props: {
        regions: [region("west", "US West"), region("ca", "Canada")],
        health: { west: health("west", "unreachable"), ca: health("ca", "healthy") },
        chosen: [],
        legend: "To regions",
        testid: "t",
      },
    });
    flushSync();
    expect(byTestId("t-west-down")?.textContent).toBe("unreachable");
    expect(byTestId("t-ca-down")).toBeNull();
  });
});
