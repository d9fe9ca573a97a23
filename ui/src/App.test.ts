// @vitest-environment happy-dom
// The whole UI against a mocked IPC module: what an end-to-end test would see, minus Rust.

import { flushSync, mount, tick, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import type { AppInfo } from "./bindings/AppInfo";
import type { HealthSnapshot } from "./bindings/HealthSnapshot";
import type { Location } from "./bindings/Location";
import type { RegionView } from "./bindings/RegionView";
import * as ipc from "./lib/ipc";

vi.mock("./lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof ipc>();
  return {
    ...real,
    appInfo: vi.fn(),
    listLocations: vi.fn(),
    listRegions: vi.fn(),
    addRegion: vi.fn(),
    editRegion: vi.fn(),
    removeRegion: vi.fn(),
    testConnection: vi.fn(),
    healthSnapshot: vi.fn(),
    onHealth: vi.fn(),
  };
});

const api = vi.mocked(ipc);

const LOCATIONS: Location[] = [
  { id: "us-east-1", provider: "AWS", name: "US East (N. Virginia)", city: "Ashburn", latitude: 39.0, longitude: -77.5 },
  { id: "us-west-2", provider: "AWS", name: "US West (Oregon)", city: "Boardman", latitude: 45.8, longitude: -119.7 },
  { id: "ca-tor", provider: "IBM Cloud", name: "Toronto", city: "Toronto", latitude: 43.7, longitude: -79.4 },
];

const SANDBOX: RegionView = {
  id: "sandbox-east",
  name: "US East",
  location: LOCATIONS[0]!,
  consoleUrl: "http://127.0.0.1:7001",
  apiKey: "sandbox-admin",
  sandbox: true,
};
const REAL: RegionView = {
  id: "toronto",
  name: "Toronto",
  location: LOCATIONS[2]!,
  consoleUrl: "https://console.tor.example.com",
  apiKey: "admin",
  sandbox: false,
};

const INFO: AppInfo = { version: "0.1.0", sandbox: true, pollIntervalMs: 15000, configPath: "/home/me/.config/atlas.toml" };

const HEALTH: HealthSnapshot = {
  regions: [
    {
      regionId: "sandbox-east",
      state: "healthy",
      latencyMs: 3,
      message: null,
      components: [
        { id: "org1peer1", displayName: "Org1 Peer 1", kind: "peer", mspId: "org1msp", status: "ok" },
        { id: "org1ca", displayName: "Org1 CA", kind: "ca", mspId: null, status: "ok" },
        { id: "org1msp", displayName: "Org1 MSP", kind: "msp", mspId: "org1msp", status: "not_applicable" },
        { id: "os1", displayName: "Ordering node 1", kind: "orderer", mspId: "osmsp", status: "not_ok" },
      ],
    },
    { regionId: "toronto", state: "healthy", latencyMs: 12, message: null, components: [] },
  ],
};

let push: (s: HealthSnapshot) => void = () => {};
let app: ReturnType<typeof mount> | undefined;

beforeEach(() => {
  api.appInfo.mockResolvedValue(INFO);
  api.listLocations.mockResolvedValue(LOCATIONS);
  api.listRegions.mockResolvedValue([SANDBOX, REAL]);
  api.healthSnapshot.mockResolvedValue(HEALTH);
  api.onHealth.mockImplementation(async (cb) => {
    push = cb;
    return () => {};
  });
});

afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
}

async function render() {
  app = mount(App, { target: document.body });
  await settle();
}

const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector);
const byTestId = <T extends Element = HTMLElement>(id: string) => $<T>(`[data-testid="${id}"]`);

function type(id: string, value: string) {
  const el = document.getElementById(id) as HTMLInputElement | HTMLSelectElement;
  el.value = value;
  expect(el.value).toBe(value);
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  flushSync();
}

function click(el: Element | null) {
  expect(el).not.toBeNull();
  (el as HTMLElement).click();
  flushSync();
}

async function openAddForm() {
  click(byTestId("open-add-console"));
  await settle();
  expect(byTestId("add-console-form")).not.toBeNull();
}

function fillAddForm() {
  type("console-name", "Canada");
  type("console-location", "ca-tor");
  type("console-url", "https://console.ca.example.com");
  type("console-api-key", "admin");
  type("console-api-secret", "s3cret");
}

describe("App", () => {
  it("shows the sandbox banner, a pin and a card per region, and components grouped by kind", async () => {
    await render();
    expect(byTestId("sandbox-banner")?.textContent).toMatch(/sandbox/i);
    expect(byTestId("sandbox-banner")?.textContent).toMatch(/next start/i);

    const pin = byTestId("region-pin-sandbox-east");
    expect(pin?.getAttribute("data-state")).toBe("healthy");
    expect(pin?.textContent).toContain("US East");
    expect(pin?.textContent).toContain("3 ms");
    expect(byTestId("region-pin-toronto")).not.toBeNull();

    const card = byTestId("region-card-sandbox-east")!;
    expect(card.getAttribute("data-state")).toBe("healthy");
    expect(card.textContent).toContain("AWS · US East (N. Virginia) · Ashburn");
    expect(card.textContent).toContain("http://127.0.0.1:7001");
    expect(card.textContent).toMatch(/sandbox/);
    const rows = [...card.querySelectorAll("[data-testid^='component-sandbox-east-']")];
    expect(rows.map((r) => r.getAttribute("data-testid"))).toEqual([
      "component-sandbox-east-org1ca",
      "component-sandbox-east-org1msp",
      "component-sandbox-east-org1peer1",
      "component-sandbox-east-os1",
    ]);
    expect(byTestId("component-sandbox-east-os1")?.getAttribute("data-status")).toBe("not_ok");
    expect(byTestId("component-sandbox-east-org1peer1")?.textContent).toContain("org1msp");

    // Sandbox cards cannot be edited or removed; real ones can.
    expect(byTestId("edit-region-sandbox-east")).toBeNull();
    expect(byTestId("edit-region-toronto")).not.toBeNull();
    expect(byTestId("no-components-toronto")?.textContent).toContain("No components");
  });

  it("updates pins and cards live from health events", async () => {
    await render();
    push({
      regions: [
        { regionId: "sandbox-east", state: "unreachable", latencyMs: null, message: "connection refused", components: [] },
        { regionId: "toronto", state: "locked_out", latencyMs: null, message: "locked out for 2 min", components: [] },
      ],
    });
    flushSync();
    expect(byTestId("region-pin-sandbox-east")?.getAttribute("data-state")).toBe("unreachable");
    expect(byTestId("region-pin-sandbox-east")?.textContent).toContain("unreachable");
    expect(byTestId("region-card-sandbox-east")?.getAttribute("data-state")).toBe("unreachable");
    expect(byTestId("region-card-sandbox-east")?.textContent).toContain("connection refused");
    expect(byTestId("region-card-toronto")?.getAttribute("data-state")).toBe("locked_out");
  });

  it("handles no regions at all", async () => {
    api.listRegions.mockResolvedValue([]);
    api.healthSnapshot.mockResolvedValue({ regions: [] });
    api.appInfo.mockResolvedValue({ ...INFO, sandbox: false });
    await render();
    expect(byTestId("sandbox-banner")).toBeNull();
    expect(byTestId("map-empty")).not.toBeNull();
    expect(document.querySelectorAll("[data-testid^='region-pin-']")).toHaveLength(0);
    expect(byTestId("no-regions")).not.toBeNull();
  });

  it("adds a console: tests the connection, saves, closes the form and refreshes the list", async () => {
    await render();
    await openAddForm();
    const secret = document.getElementById("console-api-secret") as HTMLInputElement;
    expect(secret.type).toBe("password");
    expect(secret.getAttribute("autocomplete")).toBe("off");
    const options = [...document.querySelectorAll("#console-location optgroup")].map((g) => g.getAttribute("label"));
    expect(options).toEqual(["AWS", "IBM Cloud"]);
    fillAddForm();

    api.testConnection.mockResolvedValue({ consoleVersion: "2.5.2", authScheme: "basic", latencyMs: 7, componentCount: 4 });
    click(byTestId("test-connection"));
    await settle();
    expect(api.testConnection).toHaveBeenCalledWith({
      consoleUrl: "https://console.ca.example.com",
      apiKey: "admin",
      apiSecret: "s3cret",
    });
    const result = byTestId("connection-result")!;
    expect(result.getAttribute("data-outcome")).toBe("ok");
    expect(result.textContent).toContain("2.5.2");
    expect(result.textContent).toContain("basic");
    expect(result.textContent).toContain("7 ms");
    expect(result.textContent).toContain("4");

    const added: RegionView = { ...REAL, id: "canada", name: "Canada" };
    api.addRegion.mockResolvedValue(added);
    api.listRegions.mockResolvedValue([SANDBOX, REAL, added]);
    const listCalls = api.listRegions.mock.calls.length;
    click(byTestId("save-console"));
    await settle();
    expect(api.addRegion).toHaveBeenCalledWith({
      name: "Canada",
      location: "ca-tor",
      consoleUrl: "https://console.ca.example.com",
      apiKey: "admin",
      apiSecret: "s3cret",
    });
    expect(byTestId("add-console-form")).toBeNull();
    expect(document.getElementById("console-api-secret")).toBeNull();
    expect(api.listRegions.mock.calls.length).toBeGreaterThan(listCalls);
    expect(byTestId("region-card-canada")).not.toBeNull();
    expect(byTestId("region-pin-canada")).not.toBeNull();

    // Reopened, the form is empty: the secret was not kept.
    await openAddForm();
    expect((document.getElementById("console-api-secret") as HTMLInputElement).value).toBe("");
    expect((document.getElementById("console-name") as HTMLInputElement).value).toBe("");
  });

  it("shows a failed connection test as an error outcome", async () => {
    await render();
    await openAddForm();
    fillAddForm();
    api.testConnection.mockRejectedValue({ code: "unauthorized", message: "the console refused the API key" });
    click(byTestId("test-connection"));
    await settle();
    const result = byTestId("connection-result")!;
    expect(result.getAttribute("data-outcome")).toBe("error");
    expect(result.textContent).toContain("the console refused the API key");
  });

  it("shows a save error and highlights the field it names, keeping the form open", async () => {
    await render();
    await openAddForm();
    fillAddForm();
    api.addRegion.mockRejectedValue({ code: "invalid_input", message: "field 'consoleUrl': must be an https URL" });
    click(byTestId("save-console"));
    await settle();
    expect(byTestId("form-error")?.textContent).toContain("field 'consoleUrl': must be an https URL");
    expect(document.getElementById("console-url")?.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById("console-name")?.getAttribute("aria-invalid")).toBe("false");
    expect(byTestId("add-console-form")).not.toBeNull();
  });

  it("does not call the backend when a required field is empty", async () => {
    await render();
    await openAddForm();
    type("console-name", "Canada");
    click(byTestId("save-console"));
    await settle();
    expect(api.addRegion).not.toHaveBeenCalled();
    expect(byTestId("form-error")?.textContent).toContain("field 'location'");
    expect(document.getElementById("console-location")?.getAttribute("aria-invalid")).toBe("true");
  });

  it("clears the secret on cancel", async () => {
    await render();
    await openAddForm();
    fillAddForm();
    click(byTestId("cancel-console"));
    await settle();
    expect(byTestId("add-console-form")).toBeNull();
    await openAddForm();
    expect((document.getElementById("console-api-secret") as HTMLInputElement).value).toBe("");
  });

  it("edits a region with the form prefilled; an empty secret keeps the stored one", async () => {
    await render();
    click(byTestId("edit-region-toronto"));
    await settle();
    const form = byTestId("add-console-form")!;
    expect(form.getAttribute("data-mode")).toBe("edit");
    expect((document.getElementById("console-name") as HTMLInputElement).value).toBe("Toronto");
    expect((document.getElementById("console-location") as HTMLSelectElement).value).toBe("ca-tor");
    expect((document.getElementById("console-url") as HTMLInputElement).value).toBe(REAL.consoleUrl);
    expect((document.getElementById("console-api-secret") as HTMLInputElement).value).toBe("");

    api.testConnection.mockResolvedValue({ consoleVersion: null, authScheme: null, latencyMs: 0.5, componentCount: 0 });
    click(byTestId("test-connection"));
    await settle();
    expect(api.testConnection).toHaveBeenCalledWith({ consoleUrl: REAL.consoleUrl, apiKey: "admin", regionId: "toronto" });
    expect(byTestId("connection-result")?.textContent).toContain("not reported");

    type("console-name", "Toronto 2");
    api.editRegion.mockResolvedValue({ ...REAL, name: "Toronto 2" });
    click(byTestId("save-console"));
    await settle();
    expect(api.editRegion).toHaveBeenCalledWith("toronto", {
      name: "Toronto 2",
      location: "ca-tor",
      consoleUrl: REAL.consoleUrl,
      apiKey: "admin",
    });
    expect(byTestId("add-console-form")).toBeNull();
  });

  it("removes a region only after confirmation", async () => {
    await render();
    click(byTestId("remove-region-toronto"));
    expect(api.removeRegion).not.toHaveBeenCalled();
    click(byTestId("cancel-remove-toronto"));
    expect(byTestId("confirm-remove-toronto")).toBeNull();

    click(byTestId("remove-region-toronto"));
    api.removeRegion.mockResolvedValue(undefined);
    api.listRegions.mockResolvedValue([SANDBOX]);
    click(byTestId("confirm-remove-toronto"));
    await settle();
    expect(api.removeRegion).toHaveBeenCalledWith("toronto");
    expect(byTestId("region-card-toronto")).toBeNull();
    expect(byTestId("region-pin-toronto")).toBeNull();
  });

  it("shows a removal failure on the card", async () => {
    await render();
    click(byTestId("remove-region-toronto"));
    api.removeRegion.mockRejectedValue({ code: "keyring", message: "keyring is locked" });
    click(byTestId("confirm-remove-toronto"));
    await settle();
    expect(byTestId("remove-error-toronto")?.textContent).toContain("keyring is locked");
    expect(byTestId("region-card-toronto")).not.toBeNull();
  });

  it("reports a load failure in a banner", async () => {
    api.listRegions.mockRejectedValue({ code: "config", message: "config file is not valid TOML" });
    await render();
    expect(byTestId("app-error")?.textContent).toContain("config file is not valid TOML");
  });
});
