import { describe, expect, it } from "vitest";
import { fingerprint, holders, homeWords, kindWords, runWords, validityWords } from "./details";

const NAMES: Record<string, string> = { east: "US East", west: "US West" };
const regionName = (id: string) => NAMES[id] ?? id;

describe("a component's details in words", () => {
  it("names the home region with the rule that decided it; unplaced says why; an MSP has none", () => {
    expect(homeWords("east", "own", regionName)).toEqual({ text: "US East — its console holds it as its own", placed: true });
    expect(homeWords("west", "placed", regionName)?.text).toBe("US West — placed there by an administrator");
    expect(homeWords("west", "only_holder", regionName)?.text).toBe("US West — the only console that holds it");
    expect(homeWords("east", "copied", regionName)?.text).toMatch(/^US East — .*copied/);
    const unplaced = homeWords(null, "unplaced", regionName);
    expect(unplaced?.placed).toBe(false);
    expect(unplaced?.text).toMatch(/^unplaced — no console holds it as its own/);
    expect(homeWords(null, null, regionName)).toBeNull();
  });

  it("lists the holders by region name, marking imports and the copy shown", () => {
    const list = holders(
      [
        { regionId: "east", componentId: "org1peer1", imported: false },
        { regionId: "west", componentId: "org1peer1", imported: true },
      ],
      { regionId: "west", componentId: "org1peer1" },
      regionName,
    );
    expect(list.map((h) => [h.text, h.shown])).toEqual([
      ["US East (its own)", false],
      ["US West (import)", true],
    ]);
  });

  it("shows a fingerprint as upper-case hex pairs", () => {
    expect(fingerprint("ab01ff")).toBe("AB:01:FF");
    expect(fingerprint("AB:01:FF")).toBe("AB:01:FF");
    expect(fingerprint("a".repeat(64)).split(":")).toHaveLength(32);
  });

  it("says a health run with its local times, once when it began and ended in the same minute", () => {
    const now = new Date(2026, 11, 5, 20, 0);
    const run = runWords({ status: "ok", fromMs: new Date(2026, 11, 5, 10, 2).getTime(), toMs: new Date(2026, 11, 5, 10, 14).getTime() }, now);
    expect(run.text).toMatch(/^ok (10|AM|PM|[0-9])/);
    expect(run.text).toMatch(/02.*–.*14/);
    expect(run.tone).toBe("ok");
    const down = runWords({ status: "not_ok", fromMs: new Date(2026, 11, 5, 9, 5).getTime(), toMs: new Date(2026, 11, 5, 9, 5, 40).getTime() }, now);
    expect(down.text).toMatch(/^not ok /);
    expect(down.text).not.toContain("–");
    expect(down.tone).toBe("error");
    const earlier = runWords({ status: "unknown", fromMs: new Date(2026, 11, 3, 9, 0).getTime(), toMs: new Date(2026, 11, 4, 9, 0).getTime() }, now);
    expect(earlier.text).toMatch(/^unknown .*3.*–.*4/);
    expect(earlier.text.match(/Dec/g)).toHaveLength(2);
    expect(earlier.tone).toBe("neutral");
  });

  it("names kinds and validity as people say them", () => {
    expect([kindWords("peer"), kindWords("orderer"), kindWords("msp"), kindWords("ca")]).toEqual([
      "peer",
      "ordering node",
      "MSP definition",
      "certificate authority",
    ]);
    expect(validityWords("2024-01-05", "2034-01-02")).toBe("2024-01-05 – 2034-01-02");
  });
});
