// @vitest-environment happy-dom
// The component details drawer: what the backend read, in words (home and rule by region name,
// holders, certificates with their fingerprints, health runs), its loading and error states, and
// when it reads again.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Change } from "../bindings/Change";
import type { ComponentDetails } from "../bindings/ComponentDetails";
import type { ComponentStatus } from "../bindings/ComponentStatus";
import * as ipc from "../lib/ipc";
import { byTestId, settle } from "../testing/dom";
import { reactiveProps } from "../testing/props.svelte";
import ComponentDetailsDrawer from "./ComponentDetailsDrawer.svelte";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  componentDetails: vi.fn(),
  onChanged: vi.fn(),
}));
const api = vi.mocked(ipc);

const NAMES: Record<string, string> = { east: "US East", west: "US West", canada: "Canada" };
const regionName = (id: string) => NAMES[id] ?? id;
const at = (h: number, m: number) => new Date(2026, 11, 5, h, m).getTime();

const PEER: ComponentDetails = {
  regionId: "east",
  componentId: "org1peer1",
  displayName: "Org1 Peer1",
  kind: "peer",
  mspId: "Org1MSP",
  imported: false,
  endpoints: [
    { label: "API", url: "grpcs://peer1.org1.example.com:7051" },
    { label: "Operations", url: "https://peer1.org1.example.com:9443" },
  ],
  orderingService: null,
  certificates: [
    {
      usedAs: "node_tls",
      field: "msp.component.tls_cert",
      subject: "CN=peer1.org1.example.com",
      issuer: "CN=Org1 TLS CA",
      sans: ["DNS:peer1.org1.example.com", "IP:127.0.0.1"],
      notBefore: "2026-01-01",
      notAfter: "2026-12-20",
      daysLeft: 15,
      due: "within_30_days",
      sha256: "ab01".repeat(16),
    },
  ],
  home: "east",
  rule: "own",
  heldBy: [
    { regionId: "east", componentId: "org1peer1", imported: false },
    { regionId: "west", componentId: "org1peer1", imported: true },
  ],
  health: [
    { status: "ok", fromMs: at(10, 20), toMs: at(10, 30) },
    { status: "not_ok", fromMs: at(10, 2), toMs: at(10, 14) },
  ],
  unread: [{ regionId: "canada", name: "Canada", message: "nothing listens" }],
};

let listeners: ((change: Change) => void)[] = [];
let drawer: ReturnType<typeof mount> | undefined;
let props: { status: ComponentStatus | undefined };

beforeEach(() => {
  listeners = [];
  api.onChanged.mockImplementation(async (listener) => {
    listeners.push(listener);
    return () => {};
  });
});
afterEach(() => {
  if (drawer) unmount(drawer);
  drawer = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function render(onclose = vi.fn()) {
  props = reactiveProps<{ status: ComponentStatus | undefined }>({ status: "ok" });
  drawer = mount(ComponentDetailsDrawer, {
    target: document.body,
    props: {
      regionId: "east",
      componentId: "org1peer1",
      label: "Org1 Peer1",
      regionName,
      get status() {
        return props.status;
      },
      onclose,
    },
  });
  await settle();
  return { onclose };
}

const texts = (testid: string) =>
  [...document.querySelectorAll(`[data-testid="${testid}"]`)].map((el) => el.textContent?.replace(/\s+/g, " ").trim());

describe("ComponentDetailsDrawer", () => {
  it("shows endpoints, MSP id, the home by name with its rule, holders, certificates and health, and names an unread console", async () => {
    api.componentDetails.mockResolvedValue(PEER);
    await render();
    expect(api.componentDetails).toHaveBeenCalledWith("east", "org1peer1");
    const panel = byTestId("component-details")!;
    expect(panel.getAttribute("role")).toBe("dialog");
    expect(document.getElementById(panel.getAttribute("aria-labelledby")!)?.textContent).toBe("Org1 Peer1");
    expect(byTestId("details-what")?.textContent).toContain("peer on US East's console");
    expect(texts("details-endpoint")).toEqual(["grpcs://peer1.org1.example.com:7051", "https://peer1.org1.example.com:9443"]);
    expect(byTestId("details-msp")?.textContent).toBe("Org1MSP");
    expect(byTestId("details-home")?.textContent).toBe("US East — its console holds it as its own");
    expect([...byTestId("details-held-by")!.querySelectorAll("li")].map((li) => li.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "US East (its own) · these details",
      "US West (import)",
    ]);

    const [cert] = texts("details-certificate");
    expect(cert).toContain("node TLS");
    expect(cert).toContain("Within 30 days");
    expect(cert).toContain("CN=peer1.org1.example.com");
    expect(cert).toContain("CN=Org1 TLS CA");
    expect(cert).toContain("DNS:peer1.org1.example.com");
    expect(cert).toContain("2026-01-01 – 2026-12-20");
    expect(byTestId("details-sha256")?.textContent).toBe(Array(16).fill("AB:01").join(":"));

    const runs = [...document.querySelectorAll<HTMLElement>('[data-testid="details-health-run"]')];
    expect(runs.map((r) => r.dataset.status)).toEqual(["ok", "not_ok"]);
    expect(runs[0]!.textContent).toMatch(/^ok .*20.*–.*30/);
    expect(runs[1]!.className).toContain("tone-error");
    expect(texts("details-unread")).toEqual(["Canada did not answer: whether it holds a copy is not known."]);
  });

  it("says an unplaced node is unplaced, and shows no home or health for an MSP definition", async () => {
    api.componentDetails.mockResolvedValueOnce({ ...PEER, home: null, rule: "unplaced", unread: [] });
    await render();
    expect(byTestId("details-home")?.textContent).toMatch(/^unplaced — no console holds it as its own/);
    if (drawer) unmount(drawer);
    document.body.innerHTML = "";

    api.componentDetails.mockResolvedValueOnce({ ...PEER, kind: "msp", home: null, rule: null, health: [], imported: true });
    await render();
    expect(byTestId("details-home")).toBeNull();
    expect(byTestId("details-health-run")).toBeNull();
    expect(byTestId("details-what")?.textContent).toContain("MSP definition on US East's console, held as an import");
  });

  it("says it is reading, then a failure in words; Refresh reads again", async () => {
    let fail: (e: unknown) => void = () => {};
    api.componentDetails.mockReturnValueOnce(new Promise((_, reject) => (fail = reject))).mockResolvedValueOnce(PEER);
    await render();
    expect(byTestId("details-loading")?.textContent).toBe("Reading the consoles…");
    expect(byTestId("component-details")!.querySelector(".records")!.getAttribute("aria-busy")).toBe("true");
    fail({ code: "not_found", message: "US East's console holds no component 'org1peer1'" });
    await settle();
    expect(byTestId("details-error")?.textContent).toBe("US East's console holds no component 'org1peer1'");
    expect(byTestId("details-loading")).toBeNull();

    byTestId("refresh-details")!.click();
    await settle();
    expect(byTestId("details-error")).toBeNull();
    expect(byTestId("details-msp")?.textContent).toBe("Org1MSP");
  });

  it("reads again when its live status changes or copies were made, not on other changes", async () => {
    api.componentDetails.mockResolvedValue(PEER);
    await render();
    expect(api.componentDetails).toHaveBeenCalledTimes(1);
    listeners.forEach((l) => l("wallet"));
    props.status = "ok";
    flushSync();
    await settle();
    expect(api.componentDetails).toHaveBeenCalledTimes(1);
    props.status = "not_ok";
    flushSync();
    await settle();
    expect(api.componentDetails).toHaveBeenCalledTimes(2);
    listeners.forEach((l) => l("audit"));
    await settle();
    expect(api.componentDetails).toHaveBeenCalledTimes(3);
  });

  it("closes on Escape", async () => {
    api.componentDetails.mockResolvedValue(PEER);
    const { onclose } = await render();
    const panel = byTestId("component-details")!;
    expect(document.activeElement).toBe(panel);
    panel.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    expect(onclose).toHaveBeenCalledOnce();
  });
});
