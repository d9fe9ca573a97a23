// @vitest-environment happy-dom
// "Make admin on region…" in the wallet: the picker, the outcome (admin, refused, no MSP there),
// the console wallet file offered after success, and the regions an identity administers.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Change } from "../bindings/Change";
import type { IdentityView } from "../bindings/IdentityView";
import type { RegionView } from "../bindings/RegionView";
import * as ipc from "../lib/ipc";
import WalletPanel from "./WalletPanel.svelte";
import { byTestId, settle } from "../testing/dom";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  listIdentities: vi.fn(),
  makeRegionAdmin: vi.fn(),
  exportIdentity: vi.fn(),
  onChanged: vi.fn(),
}));
const api = vi.mocked(ipc);

/** The panel's listeners for backend changes. */
let listeners: ((change: Change) => void)[] = [];
/** The backend says what changed ("wallet" after a new admin, "regions" after a removal). */
async function changed(change: Change) {
  listeners.forEach((listener) => listener(change));
  await settle();
}
const walletChanged = () => changed("wallet");
beforeEach(() => {
  listeners = [];
  api.onChanged.mockImplementation(async (cb) => {
    listeners.push(cb);
    return () => {};
  });
});

let app: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

const el = byTestId;
const click = async (testid: string) => {
  el(testid)!.click();
  flushSync();
  await settle();
};
async function pick(regionId: string) {
  const select = el<HTMLSelectElement>("region-admin-region-org1admin")!;
  select.value = regionId;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
  el<HTMLButtonElement>("region-admin-confirm-org1admin")!.form!.requestSubmit();
  flushSync();
  await settle();
}

const REGIONS: RegionView[] = ["US East", "US West", "Canada"].map((name, i) => ({
  id: `r${i + 1}`,
  name,
  location: { id: `l${i}`, provider: "AWS", name, city: name, latitude: 0, longitude: 0 },
  consoleUrl: "http://127.0.0.1:7000",
  apiKey: "k",
  sandbox: true,
}));
/** The identity, admin on `adminOf` (named by REGIONS; an id not there is a removed region's). */
const identity = (adminOf: string[], removedNames: Record<string, string | null> = {}): IdentityView => ({
  name: "org1admin",
  subject: "CN=Admin@org1.example.com",
  issuer: "CN=ca.org1.example.com",
  notAfter: "2099-01-01",
  mspId: "Org1MSP",
  adminOf,
  adminRegions: adminOf.map((id) => {
    const live = REGIONS.find((r) => r.id === id);
    return live ? { id, name: live.name, removed: false } : { id, name: removedNames[id] ?? null, removed: true };
  }),
});

async function render() {
  const onadmin = vi.fn();
  app = mount(WalletPanel, { target: document.body, props: { regions: REGIONS, onclose: vi.fn(), onreport: vi.fn(), onadmin } });
  await settle();
  return { onadmin };
}

describe("WalletPanel: identity → region admin", () => {
  it("makes an identity the admin on a picked region, lists it, and offers the console wallet file", async () => {
    api.listIdentities.mockResolvedValueOnce([identity(["r1"])]).mockResolvedValueOnce([identity(["r1", "r2"])]);
    api.makeRegionAdmin.mockResolvedValueOnce({ identity: "org1admin", regionId: "r2", mspId: "Org1MSP", mspComponentId: "org1msp", findings: [] });
    api.exportIdentity.mockResolvedValueOnce({ path: "/home/me/org1admin.json", fileName: "org1admin.json" });
    const { onadmin } = await render();
    expect(el("admin-of-org1admin")!.textContent).toBe("US East");

    await click("make-admin-org1admin");
    const options = [...el<HTMLSelectElement>("region-admin-region-org1admin")!.options].map((o) => [o.value, o.textContent]);
    expect(options).toEqual([
      ["r2", "US West"],
      ["r3", "Canada"],
      ["r1", "US East (already admin)"],
    ]);
    expect(document.activeElement).toBe(el("region-admin-region-org1admin"));
    await pick("r2");
    expect(api.makeRegionAdmin).toHaveBeenCalledWith("org1admin", "r2");
    const result = el("region-admin-result")!;
    expect(result.getAttribute("data-outcome")).toBe("admin");
    expect(result.textContent).toMatch(/org1admin is now Org1MSP's admin identity on US West\./);
    // The list follows the backend's word that the wallet changed.
    expect(el("admin-of-org1admin")!.textContent).toBe("US East");
    await walletChanged();
    expect(el("admin-of-org1admin")!.textContent).toBe("US East, US West");
    expect(onadmin).toHaveBeenCalledWith(expect.objectContaining({ kind: "admin", regionId: "r2" }));

    await click("save-console-wallet-file");
    expect(api.exportIdentity).toHaveBeenCalledWith("org1admin", null);
    expect(el("region-admin-saved")!.textContent).toMatch(/\/home\/me\/org1admin\.json/);
  });

  it("shows a refusal's findings as file · field · reason", async () => {
    api.listIdentities.mockResolvedValue([identity([])]);
    api.makeRegionAdmin.mockResolvedValueOnce({
      identity: "org1admin",
      regionId: "r3",
      mspId: null,
      mspComponentId: null,
      findings: [{ file: "org1admin", field: "cert", severity: "error", reason: "does not chain to Org1MSP's root certificates", remedy: null }],
    });
    const { onadmin } = await render();
    expect(el("admin-of-org1admin")).toBeNull();
    await click("make-admin-org1admin");
    await pick("r3");
    expect(api.makeRegionAdmin).toHaveBeenCalledWith("org1admin", "r3");
    expect(el("region-admin-result")!.getAttribute("data-outcome")).toBe("refused");
    expect(el("region-admin-finding")!.textContent).toBe("org1admin · cert · does not chain to Org1MSP's root certificates");
    expect(el("save-console-wallet-file")).toBeNull();
    expect(onadmin).not.toHaveBeenCalled();
  });

  it("names a region removed since by the name it had, the id only in the tooltip", async () => {
    api.listIdentities.mockResolvedValue([identity(["r1", "frankfurt", "sandbox-9"], { frankfurt: "Frankfurt" })]);
    await render();
    const adminOf = el("admin-of-org1admin")!;
    expect(adminOf.textContent).toBe("US East, Frankfurt (removed), Removed region");
    expect([...adminOf.querySelectorAll("span")].map((s) => s.title)).toEqual(["r1", "frankfurt", "sandbox-9"]);
  });

  it("names the regions again when the fleet changes (a region removed meanwhile)", async () => {
    api.listIdentities.mockResolvedValueOnce([identity(["r1"])]).mockResolvedValueOnce([identity(["gone"], { gone: "US East" })]);
    await render();
    expect(el("admin-of-org1admin")!.textContent).toBe("US East");
    await changed("regions");
    expect(el("admin-of-org1admin")!.textContent).toBe("US East (removed)");
  });

  it("tells to bring the org's MSP first when the region has none", async () => {
    api.listIdentities.mockResolvedValue([identity([])]);
    api.makeRegionAdmin.mockRejectedValueOnce({ code: "not_found", message: "region 'r3' has no MSP definition for org 'Org1MSP': copy the org's MSP there first" });
    await render();
    await click("make-admin-org1admin");
    await pick("r3");
    expect(el("region-admin-result")!.getAttribute("data-outcome")).toBe("error");
    expect(el("region-admin-result")!.textContent).toMatch(/Canada has no MSP definition of org1admin's org yet/);
    await click("region-admin-dismiss");
    expect(el("region-admin-result")).toBeNull();
  });
});
