import { describe, expect, it, vi } from "vitest";
import type { Change } from "../bindings/Change";
import type { HealthSnapshot } from "../bindings/HealthSnapshot";
import type { RegionView } from "../bindings/RegionView";
import { Atlas, type AtlasApi } from "./atlas.svelte";
import { toAppError } from "./ipc";

const region = (id: string): RegionView => ({
  id,
  name: id,
  location: { id: "us-east-1", provider: "AWS", name: "US East", city: "Ashburn", latitude: 39, longitude: -77.5 },
  consoleUrl: `https://${id}`,
  apiKey: "key",
  sandbox: false,
});

const snap = (state: "healthy" | "unreachable", ...ids: string[]): HealthSnapshot => ({
  regions: ids.map((regionId) => ({ regionId, state, latencyMs: state === "healthy" ? 3 : null, message: null, components: [], orgs: [], orderingServices: [] })),
});

function fakeApi(overrides: Partial<AtlasApi> = {}) {
  let push: ((s: HealthSnapshot) => void) | undefined;
  let change: ((c: Change) => void) | undefined;
  const unlisten = vi.fn();
  const api: AtlasApi = {
    toAppError,
    appInfo: vi.fn(async () => ({ version: "1", sandbox: true, pollIntervalMs: 15000, configPath: "/c" })),
    listLocations: vi.fn(async () => []),
    listRegions: vi.fn(async () => [region("a"), region("b")]),
    healthSnapshot: vi.fn(async () => snap("healthy", "a", "b")),
    onHealth: vi.fn(async (cb) => {
      push = cb;
      return unlisten;
    }),
    onChanged: vi.fn(async (cb) => {
      change = cb;
      return vi.fn();
    }),
    ...overrides,
  };
  return { api, push: (s: HealthSnapshot) => push!(s), unlisten, changed: (c: Change) => change!(c) };
}

describe("Atlas", () => {
  it("reloads the regions when the backend says they changed, and only then", async () => {
    const { api, changed } = fakeApi();
    const atlas = new Atlas(api);
    await atlas.start();
    expect(api.listRegions).toHaveBeenCalledTimes(1);
    api.listRegions = vi.fn(async () => [region("a"), region("b"), region("c")]);
    changed("wallet");
    await Promise.resolve();
    expect(api.listRegions).not.toHaveBeenCalled();
    changed("regions");
    await vi.waitFor(() => expect(atlas.regions.map((r) => r.id)).toEqual(["a", "b", "c"]));
  });

  it("loads info, regions and health, and follows health events", async () => {
    const { api, push } = fakeApi();
    const atlas = new Atlas(api);
    await atlas.start();
    expect(atlas.loading).toBe(false);
    expect(atlas.info?.sandbox).toBe(true);
    expect(atlas.regions.map((r) => r.id)).toEqual(["a", "b"]);
    expect(atlas.healthOf("a")?.state).toBe("healthy");
    push(snap("unreachable", "a"));
    expect(atlas.healthOf("a")?.state).toBe("unreachable");
    expect(atlas.healthOf("b")).toBeUndefined();
    expect(atlas.error).toBeNull();
  });

  it("subscribes before fetching the first snapshot so no change is missed", async () => {
    const order: string[] = [];
    const { api } = fakeApi();
    const base = api.healthSnapshot;
    api.onHealth = vi.fn(async () => {
      order.push("listen");
      return () => {};
    });
    api.healthSnapshot = vi.fn(async () => {
      order.push("snapshot");
      return base();
    });
    await new Atlas(api).start();
    expect(order).toEqual(["listen", "snapshot"]);
  });

  it("never lets a slow fetched snapshot overwrite a newer pushed one", async () => {
    let resolveFetch: (s: HealthSnapshot) => void = () => {};
    const { api, push } = fakeApi({
      healthSnapshot: vi.fn(() => new Promise<HealthSnapshot>((r) => (resolveFetch = r))),
    });
    const atlas = new Atlas(api);
    const started = atlas.start();
    await vi.waitFor(() => expect(api.healthSnapshot).toHaveBeenCalled());
    push(snap("unreachable", "a"));
    resolveFetch(snap("healthy", "a"));
    await started;
    expect(atlas.healthOf("a")?.state).toBe("unreachable");
  });

  it("reports the first failure as an AppError and still loads the rest", async () => {
    const { api } = fakeApi({
      listRegions: vi.fn(async () => {
        throw { code: "config", message: "config file is corrupt" };
      }),
      listLocations: vi.fn(async () => {
        throw "location catalogue unavailable";
      }),
    });
    const atlas = new Atlas(api);
    await atlas.start();
    expect(atlas.error).toEqual({ code: "internal", message: "location catalogue unavailable" });
    expect(atlas.info?.version).toBe("1");
    expect(atlas.healthOf("a")?.state).toBe("healthy");
    atlas.dismissError();
    expect(atlas.error).toBeNull();
  });

  it("unsubscribes on stop and ignores events after it", async () => {
    const { api, push, unlisten } = fakeApi();
    const atlas = new Atlas(api);
    await atlas.start();
    atlas.stop();
    expect(unlisten).toHaveBeenCalledOnce();
    push(snap("unreachable", "a"));
    expect(atlas.healthOf("a")?.state).toBe("healthy");
  });

  it("refreshes health on demand (after an import) without touching the region list", async () => {
    const { api } = fakeApi();
    const atlas = new Atlas(api);
    await atlas.start();
    const listCalls = vi.mocked(api.listRegions).mock.calls.length;
    vi.mocked(api.healthSnapshot).mockResolvedValueOnce({
      regions: [
        {
          regionId: "b",
          state: "healthy",
          latencyMs: 2,
          message: null,
          components: [{ id: "org1msp", displayName: "Org1 MSP", kind: "msp", mspId: "Org1MSP", status: "not_applicable" }],
          orgs: [],
          orderingServices: [],
        },
      ],
    });
    await atlas.refreshHealth();
    expect(atlas.healthOf("b")?.components.map((c) => c.id)).toEqual(["org1msp"]);
    expect(vi.mocked(api.listRegions).mock.calls.length).toBe(listCalls);
  });

  it("keeps a snapshot pushed while the on-demand one was in flight, and reports a failed fetch", async () => {
    const { api, push } = fakeApi();
    const atlas = new Atlas(api);
    await atlas.start();
    let resolveFetch: (s: HealthSnapshot) => void = () => {};
    vi.mocked(api.healthSnapshot).mockImplementationOnce(() => new Promise<HealthSnapshot>((r) => (resolveFetch = r)));
    const pending = atlas.refreshHealth();
    push(snap("unreachable", "a"));
    resolveFetch(snap("healthy", "a"));
    await pending;
    expect(atlas.healthOf("a")?.state).toBe("unreachable");

    vi.mocked(api.healthSnapshot).mockRejectedValueOnce({ code: "internal", message: "monitor stopped" });
    await atlas.refreshHealth();
    expect(atlas.error).toEqual({ code: "internal", message: "monitor stopped" });
  });

  it("names a region by id, falling back to the id", async () => {
    const { api } = fakeApi({ listRegions: vi.fn(async () => [{ ...region("a"), name: "US East" }]) });
    const atlas = new Atlas(api);
    await atlas.start();
    expect(atlas.regionName("a")).toBe("US East");
    expect(atlas.regionName("gone")).toBe("gone");
  });
});
