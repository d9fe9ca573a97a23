import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { HealthSnapshot } from "../bindings/HealthSnapshot";
import * as ipc from "./ipc";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

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

  it("resolve with what the backend returned", async () => {
    const info = { version: "0.1.0", sandbox: true, pollIntervalMs: 15000, configPath: "/c" };
    invokeMock.mockResolvedValueOnce(info);
    await expect(ipc.appInfo()).resolves.toEqual(info);
    invokeMock.mockResolvedValueOnce(null);
    await expect(ipc.removeRegion("x")).resolves.toBeUndefined();
  });

  it("reject with the backend's AppError unchanged", async () => {
    invokeMock.mockRejectedValueOnce({ code: "invalid_input", message: "field 'consoleUrl': must be https" });
    await expect(ipc.addRegion({ name: "", location: "", consoleUrl: "", apiKey: "", apiSecret: "" })).rejects.toEqual({
      code: "invalid_input",
      message: "field 'consoleUrl': must be https",
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
