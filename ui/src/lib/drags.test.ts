import { describe, expect, it, vi } from "vitest";
import type { DropTarget, Point } from "./drop";
import { Drags, type DropActions, type HitTests } from "./drags.svelte";
import { identityPayload } from "./identityDrag";
import type { TransferTarget } from "./transferDrag";

const MSP = { sourceRegionId: "r1", componentIds: ["org1msp"], label: "Org1 MSP" };
const at = (x: number): Point => ({ x, y: 0 });

/** A page where x picks what is under the pointer: 2 → region r2, 3 → r3, 9 → "all", else nothing. */
function page(): HitTests {
  const region = (x: number) => (x === 2 ? "r2" : x === 3 ? "r3" : x === 1 ? "r1" : null);
  return {
    fileTargetAt: (position): DropTarget | null => {
      if (position?.x === 7) return { kind: "wallet" };
      const id = position ? region(position.x) : null;
      return id ? { kind: "region", regionId: id } : null;
    },
    componentTargetAt: (point, source): TransferTarget | null => {
      if (point.x === 9) return { kind: "all" };
      const id = region(point.x);
      return id && id !== source ? { kind: "region", regionId: id } : null;
    },
    identityTargetAt: (point) => region(point.x),
  };
}

function actions(): DropActions & { [K in keyof DropActions]: ReturnType<typeof vi.fn> } {
  return {
    regionIds: vi.fn(() => ["r1", "r2", "r3"]),
    regionName: vi.fn((id: string) => ({ r1: "US East", r2: "US West", r3: "Canada" })[id] ?? id),
    importInto: vi.fn(),
    importIntoWallet: vi.fn(),
    copy: vi.fn(),
    makeAdmin: vi.fn(),
    filesEntered: vi.fn(),
    announce: vi.fn(),
    notify: vi.fn(),
  } as never;
}

describe("Drags: components", () => {
  it("follows a component to a region and copies it there on drop", () => {
    const act = actions();
    const drags = new Drags(page(), act);
    drags.componentHandlers.start(MSP, at(0));
    expect(drags.armed).toBe(true);
    expect(drags.takes("r1")).toBe(false);
    expect(drags.takes("r2")).toBe(true);
    drags.componentHandlers.move(at(2));
    expect(drags.dropRegions).toEqual(["r2"]);
    expect(drags.componentGhost(drags.component!)).toBe("Org1 MSP → US West");
    expect(drags.dropAction()).toBe("copy Org1 MSP to");
    drags.componentHandlers.drop(at(2));
    expect(act.copy).toHaveBeenCalledExactlyOnceWith(MSP, ["r2"]);
    expect(drags.component).toBeNull();
    expect(drags.armed).toBe(false);
  });

  it("copies to every other region from the 'all' zone", () => {
    const act = actions();
    const drags = new Drags(page(), act);
    drags.componentHandlers.start(MSP, at(9));
    expect(drags.dropRegions).toEqual(["r2", "r3"]);
    expect(drags.componentGhost(drags.component!)).toBe("Org1 MSP → all other regions");
    drags.componentHandlers.drop(at(9));
    expect(act.copy).toHaveBeenCalledExactlyOnceWith(MSP, ["r2", "r3"]);
  });

  it("copies nothing dropped on its own region or nowhere, and says so; Escape cancels", () => {
    const act = actions();
    const drags = new Drags(page(), act);
    drags.componentHandlers.start(MSP, at(0));
    drags.componentHandlers.drop(at(1));
    expect(act.announce).toHaveBeenLastCalledWith("Nothing copied: Org1 MSP was not dropped on another region.");
    drags.componentHandlers.start(MSP, at(0));
    drags.componentHandlers.cancel();
    expect(act.announce).toHaveBeenLastCalledWith("Copy of Org1 MSP cancelled.");
    expect(act.copy).not.toHaveBeenCalled();
  });

  it("starts no component drag while OS files are dragged", () => {
    const drags = new Drags(page(), actions());
    drags.onFileDrag({ type: "enter", paths: ["/tmp/a.json"], position: at(0) });
    drags.componentHandlers.start(MSP, at(2));
    expect(drags.component).toBeNull();
  });
});

describe("Drags: identities", () => {
  it("makes an identity its org's admin on the region it is dropped on", () => {
    const act = actions();
    const drags = new Drags(page(), act);
    drags.identityHandlers.start(identityPayload("org1admin"), at(0));
    expect(drags.dropAction()).toBe("make org1admin its org's admin on");
    drags.identityHandlers.move(at(3));
    expect(drags.dropRegions).toEqual(["r3"]);
    expect(drags.identityGhost(drags.identity!)).toBe("org1admin → admin on Canada");
    drags.identityHandlers.drop(at(3));
    expect(act.makeAdmin).toHaveBeenCalledExactlyOnceWith("org1admin", "r3");
  });

  it("changes nothing dropped off a region, and ignores payloads that are no identity", () => {
    const act = actions();
    const drags = new Drags(page(), act);
    drags.identityHandlers.start(MSP, at(0));
    expect(drags.identity).toBeNull();
    drags.identityHandlers.start(identityPayload("org1admin"), at(0));
    drags.identityHandlers.drop(at(0));
    expect(act.announce).toHaveBeenLastCalledWith("Nothing changed: org1admin was not dropped on a region.");
    expect(act.makeAdmin).not.toHaveBeenCalled();
  });
});

describe("Drags: OS files", () => {
  it("tracks files over the window and imports them into the region they are dropped on", () => {
    const act = actions();
    const drags = new Drags(page(), act);
    drags.onFileDrag({ type: "enter", paths: ["/tmp/org1msp.json"], position: at(0) });
    expect(act.filesEntered).toHaveBeenCalledOnce();
    expect(drags.fileStatus(drags.files!, false)).toMatch(/^Drop org1msp\.json on a region's card or map pin/);
    drags.onFileDrag({ type: "over", paths: ["/tmp/org1msp.json"], position: at(3) });
    expect(drags.dropRegions).toEqual(["r3"]);
    expect(drags.fileStatus(drags.files!, false)).toBe("Release to import org1msp.json into Canada");
    drags.onFileDrag({ type: "drop", paths: ["/tmp/org1msp.json"], position: at(3) });
    expect(act.importInto).toHaveBeenCalledExactlyOnceWith("r3", ["/tmp/org1msp.json"]);
    expect(drags.files).toBeNull();
  });

  it("adds files dropped on the wallet to it, tells of a drop that missed, forgets a drag that left", () => {
    const act = actions();
    const drags = new Drags(page(), act);
    drags.onFileDrag({ type: "over", paths: ["/tmp/id.json"], position: at(7) });
    expect(drags.fileStatus(drags.files!, true)).toBe("Release to add id.json to the wallet");
    drags.onFileDrag({ type: "drop", paths: ["/tmp/id.json"], position: at(7) });
    expect(act.importIntoWallet).toHaveBeenCalledExactlyOnceWith(["/tmp/id.json"]);
    drags.onFileDrag({ type: "drop", paths: ["/tmp/x.json"], position: at(0) });
    expect(act.notify).toHaveBeenCalledOnce();
    drags.onFileDrag({ type: "enter", paths: ["/tmp/x.json"], position: at(2) });
    drags.onFileDrag({ type: "leave", paths: [], position: null });
    expect(drags.files).toBeNull();
    expect(act.importInto).not.toHaveBeenCalled();
  });
});
