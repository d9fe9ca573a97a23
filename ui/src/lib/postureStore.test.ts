import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Change } from "../bindings/Change";
import type { Posture } from "../bindings/Posture";
import type { RegionHealth } from "../bindings/RegionHealth";
import { samplePosture } from "../testing/posture";
import { CHANGE_DELAY_MS, HEALTH_DELAY_MS, healthSignature, PostureStore, type PostureApi } from "./postureStore.svelte";

/** A posture call the test answers by hand: `answer(i)` / `fail(i)` settle the i-th call. */
function fakeApi() {
  const calls: { lost: string[]; resolve: (p: Posture) => void; reject: (e: unknown) => void }[] = [];
  let change: ((c: Change) => void)[] = [];
  const unlisten = vi.fn();
  const api: PostureApi = {
    posture: vi.fn(
      (lost: string[]) =>
        new Promise<Posture>((resolve, reject) => {
          calls.push({ lost, resolve, reject });
        }),
    ),
    onChanged: vi.fn(async (cb) => {
      change.push(cb);
      return () => {
        unlisten();
        change = change.filter((c) => c !== cb);
      };
    }),
  };
  return {
    api,
    calls,
    unlisten,
    changed: (c: Change) => change.forEach((cb) => cb(c)),
    answer: async (i: number, posture = samplePosture(calls[i]!.lost)) => {
      calls[i]!.resolve(posture);
      await vi.advanceTimersByTimeAsync(0);
    },
    fail: async (i: number, error: unknown) => {
      calls[i]!.reject(error);
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

const region = (id: string, state: RegionHealth["state"], latencyMs: number, status: "ok" | "not_ok" = "ok"): RegionHealth => ({
  regionId: id,
  state,
  latencyMs,
  message: null,
  components: [{ id: "peer1", displayName: "Peer 1", kind: "peer", mspId: "Org1MSP", status }],
  orgs: [],
  orderingServices: [],
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("PostureStore", () => {
  it("reads the posture at start, and keeps it", async () => {
    const { api, calls, answer } = fakeApi();
    const store = new PostureStore(api);
    store.start();
    expect(store.loading).toBe(true);
    expect(calls.map((c) => c.lost)).toEqual([[]]);
    await answer(0);
    expect(store.loading).toBe(false);
    expect(store.posture?.survivesAnyOneRegion).toBe(false);
    store.stop();
  });

  it("reads it again for the what-if chosen, keeping the last posture meanwhile", async () => {
    const { api, calls, answer } = fakeApi();
    const store = new PostureStore(api);
    store.start();
    await answer(0);
    store.toggleLost("east");
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.lost)).toEqual([[], ["east"]]);
    expect(store.loading).toBe(true);
    expect(store.posture?.lost).toEqual([]); // the last one, until the new one is in
    await answer(1);
    expect(store.posture?.lost).toEqual(["east"]);
    store.toggleLost("east");
    await vi.advanceTimersByTimeAsync(0);
    expect(calls[2]!.lost).toEqual([]);
    store.stop();
  });

  it("never shows an answer for a what-if changed since: the read that follows is shown", async () => {
    const { api, calls, answer } = fakeApi();
    const store = new PostureStore(api);
    store.start();
    store.toggleLost("east");
    await vi.advanceTimersByTimeAsync(0);
    // The first read is still under way: the what-if's read waits for it, then follows.
    expect(calls).toHaveLength(1);
    await answer(0);
    expect(store.posture).toBeNull();
    expect(calls.map((c) => c.lost)).toEqual([[], ["east"]]);
    await answer(1);
    expect(store.posture?.lost).toEqual(["east"]);
    expect(store.loading).toBe(false);
    store.stop();
  });

  it("keeps a failure in words beside the last posture, and clears it on the next success", async () => {
    const { api, answer, fail } = fakeApi();
    const store = new PostureStore(api);
    store.start();
    await answer(0);
    void store.reload();
    await fail(1, { code: "unreachable", message: "Canada did not answer" });
    expect(store.error).toEqual({ code: "unreachable", message: "Canada did not answer" });
    expect(store.posture).not.toBeNull();
    void store.reload();
    await answer(2);
    expect(store.error).toBeNull();
    store.stop();
  });

  it("reads it again when regions, homes or the consoles changed, once for a burst", async () => {
    const { api, calls, answer, changed } = fakeApi();
    const store = new PostureStore(api);
    store.start();
    await answer(0);
    changed("wallet");
    changed("ca_admins");
    await vi.advanceTimersByTimeAsync(CHANGE_DELAY_MS * 2);
    expect(calls).toHaveLength(1);
    changed("audit");
    changed("homes");
    changed("regions");
    await vi.advanceTimersByTimeAsync(CHANGE_DELAY_MS);
    expect(calls).toHaveLength(2);
    await answer(1);
    await vi.advanceTimersByTimeAsync(CHANGE_DELAY_MS * 2);
    expect(calls).toHaveLength(2);
    store.stop();
  });

  it("reads it again when health states or statuses change, at most once per interval, never on latency", async () => {
    const { api, calls, answer } = fakeApi();
    const store = new PostureStore(api);
    store.start();
    await answer(0);
    store.sawHealth({});
    store.sawHealth({ east: region("east", "healthy", 3) });
    store.sawHealth({ east: region("east", "healthy", 40) }); // latency only
    await vi.advanceTimersByTimeAsync(HEALTH_DELAY_MS - 1);
    expect(calls).toHaveLength(1);
    store.sawHealth({ east: region("east", "healthy", 5, "not_ok") }); // joins the read already due
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await answer(1);
    store.sawHealth({ east: region("east", "healthy", 9, "not_ok") });
    await vi.advanceTimersByTimeAsync(HEALTH_DELAY_MS * 2);
    expect(calls).toHaveLength(2);
    store.sawHealth({ east: region("east", "unreachable", 9, "not_ok") });
    await vi.advanceTimersByTimeAsync(HEALTH_DELAY_MS);
    expect(calls).toHaveLength(3);
    store.stop();
  });

  it("a what-if is read at once even while a health read waits", async () => {
    const { api, calls, answer } = fakeApi();
    const store = new PostureStore(api);
    store.start();
    await answer(0);
    store.sawHealth({ east: region("east", "healthy", 3) });
    store.setLost(["west"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.lost)).toEqual([[], ["west"]]);
    await answer(1);
    await vi.advanceTimersByTimeAsync(HEALTH_DELAY_MS);
    expect(calls).toHaveLength(2); // the health change joined the what-if's read
    store.stop();
  });

  it("leaving what-if mode, or Clear, restores the posture as it is; a removed region is no longer lost", async () => {
    const { api, calls, answer } = fakeApi();
    const store = new PostureStore(api);
    store.start();
    await answer(0);
    store.setPicking(true);
    store.toggleLost("east");
    store.toggleLost("west");
    expect(store.lost).toEqual(["east", "west"]);
    await vi.advanceTimersByTimeAsync(0);
    await answer(1);
    store.keepRegions(["east", "canada"]);
    expect(store.lost).toEqual(["east"]);
    await vi.advanceTimersByTimeAsync(0);
    await answer(2);
    store.clear();
    expect(store.lost).toEqual([]);
    expect(store.picking).toBe(true);
    store.toggleLost("canada");
    store.setPicking(false);
    expect(store.picking).toBe(false);
    expect(store.lost).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.lost)).toEqual([[], ["east", "west"], ["east"], []]);
    store.stop();
  });

  it("stops listening and reading when stopped", async () => {
    const { api, calls, unlisten, changed } = fakeApi();
    const store = new PostureStore(api);
    store.start();
    await vi.advanceTimersByTimeAsync(0);
    store.stop();
    expect(unlisten).toHaveBeenCalledTimes(3);
    changed("regions");
    store.toggleLost("east");
    await vi.advanceTimersByTimeAsync(HEALTH_DELAY_MS);
    expect(calls).toHaveLength(1);
  });
});

describe("healthSignature", () => {
  it("changes with states, statuses, components and outages, never with latency", () => {
    const base = healthSignature({ east: region("east", "healthy", 3) });
    expect(healthSignature({ east: region("east", "healthy", 300) })).toBe(base);
    expect(healthSignature({ east: region("east", "degraded", 3) })).not.toBe(base);
    expect(healthSignature({ east: region("east", "healthy", 3, "not_ok") })).not.toBe(base);
    expect(healthSignature({ east: { ...region("east", "healthy", 3), lastSeenMs: 1 } })).not.toBe(base);
    expect(healthSignature({ east: { ...region("east", "healthy", 3), components: [] } })).not.toBe(base);
    expect(healthSignature({ east: region("east", "healthy", 3), west: region("west", "healthy", 3) })).not.toBe(base);
  });
});
