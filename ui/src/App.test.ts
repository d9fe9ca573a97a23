// @vitest-environment happy-dom
// The whole UI against a mocked IPC module: what an end-to-end test would see, minus Rust.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import App from "./App.svelte";
import type { AppInfo } from "./bindings/AppInfo";
import type { ImportReport } from "./bindings/ImportReport";
import type { Change } from "./bindings/Change";
import type { HealthSnapshot } from "./bindings/HealthSnapshot";
import type { Location } from "./bindings/Location";
import type { RegionView } from "./bindings/RegionView";
import type { TransferEvent } from "./bindings/TransferEvent";
import type { TransferReport } from "./bindings/TransferReport";
import * as ipc from "./lib/ipc";
import type { CaAdminStatus } from "./bindings/CaAdminStatus";
import type { Operation } from "./bindings/Operation";
import type { Posture } from "./bindings/Posture";

type CopyRequest = Extract<Operation, { kind: "copy" }>;
import type { FileDragEvent } from "./lib/ipc";
import { settle } from "./testing/dom";

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
    onChanged: vi.fn(),
    onFileDrop: vi.fn(),
    exportComponent: vi.fn(),
    importFiles: vi.fn(),
    chooseImportFiles: vi.fn(),
    listIdentities: vi.fn(),
    importIdentities: vi.fn(),
    exportIdentity: vi.fn(),
    removeIdentity: vi.fn(),
    auditLog: vi.fn(),
    applyOperation: vi.fn(),
    planOperation: vi.fn(),
    cancelTransfer: vi.fn(),
    saveCaAdmins: vi.fn(),
    showInFolder: vi.fn(),
    posture: vi.fn(),
    placeNode: vi.fn(),
    componentDetails: vi.fn(),
    driftReport: vi.fn(),
    makeEqual: vi.fn(),
    caAdminStatus: vi.fn(),
    caIdentities: vi.fn(),
    caInfo: vi.fn(),
    registerIdentity: vi.fn(),
    enrollIntoWallet: vi.fn(),
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
      orgs: [{ mspId: "org1msp", mspComponentIds: ["org1msp"], names: ["Org1 MSP"] }],
      orderingServices: [{ key: "osmsp", name: "Ordering service osmsp", nodeIds: ["os1"] }],
    },
    { regionId: "toronto", state: "healthy", latencyMs: 12, message: null, components: [], orgs: [], orderingServices: [] },
  ],
};

/** The HA posture of these two regions: everything in US East; Toronto lacks the org's MSP. */
function posture(lost: string[]): Posture {
  const eastLost = lost.includes("sandbox-east");
  return {
    lost,
    regions: [
      { id: "sandbox-east", name: "US East", lost: eastLost, read: true, peers: 1, consenters: 1, cas: 1 },
      { id: "toronto", name: "Toronto", lost: lost.includes("toronto"), read: true, peers: 0, consenters: 0, cas: 0 },
    ],
    orderingServices: [],
    orgs: [
      {
        mspId: "org1msp",
        peers: 1,
        peersByRegion: { "sandbox-east": 1, toronto: 0 },
        unplaced: 0,
        down: 0,
        available: eastLost ? 0 : 1,
        survivesLossOf: { "sandbox-east": false, toronto: !eastLost },
        caRegion: "sandbox-east",
        caNames: ["Org1 CA"],
        mspKnownBy: ["sandbox-east"],
        mspMissingIn: ["toronto"],
        lacking: [],
      },
    ],
    nodes: [],
    findings: [
      ...(eastLost
        ? [{ severity: "error" as const, code: "peers_lost" as const, message: "org1msp has no working peer left.", regions: [], components: [] }]
        : []),
      {
        severity: "warning",
        code: "msp_missing",
        message: "The console of Toronto lacks org1msp's MSP definition.",
        regions: ["toronto"],
        components: ["org1msp"],
        fix: {
          kind: "operation",
          label: "Replicate org1msp from US East to Toronto",
          operation: { kind: "replicate_org", sourceRegionId: "sandbox-east", mspId: "org1msp", targetRegionIds: ["toronto"] },
        },
      },
    ],
    survivesAnyOneRegion: false,
    whyNot: eastLost ? ["already: org1msp has no peer"] : ["without US East: org1msp has no peer left"],
  };
}

let push: (s: HealthSnapshot) => void = () => {};
let drag: (e: FileDragEvent) => void = () => {};
/** Every view listening for backend changes; `changed` tells them all, like the backend's event. */
let changeListeners: ((c: Change) => void)[] = [];
async function changed(change: Change) {
  for (const listener of changeListeners) listener(change);
  await settle();
}
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
  api.onFileDrop.mockImplementation(async (cb) => {
    drag = cb;
    return () => {};
  });
  api.posture.mockImplementation(async (lost) => posture(lost));
  changeListeners = [];
  api.onChanged.mockImplementation(async (cb) => {
    changeListeners.push(cb);
    return () => {
      changeListeners = changeListeners.filter((l) => l !== cb);
    };
  });
});

afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});


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
        { regionId: "sandbox-east", state: "unreachable", latencyMs: null, message: "connection refused", components: [], orgs: [], orderingServices: [] },
        { regionId: "toronto", state: "locked_out", latencyMs: null, message: "locked out for 2 min", components: [], orgs: [], orderingServices: [] },
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

  it("says at once when the OS keyring cannot keep secrets", async () => {
    api.appInfo.mockResolvedValue({ ...INFO, keyringProblem: "the OS keyring does not keep secrets here (x)" });
    await render();
    expect(byTestId("keyring-banner")?.textContent).toContain("does not keep secrets here");
  });

  it("shows a save error and highlights the field it names, keeping the form open", async () => {
    await render();
    await openAddForm();
    fillAddForm();
    // The console works (a save tests it first); the backend refuses what was typed.
    api.testConnection.mockResolvedValue({ consoleVersion: "2.5.2", authScheme: "basic", latencyMs: 3, componentCount: 0 });
    api.addRegion.mockRejectedValue({
      code: "invalid_input",
      message: "field 'consoleUrl': must be an https URL",
      field: "consoleUrl",
    });
    click(byTestId("save-console"));
    await settle();
    expect(byTestId("form-error")?.textContent).toContain("field 'consoleUrl': must be an https URL");
    expect(byTestId("field-error-consoleUrl")?.textContent).toBe("Must be an https URL");
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
    // Every empty field at once, each under itself by its label.
    expect(byTestId("form-error")?.textContent).toContain("Fill in: Location, Console URL, API key, API secret.");
    expect(byTestId("field-error-location")?.textContent).toBe("Location is required.");
    expect(byTestId("field-error-apiSecret")?.textContent).toBe("API secret is required.");
    expect(byTestId("field-error-name")).toBeNull();
    expect(document.getElementById("console-location")?.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById("console-url")?.getAttribute("aria-invalid")).toBe("true");
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

const WEST: RegionView = { ...REAL, id: "sandbox-west", name: "US West", location: LOCATIONS[1]!, sandbox: true };

const CREATED: ImportReport = {
  regionId: "sandbox-west",
  dryRun: false,
  refused: false,
  findings: [{ file: "Org1 MSP_msp.json", field: "admins[0]", severity: "warning", reason: "expires in 20 days", remedy: null }],
  casLackingAdmins: [],
  items: [
    { source: { from: "file" as const, name: "Org1 MSP_msp.json" }, displayName: "Org1 MSP", kind: "msp", outcome: "created", id: "org1msp" },
    { source: { from: "file" as const, name: "org1ca.json" }, displayName: "Org1 CA", kind: "ca", outcome: "already_there", id: "org1ca" },
    {
      source: { from: "file" as const, name: "org1peer1.json" },
      displayName: "Org1 Peer1",
      kind: "peer",
      outcome: "conflict",
      id: "org1peer1",
      existing: '{\n    "api_url": "grpcs://a:7051"\n}',
      incoming: '{\n    "api_url": "grpcs://b:7051"\n}',
    },
    { source: { from: "file" as const, name: "os.json" }, displayName: "Ordering node", kind: "orderer", outcome: "failed", reason: "console answered 400" },
  ],
};

const REFUSED: ImportReport = {
  regionId: "sandbox-west",
  dryRun: false,
  refused: true,
  casLackingAdmins: [],
  findings: [
    { file: "broken.json", field: "$", severity: "error", reason: "is not valid JSON: expected value at line 1", remedy: null },
    { file: "peer.json", field: "msp.component.tls_cert", severity: "error", reason: "is not a certificate", remedy: null },
  ],
  items: [],
};

describe("App: files", () => {
  beforeEach(() => {
    api.listRegions.mockResolvedValue([SANDBOX, WEST]);
  });

  it("exports a component and confirms with the file actually written; a cancelled save says nothing", async () => {
    await render();
    api.exportComponent.mockResolvedValueOnce({ path: null, fileName: "Org1 MSP_msp.json" });
    click(byTestId("export-sandbox-east-org1msp"));
    await settle();
    expect(api.exportComponent).toHaveBeenCalledWith("sandbox-east", "org1msp");
    expect(byTestId("export-result")).toBeNull();

    // The user renamed the file in the save dialog: the notice names what was written.
    api.exportComponent.mockResolvedValueOnce({ path: "/home/me/org1msp.json", fileName: "Org1 MSP_msp.json" });
    click(byTestId("export-sandbox-east-org1msp"));
    await settle();
    const result = byTestId("export-result")!;
    expect(result.getAttribute("data-outcome")).toBe("ok");
    expect(result.getAttribute("role")).toBe("status");
    expect(result.textContent).toContain("Exported Org1 MSP to org1msp.json.");
    expect(result.textContent).not.toContain("Org1 MSP_msp.json");
    expect(byTestId("export-result-detail")?.textContent).toBe("in /home/me");
    expect(result.getAttribute("title")).toBe("/home/me/org1msp.json");
    api.showInFolder.mockResolvedValueOnce(undefined);
    click(byTestId("export-result-reveal"));
    expect(api.showInFolder).toHaveBeenCalledWith("/home/me/org1msp.json");
  });

  it("shows an export failure's message", async () => {
    await render();
    api.exportComponent.mockRejectedValueOnce({ code: "unreachable", message: "the console of US East did not answer" });
    click(byTestId("export-sandbox-east-org1ca"));
    await settle();
    const result = byTestId("export-result")!;
    expect(result.getAttribute("data-outcome")).toBe("error");
    expect(result.getAttribute("role")).toBe("alert");
    expect(result.textContent).toContain("the console of US East did not answer");
  });

  it("imports through the open dialog, reports every item, opens a conflict side by side and refreshes health", async () => {
    await render();
    const healthCalls = api.healthSnapshot.mock.calls.length;
    api.chooseImportFiles.mockResolvedValueOnce(["/tmp/Org1 MSP_msp.json", "/tmp/org1ca.json"]);
    api.importFiles.mockResolvedValueOnce(CREATED);
    click(byTestId("import-sandbox-west"));
    await settle();
    expect(api.importFiles).toHaveBeenCalledExactlyOnceWith("sandbox-west", ["/tmp/Org1 MSP_msp.json", "/tmp/org1ca.json"], false, expect.any(Function));
    expect(api.healthSnapshot.mock.calls.length).toBe(healthCalls + 1);

    const report = byTestId("import-report")!;
    expect(report.getAttribute("data-refused")).toBe("false");
    expect(byTestId("import-summary")?.textContent?.trim()).toBe("Imported 1 of 4 into US West; 1 already there, 1 conflict, 1 failed");
    expect(report.getAttribute("data-tone")).toBe("warning");
    const rows = [...report.querySelectorAll("[data-testid='import-item']")];
    expect(rows.map((r) => r.getAttribute("data-outcome"))).toEqual(["failed", "conflict", "created", "already_there"]);
    expect(rows[0]?.textContent).toContain("console answered 400");
    expect(rows[3]?.textContent).toContain("Already there (skipped)");
    const warnings = [...report.querySelectorAll("[data-testid='finding']")];
    expect(warnings.map((w) => w.getAttribute("data-severity"))).toEqual(["warning"]);
    expect(warnings[0]?.textContent).toContain("Org1 MSP_msp.json · admins[0] · expires in 20 days");

    expect(byTestId("conflict-view")).toBeNull();
    const compare = rows[1]!.querySelector("button")!;
    expect(compare.getAttribute("aria-expanded")).toBe("false");
    click(compare);
    const view = byTestId("conflict-view")!;
    expect(compare.getAttribute("aria-expanded")).toBe("true");
    const existing = [...view.querySelectorAll("[data-side='existing']")].map((c) => c.textContent);
    const incoming = [...view.querySelectorAll("[data-side='incoming']")].map((c) => c.textContent);
    expect(existing.join("\n")).toContain('"api_url": "grpcs://a:7051"');
    expect(incoming.join("\n")).toContain('"api_url": "grpcs://b:7051"');
    expect(view.textContent).toContain("1 line differs");

    click(byTestId("close-import-report"));
    expect(byTestId("import-report")).toBeNull();
  });

  it("words the import report from its items: already there only, failed only", async () => {
    await render();
    /** Imports one file into US West; the backend answers `items`; the report's words and tone. */
    async function importAnswered(items: ImportReport["items"]) {
      api.chooseImportFiles.mockResolvedValueOnce(["/tmp/Org1 MSP_msp.json"]);
      api.importFiles.mockResolvedValueOnce({ ...CREATED, findings: [], items });
      click(byTestId("import-sandbox-west"));
      await settle();
      const shown = { text: byTestId("import-summary")?.textContent?.trim(), tone: byTestId("import-report")?.getAttribute("data-tone") };
      click(byTestId("close-import-report"));
      await settle();
      return shown;
    }
    const [msp] = CREATED.items;
    expect(await importAnswered([{ ...msp!, outcome: "already_there", id: "org1msp" }])).toEqual({
      text: "Org1 MSP is already in US West — nothing imported",
      tone: "neutral",
    });
    expect(await importAnswered([{ ...msp!, outcome: "failed", reason: "console answered 400" }])).toEqual({
      text: "Nothing imported: US West failed (console answered 400)",
      tone: "error",
    });
  });

  it("shows a refused import's findings as file · field · reason and says nothing was changed", async () => {
    await render();
    api.chooseImportFiles.mockResolvedValueOnce(["/tmp/broken.json", "/tmp/peer.json"]);
    api.importFiles.mockResolvedValueOnce(REFUSED);
    byTestId("import-sandbox-west")!.focus();
    click(byTestId("import-sandbox-west"));
    await settle();
    const report = byTestId("import-report")!;
    expect(document.activeElement).toBe(report);
    expect(report.getAttribute("data-refused")).toBe("true");
    expect(report.textContent).toContain("Nothing was changed");
    const findings = [...report.querySelectorAll("[data-testid='finding']")];
    expect(findings.map((f) => f.getAttribute("data-severity"))).toEqual(["error", "error"]);
    expect(findings[0]?.textContent).toContain("broken.json · whole file · is not valid JSON");
    expect(findings[1]?.textContent).toContain("peer.json · msp.component.tls_cert · is not a certificate");
    expect(report.querySelectorAll("[data-testid='import-item']")).toHaveLength(0);

    // Escape closes it and the keyboard is back on the button that opened it.
    report.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await settle();
    expect(byTestId("import-report")).toBeNull();
    expect(document.activeElement).toBe(byTestId("import-sandbox-west"));
  });

  it("says nothing when the open dialog is cancelled, and shows an import error", async () => {
    await render();
    api.chooseImportFiles.mockResolvedValueOnce([]);
    click(byTestId("import-sandbox-west"));
    await settle();
    expect(byTestId("import-report")).toBeNull();
    expect(api.importFiles).not.toHaveBeenCalled();
    api.chooseImportFiles.mockResolvedValueOnce(["/tmp/a.json"]);
    api.importFiles.mockRejectedValueOnce({ code: "unreachable", message: "console down" });
    click(byTestId("import-sandbox-west"));
    await settle();
    expect(byTestId("import-error")?.textContent).toContain("Could not import into US West: console down");
  });

  it("highlights the card or pin under dragged files and imports what is dropped there", async () => {
    await render();
    const card = byTestId("region-card-sandbox-west")!;
    const pin = byTestId("region-pin-sandbox-east")!;
    expect(card.getAttribute("data-drop-region")).toBe("sandbox-west");
    expect(pin.getAttribute("data-drop-region")).toBe("sandbox-east");
    const under = { el: null as Element | null };
    const hits: [number, number][] = [];
    document.elementFromPoint = (x: number, y: number) => {
      hits.push([x, y]);
      return under.el;
    };

    under.el = card.querySelector("h3");
    drag({ type: "enter", paths: ["/tmp/Org1 MSP_msp.json"], position: { x: 900, y: 500 } });
    flushSync();
    expect(hits).toEqual([[900, 500]]);
    expect(card.getAttribute("data-drop-target")).toBe("true");
    expect(card.classList.contains("drop-target")).toBe(true);
    expect(byTestId("drop-status")?.textContent).toContain("Release to import Org1 MSP_msp.json into US West");

    under.el = pin.querySelector("circle");
    drag({ type: "over", paths: ["/tmp/Org1 MSP_msp.json"], position: { x: 300, y: 200 } });
    flushSync();
    expect(card.getAttribute("data-drop-target")).toBeNull();
    expect(pin.getAttribute("data-drop-target")).toBe("true");
    expect(byTestId("region-card-sandbox-east")?.getAttribute("data-drop-target")).toBe("true");

    under.el = card;
    api.importFiles.mockResolvedValueOnce({ ...CREATED, items: [CREATED.items[0]!] });
    drag({ type: "drop", paths: ["/tmp/Org1 MSP_msp.json"], position: { x: 900, y: 500 } });
    await settle();
    expect(api.importFiles).toHaveBeenCalledWith("sandbox-west", ["/tmp/Org1 MSP_msp.json"], false, expect.any(Function));
    expect(byTestId("drop-status")).toBeNull();
    expect(card.getAttribute("data-drop-target")).toBeNull();
    expect(byTestId("import-report")?.querySelector("[data-testid='import-item']")?.getAttribute("data-outcome")).toBe(
      "created",
    );
  });

  it("does nothing but explain when files are dropped outside any region, or the drag leaves", async () => {
    await render();
    document.elementFromPoint = () => byTestId("sandbox-banner");
    drag({ type: "enter", paths: ["/tmp/a.json", "/tmp/b.json"], position: { x: 10, y: 60 } });
    flushSync();
    expect(byTestId("drop-status")?.textContent).toContain("Drop 2 files on a region's card or map pin");
    drag({ type: "leave", paths: [], position: null });
    flushSync();
    expect(byTestId("drop-status")).toBeNull();

    drag({ type: "drop", paths: ["/tmp/a.json", "/tmp/b.json"], position: { x: 10, y: 60 } });
    await settle();
    expect(api.importFiles).not.toHaveBeenCalled();
    expect(byTestId("drop-hint")?.textContent).toContain("Nothing was imported: 2 files landed outside any region");
  });
});

describe("App: wallet and audit log", () => {
  const ADMIN = {
    name: "org1admin",
    subject: "C=US, O=Hyperledger, OU=admin, CN=org1admin",
    issuer: "C=US, O=org1, CN=ca.org1.example.com",
    notAfter: "2099-01-01",
    mspId: "Org1MSP",
    adminOf: [],
    adminRegions: [],
  };

  it("lists identities without keys, and imports dropped identity files with the typed passphrase", async () => {
    api.listIdentities.mockResolvedValue([ADMIN]);
    await render();
    click(byTestId("open-wallet"));
    await settle();
    expect(byTestId("open-wallet")?.getAttribute("aria-expanded")).toBe("true");
    const row = byTestId("identity-org1admin")!;
    expect(row.textContent).toContain("C=US, O=Hyperledger, OU=admin, CN=org1admin");
    expect(row.textContent).toContain("ca.org1.example.com");
    expect(row.textContent).toContain("2099-01-01");
    expect(row.textContent).toContain("Org1MSP");

    type("identity-passphrase", "correct horse battery");
    const panel = byTestId("wallet-panel")!;
    document.elementFromPoint = () => panel.querySelector("p");
    api.importIdentities.mockResolvedValueOnce({
      regionId: "wallet",
      dryRun: false,
      casLackingAdmins: [],
      refused: false,
      findings: [],
      items: [{ source: { from: "file" as const, name: "peer.json.age" }, displayName: "peer1", kind: "identity", outcome: "created", id: "peer1" }],
    });
    drag({ type: "enter", paths: ["/tmp/peer.json.age"], position: { x: 900, y: 300 } });
    flushSync();
    expect(panel.getAttribute("data-drop-target")).toBe("true");
    drag({ type: "drop", paths: ["/tmp/peer.json.age"], position: { x: 900, y: 300 } });
    await settle();
    expect(api.importIdentities).toHaveBeenCalledWith(["/tmp/peer.json.age"], "correct horse battery");
    expect(api.importFiles).not.toHaveBeenCalled();
    expect((document.getElementById("identity-passphrase") as HTMLInputElement).value).toBe("");
    expect(byTestId("import-report")?.textContent).toContain("the wallet");
    expect(byTestId("import-summary")?.textContent?.trim()).toBe("Imported peer1 into the wallet");
    expect(byTestId("import-report")?.getAttribute("data-tone")).toBe("ok");
  });

  it("imports identities through the open dialog, with or without a passphrase, and lists them", async () => {
    api.listIdentities.mockResolvedValue([]);
    await render();
    click(byTestId("open-wallet"));
    await settle();
    expect(byTestId("no-identities")).not.toBeNull();

    api.importIdentities.mockResolvedValueOnce(null); // dialog cancelled
    click(byTestId("import-identities"));
    await settle();
    expect(api.importIdentities).toHaveBeenLastCalledWith(null, null);
    expect(byTestId("import-report")).toBeNull();

    type("identity-passphrase", "correct horse battery");
    api.importIdentities.mockResolvedValueOnce({
      regionId: "wallet",
      dryRun: false,
      casLackingAdmins: [],
      refused: true,
      findings: [{ file: "admin.json.age", field: "$", severity: "error", reason: "wrong passphrase", remedy: null }],
      items: [],
    });
    click(byTestId("import-identities"));
    await settle();
    expect(api.importIdentities).toHaveBeenLastCalledWith(null, "correct horse battery");
    expect((document.getElementById("identity-passphrase") as HTMLInputElement).value).toBe("");
    expect(byTestId("import-report")?.getAttribute("data-refused")).toBe("true");
    expect(byTestId("finding")?.textContent).toContain("admin.json.age · whole file · wrong passphrase");
    click(byTestId("close-import-report"));

    api.listIdentities.mockResolvedValue([ADMIN]);
    api.importIdentities.mockResolvedValueOnce({
      regionId: "wallet",
      dryRun: false,
      casLackingAdmins: [],
      refused: false,
      findings: [],
      items: [{ source: { from: "file" as const, name: "admin.json" }, displayName: "org1admin", kind: "identity", outcome: "created", id: "org1admin" }],
    });
    click(byTestId("import-identities"));
    await settle();
    await changed("wallet");
    expect(byTestId("identity-org1admin")).not.toBeNull();
    expect(byTestId("identity-count")?.textContent).toBe("1");
  });

  it("exports encrypted only with a long, confirmed passphrase, and clears the fields", async () => {
    api.listIdentities.mockResolvedValue([ADMIN]);
    await render();
    click(byTestId("open-wallet"));
    await settle();
    click(byTestId("export-identity-org1admin"));
    await settle();
    type("export-passphrase", "correct horse battery");
    type("export-passphrase-confirm", "correct horse");
    click(byTestId("confirm-export-identity-org1admin"));
    await settle();
    expect(api.exportIdentity).not.toHaveBeenCalled();
    expect(byTestId("export-passphrase-problem")?.textContent).toContain("differ");

    type("export-passphrase-confirm", "correct horse battery");
    api.exportIdentity.mockResolvedValueOnce({ path: "/home/me/org1admin.json.age", fileName: "org1admin.json.age" });
    click(byTestId("confirm-export-identity-org1admin"));
    await settle();
    expect(api.exportIdentity).toHaveBeenCalledWith("org1admin", "correct horse battery");
    expect(document.getElementById("export-passphrase")).toBeNull();
    expect(byTestId("identity-export-result")?.textContent).toContain("/home/me/org1admin.json.age");
    expect(document.body.innerHTML).not.toContain("correct horse battery");
  });

  it("exports plain without a passphrase, and deletes only after confirmation", async () => {
    api.listIdentities.mockResolvedValue([ADMIN]);
    await render();
    click(byTestId("open-wallet"));
    await settle();
    click(byTestId("export-identity-org1admin"));
    await settle();
    click(byTestId("export-mode-plain"));
    expect(document.getElementById("export-passphrase")).toBeNull();
    api.exportIdentity.mockResolvedValueOnce({ path: "/home/me/org1admin.json", fileName: "org1admin.json" });
    click(byTestId("confirm-export-identity-org1admin"));
    await settle();
    expect(api.exportIdentity).toHaveBeenCalledWith("org1admin", null);

    click(byTestId("delete-identity-org1admin"));
    expect(api.removeIdentity).not.toHaveBeenCalled();
    api.removeIdentity.mockResolvedValueOnce(undefined);
    api.listIdentities.mockResolvedValue([]);
    click(byTestId("confirm-delete-identity-org1admin"));
    await settle();
    expect(api.removeIdentity).toHaveBeenCalledWith("org1admin");
    await changed("wallet");
    expect(byTestId("identity-org1admin")).toBeNull();
    expect(byTestId("no-identities")).not.toBeNull();
  });

  it("reloads the open audit log when the backend reports new entries, not otherwise", async () => {
    api.auditLog.mockResolvedValue({ entries: [], unreadableLines: [], regions: [] });
    await render();
    click(byTestId("open-audit"));
    await settle();
    expect(document.querySelectorAll("[data-testid='audit-entry']")).toHaveLength(0);
    api.auditLog.mockResolvedValue({
      entries: [
        { atMs: 1000, operation: "transfer", artifact: "msp Org1 MSP", source: "org1msp on sandbox-east", target: "toronto", outcome: "created org1msp" },
      ],
      unreadableLines: [],
      regions: [],
    });
    await changed("wallet");
    expect(document.querySelectorAll("[data-testid='audit-entry']")).toHaveLength(0);
    await changed("audit");
    expect(document.querySelectorAll("[data-testid='audit-entry']")).toHaveLength(1);
  });

  it("says which lines of the audit log could not be read, and still shows the rest", async () => {
    api.auditLog.mockResolvedValue({
      entries: [
        { atMs: 1000, operation: "import", artifact: "msp Org1 MSP", source: "a.json", target: "toronto", outcome: "created org1msp" },
      ],
      unreadableLines: [2, 5],
      regions: [],
    });
    await render();
    click(byTestId("open-audit"));
    await settle();
    expect(byTestId("audit-unreadable")?.textContent).toContain("Lines 2 and 5 of the audit log could not be read");
    expect(document.querySelectorAll("[data-testid='audit-entry']")).toHaveLength(1);
  });

  it("names a removed region by the name it had, never by its id", async () => {
    api.auditLog.mockResolvedValue({
      entries: [
        {
          atMs: 1000,
          operation: "transfer",
          artifact: "msp Org1 MSP",
          source: "org1msp on frankfurt",
          sourceRegionId: "frankfurt",
          target: "gone",
          outcome: "created org1msp",
        },
      ],
      unreadableLines: [],
      regions: [
        { id: "gone", name: null, removed: true },
        { id: "frankfurt", name: "Frankfurt", removed: true },
      ],
    });
    await render();
    click(byTestId("open-audit"));
    await settle();
    const row = byTestId("audit-entry")!;
    expect(row.textContent).toContain("Frankfurt (removed)");
    expect(row.textContent).not.toMatch(/\bfrankfurt\b|\bgone\b/);
    const target = byTestId("audit-target")!;
    expect([target.textContent, target.title]).toEqual(["Removed region", "gone"]);
  });

  it("shows the audit log newest first with region names", async () => {
    api.auditLog.mockResolvedValue({
      entries: [
        { atMs: 1000, operation: "import", artifact: "msp Org1 MSP", source: "a.json", target: "toronto", outcome: "created org1msp" },
        { atMs: 2000, operation: "import", artifact: "ca Org1 CA", source: "b.json", target: "toronto", outcome: "failed: 400" },
      ],
      unreadableLines: [],
      regions: [],
    });
    await render();
    click(byTestId("open-audit"));
    await settle();
    expect(byTestId("audit-unreadable")).toBeNull();
    const rows = [...document.querySelectorAll("[data-testid='audit-entry']")];
    expect(rows.map((r) => r.getAttribute("data-tone"))).toEqual(["failed", "ok"]);
    expect(rows[0]?.textContent).toContain("ca Org1 CA");
    expect(rows[0]?.textContent).toContain("Toronto");
    expect(rows[1]?.textContent).toContain("created org1msp");

    // Only one panel at a time; the toggle closes it again and gives focus back.
    click(byTestId("open-wallet"));
    await settle();
    expect(byTestId("audit-panel")).toBeNull();
    expect(byTestId("wallet-panel")).not.toBeNull();
    click(byTestId("open-wallet"));
    await settle();
    expect(byTestId("wallet-panel")).toBeNull();
  });
});


describe("App: copying components to other regions", () => {
  /** The running transfer: its request, a way to send its events and to settle it. */
  let running: {
    request: { transferId: string } & CopyRequest;
    send: (e: TransferEvent) => void;
    resolve: (r: TransferReport) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const last = () => running[running.length - 1]!;
  /** The backend's plan names these CAs as lacking their admin credentials. */
  const lacking = (cas: CaAdminStatus[]) =>
    api.planOperation.mockImplementation(async (operation) => ({ operation, targets: [], casLackingAdmins: cas }));

  beforeEach(() => {
    running = [];
    api.listRegions.mockResolvedValue([SANDBOX, REAL, WEST]);
    api.applyOperation.mockImplementation(
      (transferId, operation, onEvent) =>
        new Promise<TransferReport>((resolve, reject) =>
          running.push({ request: { transferId, ...(operation as CopyRequest) }, send: onEvent, resolve, reject }),
        ),
    );
    api.cancelTransfer.mockResolvedValue(true);
    lacking([]);
  });

  const MSP_CREATED = { source: { from: "console" as const, regionId: "sandbox-east", componentId: "org1msp" }, displayName: "Org1 MSP", kind: "msp", outcome: "created", id: "org1msp" } as const;

  function pointer(type: string, x: number, y: number, on: Element) {
    on.dispatchEvent(
      new PointerEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, pointerId: 1, isPrimary: true, button: 0 }),
    );
    flushSync();
  }

  /** Presses on `grab`, moves past the threshold and on to (x, y) over `over`. */
  function dragTo(grab: Element, over: Element | null, x = 400, y = 300) {
    document.elementFromPoint = () => over;
    pointer("pointerdown", 900, 400, grab);
    pointer("pointermove", 920, 400, grab);
    pointer("pointermove", x, y, grab);
  }

  it("drags a row onto another region's pin, shows the progress per target, then the report", async () => {
    await render();
    const grab = byTestId("component-sandbox-east-org1msp")!.querySelector(".cname")!;
    const pin = byTestId("region-pin-toronto")!;
    dragTo(grab, pin.querySelector("circle"));

    expect(byTestId("drag-ghost")?.textContent).toContain("Org1 MSP → Toronto");
    expect(pin.getAttribute("data-drop-target")).toBe("true");
    expect(byTestId("region-card-toronto")?.getAttribute("data-drop-target")).toBe("true");
    expect(byTestId("region-card-toronto")?.textContent).toContain("Drop to copy Org1 MSP to Toronto");
    expect(byTestId("region-card-sandbox-west")?.classList.contains("drop-armed")).toBe(true);
    // The source is no target.
    expect(byTestId("region-card-sandbox-east")?.classList.contains("drop-armed")).toBe(false);
    expect(byTestId("region-pin-sandbox-east")?.classList.contains("drop-armed")).toBe(false);
    expect(byTestId("drop-all")?.textContent).toContain("All other regions (2)");

    pointer("pointerup", 400, 300, grab);
    await settle();
    expect(byTestId("drag-ghost")).toBeNull();
    expect(byTestId("drop-all")).toBeNull();
    expect(api.applyOperation).toHaveBeenCalledOnce();
    expect(last().request).toMatchObject({
      sourceRegionId: "sandbox-east",
      componentIds: ["org1msp"],
      targetRegionIds: ["toronto"],
      kind: "copy",
    });

    const panel = byTestId("transfer-panel")!;
    expect(panel.getAttribute("data-phase")).toBe("running");
    expect(panel.textContent).toContain("Copying Org1 MSP from US East…");
    last().send({ event: "read", items: 1 });
    last().send({ event: "planned", target: "toronto", to_create: 1 });
    flushSync();
    expect(byTestId("transfer-target-toronto")?.textContent).toContain("Copying: 0 of 1 item");
    expect(byTestId("transfer-target-toronto")?.querySelector("progress")?.getAttribute("max")).toBe("1");
    last().send({ event: "item", target: "toronto", report: MSP_CREATED });
    flushSync();
    expect(byTestId("transfer-target-toronto")?.textContent).toContain("Copying: 1 of 1 item");
    expect(byTestId("transfer-target-toronto")?.querySelector("[data-testid='transfer-item']")?.getAttribute("data-outcome")).toBe(
      "created",
    );

    last().resolve({ sourceRegionId: "sandbox-east", dryRun: false, targets: [{ regionId: "toronto", items: [MSP_CREATED], error: null }] });
    await settle();
    expect(panel.getAttribute("data-phase")).toBe("finished");
    expect(panel.getAttribute("data-outcome")).toBe("ok");
    expect(byTestId("transfer-headline")?.textContent).toBe("Copied Org1 MSP to Toronto");
    expect(byTestId("transfer-target-toronto")?.textContent).toContain("Done: 1 created");
    expect(byTestId("transfer-cancel")).toBeNull();
    expect(byTestId("transfer-retry")).toBeNull();
    click(byTestId("transfer-done"));
    expect(byTestId("transfer-panel")).toBeNull();
  });

  it("fans out from the All other regions zone; a drop elsewhere or Escape copies nothing", async () => {
    await render();
    const grab = byTestId("component-sandbox-east-org1msp")!.querySelector(".cname")!;

    document.elementFromPoint = () => byTestId("sandbox-banner");
    pointer("pointerdown", 900, 400, grab);
    pointer("pointermove", 920, 400, grab);
    const zone = byTestId("drop-all")!;
    document.elementFromPoint = () => zone;
    pointer("pointermove", 640, 80, grab);
    expect(zone.getAttribute("data-drop-target")).toBe("true");
    expect(byTestId("region-pin-toronto")?.getAttribute("data-drop-target")).toBe("true");
    expect(byTestId("region-pin-sandbox-west")?.getAttribute("data-drop-target")).toBe("true");
    expect(byTestId("drag-ghost")?.textContent).toContain("Org1 MSP → all other regions");
    pointer("pointerup", 640, 80, grab);
    await settle();
    expect(last().request.targetRegionIds).toEqual(["toronto", "sandbox-west"]);
    last().resolve({ sourceRegionId: "sandbox-east", dryRun: false, targets: [] });
    await settle();

    // Dropped on the source's own card: nothing.
    dragTo(grab, byTestId("region-card-sandbox-east"));
    expect(byTestId("drag-ghost")?.getAttribute("data-target")).toBe("false");
    pointer("pointerup", 400, 300, grab);
    await settle();
    // Escape: nothing either.
    dragTo(grab, byTestId("region-pin-toronto"));
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    flushSync();
    expect(byTestId("drag-ghost")).toBeNull();
    pointer("pointerup", 400, 300, grab);
    await settle();
    expect(api.applyOperation).toHaveBeenCalledOnce();
  });

  it("drags a whole ordering service from its header", async () => {
    await render();
    const header = byTestId("ordering-service-sandbox-east-osmsp")!;
    expect(header.textContent).toContain("Ordering service osmsp");
    expect(header.textContent).toContain("1 node");
    dragTo(header.querySelector(".sname")!, byTestId("region-card-sandbox-west"));
    expect(byTestId("drag-ghost")?.textContent).toContain("Ordering service osmsp (1 node) → US West");
    pointer("pointerup", 400, 300, header);
    await settle();
    expect(last().request).toMatchObject({ componentIds: ["os1"], targetRegionIds: ["sandbox-west"] });
  });

  it("copies through the keyboard: Copy to… opens a dialog of the other regions, Copy starts it", async () => {
    await render();
    const opener = byTestId("copy-sandbox-east-org1msp")!;
    expect(opener.getAttribute("aria-haspopup")).toBe("dialog");
    expect(opener.getAttribute("aria-label")).toBe("Copy to other regions: Org1 MSP");
    opener.focus();
    click(opener);
    await settle();
    const dialog = byTestId("copy-dialog")!;
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(dialog.textContent).toContain("Org1 MSP from US East");
    const boxes = [...dialog.querySelectorAll("input[type='checkbox']")].map((b) => b.getAttribute("data-testid"));
    expect(boxes).toEqual(["copy-target-all", "copy-target-toronto", "copy-target-sandbox-west"]);
    expect(document.activeElement).toBe(byTestId("copy-target-all"));

    // Nothing chosen: Copy explains instead of copying.
    click(byTestId("copy-confirm"));
    expect(dialog.querySelector("[role='alert']")?.textContent).toContain("Choose at least one region");
    expect(api.applyOperation).not.toHaveBeenCalled();

    // "All other regions" ticks every region; unticking one leaves it mixed.
    click(byTestId("copy-target-all"));
    expect(byTestId<HTMLInputElement>("copy-target-toronto")?.checked).toBe(true);
    expect(byTestId<HTMLInputElement>("copy-target-sandbox-west")?.checked).toBe(true);
    click(byTestId("copy-target-toronto"));
    expect(byTestId<HTMLInputElement>("copy-target-all")?.checked).toBe(false);
    expect(byTestId<HTMLInputElement>("copy-target-all")?.indeterminate).toBe(true);

    click(byTestId("copy-confirm"));
    await settle();
    expect(byTestId("copy-dialog")).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(last().request).toMatchObject({ componentIds: ["org1msp"], targetRegionIds: ["sandbox-west"] });
  });

  it("opens the dialog with Shift+F10 or the ContextMenu key on a row; Escape closes it, focus goes back", async () => {
    await render();
    const exportButton = byTestId("export-sandbox-east-org1ca")!;
    exportButton.focus();
    exportButton.dispatchEvent(new KeyboardEvent("keydown", { key: "F10", shiftKey: true, bubbles: true, cancelable: true }));
    await settle();
    expect(byTestId("copy-dialog")?.textContent).toContain("Org1 CA from US East");
    byTestId("copy-dialog")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    await settle();
    expect(byTestId("copy-dialog")).toBeNull();
    expect(document.activeElement).toBe(exportButton);

    byTestId("copy-service-sandbox-east-osmsp")!.dispatchEvent(
      new KeyboardEvent("keydown", { key: "ContextMenu", bubbles: true, cancelable: true }),
    );
    await settle();
    expect(byTestId("copy-dialog")?.textContent).toContain("Ordering service osmsp (1 node)");
  });

  it("words the finished copy from its items: already there only, failed only, mixed", async () => {
    await render();
    const peer = { ...MSP_CREATED, displayName: "Org1 Peer 1", kind: "peer", id: "org1peer1" };
    /** Copies Org1 MSP to every other region; the backend answers `targets`; the panel's words and tone. */
    async function copyAnswered(targets: TransferReport["targets"]) {
      click(byTestId("copy-sandbox-east-org1msp"));
      await settle();
      click(byTestId("copy-target-all"));
      click(byTestId("copy-confirm"));
      await settle();
      last().resolve({ sourceRegionId: "sandbox-east", dryRun: false, targets });
      await settle();
      const panel = byTestId("transfer-panel")!;
      const shown = {
        text: byTestId("transfer-headline")!.textContent,
        tone: panel.getAttribute("data-outcome"),
        toneClass: byTestId("transfer-headline")!.classList.contains(`tone-${panel.getAttribute("data-outcome")}`),
      };
      click(byTestId("transfer-done"));
      return shown;
    }

    expect(
      await copyAnswered([
        { regionId: "toronto", items: [{ ...MSP_CREATED, outcome: "already_there" }], error: null },
        { regionId: "sandbox-west", items: [{ ...MSP_CREATED, outcome: "already_there" }], error: null },
      ]),
    ).toEqual({ text: "Org1 MSP is already in Toronto, US West — nothing copied", tone: "neutral", toneClass: true });
    expect(
      await copyAnswered([
        { regionId: "toronto", items: [{ ...MSP_CREATED, outcome: "failed", reason: "console answered 500" }], error: null },
        { regionId: "sandbox-west", items: [], error: "connection refused" },
      ]),
    ).toEqual({
      text: "Nothing copied: Toronto failed (console answered 500); US West failed (connection refused)",
      tone: "error",
      toneClass: true,
    });
    expect(
      await copyAnswered([
        { regionId: "toronto", items: [MSP_CREATED, { ...peer, outcome: "failed", reason: "console answered 500" }], error: null },
        { regionId: "sandbox-west", items: [{ ...MSP_CREATED, outcome: "already_there" }], error: null },
      ]),
    ).toEqual({ text: "Copied 1 of 2 to Toronto; 1 failed; already in US West", tone: "warning", toneClass: true });
  });

  it("cancels a running transfer, then retries only the targets that failed", async () => {
    await render();
    click(byTestId("copy-sandbox-east-org1msp"));
    await settle();
    click(byTestId("copy-target-all"));
    click(byTestId("copy-confirm"));
    await settle();
    const first = last();

    click(byTestId("transfer-cancel"));
    await settle();
    expect(api.cancelTransfer).toHaveBeenCalledWith(first.request.transferId);
    expect(byTestId<HTMLButtonElement>("transfer-cancel")?.disabled).toBe(true);
    expect(byTestId("transfer-cancel")?.textContent).toContain("Cancelling…");

    first.resolve({
      sourceRegionId: "sandbox-east",
      dryRun: false,
      targets: [
        { regionId: "toronto", items: [MSP_CREATED], error: null },
        {
          regionId: "sandbox-west",
          items: [{ ...MSP_CREATED, outcome: "failed", reason: "not attempted: cancelled" }],
          error: null,
        },
      ],
    });
    await settle();
    const panel = byTestId("transfer-panel")!;
    expect(panel.getAttribute("data-outcome")).toBe("warning");
    expect(byTestId("transfer-headline")?.textContent).toBe("Copied Org1 MSP to Toronto; US West not attempted (cancelled)");
    expect(byTestId("transfer-target-sandbox-west")?.textContent).toContain("not attempted: cancelled");
    expect(byTestId("transfer-target-sandbox-west")?.getAttribute("data-retry")).toBe("true");
    expect(byTestId("transfer-target-toronto")?.getAttribute("data-retry")).toBeNull();

    expect(byTestId("transfer-retry")?.textContent).toContain("Retry US West");
    click(byTestId("transfer-retry"));
    await settle();
    expect(api.applyOperation).toHaveBeenCalledTimes(2);
    expect(last().request).toMatchObject({ componentIds: ["org1msp"], targetRegionIds: ["sandbox-west"] });
    expect(last().request.transferId).not.toBe(first.request.transferId);
    // Toronto's result stays on show while US West runs again.
    expect(byTestId("transfer-target-toronto")?.textContent).toContain("Done: 1 created");
  });

  it("shows the command's error and a second copy while one runs is refused with a notice", async () => {
    await render();
    click(byTestId("copy-sandbox-east-org1msp"));
    await settle();
    click(byTestId("copy-target-toronto"));
    click(byTestId("copy-confirm"));
    await settle();

    click(byTestId("copy-sandbox-east-org1ca"));
    await settle();
    click(byTestId("copy-target-toronto"));
    click(byTestId("copy-confirm"));
    await settle();
    expect(api.applyOperation).toHaveBeenCalledOnce();
    expect(byTestId("transfer-busy")?.textContent).toContain("still running");

    last().reject({ code: "unreachable", message: "US East: connection refused" });
    await settle();
    const error = byTestId("transfer-error")!;
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.getAttribute("data-code")).toBe("unreachable");
    expect(error.textContent).toContain("US East: connection refused");
    expect(byTestId("transfer-headline")?.textContent).toBe("Nothing copied: US East: connection refused");
    expect(byTestId("transfer-panel")?.getAttribute("data-outcome")).toBe("error");
    expect(byTestId("transfer-retry")?.textContent).toContain("Retry Toronto");
  });
  it("asks once for the CA admin credentials before a CA is copied; Cancel or Escape copies nothing", async () => {
    const unknown = {
      componentId: "org1ca",
      displayName: "Org1 CA",
      apiUrl: "https://org1ca.example.com:7054",
      caName: "ca",
      caAdminEnrollId: null,
      tlscaAdminEnrollId: null,
    };
    lacking([unknown]);
    await render();
    const grab = byTestId("component-sandbox-east-org1ca")!.querySelector(".cname")!;

    // Escape: the prompt closes, nothing is saved or copied, and the notice says why.
    dragTo(grab, byTestId("region-pin-toronto")!.querySelector("circle"));
    pointer("pointerup", 400, 300, grab);
    await settle();
    expect(api.planOperation).toHaveBeenLastCalledWith({
      kind: "copy",
      sourceRegionId: "sandbox-east",
      componentIds: ["org1ca"],
      targetRegionIds: ["toronto"],
    });
    const dialog = byTestId("ca-admin-dialog")!;
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(dialog.textContent).toContain("Org1 CA");
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    await settle();
    expect(byTestId("ca-admin-dialog")).toBeNull();
    expect(byTestId("transfer-ca-admins")?.textContent).toContain("Nothing was copied");
    expect(api.applyOperation).not.toHaveBeenCalled();

    // Given: saved once, then the copy starts.
    dragTo(grab, byTestId("region-pin-toronto")!.querySelector("circle"));
    pointer("pointerup", 400, 300, grab);
    await settle();
    api.saveCaAdmins.mockResolvedValue({ ...unknown, caAdminEnrollId: "admin", tlscaAdminEnrollId: "tlsadmin" });
    const fill = (field: string, value: string) => {
      const input = byTestId<HTMLInputElement>(`ca-admin-org1ca-${field}`)!;
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    };
    // In the sandbox the prompt says what its simulated CAs take, and fills it in on request.
    expect(byTestId("ca-admin-sandbox-note")?.textContent).toContain("admin / adminpw");
    click(byTestId("ca-admin-sandbox-fill"));
    flushSync();
    expect(byTestId<HTMLInputElement>("ca-admin-org1ca-tlscaAdminEnrollSecret")!.value).toBe("adminpw");
    fill("caAdminEnrollId", "admin");
    flushSync();
    click(byTestId("ca-admin-save"));
    await settle();
    expect(api.saveCaAdmins).toHaveBeenCalledExactlyOnceWith(unknown, {
      caAdmin: { enrollId: "admin", enrollSecret: "adminpw" },
      tlscaAdmin: { enrollId: "admin", enrollSecret: "adminpw" },
    });
    expect(byTestId("ca-admin-dialog")).toBeNull();
    expect(api.applyOperation).toHaveBeenCalledOnce();
    expect(last().request).toMatchObject({ componentIds: ["org1ca"], targetRegionIds: ["toronto"] });
  });

  it("asks nothing when the copy carries no CA or the CA's credentials are kept", async () => {
    await render();
    click(byTestId("copy-sandbox-east-org1ca"));
    await settle();
    click(byTestId("copy-target-toronto"));
    click(byTestId("copy-confirm"));
    await settle();
    expect(api.planOperation).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ componentIds: ["org1ca"] }));
    expect(byTestId("ca-admin-dialog")).toBeNull();
    expect(last().request).toMatchObject({ componentIds: ["org1ca"] });
  });
});

describe("App: the HA posture", () => {
  it("the top bar's badge says the verdict and opens the posture panel; closing gives the keyboard back", async () => {
    await render();
    const badge = byTestId("posture-badge")!;
    expect(badge.dataset.survives).toBe("no");
    expect(badge.textContent?.trim()).toBe("Survives the loss of any one region: no");
    expect(byTestId("posture-why")?.textContent).toContain("without US East: org1msp has no peer left");
    click(badge);
    await settle();
    expect(byTestId("posture-panel")).not.toBeNull();
    expect(badge.getAttribute("aria-expanded")).toBe("true");
    expect(byTestId("region-pin-sandbox-east")!.querySelector(".homed")?.textContent).toBe("1 peer · 1 consenter");
    click(byTestId("posture-panel")!.querySelector("button.close"));
    await settle();
    expect(byTestId("posture-panel")).toBeNull();
    expect(document.activeElement).toBe(badge);
  });

  it("a what-if chosen on the map greys the pin and the card and works the posture out without the region", async () => {
    await render();
    const clickPin = () => {
      byTestId("region-pin-sandbox-east")!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      flushSync();
    };
    clickPin();
    await settle();
    expect(byTestId("region-pin-sandbox-east")!.dataset.lost).toBeUndefined(); // a plain click selects
    expect(api.posture).toHaveBeenLastCalledWith([]);

    click(byTestId("what-if-mode"));
    clickPin();
    await settle();
    expect(api.posture).toHaveBeenLastCalledWith(["sandbox-east"]);
    expect(byTestId("region-pin-sandbox-east")!.dataset.lost).toBe("true");
    expect(byTestId("region-card-sandbox-east")!.dataset.lost).toBe("true");
    expect(byTestId("region-card-toronto")!.dataset.lost).toBeUndefined();
    expect(byTestId("posture-badge")!.textContent?.trim()).toBe("What if US East is lost: keeps working: no");
    expect(document.querySelector('.sr-only[aria-live="polite"]')?.textContent).toBe("What if US East is lost: keeps working: no");

    click(byTestId("posture-badge"));
    await settle();
    expect(byTestId("posture-finding-peers_lost")?.dataset.severity).toBe("error");

    click(byTestId("what-if-mode")); // leaving the mode restores
    await settle();
    expect(api.posture).toHaveBeenLastCalledWith([]);
    expect(byTestId("region-pin-sandbox-east")!.dataset.lost).toBeUndefined();
    expect(byTestId("region-card-sandbox-east")!.dataset.lost).toBeUndefined();
    expect(byTestId("posture-finding-peers_lost")).toBeNull();
  });

  it("a finding's Replicate fix opens Replicate org pre-filled; nothing is sent until confirmed", async () => {
    api.listIdentities.mockResolvedValue([]);
    await render();
    click(byTestId("posture-badge"));
    await settle();
    const fix = byTestId("posture-finding-msp_missing")!.querySelector<HTMLElement>('[data-testid="posture-fix-operation"]')!;
    click(fix);
    await settle();
    expect(byTestId("replicate-dialog")).not.toBeNull();
    expect(byTestId<HTMLSelectElement>("replicate-source")!.value).toBe("sandbox-east");
    expect(byTestId<HTMLSelectElement>("replicate-org")!.value).toBe("org1msp");
    expect(byTestId<HTMLInputElement>("replicate-target-toronto")!.checked).toBe(true);
    expect(api.applyOperation).not.toHaveBeenCalled();
    click(byTestId("replicate-cancel"));
    await settle();
    expect(document.activeElement).toBe(fix);
  });

  it("reads the posture again when the homes change, and on a component's status, not on latency", async () => {
    // The store's grouping delays run on a fake clock: the test never waits for them.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    await render();
    // At start, then with the first health (its statuses).
    await vi.waitFor(() => expect(api.posture).toHaveBeenCalledTimes(2), { timeout: 3000 });
    await changed("homes");
    await vi.waitFor(() => expect(api.posture).toHaveBeenCalledTimes(3));
    await changed("wallet");
    const latency = structuredClone(HEALTH);
    latency.regions[0]!.latencyMs = 250;
    push(latency);
    flushSync();
    await vi.advanceTimersByTimeAsync(1800);
    expect(api.posture).toHaveBeenCalledTimes(3);
    const down = structuredClone(HEALTH);
    down.regions[0]!.components[0]!.status = "not_ok";
    push(down);
    flushSync();
    await vi.waitFor(() => expect(api.posture).toHaveBeenCalledTimes(4), { timeout: 3000 });
  });
});

describe("App: a component's details and the drift", () => {
  const keydown = (on: Element, key: string, init: KeyboardEventInit = {}) =>
    on.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init }));

  beforeEach(() => {
    api.componentDetails.mockImplementation(async (regionId, componentId) => ({
      regionId,
      componentId,
      displayName: componentId === "org1ca" ? "Org1 CA" : "Org1 Peer 1",
      kind: componentId === "org1ca" ? "ca" : "peer",
      mspId: "org1msp",
      imported: false,
      endpoints: [{ label: "API", url: "grpcs://peer1.org1.example.com:7051" }],
      orderingService: null,
      certificates: [],
      home: "sandbox-east",
      rule: "own",
      heldBy: [{ regionId, componentId, imported: false }],
      health: [],
      unread: [],
    }));
    api.driftReport.mockResolvedValue({ drifts: [], unread: [] });
  });

  it("Enter on a focused row opens its details and Shift+F10 Copy to…; Escape gives the row the keyboard back", async () => {
    await render();
    const row = byTestId("component-sandbox-east-org1peer1")!;
    click(row.querySelector(".cname"));
    expect(document.activeElement).toBe(row);

    keydown(row, "Enter");
    await settle();
    const drawer = byTestId("component-details")!;
    expect(api.componentDetails).toHaveBeenCalledWith("sandbox-east", "org1peer1");
    expect(drawer.textContent).toContain("US East — its console holds it as its own");
    expect(document.activeElement).toBe(drawer);
    expect(byTestId("copy-dialog")).toBeNull();

    keydown(drawer, "Escape");
    await settle();
    expect(byTestId("component-details")).toBeNull();
    expect(document.activeElement).toBe(row);

    keydown(row, "F10", { shiftKey: true });
    await settle();
    expect(byTestId("copy-dialog")?.textContent).toContain("Org1 Peer 1 from US East");
    expect(byTestId("component-details")).toBeNull();
  });

  it("a double-click on another row replaces the details, which give the keyboard to that row; a panel takes their place", async () => {
    await render();
    byTestId("component-sandbox-east-org1peer1")!.querySelector(".cname")!.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    await settle();
    const ca = byTestId("component-sandbox-east-org1ca")!;
    click(ca.querySelector(".cname"));
    ca.querySelector(".cname")!.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    await settle();
    expect(document.querySelectorAll('[data-testid="component-details"]')).toHaveLength(1);
    expect(byTestId("component-details")!.querySelector("h2")!.textContent).toBe("Org1 CA");
    keydown(byTestId("component-details")!, "Escape");
    await settle();
    expect(document.activeElement).toBe(ca);

    ca.querySelector(".cname")!.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    await settle();
    click(byTestId("open-drift"));
    await settle();
    expect(byTestId("component-details")).toBeNull();
    expect(byTestId("drift-panel")).not.toBeNull();
    expect(api.driftReport).toHaveBeenCalledOnce();
    expect(byTestId("drift-empty")?.textContent).toBe("Every copy agrees with the others.");
  });
});

describe("App: a CA row's Fabric CA actions", () => {
  const keydown = (on: Element, key: string) => on.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));

  beforeEach(() => {
    api.caIdentities.mockResolvedValue([{ id: "admin", kind: "client", affiliation: "", attrs: [], maxEnrollments: -1 }]);
    api.caInfo.mockResolvedValue({
      apiUrl: "https://127.0.0.1:7054",
      ca: { name: "ca", version: "v1.5.21", chain: [] },
      tlsca: { name: "tlsca", version: "v1.5.21", chain: [] },
    });
    api.listIdentities.mockResolvedValue([]);
  });

  async function choose(action: string) {
    click(byTestId("ca-menu-sandbox-east-org1ca"));
    await settle();
    click(byTestId(`ca-menu-sandbox-east-org1ca-${action}`));
    await settle();
  }

  it("only a CA row has the menu; Register identity… opens its dialog, and Escape gives the menu button the keyboard back", async () => {
    await render();
    expect(document.querySelectorAll('[data-testid^="ca-menu-"][aria-haspopup="menu"]')).toHaveLength(1);
    await choose("register");
    const dialog = byTestId("register-dialog")!;
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(dialog.textContent).toContain("Register an identity with Org1 CA");
    expect(dialog.textContent).toContain("on US East");
    keydown(dialog, "Escape");
    await settle();
    expect(byTestId("register-dialog")).toBeNull();
    expect(document.activeElement).toBe(byTestId("ca-menu-sandbox-east-org1ca"));
  });

  it("Identities opens beside the map in the details' place; a row's details or a panel take its place in turn", async () => {
    api.componentDetails.mockResolvedValue({
      regionId: "sandbox-east",
      componentId: "org1peer1",
      displayName: "Org1 Peer 1",
      kind: "peer",
      mspId: "org1msp",
      imported: false,
      endpoints: [],
      orderingService: null,
      certificates: [],
      home: "sandbox-east",
      rule: "own",
      heldBy: [],
      health: [],
      unread: [],
    });
    await render();
    byTestId("component-sandbox-east-org1peer1")!.querySelector(".cname")!.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    await settle();
    expect(byTestId("component-details")).not.toBeNull();
    await choose("identities");
    expect(byTestId("component-details")).toBeNull();
    expect(api.caIdentities).toHaveBeenCalledWith("sandbox-east", "org1ca");
    expect(byTestId("ca-identity-admin")).not.toBeNull();

    byTestId("component-sandbox-east-org1peer1")!.querySelector(".cname")!.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
    await settle();
    expect(byTestId("ca-identities")).toBeNull();
    expect(byTestId("component-details")).not.toBeNull();

    await choose("identities");
    click(byTestId("open-wallet"));
    await settle();
    expect(byTestId("ca-identities")).toBeNull();
    expect(byTestId("wallet-panel")).not.toBeNull();
  });

  it("an identity enrolled into the wallet: Show in wallet opens the wallet panel in place of the dialog", async () => {
    api.enrollIntoWallet.mockResolvedValue({
      name: "client7",
      subject: "CN=client7",
      issuer: "CN=ca",
      notAfter: "2027-12-06",
      mspId: null,
      adminOf: [],
      adminRegions: [],
    });
    await render();
    await choose("enroll");
    type("enroll-id", "client7");
    type("enroll-secret", "client7-pw");
    const submit = byTestId<HTMLButtonElement>("enroll-submit")!;
    submit.form!.requestSubmit(submit);
    await settle();
    expect(api.enrollIntoWallet).toHaveBeenCalledExactlyOnceWith("sandbox-east", "org1ca", "client7", "client7-pw", "client7");
    click(byTestId("enroll-show-wallet"));
    await settle();
    expect(byTestId("enroll-dialog")).toBeNull();
    expect(byTestId("wallet-panel")).not.toBeNull();
    expect(document.activeElement).toBe(byTestId("wallet-panel"));
  });
});
