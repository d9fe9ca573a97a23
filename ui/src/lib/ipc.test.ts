import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HealthSnapshot } from "../bindings/HealthSnapshot";
import * as ipc from "./ipc";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: vi.fn(),
  // What the real Channel is to the wrapper: an object whose onmessage the backend's messages reach.
  Channel: class<T> {
    onmessage: (message: T) => void = () => {};
  },
}));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));
vi.mock("@tauri-apps/api/webview", () => ({ getCurrentWebview: vi.fn() }));

const invokeMock = vi.mocked(invoke);
const listenMock = vi.mocked(listen);

beforeEach(() => {
  invokeMock.mockReset();
  listenMock.mockReset();
});

describe("typed wrappers", () => {
  it("call the command names with the documented argument objects", async () => {
    invokeMock.mockResolvedValue("result");
    const region = { name: "US East", location: "us-east-1", consoleUrl: "https://c", apiKey: "k", apiSecret: "s" };
    const edit = { name: "US East", location: "us-east-1", consoleUrl: "https://c", apiKey: "k" };
    const test = { consoleUrl: "https://c", apiKey: "k", regionId: "r1" };

    await ipc.appInfo();
    await ipc.listLocations();
    await ipc.listRegions();
    await ipc.addRegion(region);
    await ipc.editRegion("r1", edit);
    await ipc.removeRegion("r1");
    await ipc.testConnection(test);
    await ipc.healthSnapshot();

    expect(invokeMock.mock.calls).toEqual([
      ["app_info"],
      ["list_locations"],
      ["list_regions"],
      ["add_region", { region }],
      ["edit_region", { id: "r1", edit }],
      ["remove_region", { id: "r1" }],
      ["test_connection", { test }],
      ["health_snapshot"],
    ]);
  });

  it("ask for the HA posture with the regions supposed lost, and place a node", async () => {
    invokeMock.mockResolvedValueOnce({ lost: ["east"] }).mockResolvedValueOnce("https://peer.east:7051");
    await expect(ipc.posture(["east"])).resolves.toEqual({ lost: ["east"] });
    await expect(ipc.placeNode("https://peer.east:7051", "west")).resolves.toBe("https://peer.east:7051");
    expect(invokeMock.mock.calls).toEqual([
      ["posture", { lost: ["east"] }],
      ["place_node", { node: "https://peer.east:7051", regionId: "west" }],
    ]);
  });

  it("read a component's details and the drift, and make copies equal, with the documented arguments", async () => {
    invokeMock.mockResolvedValueOnce({ componentId: "org1peer1" }).mockResolvedValueOnce({ drifts: [] }).mockResolvedValueOnce({ key: "msp:Org1MSP" });
    await expect(ipc.componentDetails("east", "org1peer1")).resolves.toEqual({ componentId: "org1peer1" });
    await expect(ipc.driftReport()).resolves.toEqual({ drifts: [] });
    await expect(ipc.makeEqual("msp:Org1MSP", "east")).resolves.toEqual({ key: "msp:Org1MSP" });
    expect(invokeMock.mock.calls).toEqual([
      ["component_details", { regionId: "east", componentId: "org1peer1" }],
      ["drift_report", {}],
      ["make_equal", { key: "msp:Org1MSP", fromRegionId: "east" }],
    ]);
  });

  it("resolve with what the backend returned", async () => {
    const info = { version: "0.1.0", sandbox: true, pollIntervalMs: 15000, configPath: "/c" };
    invokeMock.mockResolvedValueOnce(info);
    await expect(ipc.appInfo()).resolves.toEqual(info);
    invokeMock.mockResolvedValueOnce(null);
    await expect(ipc.removeRegion("x")).resolves.toBeUndefined();
  });

  it("reject with the backend's AppError unchanged", async () => {
    invokeMock.mockRejectedValueOnce({
      code: "invalid_input",
      message: "field 'consoleUrl': must be https",
      field: "consoleUrl",
    });
    await expect(ipc.addRegion({ name: "", location: "", consoleUrl: "", apiKey: "", apiSecret: "" })).rejects.toEqual({
      code: "invalid_input",
      message: "field 'consoleUrl': must be https",
      field: "consoleUrl",
    });
  });

  it("normalise a string or Error rejection into an internal AppError", async () => {
    invokeMock.mockRejectedValueOnce("command list_regions not found");
    await expect(ipc.listRegions()).rejects.toEqual({ code: "internal", message: "command list_regions not found" });
    invokeMock.mockRejectedValueOnce(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    await expect(ipc.healthSnapshot()).rejects.toEqual({
      code: "internal",
      message: "window.__TAURI_INTERNALS__ is undefined",
    });
  });
});

describe("operations", () => {
  const operation = { kind: "copy" as const, sourceRegionId: "r1", componentIds: ["org1msp"], targetRegionIds: ["r2", "r3"] };
  const report = { sourceRegionId: "r1", dryRun: false, targets: [{ regionId: "r2", items: [], error: null }] };

  it("applies an operation under its id with a Channel that delivers the progress events", async () => {
    let channel: Channel<unknown> | undefined;
    invokeMock.mockImplementationOnce(async (_command, args) => {
      channel = (args as { onEvent: Channel<unknown> }).onEvent;
      channel.onmessage({ event: "read", items: 1 });
      channel.onmessage({ event: "targetDone", target: "r2" });
      return report;
    });
    const events: unknown[] = [];
    await expect(ipc.applyOperation("t1", operation, (e) => events.push(e))).resolves.toEqual(report);
    expect(invokeMock).toHaveBeenCalledWith("apply_operation", { transferId: "t1", operation, onEvent: channel });
    expect(channel).toBeInstanceOf(Channel);
    expect(events).toEqual([
      { event: "read", items: 1 },
      { event: "targetDone", target: "r2" },
    ]);
  });

  it("plans an operation: the backend's plan passed through", async () => {
    const plan = { operation, targets: report.targets, casLackingAdmins: [] };
    invokeMock.mockResolvedValueOnce(plan);
    await expect(ipc.planOperation(operation)).resolves.toEqual(plan);
    expect(invokeMock).toHaveBeenCalledWith("plan_operation", { operation });
  });

  it("rejects with the backend's AppError", async () => {
    invokeMock.mockRejectedValueOnce({ code: "invalid_input", message: "a region cannot be its own transfer target" });
    await expect(ipc.applyOperation("t1", operation, () => {})).rejects.toEqual({
      code: "invalid_input",
      message: "a region cannot be its own transfer target",
    });
  });

  it("cancels by id and answers whether a transfer was running", async () => {
    invokeMock.mockResolvedValueOnce(true);
    await expect(ipc.cancelTransfer("t1")).resolves.toBe(true);
    expect(invokeMock).toHaveBeenLastCalledWith("cancel_transfer", { transferId: "t1" });
  });
});

describe("toAppError", () => {
  it.each([
    [{ code: "locked_out", message: "locked" }, { code: "locked_out", message: "locked" }],
    [{ code: "locked_out", message: "locked", extra: 1 }, { code: "locked_out", message: "locked" }],
    [{ code: "teapot", message: "odd code" }, { code: "internal", message: "odd code" }],
    [{ code: "conflict" }, { code: "internal", message: '{"code":"conflict"}' }],
    ["", { code: "internal", message: "Unknown error" }],
    [undefined, { code: "internal", message: "Unknown error" }],
    [null, { code: "internal", message: "null" }],
    [42, { code: "internal", message: "42" }],
    [new Error("boom"), { code: "internal", message: "boom" }],
  ])("%j → %j", (input, expected) => {
    expect(ipc.toAppError(input)).toEqual(expected);
  });

  it("recognises an AppError", () => {
    expect(ipc.isAppError({ code: "config", message: "m" })).toBe(true);
    expect(ipc.isAppError({ code: "config" })).toBe(false);
    expect(ipc.isAppError("config")).toBe(false);
  });
});

describe("onHealth", () => {
  it("listens to health://changed and hands over the payload, returning the unsubscribe", async () => {
    const unlisten = vi.fn();
    let handler: ((event: { payload: HealthSnapshot }) => void) | undefined;
    listenMock.mockImplementation(async (event, cb) => {
      expect(event).toBe("health://changed");
      handler = cb as unknown as typeof handler;
      return unlisten;
    });
    const received: HealthSnapshot[] = [];
    const stop = await ipc.onHealth((s) => received.push(s));
    const snapshot: HealthSnapshot = { regions: [] };
    handler!({ payload: snapshot });
    expect(received).toEqual([snapshot]);
    stop();
    expect(unlisten).toHaveBeenCalledOnce();
  });

  it("rejects with an AppError when it cannot subscribe", async () => {
    listenMock.mockRejectedValueOnce(new Error("no ipc"));
    await expect(ipc.onHealth(() => {})).rejects.toEqual({ code: "internal", message: "no ipc" });
  });
});

describe("file wrappers", () => {
  it("call the export, import, wallet and audit commands with camelCase argument objects", async () => {
    invokeMock.mockResolvedValue(null);

    await ipc.exportComponent("sandbox-1", "org1msp");
    await ipc.importFiles("sandbox-3", ["/tmp/a.json", "/tmp/b.zip"]);
    await ipc.importFiles("sandbox-3", ["/tmp/a.json"], true);
    await ipc.chooseImportFiles();
    await ipc.listIdentities();
    await ipc.importIdentities(null, null);
    await ipc.importIdentities(["/tmp/admin.json.age"], "correct horse battery");
    await ipc.importIdentities(["/tmp/admin.json"], "");
    await ipc.exportIdentity("org1admin", null);
    await ipc.exportIdentity("org1admin", "correct horse battery");
    await ipc.removeIdentity("org1admin");
    await ipc.auditLog();

    expect(invokeMock.mock.calls).toEqual([
      ["export_component", { regionId: "sandbox-1", componentId: "org1msp" }],
      ["import_files", { regionId: "sandbox-3", paths: ["/tmp/a.json", "/tmp/b.zip"], dryRun: false, onWait: expect.anything() }],
      ["import_files", { regionId: "sandbox-3", paths: ["/tmp/a.json"], dryRun: true, onWait: expect.anything() }],
      ["choose_import_files"],
      ["list_identities"],
      ["import_identities", { paths: null, passphrase: null }],
      ["import_identities", { paths: ["/tmp/admin.json.age"], passphrase: "correct horse battery" }],
      ["import_identities", { paths: ["/tmp/admin.json"], passphrase: null }],
      ["export_identity", { name: "org1admin", passphrase: null }],
      ["export_identity", { name: "org1admin", passphrase: "correct horse battery" }],
      ["remove_identity", { name: "org1admin" }],
      ["audit_log"],
    ]);
  });

  it("resolve with the backend's answers (null for a cancelled dialog)", async () => {
    invokeMock.mockResolvedValueOnce({ path: null, fileName: "Org1 MSP_msp.json" });
    await expect(ipc.exportComponent("r", "c")).resolves.toEqual({ path: null, fileName: "Org1 MSP_msp.json" });
    invokeMock.mockResolvedValueOnce([]);
    await expect(ipc.chooseImportFiles()).resolves.toEqual([]);
    invokeMock.mockResolvedValueOnce(null);
    await expect(ipc.removeIdentity("x")).resolves.toBeUndefined();
  });

  it("reject with the backend's AppError", async () => {
    invokeMock.mockRejectedValueOnce({ code: "not_found", message: "no component org9msp in sandbox-1" });
    await expect(ipc.exportComponent("sandbox-1", "org9msp")).rejects.toEqual({
      code: "not_found",
      message: "no component org9msp in sandbox-1",
    });
  });
});

describe("onFileDrop", () => {
  type Handler = (event: { payload: unknown }) => void;
  let handler: Handler | undefined;
  const unlisten = vi.fn(async () => {});
  const ratio = globalThis.window;

  beforeEach(() => {
    handler = undefined;
    unlisten.mockClear();
    vi.mocked(getCurrentWebview).mockReturnValue({
      onDragDropEvent: vi.fn(async (cb: Handler) => {
        handler = cb;
        return unlisten;
      }),
    } as unknown as ReturnType<typeof getCurrentWebview>);
    (globalThis as { window?: unknown }).window = { devicePixelRatio: 2 };
  });
  afterEach(() => {
    (globalThis as { window?: unknown }).window = ratio;
  });

  it("hands over enter/over/drop/leave with paths and the position in CSS pixels", async () => {
    const seen: ipc.FileDragEvent[] = [];
    const stop = await ipc.onFileDrop((e) => seen.push(e));
    handler!({ payload: { type: "enter", paths: ["/tmp/org1msp.json"], position: { x: 200, y: 100 } } });
    handler!({ payload: { type: "over", position: { x: 2120, y: 1382 } } });
    handler!({ payload: { type: "drop", paths: ["/tmp/org1msp.json"], position: { x: 2120, y: 1382 } } });
    handler!({ payload: { type: "enter", paths: ["/tmp/x.json"], position: { x: 0, y: 0 } } });
    handler!({ payload: { type: "leave" } });
    expect(seen).toEqual([
      { type: "enter", paths: ["/tmp/org1msp.json"], position: { x: 100, y: 50 } },
      { type: "over", paths: ["/tmp/org1msp.json"], position: { x: 1060, y: 691 } },
      { type: "drop", paths: ["/tmp/org1msp.json"], position: { x: 1060, y: 691 } },
      { type: "enter", paths: ["/tmp/x.json"], position: { x: 0, y: 0 } },
      { type: "leave", paths: [], position: null },
    ]);
    stop();
    expect(unlisten).toHaveBeenCalledOnce();
  });

  it("rejects with an AppError when it cannot subscribe", async () => {
    vi.mocked(getCurrentWebview).mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'metadata')");
    });
    await expect(ipc.onFileDrop(() => {})).rejects.toEqual({
      code: "internal",
      message: "Cannot read properties of undefined (reading 'metadata')",
    });
  });
});

describe("CA and region admins", () => {
  it("CA admins and region admins: camelCase arguments, answers passed through", async () => {
    const status = {
      componentId: "org1ca",
      displayName: "Org1 CA",
      apiUrl: "https://ca",
      caName: "ca",
      caAdminEnrollId: null,
      tlscaAdminEnrollId: null,
    };
    const credentials = { caAdmin: { enrollId: "admin", enrollSecret: "pw" }, tlscaAdmin: { enrollId: "tls", enrollSecret: "pw2" } };
    const report = { identity: "org1admin", regionId: "r2", mspId: "Org1MSP", mspComponentId: "org1msp", findings: [] };
    invokeMock.mockResolvedValueOnce(status).mockResolvedValueOnce(report);
    await expect(ipc.saveCaAdmins(status, credentials)).resolves.toEqual(status);
    await expect(ipc.makeRegionAdmin("org1admin", "r2")).resolves.toEqual(report);
    expect(invokeMock.mock.calls).toEqual([
      ["save_ca_admins", { ca: status, credentials }],
      ["make_region_admin", { name: "org1admin", regionId: "r2" }],
    ]);
  });

  it("reject with the backend's AppError", async () => {
    invokeMock.mockRejectedValueOnce({ code: "not_found", message: "region 'r3' has no MSP definition: copy the org's MSP there first" });
    await expect(ipc.makeRegionAdmin("org1admin", "r3")).rejects.toEqual({
      code: "not_found",
      message: "region 'r3' has no MSP definition: copy the org's MSP there first",
    });
    invokeMock.mockRejectedValueOnce({
      code: "invalid_input",
      message: "field 'caAdmin.enrollId': required",
      field: "caAdmin.enrollId",
    });
    const ca = { componentId: "org1ca", displayName: "Org1 CA", apiUrl: "https://ca", caName: "ca", caAdminEnrollId: null, tlscaAdminEnrollId: null };
    await expect(
      ipc.saveCaAdmins(ca, { caAdmin: { enrollId: "", enrollSecret: "" }, tlscaAdmin: { enrollId: "", enrollSecret: "" } }),
    ).rejects.toEqual({
      code: "invalid_input",
      message: "field 'caAdmin.enrollId': required",
      field: "caAdmin.enrollId",
    });
  });
});

describe("Fabric CA", () => {
  const request = {
    enrollId: "peer5",
    kind: "peer",
    affiliation: "org1.department1",
    maxEnrollments: null,
    attrs: [{ name: "role", value: "edge", ecert: true }],
    secret: null,
  };

  it("call the CA commands with camelCase arguments and pass the answers through", async () => {
    const status = { componentId: "org1ca", displayName: "Org1 CA", apiUrl: "https://ca", caName: "ca", caAdminEnrollId: "admin", tlscaAdminEnrollId: "admin", verified: true };
    const info = { apiUrl: "https://ca", ca: { name: "ca", version: "1.5", chain: ["CN=ca"] }, tlsca: { name: "tlsca", version: "1.5", chain: [] } };
    const report = { enrollId: "peer5", kind: "peer", results: [], secretKept: true };
    const identities = [{ id: "peer5", kind: "peer", affiliation: "org1", attrs: [], maxEnrollments: -1 }];
    const identity = { name: "client7", subject: "CN=client7", issuer: "CN=ca", notAfter: "2027-01-01", mspId: "Org1MSP", adminOf: [], adminRegions: [] };
    invokeMock
      .mockResolvedValueOnce(status)
      .mockResolvedValueOnce(info)
      .mockResolvedValueOnce(report)
      .mockResolvedValueOnce("s3cret")
      .mockResolvedValueOnce(identities)
      .mockResolvedValueOnce(identity);
    await expect(ipc.caAdminStatus("r2", "org1ca")).resolves.toEqual(status);
    await expect(ipc.caInfo("r2", "org1ca")).resolves.toEqual(info);
    await expect(ipc.registerIdentity("r2", "org1ca", request)).resolves.toEqual(report);
    await expect(ipc.registeredSecret("r2", "org1ca", "peer5")).resolves.toBe("s3cret");
    await expect(ipc.caIdentities("r2", "org1ca")).resolves.toEqual(identities);
    await expect(ipc.enrollIntoWallet("r2", "org1ca", "client7", "pw", "client7")).resolves.toEqual(identity);
    expect(invokeMock.mock.calls).toEqual([
      ["ca_admin_status", { regionId: "r2", caId: "org1ca" }],
      ["ca_info", { regionId: "r2", caId: "org1ca" }],
      ["register_identity", { regionId: "r2", caId: "org1ca", request }],
      ["registered_secret", { regionId: "r2", caId: "org1ca", enrollId: "peer5" }],
      ["ca_identities", { regionId: "r2", caId: "org1ca" }],
      ["enroll_into_wallet", { regionId: "r2", caId: "org1ca", enrollId: "client7", enrollSecret: "pw", walletName: "client7" }],
    ]);
  });

  it("reject with the backend's typed field error", async () => {
    const refused = {
      code: "invalid_input",
      message: "field 'caAdmins': the admins of Org1 CA have not been verified with the CA",
      field: "caAdmins",
    };
    invokeMock.mockRejectedValueOnce(refused);
    await expect(ipc.registerIdentity("r2", "org1ca", request)).rejects.toEqual(refused);
    invokeMock.mockRejectedValueOnce({ code: "unreachable", message: "the CA at https://ca:7054 cannot be reached from this machine" });
    await expect(ipc.enrollIntoWallet("r2", "org1ca", "c", "pw", "c")).rejects.toEqual({
      code: "unreachable",
      message: "the CA at https://ca:7054 cannot be reached from this machine",
    });
  });
});
