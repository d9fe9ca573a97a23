// @vitest-environment happy-dom
// The HA posture panel: the verdict and why, the figures by region name, the findings with their
// fixes (an operation opens its dialog, Place… calls place_node, a step is said), the what-if.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Posture } from "../bindings/Posture";
import * as ipc from "../lib/ipc";
import { PostureStore, type PostureApi } from "../lib/postureStore.svelte";
import { byTestId, settle } from "../testing/dom";
import { samplePosture } from "../testing/posture";
import PosturePanel from "./PosturePanel.svelte";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  placeNode: vi.fn(),
}));
const api = vi.mocked(ipc);

const REGIONS = [
  { id: "east", name: "US East" },
  { id: "west", name: "US West" },
  { id: "canada", name: "Canada" },
];

let panel: ReturnType<typeof mount> | undefined;
let store: PostureStore;
let postureCall: ReturnType<typeof vi.fn<(lost: string[]) => Promise<Posture>>>;

beforeEach(() => {
  postureCall = vi.fn(async (lost: string[]) => samplePosture(lost));
  const fake: PostureApi = { posture: postureCall, onChanged: vi.fn(async () => () => {}) };
  store = new PostureStore(fake);
});
afterEach(() => {
  if (panel) unmount(panel);
  panel = undefined;
  store.stop();
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function render() {
  const onoperation = vi.fn();
  const onclose = vi.fn();
  store.start();
  panel = mount(PosturePanel, { target: document.body, props: { store, regions: REGIONS, onoperation, onclose } });
  await settle();
  return { onoperation, onclose };
}

const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid^="posture-finding-"]')];
const click = (el: Element | null) => {
  (el as HTMLElement).click();
  flushSync();
};

describe("PosturePanel", () => {
  it("shows the verdict, why not, and every figure by region name", async () => {
    await render();
    const verdict = byTestId("posture-verdict")!;
    expect(verdict.dataset.survives).toBe("no");
    expect(verdict.textContent).toContain("Survives the loss of any one region: no");
    expect(byTestId("posture-why-list")?.textContent).toContain(
      "without US East: Ordering Service loses quorum; Org1MSP has no peer left",
    );
    const service = byTestId("posture-service-OrdererMSP")!.textContent ?? "";
    expect(service).toContain("1 of 1 working, quorum 1");
    expect(service).toContain("has quorum");
    expect(service).toContain("without US East: no");
    expect(service).toContain("without Canada: yes");
    const org = byTestId("posture-org-Org1MSP")!.textContent ?? "";
    expect(org).toContain("US East 1");
    expect(org).toContain("Org1 CA in US East");
    expect(org).toContain("missing on US West and Canada");
    expect(org).not.toContain("west"); // ids only in tooltips
  });

  it("says where each node runs and why, by region name", async () => {
    await render();
    const nodes = [...document.querySelectorAll<HTMLElement>('[data-testid="posture-node"]')];
    expect(nodes.map((n) => [n.dataset.rule, n.dataset.home])).toEqual([
      ["own", "east"],
      ["unplaced", ""],
    ]);
    expect(nodes[0]!.textContent).toContain("US East");
    expect(nodes[0]!.textContent).toContain("its console holds it as its own");
    expect(nodes[1]!.textContent).toContain("not known");
    expect(nodes[1]!.textContent).toContain("down now");
  });

  it("lists each finding with its severity, its code and its fix", async () => {
    await render();
    expect(rows().map((r) => [r.dataset.testid, r.dataset.severity])).toEqual([
      ["posture-finding-quorum_needs_region", "warning"],
      ["posture-finding-msp_missing", "warning"],
      ["posture-finding-mesh_incomplete", "warning"],
      ["posture-finding-node_unplaced", "warning"],
      ["posture-finding-ca_one_region", "info"],
    ]);
    const quorum = byTestId("posture-finding-quorum_needs_region")!;
    expect(quorum.querySelector("code")?.textContent).toBe("quorum_needs_region");
    expect(quorum.querySelector('[data-testid="posture-fix-step"]')?.textContent).toContain(
      "Spread its ordering nodes over three regions.",
    );
    expect(byTestId("posture-finding-ca_one_region")!.querySelector("button")).toBeNull();
  });

  it("an operation fix opens its dialog with the operation, the button getting the keyboard back", async () => {
    const { onoperation } = await render();
    const replicate = byTestId("posture-finding-msp_missing")!.querySelector<HTMLElement>('[data-testid="posture-fix-operation"]')!;
    expect(replicate.textContent).toBe("Replicate Org1MSP from US East to US West and Canada…");
    click(replicate);
    expect(onoperation).toHaveBeenCalledWith(
      { kind: "replicate_org", sourceRegionId: "east", mspId: "Org1MSP", targetRegionIds: ["west", "canada"] },
      replicate,
    );
    click(byTestId("posture-finding-mesh_incomplete")!.querySelector('[data-testid="posture-fix-operation"]'));
    expect(onoperation).toHaveBeenLastCalledWith({ kind: "mesh" }, expect.any(HTMLElement));
    expect(api.placeNode).not.toHaveBeenCalled();
  });

  it("Place… picks a region (the finding's first offered) and calls place_node with the node's key", async () => {
    api.placeNode.mockResolvedValue("https://org2peer1.example.com:7051");
    await render();
    const row = byTestId("posture-finding-node_unplaced")!;
    click(row.querySelector('[data-testid="posture-fix-place"]'));
    await settle();
    const select = row.querySelector<HTMLSelectElement>('[data-testid="posture-place-region"]')!;
    expect(select.value).toBe("west");
    expect([...select.options].map((o) => o.textContent)).toEqual(["US East", "US West", "Canada"]);
    expect(document.activeElement).toBe(select);
    select.value = "canada";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    row.querySelector<HTMLFormElement>('[data-testid="posture-place-form"]')!.requestSubmit();
    await settle();
    expect(api.placeNode).toHaveBeenCalledWith("https://org2peer1.example.com:7051", "canada");
    expect(row.querySelector('[data-testid="posture-place-form"]')).toBeNull();
  });

  it("a refused placement is shown, the picker kept", async () => {
    api.placeNode.mockRejectedValue({ code: "invalid_input", message: "no region 'canada' is configured", field: "region" });
    await render();
    const row = byTestId("posture-finding-node_unplaced")!;
    click(row.querySelector('[data-testid="posture-fix-place"]'));
    row.querySelector<HTMLFormElement>('[data-testid="posture-place-form"]')!.requestSubmit();
    await settle();
    expect(row.querySelector('[data-testid="posture-place-error"]')?.textContent).toBe("no region 'canada' is configured");
    click(row.querySelector('[data-testid="posture-place-cancel"]'));
    await settle();
    expect(document.activeElement).toBe(row.querySelector('[data-testid="posture-fix-place"]'));
  });

  it("the what-if: a toggle per region works the posture out without it; a chip and Clear bring it back", async () => {
    await render();
    const east = byTestId("posture-lost-east")!;
    expect(east.getAttribute("aria-pressed")).toBe("false");
    click(east);
    await settle();
    expect(postureCall).toHaveBeenLastCalledWith(["east"]);
    expect(east.getAttribute("aria-pressed")).toBe("true");
    expect(byTestId("posture-lost-chip-east")?.textContent).toContain("US East");
    expect(byTestId("posture-verdict")?.textContent).toContain("What if US East is lost: keeps working: no");
    expect(byTestId("posture-region-east")?.dataset.lost).toBe("true");
    expect(rows().map((r) => r.dataset.testid)).toContain("posture-finding-quorum_lost");
    expect(byTestId("posture-service-OrdererMSP")?.textContent).toContain("already without quorum");

    click(byTestId("posture-lost-west"));
    await settle();
    expect(postureCall).toHaveBeenLastCalledWith(["east", "west"]);
    click(byTestId("posture-lost-chip-west")!.querySelector("button"));
    await settle();
    expect(postureCall).toHaveBeenLastCalledWith(["east"]);
    expect(document.activeElement).toBe(byTestId("posture-lost-west"));

    click(byTestId("posture-clear"));
    await settle();
    expect(postureCall).toHaveBeenLastCalledWith([]);
    expect(byTestId("posture-lost-chip-east")).toBeNull();
    expect(rows().map((r) => r.dataset.testid)).not.toContain("posture-finding-quorum_lost");
    expect(document.activeElement?.closest('[role="group"]')).not.toBeNull(); // the keyboard stays in the panel
  });

  it("Choose on the map turns the map's what-if mode on and off", async () => {
    await render();
    const toggle = byTestId("posture-pick-on-map")!;
    click(toggle);
    expect(store.picking).toBe(true);
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    click(toggle);
    expect(store.picking).toBe(false);
  });

  it("a what-if that cannot be worked out says so, and which what-if the figures shown are for", async () => {
    await render();
    postureCall.mockRejectedValueOnce({ code: "unreachable", message: "US West did not answer" });
    click(byTestId("posture-lost-east"));
    await settle();
    expect(byTestId("posture-error")?.textContent).toContain("US West did not answer");
    expect(byTestId("posture-verdict")?.textContent).toContain("What if US East is lost: could not be worked out");
    expect(byTestId("posture-stale")?.textContent).toContain("the posture as it is, without the what-if");
    expect(byTestId("posture-figures")?.dataset.lost).toBe("");
  });

  it("says why the posture could not be worked out, keeping the last figures", async () => {
    await render();
    postureCall.mockRejectedValueOnce({ code: "unreachable", message: "Canada did not answer" });
    click(byTestId("refresh-posture"));
    await settle();
    expect(byTestId("posture-error")?.textContent).toContain("Canada did not answer");
    expect(byTestId("posture-error")?.textContent).toContain("the figures below are the last read");
    expect(byTestId("posture-service-OrdererMSP")).not.toBeNull();
  });
});
