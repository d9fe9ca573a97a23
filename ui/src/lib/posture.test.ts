import { describe, expect, it } from "vitest";
import type { Posture } from "../bindings/Posture";
import { samplePosture } from "../testing/posture";
import {
  brokenNow,
  currentVerdict,
  distanceWords,
  fixWords,
  homedLongWords,
  homedWords,
  levelTone,
  levelWords,
  listed,
  lowerFirst,
  operationDialog,
  perRegionWords,
  ruleWords,
  survivalByRegion,
  survivesOf,
  survivesWords,
  verdict,
  whatIfWords,
  workingWords,
} from "./posture";

const NAMES: Record<string, string> = { east: "US East", west: "US West", canada: "Canada" };
const name = (id: string) => NAMES[id] ?? id;

describe("the verdict", () => {
  it("says whether the network survives the loss of any one region, with why not", () => {
    const v = verdict(samplePosture(), name);
    expect(v).toEqual({
      text: "Survives the loss of any one region: no",
      survives: "no",
      tone: "error",
      why: ["without US East: Ordering Service loses quorum; Org1MSP has no peer left"],
    });
    expect(verdict({ ...samplePosture(), survivesAnyOneRegion: true, whyNot: [] }, name)).toMatchObject({
      text: "Survives the loss of any one region: yes",
      survives: "yes",
      tone: "ok",
    });
    expect(verdict({ ...samplePosture(), survivesAnyOneRegion: null, whyNot: [] }, name)).toMatchObject({
      text: "Survives the loss of any one region: nothing to judge yet",
      survives: "unknown",
      tone: "neutral",
    });
  });

  it("under a what-if, names the lost regions and says whether what is left keeps working", () => {
    const broken = verdict(samplePosture(["east"]), name);
    expect(broken.text).toBe("What if US East is lost: keeps working: no");
    expect(broken.survives).toBe("no");
    expect(broken.why).toEqual(["already: Ordering Service has no quorum; Org1MSP has no peer"]);

    const standing = { ...samplePosture(["west", "canada"]), survivesAnyOneRegion: false };
    expect(verdict(standing, name)).toMatchObject({
      text: "What if US West and Canada are lost: keeps working: yes · one more loss: no",
      tone: "warning",
    });
    expect(verdict({ ...standing, survivesAnyOneRegion: true }, name)).toMatchObject({
      text: "What if US West and Canada are lost: keeps working: yes · one more loss: yes",
      survives: "yes",
      tone: "ok",
    });
  });

  it("while a new what-if is read, says it is being worked out instead of the last one's verdict", () => {
    const view = { posture: samplePosture(), lost: ["east"], loading: true, error: null };
    expect(currentVerdict(view, name)).toEqual({
      text: "What if US East is lost: checking…",
      survives: "unknown",
      tone: "neutral",
      why: [],
    });
    // The same what-if being read again keeps showing the last verdict.
    expect(currentVerdict({ ...view, lost: [] }, name).text).toBe("Survives the loss of any one region: no");
    expect(currentVerdict({ posture: null, lost: [], loading: true, error: null }, name).text).toBe(
      "Survives the loss of any one region: checking…",
    );
  });

  it("says in words when the posture could not be worked out", () => {
    const error = { code: "unreachable" as const, message: "US West did not answer" };
    expect(currentVerdict({ posture: null, lost: [], loading: false, error }, name)).toEqual({
      text: "Survives the loss of any one region: could not be worked out",
      survives: "unknown",
      tone: "error",
      why: ["US West did not answer"],
    });
  });

  it("knows a posture is broken when a service lost quorum or an org its last peer", () => {
    expect(brokenNow(samplePosture())).toBe(false);
    expect(brokenNow(samplePosture(["east"]))).toBe(true);
    const p: Posture = samplePosture();
    expect(brokenNow({ ...p, orgs: [{ ...p.orgs[0]!, available: 0 }] })).toBe(true);
  });

  it("maps the backend's three-way answer", () => {
    expect(survivesOf(null)).toBe("unknown");
    expect(survivesOf({ survivesAnyOneRegion: true })).toBe("yes");
    expect(survivesOf({ survivesAnyOneRegion: false })).toBe("no");
    expect(survivesWords("unknown")).toBe("nothing to judge yet");
  });
});

describe("posture words", () => {
  it("lists names as a sentence does", () => {
    expect(listed([])).toBe("");
    expect(listed(["A"])).toBe("A");
    expect(listed(["A", "B"])).toBe("A and B");
    expect(listed(["A", "B", "C"])).toBe("A, B and C");
    expect(whatIfWords(["US East"])).toBe("What if US East is lost");
    expect(whatIfWords(["US East", "Canada"])).toBe("What if US East and Canada are lost");
    expect(lowerFirst(whatIfWords(["US East"]))).toBe("what if US East is lost");
  });

  it("gives each finding level its words and tone", () => {
    expect([levelWords("error"), levelWords("warning"), levelWords("info")]).toEqual(["Error", "Warning", "Info"]);
    expect([levelTone("error"), levelTone("warning"), levelTone("info")]).toEqual(["error", "warning", "neutral"]);
  });

  it("says why a node lives where it does", () => {
    expect(ruleWords("own")).toBe("its console holds it as its own");
    expect(ruleWords("copied")).toBe("Fabric Atlas copied it from there");
    expect(ruleWords("only_holder")).toBe("the only console that holds it");
    expect(ruleWords("placed")).toBe("placed there by an administrator");
    expect(ruleWords("unplaced")).toBe("not known: place it");
  });

  it("counts what works and what a region holds", () => {
    expect(workingWords(2, 5, 3)).toBe("2 of 5 working, quorum 3");
    expect(workingWords(1, 2)).toBe("1 of 2 working");
    expect(homedWords({ peers: 2, consenters: 1 })).toBe("2 peers · 1 consenter");
    expect(homedWords({ peers: 0, consenters: 0 })).toBe("0 peers · 0 consenters");
    expect(homedLongWords({ peers: 1, consenters: 2, cas: 1 })).toBe("1 peer, 2 consenters and 1 CA");
  });

  it("names regions in per-region figures, in the fleet's order, leaving out those with none", () => {
    const regions = samplePosture().regions;
    expect(perRegionWords({ canada: 1, east: 2, west: 0 }, regions)).toBe("US East 2 · Canada 1");
    expect(perRegionWords({ west: 0 }, regions)).toBe("none placed");
  });

  it("judges each region not already lost", () => {
    const regions = samplePosture(["east"]).regions;
    expect(survivalByRegion({ east: false, west: true, canada: false }, regions)).toEqual([
      { id: "west", name: "US West", survives: true },
      { id: "canada", name: "Canada", survives: false },
    ]);
  });

  it("says how far apart two regions are", () => {
    expect(distanceWords({ a: "east", b: "west", km: 3612.4, rttMs: 36.2, tooFar: false }, name)).toBe(
      "US East – US West: 3,612 km, about 36 ms round trip",
    );
  });

  it("words each kind of fix", () => {
    expect(fixWords({ kind: "operation", label: "Full mesh", operation: { kind: "mesh" } })).toBe("Full mesh…");
    expect(fixWords({ kind: "place", nodeKey: "https://p" })).toBe("Place…");
    expect(fixWords({ kind: "step", text: "Add a peer." })).toBe("Add a peer.");
  });

  it("opens a fix's operation in the dialog that runs it, pre-filled", () => {
    expect(
      operationDialog({ kind: "replicate_org", sourceRegionId: "east", mspId: "Org1MSP", targetRegionIds: ["west"] }),
    ).toEqual({ kind: "replicate", sourceRegionId: "east", mspId: "Org1MSP", targetRegionIds: ["west"] });
    expect(operationDialog({ kind: "mesh" })).toEqual({ kind: "mesh" });
    expect(
      operationDialog({ kind: "copy", sourceRegionId: "east", componentIds: ["a", "b"], targetRegionIds: ["west"] }),
    ).toEqual({ kind: "copy", sourceRegionId: "east", componentIds: ["a", "b"], label: "2 components" });
  });
});
