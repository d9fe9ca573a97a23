import { describe, expect, it, vi } from "vitest";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import { Copies, type CopiesApi } from "./copies.svelte";
import { toAppError } from "./ipc";

const CA = { sourceRegionId: "r1", componentIds: ["org1ca"], label: "Org1 CA" };
const ORG1CA: CaAdminStatus = {
  componentId: "org1ca",
  displayName: "Org1 CA",
  apiUrl: "https://ca",
  caName: "ca",
  caAdminEnrollId: null,
  tlscaAdminEnrollId: null,
};

function api(lacking: CaAdminStatus[] = []) {
  const report = { sourceRegionId: "r1", dryRun: false, targets: [{ regionId: "r2", items: [], error: null }] };
  return {
    planOperation: vi.fn(async (operation) => ({ operation, targets: [], casLackingAdmins: lacking })),
    applyOperation: vi.fn(async () => report),
    cancelTransfer: vi.fn(async () => true),
    toAppError,
  } satisfies CopiesApi;
}

describe("Copies", () => {
  it("copies at once when the plan lacks no CA credentials, never to the source", async () => {
    const backend = api();
    const notify = vi.fn();
    const copies = new Copies(notify, backend);
    await copies.start(CA, ["r1", "r2"]);
    expect(backend.applyOperation).toHaveBeenCalledExactlyOnceWith(
      expect.any(String),
      { kind: "copy", sourceRegionId: "r1", componentIds: ["org1ca"], targetRegionIds: ["r2"] },
      expect.any(Function),
    );
    expect(copies.run.progress?.finished).toBe(true);
    expect(notify).not.toHaveBeenCalled();
  });

  it("asks for the credentials of the CAs the plan names, and copies nothing when asked in vain", async () => {
    const backend = api([ORG1CA]);
    const notify = vi.fn();
    const copies = new Copies(notify, backend);
    const started = copies.start(CA, ["r2"]);
    await vi.waitFor(() => expect(copies.caAsk.open?.missing).toEqual([ORG1CA]));
    copies.caAsk.answer(false);
    await started;
    expect(backend.applyOperation).not.toHaveBeenCalled();
    expect(notify).toHaveBeenCalledWith(expect.objectContaining({ testid: "transfer-ca-admins" }));
  });

  it("says a copy is still running instead of starting a second one", async () => {
    const backend = api([ORG1CA]);
    const notify = vi.fn();
    const copies = new Copies(notify, backend);
    const first = copies.start(CA, ["r2"]);
    await vi.waitFor(() => expect(copies.caAsk.open).not.toBeNull());
    await copies.start(CA, ["r3"]);
    expect(notify).toHaveBeenCalledWith(expect.objectContaining({ testid: "transfer-busy" }));
    copies.caAsk.answer(true);
    await first;
    expect(backend.applyOperation).toHaveBeenCalledOnce();
  });

  it("tells why when the plan cannot be made", async () => {
    const backend = api();
    backend.planOperation.mockRejectedValueOnce({ code: "unreachable", message: "US East: connection refused" });
    const notify = vi.fn();
    await new Copies(notify, backend).start(CA, ["r2"]);
    expect(notify).toHaveBeenCalledWith(expect.objectContaining({ outcome: "error", message: expect.stringContaining("connection refused") }));
    expect(backend.applyOperation).not.toHaveBeenCalled();
  });
});
