// @vitest-environment happy-dom
// A region card's rows and remove flow with the keyboard: a clicked row has the focus, so Enter
// (its details) and the menu keys (Copy to…) reach it; the remove confirmation comes into view
// with the keyboard on it.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RegionHealth } from "../bindings/RegionHealth";
import type { RegionView } from "../bindings/RegionView";
import { byTestId, settle } from "../testing/dom";
import RegionCard from "./RegionCard.svelte";

const REGION: RegionView = {
  id: "east",
  name: "US East",
  location: { id: "us-east-1", provider: "AWS", name: "US East (N. Virginia)", city: "Ashburn", latitude: 39, longitude: -77.5 },
  consoleUrl: "https://console.east.example.com",
  apiKey: "admin",
  sandbox: false,
};

const HEALTH: RegionHealth = {
  regionId: "east",
  state: "healthy",
  latencyMs: 3,
  message: null,
  components: [
    { id: "org1peer1", displayName: "Org1 Peer1", kind: "peer", mspId: "Org1MSP", status: "ok" },
    { id: "osn1", displayName: "Ordering Service Node 1", kind: "orderer", mspId: "OrdererMSP", status: "ok" },
  ],
  orgs: [],
  orderingServices: [{ key: "OrdererMSP", name: "Ordering Service", nodeIds: ["osn1"] }],
};

let card: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (card) unmount(card);
  card = undefined;
  document.body.innerHTML = "";
});

async function render(props: Partial<Parameters<typeof RegionCard>[1]> = {}) {
  const oncopy = vi.fn();
  const ondetails = vi.fn();
  const onexport = vi.fn(async () => {});
  card = mount(RegionCard, { target: document.body, props: { region: REGION, health: HEALTH, oncopy, ondetails, onexport, ...props } });
  await settle();
  return { oncopy, ondetails, onexport };
}

const key = (on: Element, k: string, init: KeyboardEventInit = {}) =>
  on.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init }));

describe("RegionCard rows", () => {
  it("a click on a row focuses it; Enter there opens its details, Shift+F10 Copy to…, each with the row as the opener", async () => {
    const { oncopy, ondetails } = await render();
    const row = byTestId("component-east-org1peer1")!;
    expect(row.tabIndex).toBe(0);
    expect(row.getAttribute("aria-keyshortcuts")).toBe("Enter Shift+F10");
    row.querySelector<HTMLElement>(".cname")!.click();
    expect(document.activeElement).toBe(row);

    key(row, "Enter");
    expect(ondetails).toHaveBeenCalledWith(expect.objectContaining({ id: "org1peer1", displayName: "Org1 Peer1" }), row);
    expect(oncopy).not.toHaveBeenCalled();
    key(row, "F10", { shiftKey: true });
    expect(oncopy).toHaveBeenCalledOnce();
    expect(oncopy).toHaveBeenLastCalledWith(expect.objectContaining({ componentIds: ["org1peer1"], label: "Org1 Peer1" }), row);
    expect(ondetails).toHaveBeenCalledOnce();
  });

  it("a double-click on a row opens its details; one on its Copy button does not", async () => {
    const { ondetails } = await render();
    const dblclick = (on: Element) => on.dispatchEvent(new MouseEvent("dblclick", { bubbles: true, cancelable: true }));
    dblclick(byTestId("copy-east-org1peer1")!);
    expect(ondetails).not.toHaveBeenCalled();
    const row = byTestId("component-east-org1peer1")!;
    dblclick(row.querySelector(".cname")!);
    expect(ondetails).toHaveBeenCalledWith(expect.objectContaining({ id: "org1peer1" }), row);
  });

  it("Enter on a row's own button is the button's: Export exports, nothing is copied or opened", async () => {
    const { oncopy, ondetails, onexport } = await render();
    const exportButton = byTestId("export-east-org1peer1")!;
    exportButton.focus();
    key(exportButton, "Enter");
    exportButton.click();
    await settle();
    expect(onexport).toHaveBeenCalledOnce();
    expect(oncopy).not.toHaveBeenCalled();
    expect(ondetails).not.toHaveBeenCalled();
  });

  it("an ordering service's header is a row too: Shift+F10 copies the whole service; Enter (no details) does nothing", async () => {
    const { oncopy, ondetails } = await render();
    const header = byTestId("ordering-service-east-OrdererMSP")!;
    header.querySelector<HTMLElement>(".sname")!.click();
    expect(document.activeElement).toBe(header);
    key(header, "Enter");
    expect(oncopy).not.toHaveBeenCalled();
    key(header, "F10", { shiftKey: true });
    expect(oncopy).toHaveBeenCalledWith(expect.objectContaining({ componentIds: ["osn1"] }), header);
    expect(ondetails).not.toHaveBeenCalled();
  });

  it("rows are no tab stops when there is nothing to do with them", async () => {
    await render({ oncopy: undefined, ondetails: undefined });
    expect(byTestId("component-east-org1peer1")!.hasAttribute("tabindex")).toBe(false);
  });

  it("keeps a short last word of a name with the word before it", async () => {
    await render();
    expect(byTestId("component-east-osn1")!.querySelector(".cname")!.textContent).toBe("Ordering Service Node\u00a01");
  });
});

describe("RegionCard CA rows", () => {
  const WITH_CA: RegionHealth = {
    ...HEALTH,
    components: [{ id: "org1ca", displayName: "Org1 CA", kind: "ca", mspId: null, status: "ok" }, ...HEALTH.components],
  };

  it("a CA row offers its Fabric CA actions in a menu; a choice hands the action, the CA and the menu button over", async () => {
    const onca = vi.fn();
    const { oncopy, ondetails } = await render({ health: WITH_CA, onca });
    const button = byTestId("ca-menu-east-org1ca")!;
    expect(byTestId("component-east-org1ca")!.contains(button)).toBe(true);
    expect(byTestId("ca-menu-east-org1peer1")).toBeNull();
    button.click();
    await settle();
    const items = [...byTestId("ca-menu-east-org1ca-menu")!.querySelectorAll('[role="menuitem"]')].map((el) => el.textContent);
    expect(items).toEqual(["Register identity…", "Identities", "Enroll into wallet…", "CA admins…"]);
    // Enter on the focused item is the item's (a button), not the row's details.
    key(document.activeElement!, "Enter");
    byTestId("ca-menu-east-org1ca-identities")!.click();
    flushSync();
    expect(onca).toHaveBeenCalledExactlyOnceWith("identities", expect.objectContaining({ id: "org1ca", displayName: "Org1 CA" }), button);
    expect(ondetails).not.toHaveBeenCalled();
    expect(oncopy).not.toHaveBeenCalled();
  });

  it("Shift+F10 on the CA row is still Copy to…", async () => {
    const onca = vi.fn();
    const { oncopy } = await render({ health: WITH_CA, onca });
    const row = byTestId("component-east-org1ca")!;
    row.querySelector<HTMLElement>(".cname")!.click();
    key(row, "F10", { shiftKey: true });
    expect(oncopy).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ componentIds: ["org1ca"] }), row);
    expect(onca).not.toHaveBeenCalled();
  });

  it("no menu without a handler", async () => {
    await render({ health: WITH_CA });
    expect(byTestId("ca-menu-east-org1ca")).toBeNull();
  });
});

describe("RegionCard remove", () => {
  it("brings the confirmation into view with the keyboard on Cancel; Cancel gives the keyboard back to Remove", async () => {
    const scrolled: Element[] = [];
    const scroll = vi.spyOn(Element.prototype, "scrollIntoView").mockImplementation(function (this: Element) {
      scrolled.push(this);
    });
    const onremove = vi.fn(async () => {});
    await render({ onremove, onedit: vi.fn() });

    byTestId("remove-region-east")!.click();
    flushSync();
    await settle();
    const cancel = byTestId("cancel-remove-east")!;
    expect(scrolled).toHaveLength(1);
    expect(scrolled[0]!.contains(cancel)).toBe(true);
    expect(scroll).toHaveBeenCalledWith({ block: "nearest", inline: "nearest" });
    expect(document.activeElement).toBe(cancel);

    cancel.click();
    flushSync();
    await settle();
    expect(byTestId("cancel-remove-east")).toBeNull();
    expect(document.activeElement).toBe(byTestId("remove-region-east"));
    expect(onremove).not.toHaveBeenCalled();
  });
});

describe("RegionCard in the HA posture's what-if", () => {
  it("a region supposed lost is marked as such, and its rows stay usable", async () => {
    const { oncopy } = await render({ lost: true });
    const card = byTestId("region-card-east")!;
    expect(card.dataset.lost).toBe("true");
    expect(card.classList.contains("lost")).toBe(true);
    expect(byTestId("lost-note-east")?.textContent).toContain("Lost (what if)");
    byTestId("copy-east-org1peer1")!.click();
    expect(oncopy).toHaveBeenCalled();
  });

  it("a region not supposed lost carries no mark", async () => {
    await render();
    expect(byTestId("region-card-east")!.hasAttribute("data-lost")).toBe(false);
    expect(byTestId("lost-note-east")).toBeNull();
  });
});
