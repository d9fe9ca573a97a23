// @vitest-environment happy-dom
// The map's part of the HA posture: each pin says what is homed in its region; in what-if mode a
// plain click (or Enter, Space) on a pin supposes its region lost, which greys it and says so;
// outside it, a click shows the region's card as before.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RegionHealth } from "../bindings/RegionHealth";
import type { RegionView } from "../bindings/RegionView";
import { byTestId, settle } from "../testing/dom";
import { samplePosture } from "../testing/posture";
import WorldMap from "./WorldMap.svelte";

const region = (id: string, name: string, latitude: number, longitude: number): RegionView => ({
  id,
  name,
  location: { id: `${id}-loc`, provider: "AWS", name, city: name, latitude, longitude },
  consoleUrl: `https://${id}.example.com`,
  apiKey: "admin",
  sandbox: false,
});
const REGIONS = [region("east", "US East", 39, -77.5), region("west", "US West", 45.8, -119.7), region("canada", "Canada", 43.7, -79.4)];
const HEALTH: Record<string, RegionHealth> = Object.fromEntries(
  REGIONS.map((r) => [r.id, { regionId: r.id, state: "healthy", latencyMs: 4, message: null, components: [], orgs: [], orderingServices: [] }]),
);
const HOMED = Object.fromEntries(samplePosture().regions.map((r) => [r.id, r]));

let map: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (map) unmount(map);
  map = undefined;
  document.body.innerHTML = "";
});

function render(props: Record<string, unknown> = {}) {
  const handlers = { onselect: vi.fn(), ontogglelost: vi.fn(), onpicking: vi.fn(), onclearlost: vi.fn() };
  map = mount(WorldMap, { target: document.body, props: { regions: REGIONS, health: HEALTH, homed: HOMED, ...handlers, ...props } });
  flushSync();
  return handlers;
}

const pin = (id: string) => byTestId(`region-pin-${id}`)!;
const key = (on: Element, k: string) => on.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));

describe("WorldMap and the HA posture", () => {
  it("says under each pin what is homed in its region", () => {
    render();
    expect(pin("east").querySelector(".homed")?.textContent).toBe("1 peer · 1 consenter");
    expect(pin("west").querySelector(".homed")?.textContent).toBe("0 peers · 0 consenters");
    expect(pin("east").getAttribute("aria-label")).toContain("Homed here: 1 peer, 1 consenter and 1 CA");
  });

  it("without a posture, a pin keeps its one-line label", () => {
    render({ homed: {} });
    expect(pin("east").querySelector(".homed")).toBeNull();
    expect(pin("east").querySelector(".label rect")?.getAttribute("height")).toBe("22");
  });

  it("greys a region supposed lost, saying so on the pin", () => {
    render({ lost: ["east"] });
    expect(pin("east").dataset.lost).toBe("true");
    expect(pin("east").classList.contains("lost")).toBe(true);
    expect(pin("east").querySelector(".status")?.textContent).toBe("lost (what if)");
    expect(pin("east").querySelector(".strike")).not.toBeNull();
    expect(pin("east").getAttribute("aria-label")).toMatch(/^US East: lost \(what if\)/);
    expect(pin("west").dataset.lost).toBeUndefined();
    expect(pin("west").querySelector(".status")?.textContent).toBe("4 ms");
  });

  it("outside what-if mode, a click or Enter on a pin shows its card", () => {
    const { onselect, ontogglelost } = render();
    pin("west").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    key(pin("canada"), "Enter");
    expect(onselect.mock.calls).toEqual([["west"], ["canada"]]);
    expect(ontogglelost).not.toHaveBeenCalled();
    expect(pin("west").hasAttribute("aria-pressed")).toBe(false);
  });

  it("in what-if mode, a click, Enter or Space on a pin toggles its region lost", () => {
    const { onselect, ontogglelost } = render({ picking: true, lost: ["canada"] });
    pin("west").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    key(pin("east"), "Enter");
    key(pin("canada"), " ");
    expect(ontogglelost.mock.calls).toEqual([["west"], ["east"], ["canada"]]);
    expect(onselect).not.toHaveBeenCalled();
    expect(pin("canada").getAttribute("aria-pressed")).toBe("true");
    expect(pin("west").getAttribute("aria-pressed")).toBe("false");
  });

  it("the What if… toggle turns the mode on; while on, it names the what-if and offers Clear", async () => {
    const { onpicking } = render();
    const toggle = byTestId("what-if-mode")!;
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    expect(byTestId("what-if-hint")).toBeNull();
    toggle.click();
    expect(onpicking).toHaveBeenCalledWith(true);
    if (map) unmount(map);

    const on = render({ picking: true, lost: ["east", "canada"] });
    await settle();
    expect(byTestId("what-if-mode")!.getAttribute("aria-pressed")).toBe("true");
    expect(byTestId("what-if-hint")?.textContent).toContain("What if US East and Canada are lost?");
    byTestId("what-if-clear")!.click();
    expect(on.onclearlost).toHaveBeenCalled();
    byTestId("what-if-mode")!.click();
    expect(on.onpicking).toHaveBeenCalledWith(false);
  });
});
