// @vitest-environment happy-dom
// A region card's rows and remove flow with the keyboard: a clicked row has the focus, so Enter
// and the menu keys reach it; the remove confirmation comes into view with the keyboard on it.

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
  const onexport = vi.fn(async () => {});
  card = mount(RegionCard, { target: document.body, props: { region: REGION, health: HEALTH, oncopy, onexport, ...props } });
  await settle();
  return { oncopy, onexport };
}

const key = (on: Element, k: string, init: KeyboardEventInit = {}) =>
  on.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init }));

describe("RegionCard rows", () => {
  it("a click on a row focuses it; Enter and Shift+F10 there open Copy to… with the row as the opener", async () => {
    const { oncopy } = await render();
    const row = byTestId("component-east-org1peer1")!;
    expect(row.tabIndex).toBe(0);
    row.querySelector<HTMLElement>(".cname")!.click();
    expect(document.activeElement).toBe(row);

    key(row, "Enter");
    expect(oncopy).toHaveBeenLastCalledWith(expect.objectContaining({ componentIds: ["org1peer1"], label: "Org1 Peer1" }), row);
    key(row, "F10", { shiftKey: true });
    expect(oncopy).toHaveBeenCalledTimes(2);
    expect(oncopy).toHaveBeenLastCalledWith(expect.objectContaining({ componentIds: ["org1peer1"] }), row);
  });

  it("Enter on a row's own button is the button's: Export exports, nothing is copied", async () => {
    const { oncopy, onexport } = await render();
    const exportButton = byTestId("export-east-org1peer1")!;
    exportButton.focus();
    key(exportButton, "Enter");
    exportButton.click();
    await settle();
    expect(onexport).toHaveBeenCalledOnce();
    expect(oncopy).not.toHaveBeenCalled();
  });

  it("an ordering service's header is a row too: Enter copies the whole service", async () => {
    const { oncopy } = await render();
    const header = byTestId("ordering-service-east-OrdererMSP")!;
    header.querySelector<HTMLElement>(".sname")!.click();
    expect(document.activeElement).toBe(header);
    key(header, "Enter");
    expect(oncopy).toHaveBeenCalledWith(expect.objectContaining({ componentIds: ["osn1"] }), header);
  });

  it("rows are no tab stops when there is nothing to do with them", async () => {
    await render({ oncopy: undefined });
    expect(byTestId("component-east-org1peer1")!.hasAttribute("tabindex")).toBe(false);
  });

  it("keeps a short last word of a name with the word before it", async () => {
    await render();
    expect(byTestId("component-east-osn1")!.querySelector(".cname")!.textContent).toBe("Ordering Service Node\u00a01");
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
