// @vitest-environment happy-dom
// The org-wide dialogs on their own, against a mocked IPC module: the CA admin prompt, "Replicate
// org…" (preview, credentials asked once, progress, retry) and "Full mesh…" (plan, then apply).

import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import type { RegionHealth } from "../bindings/RegionHealth";
import type { RegionView } from "../bindings/RegionView";
import type { TargetReport } from "../bindings/TargetReport";
import type { TransferEvent } from "../bindings/TransferEvent";
import * as ipc from "../lib/ipc";
import CaAdminPrompt from "./CaAdminPrompt.svelte";
import FullMeshDialog from "./FullMeshDialog.svelte";
import ReplicateOrgDialog from "./ReplicateOrgDialog.svelte";
import { byTestId, settle } from "../testing/dom";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  saveCaAdmins: vi.fn(),
  planOperation: vi.fn(),
  applyOperation: vi.fn(),
  cancelTransfer: vi.fn(),
  listIdentities: vi.fn(async () => []),
  exportIdentity: vi.fn(),
}));
const api = vi.mocked(ipc);

let app: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

const el = byTestId;
const click = (testid: string) => {
  el(testid)!.click();
  flushSync();
};
function type(testid: string, value: string) {
  const input = el<HTMLInputElement>(testid)!;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}
const submit = (testid: string) => {
  el<HTMLButtonElement>(testid)!.form!.requestSubmit(el<HTMLButtonElement>(testid)!);
  flushSync();
};

const ORG1CA: CaAdminStatus = {
  componentId: "org1ca",
  displayName: "Org1 CA",
  apiUrl: "https://ca.org1:7054",
  caName: "ca",
  caAdminEnrollId: null,
  tlscaAdminEnrollId: null,
};
const FIELDS = ["caAdminEnrollId", "caAdminEnrollSecret", "tlscaAdminEnrollId", "tlscaAdminEnrollSecret"] as const;
function fillCa(componentId = "org1ca") {
  type(`ca-admin-${componentId}-caAdminEnrollId`, "admin");
  type(`ca-admin-${componentId}-caAdminEnrollSecret`, "adminpw");
  type(`ca-admin-${componentId}-tlscaAdminEnrollId`, "tlsadmin");
  type(`ca-admin-${componentId}-tlscaAdminEnrollSecret`, "tlsadminpw");
}

describe("CaAdminPrompt", () => {
  function render(missing: CaAdminStatus[] = [ORG1CA]) {
    const onsaved = vi.fn();
    const oncancel = vi.fn();
    app = mount(CaAdminPrompt, { target: document.body, props: { regionName: "US East", missing, onsaved, oncancel } });
    flushSync();
    return { onsaved, oncancel };
  }

  it("names each empty field and sends nothing", async () => {
    const { onsaved } = render();
    submit("ca-admin-save");
    await settle();
    for (const f of FIELDS) expect(el(`ca-admin-org1ca-${f}-problem`)).not.toBeNull();
    expect(el("ca-admin-org1ca-caAdminEnrollSecret-problem")!.textContent).toBe("CA admin enroll secret is required.");
    expect(el("ca-admin-org1ca-caAdminEnrollId")!.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(el("ca-admin-org1ca-caAdminEnrollId"));
    expect(api.saveCaAdmins).not.toHaveBeenCalled();
    expect(onsaved).not.toHaveBeenCalled();
  });

  it("saves each CA once, uses password fields for secrets and clears them after saving", async () => {
    const second = { ...ORG1CA, componentId: "org2ca", displayName: "Org2 CA" };
    api.saveCaAdmins.mockResolvedValue({ ...ORG1CA, caAdminEnrollId: "admin", tlscaAdminEnrollId: "tlsadmin" });
    const { onsaved } = render([ORG1CA, second]);
    expect(el<HTMLInputElement>("ca-admin-org1ca-caAdminEnrollSecret")!.type).toBe("password");
    expect(el<HTMLInputElement>("ca-admin-org1ca-tlscaAdminEnrollSecret")!.type).toBe("password");
    fillCa("org1ca");
    fillCa("org2ca");
    const secretField = el<HTMLInputElement>("ca-admin-org1ca-caAdminEnrollSecret")!;
    submit("ca-admin-save");
    await settle();
    const credentials = { caAdmin: { enrollId: "admin", enrollSecret: "adminpw" }, tlscaAdmin: { enrollId: "tlsadmin", enrollSecret: "tlsadminpw" } };
    expect(api.saveCaAdmins.mock.calls).toEqual([
      [ORG1CA, credentials],
      [second, credentials],
    ]);
    expect(secretField.value).toBe("");
    expect(onsaved).toHaveBeenCalledOnce();
  });

  it("shows a backend refusal under the field it names, and keeps the CA to fix", async () => {
    api.saveCaAdmins.mockRejectedValueOnce({
      code: "invalid_input",
      message: "field 'tlscaAdmin.enrollId': required",
      field: "tlscaAdmin.enrollId",
    });
    const { onsaved } = render();
    fillCa();
    submit("ca-admin-save");
    await settle();
    expect(el("ca-admin-org1ca-tlscaAdminEnrollId-problem")!.textContent).toBe("Required");
    expect(onsaved).not.toHaveBeenCalled();
    api.saveCaAdmins.mockRejectedValueOnce({ code: "keyring", message: "no keyring" });
    submit("ca-admin-save");
    await settle();
    expect(el("ca-admin-error-org1ca")!.textContent).toMatch(/Could not save the credentials of Org1 CA: no keyring/);
  });

  it("says which CA's credentials were kept without the CA checking them, and why, before going on", async () => {
    const second = { ...ORG1CA, componentId: "org2ca", displayName: "Org2 CA" };
    const note = "not checked with the CA: no console holds its record yet";
    api.saveCaAdmins
      .mockResolvedValueOnce({ ...ORG1CA, caAdminEnrollId: "admin", tlscaAdminEnrollId: "tlsadmin", verified: true })
      .mockResolvedValueOnce({ ...second, caAdminEnrollId: "admin", tlscaAdminEnrollId: "tlsadmin", verified: false, note });
    const { onsaved } = render([ORG1CA, second]);
    fillCa("org1ca");
    fillCa("org2ca");
    submit("ca-admin-save");
    await settle();
    expect(onsaved).not.toHaveBeenCalled();
    expect(el("ca-admin-unchecked-org1ca")).toBeNull();
    expect(el("ca-admin-unchecked-org2ca")!.textContent).toBe(`Kept for Org2 CA, ${note}.`);
    expect(el("ca-admin-save")).toBeNull();
    expect(document.activeElement).toBe(el("ca-admin-continue"));
    click("ca-admin-continue");
    expect(onsaved).toHaveBeenCalledOnce();
  });

  it("goes straight on once every CA verified its admins", async () => {
    api.saveCaAdmins.mockResolvedValueOnce({ ...ORG1CA, caAdminEnrollId: "admin", tlscaAdminEnrollId: "tlsadmin", verified: true });
    const { onsaved } = render();
    fillCa();
    submit("ca-admin-save");
    await settle();
    expect(onsaved).toHaveBeenCalledOnce();
    expect(el("ca-admin-continue")).toBeNull();
  });

  it("shows the CA's refusal of an admin under that admin's secret, without the field prefix", async () => {
    api.saveCaAdmins.mockRejectedValueOnce({
      code: "invalid_input",
      message: "field 'tlscaAdmin.enrollSecret': The TLS CA admin 'admin' was refused by Org1 CA's TLS CA (tlsca): Authentication failure; nothing was kept",
      field: "tlscaAdmin.enrollSecret",
    });
    const { onsaved } = render();
    fillCa();
    submit("ca-admin-save");
    await settle();
    const problem = el("ca-admin-org1ca-tlscaAdminEnrollSecret-problem")!;
    expect(problem.textContent).toBe("The TLS CA admin 'admin' was refused by Org1 CA's TLS CA (tlsca): Authentication failure; nothing was kept");
    expect(el("ca-admin-org1ca-tlscaAdminEnrollSecret")!.getAttribute("aria-describedby")).toBe(problem.id);
    expect(el("ca-admin-org1ca-caAdminEnrollSecret-problem")).toBeNull();
    expect(onsaved).not.toHaveBeenCalled();
  });

  it("Cancel gives up", () => {
    const { oncancel } = render();
    click("ca-admin-cancel");
    expect(oncancel).toHaveBeenCalledOnce();
  });
});

const REGIONS: RegionView[] = ["US East", "US West", "Canada"].map((name, i) => ({
  id: `r${i + 1}`,
  name,
  location: { id: `l${i}`, provider: "AWS", name, city: name, latitude: 0, longitude: 0 },
  consoleUrl: `http://127.0.0.1:700${i}`,
  apiKey: "k",
  sandbox: true,
}));
const health = (regionId: string, components: RegionHealth["components"], orgs: RegionHealth["orgs"] = []): RegionHealth => ({
  regionId,
  state: "healthy",
  latencyMs: 1,
  message: null,
  components,
  orgs,
  orderingServices: [],
});
const HEALTH: Record<string, RegionHealth> = {
  r1: health("r1", [
    { id: "org1ca", displayName: "Org1 CA", kind: "ca", mspId: null, status: "ok" },
    { id: "org1msp", displayName: "Org1 MSP", kind: "msp", mspId: "Org1MSP", status: "not_applicable" },
    { id: "org1peer1", displayName: "Org1 Peer1", kind: "peer", mspId: "Org1MSP", status: "ok" },
  ], [{ mspId: "Org1MSP", mspComponentIds: ["org1msp"], names: ["Org1 MSP"] }]),
  r2: health("r2", []),
  r3: health("r3", []),
};
const msp = (outcome: "would_create" | "created" | "already_there") =>
  outcome === "would_create"
    ? { source: { from: "console" as const, regionId: "r1", componentId: "org1msp" }, displayName: "Org1 MSP", kind: "msp", outcome }
    : { source: { from: "console" as const, regionId: "r1", componentId: "org1msp" }, displayName: "Org1 MSP", kind: "msp", outcome, id: "org1msp" };
const report = (targets: TargetReport[], dryRun = false) => ({ sourceRegionId: "r1", dryRun, targets });
/** The backend's plan: these targets, and these CAs lacking their admin credentials. */
const plan = (targets: TargetReport[], casLackingAdmins: CaAdminStatus[] = []) => ({
  operation: { kind: "mesh" as const },
  targets,
  casLackingAdmins,
});
const REPLICATE = { kind: "replicate_org", sourceRegionId: "r1", mspId: "Org1MSP" };
const itemOutcomes = (prefix: string, regionId: string) =>
  [...document.querySelectorAll(`[data-testid="${prefix}-target-${regionId}"] [data-testid="${prefix}-item"]`)].map((e) =>
    e.getAttribute("data-outcome"),
  );

describe("ReplicateOrgDialog", () => {
  function render(props: Partial<{ sourceRegionId: string | null; mspId: string | null; targetRegionIds: string[] | null }> = {}) {
    const onclose = vi.fn();

    app = mount(ReplicateOrgDialog, {
      target: document.body,
      props: { regions: REGIONS, health: HEALTH, sourceRegionId: "r1", mspId: "Org1MSP", onclose, ...props },
    });
    flushSync();
    return { onclose };
  }

  it("starts on the source's org with every other region ticked, and previews without changing anything", async () => {
    render({ sourceRegionId: null, mspId: null });
    expect(el<HTMLSelectElement>("replicate-source")!.value).toBe("r1");
    expect([...el<HTMLSelectElement>("replicate-source")!.options].map((o) => o.value)).toEqual(["r1"]);
    expect(el<HTMLSelectElement>("replicate-org")!.value).toBe("Org1MSP");
    for (const id of ["all", "r2", "r3"]) expect(el<HTMLInputElement>(`replicate-target-${id}`)!.checked).toBe(true);

    api.planOperation.mockResolvedValueOnce(
      plan([
        { regionId: "r2", items: [msp("would_create")], error: null },
        { regionId: "r3", items: [msp("already_there")], error: null },
      ]),
    );
    click("replicate-preview");
    await settle();
    expect(api.planOperation).toHaveBeenCalledExactlyOnceWith({ ...REPLICATE, targetRegionIds: ["r2", "r3"] });
    expect(api.applyOperation).not.toHaveBeenCalled();
    expect(el("replicate-plan")!.getAttribute("data-phase")).toBe("finished");
    expect(itemOutcomes("replicate-plan", "r2")).toEqual(["would_create"]);
    expect(el("replicate-plan-target-r2")!.textContent).toMatch(/1 to create/);
    expect(el("replicate-plan-target-r3")!.textContent).toMatch(/1 already there/);
  });

  it("opened from a posture finding, ticks only the regions the fix names, and previews with them", async () => {
    render({ sourceRegionId: "r1", mspId: "Org1MSP", targetRegionIds: ["r3"] });
    expect(el<HTMLInputElement>("replicate-target-r2")!.checked).toBe(false);
    expect(el<HTMLInputElement>("replicate-target-r3")!.checked).toBe(true);
    api.planOperation.mockResolvedValueOnce(plan([{ regionId: "r3", items: [msp("would_create")], error: null }]));
    click("replicate-preview");
    await settle();
    expect(api.planOperation).toHaveBeenCalledExactlyOnceWith({ ...REPLICATE, targetRegionIds: ["r3"] });
    expect(api.applyOperation).not.toHaveBeenCalled();
  });

  it("asks for the CA admin credentials before replicating, then shows progress per region and retries the failed one", async () => {
    render();
    api.planOperation.mockResolvedValueOnce(plan([], [ORG1CA]));
    api.saveCaAdmins.mockResolvedValueOnce({ ...ORG1CA, caAdminEnrollId: "admin", tlscaAdminEnrollId: "tlsadmin" });
    let send: (e: TransferEvent) => void = () => {};
    let finish: (r: ReturnType<typeof report>) => void = () => {};
    api.applyOperation.mockImplementationOnce((_id, _operation, onEvent) => {
      send = onEvent;
      return new Promise((resolve) => (finish = resolve));
    });

    submit("replicate-confirm");
    await settle();
    expect(api.planOperation).toHaveBeenCalledWith({ ...REPLICATE, targetRegionIds: ["r2", "r3"] });
    expect(el("replicate-dialog")!.getAttribute("data-step")).toBe("credentials");
    expect(api.applyOperation).not.toHaveBeenCalled();
    fillCa();
    submit("ca-admin-save");
    await settle();

    expect(el("replicate-dialog")!.getAttribute("data-step")).toBe("run");
    expect(api.applyOperation).toHaveBeenCalledWith(expect.any(String), { ...REPLICATE, targetRegionIds: ["r2", "r3"] }, expect.any(Function));
    send({ event: "read", items: 1 });
    send({ event: "planned", target: "r2", to_create: 1 });
    send({ event: "item", target: "r2", report: msp("created") });
    flushSync();
    expect(el("replicate-progress")!.getAttribute("data-phase")).toBe("running");
    expect(el("replicate-headline")!.textContent).toMatch(/Replicating org Org1MSP from US East/);
    expect(el("replicate-stop")).not.toBeNull();

    finish(report([
      { regionId: "r2", items: [msp("created")], error: null },
      { regionId: "r3", items: [], error: "connection refused" },
    ]));
    await settle();
    expect(el("replicate-progress")!.getAttribute("data-outcome")).toBe("warning");
    expect(el("replicate-headline")!.textContent!.trim()).toBe("Replicated Org1MSP to US West; Canada failed (connection refused)");
    expect(el("replicate-headline")!.classList.contains("tone-warning")).toBe(true);

    api.applyOperation.mockResolvedValueOnce(report([{ regionId: "r3", items: [msp("created")], error: null }]));
    click("replicate-retry");
    await settle();
    expect(api.applyOperation).toHaveBeenLastCalledWith(expect.any(String), { ...REPLICATE, targetRegionIds: ["r3"] }, expect.any(Function));
    expect(el("replicate-progress")!.getAttribute("data-outcome")).toBe("ok");
    expect(el("replicate-headline")!.textContent!.trim()).toBe("Replicated Org1MSP to US West, Canada");
  });

  it("words its result from the items: skipped only, failed only, mixed", async () => {
    const headlineAfter = async (targets: TargetReport[]) => {
      api.planOperation.mockResolvedValueOnce(plan([]));
      api.applyOperation.mockResolvedValueOnce(report(targets));
      render();
      submit("replicate-confirm");
      await settle();
      const shown = { text: el("replicate-headline")!.textContent!.trim(), tone: el("replicate-progress")!.getAttribute("data-outcome") };
      unmount(app!);
      app = undefined;
      return shown;
    };
    expect(
      await headlineAfter([
        { regionId: "r2", items: [msp("already_there")], error: null },
        { regionId: "r3", items: [msp("already_there")], error: null },
      ]),
    ).toEqual({ text: "Org1MSP is already in US West, Canada — nothing replicated", tone: "neutral" });
    expect(
      await headlineAfter([
        { regionId: "r2", items: [], error: "connection refused" },
        { regionId: "r3", items: [], error: "timed out" },
      ]),
    ).toEqual({ text: "Nothing replicated: US West failed (connection refused); Canada failed (timed out)", tone: "error" });
    expect(
      await headlineAfter([
        { regionId: "r2", items: [msp("created")], error: null },
        { regionId: "r3", items: [msp("already_there")], error: null },
      ]),
    ).toEqual({ text: "Replicated Org1MSP to US West; already in Canada", tone: "ok" });
  });

  it("does not replicate when the credentials prompt is cancelled, nor without a target", async () => {
    render();
    click("replicate-target-all");
    submit("replicate-confirm");
    await settle();
    expect(document.querySelector('[role="alert"]')!.textContent).toBe("Choose at least one region.");
    expect(api.planOperation).not.toHaveBeenCalled();

    click("replicate-target-r3");
    api.planOperation.mockResolvedValueOnce(plan([], [ORG1CA]));
    submit("replicate-confirm");
    await settle();
    click("ca-admin-cancel");
    await settle();
    expect(el("replicate-dialog")!.getAttribute("data-step")).toBe("choose");
    expect(el("replicate-notice")!.textContent).toMatch(/Nothing was replicated/);
    expect(api.applyOperation).not.toHaveBeenCalled();
  });

  it("names the org's admin identity from the wallet, or says none will come along", async () => {
    const identity = (name: string, mspId: string | null) => ({
      name,
      subject: `CN=${name}`,
      issuer: "CN=ca",
      notAfter: "2027-01-01",
      mspId,
      adminOf: mspId ? ["r1"] : [],
      adminRegions: mspId ? [{ id: "r1", name: "US East", removed: false }] : [],
    });
    api.listIdentities.mockResolvedValueOnce([identity("org1admin", "Org1MSP"), identity("org2admin", "Org2MSP")]);
    render();
    await settle();
    expect(el("replicate-wallet-admins")!.textContent).toMatch(/org1admin/);
    expect(el("replicate-wallet-admins")!.textContent).not.toMatch(/org2admin/);
    expect(el("replicate-no-admin")).toBeNull();
    unmount(app!);

    api.listIdentities.mockResolvedValueOnce([identity("org2admin", "Org2MSP")]);
    render();
    await settle();
    expect(el("replicate-wallet-admins")).toBeNull();
    expect(el("replicate-no-admin")!.textContent).toMatch(/no admin identity of Org1MSP.*make it admin on US East/s);
  });

  it("offers the console wallet file of an identity that became the org's admin on new regions", async () => {
    render();
    api.planOperation.mockResolvedValueOnce(plan([]));
    const admin = (outcome: "created" | "already_there") => ({
      source: { from: "wallet" as const, identity: "org1admin" },
      displayName: "org1admin",
      kind: "identity",
      outcome,
      id: "org1msp",
    });
    api.applyOperation.mockResolvedValueOnce(
      report([
        { regionId: "r2", items: [msp("created"), admin("created")], error: null },
        { regionId: "r3", items: [msp("already_there"), admin("already_there")], error: null },
      ]),
    );
    submit("replicate-confirm");
    await settle();
    const labels = [...document.querySelectorAll('[data-testid="replicate-progress-target-r2"] .badge')].map((b) => b.textContent);
    expect(labels).toEqual(["Created", "Now admin"]);
    const note = el("replicate-admin-org1admin")!;
    expect(note.textContent).toMatch(/org1admin is now the admin identity of Org1MSP on US West\./);
    api.exportIdentity.mockResolvedValueOnce({ path: "/home/me/org1admin.json", fileName: "org1admin.json" });
    click("replicate-admin-save-org1admin");
    await settle();
    expect(api.exportIdentity).toHaveBeenCalledExactlyOnceWith("org1admin", null);
    expect(el("replicate-admin-saved-org1admin")!.textContent).toMatch(/\/home\/me\/org1admin\.json/);
  });

  it("says so when no region holds an org, and closes on Escape", () => {
    const { onclose } = render();
    el("replicate-dialog")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(onclose).toHaveBeenCalledOnce();
    unmount(app!);
    app = mount(ReplicateOrgDialog, {
      target: document.body,
      props: { regions: REGIONS, health: { r1: health("r1", []) }, onclose: vi.fn() },
    });
    flushSync();
    expect(el("replicate-no-org")).not.toBeNull();
  });
});

describe("FullMeshDialog", () => {
  const peer = (outcome: "would_create" | "created" | "already_there", from = "r1") =>
    outcome === "would_create"
      ? { source: { from: "console" as const, regionId: from, componentId: "org1peer1" }, displayName: "Org1 Peer1", kind: "fabric-peer", outcome }
      : { source: { from: "console" as const, regionId: from, componentId: "org1peer1" }, displayName: "Org1 Peer1", kind: "fabric-peer", outcome, id: "org1peer1" };

  function render() {
    const onclose = vi.fn();
    app = mount(FullMeshDialog, { target: document.body, props: { regions: REGIONS, onclose } });
    flushSync();
    return { onclose };
  }

  it("opens on the plan, then applies it with progress and the per-region report", async () => {
    api.planOperation.mockResolvedValueOnce(
      plan([
        { regionId: "r1", items: [], error: null },
        { regionId: "r2", items: [peer("would_create")], error: null },
        { regionId: "r3", items: [peer("already_there")], error: null },
      ]),
    );
    render();
    await settle();
    expect(api.planOperation).toHaveBeenCalledExactlyOnceWith({ kind: "mesh" });
    expect(el("mesh-dialog")!.getAttribute("data-step")).toBe("plan");
    expect(itemOutcomes("mesh-plan", "r2")).toEqual(["would_create"]);
    expect(el("mesh-plan-target-r2")!.textContent).toMatch(/1 to create/);
    expect(el("mesh-plan-target-r2")!.textContent).toMatch(/from US East/);
    expect(el<HTMLButtonElement>("mesh-apply")!.disabled).toBe(false);

    let finish: (r: ReturnType<typeof report>) => void = () => {};
    api.applyOperation.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    click("mesh-apply");
    await settle();
    expect(api.applyOperation).toHaveBeenLastCalledWith(expect.stringMatching(/^transfer-/), { kind: "mesh" }, expect.any(Function));
    expect(el("mesh-dialog")!.getAttribute("data-step")).toBe("apply");
    expect(el("mesh-stop")).not.toBeNull();
    api.cancelTransfer.mockResolvedValueOnce(true);
    click("mesh-stop");
    await settle();
    expect(api.cancelTransfer).toHaveBeenCalledOnce();
    finish(
      report([
        { regionId: "r1", items: [], error: null },
        { regionId: "r2", items: [peer("created")], error: null },
        { regionId: "r3", items: [peer("already_there")], error: null },
      ]),
    );
    await settle();
    expect(el("mesh-dialog")!.getAttribute("data-outcome")).toBe("ok");
    expect(el("mesh-headline")!.textContent!.trim()).toBe("Copied the other regions' nodes to US West; already in Canada");
    expect(itemOutcomes("mesh-progress", "r2")).toEqual(["created"]);
  });

  it("offers no Apply when every console already knows every node", async () => {
    api.planOperation.mockResolvedValueOnce(
      plan([
        { regionId: "r1", items: [peer("already_there", "r2")], error: null },
        { regionId: "r2", items: [peer("already_there")], error: null },
      ]),
    );
    const { onclose } = render();
    await settle();
    expect(el("mesh-headline")!.textContent).toMatch(/Nothing to do/);
    expect(el<HTMLButtonElement>("mesh-apply")!.disabled).toBe(true);
    click("mesh-cancel");
    expect(onclose).toHaveBeenCalledOnce();
  });

  it("shows a region it could not read as failed, and plans again on request", async () => {
    api.planOperation.mockResolvedValueOnce(plan([{ regionId: "r3", items: [], error: "console unreachable" }]));
    render();
    await settle();
    expect(el("mesh-plan-target-r3")!.getAttribute("data-phase")).toBe("failed");
    expect(el("mesh-plan-target-r3")!.textContent).toMatch(/console unreachable/);
    expect(el("mesh-headline")!.textContent!.trim()).toBe("The plan is incomplete: Canada could not be read.");
    api.planOperation.mockResolvedValueOnce(plan([{ regionId: "r3", items: [], error: null }]));
    click("mesh-replan");
    await settle();
    expect(api.planOperation).toHaveBeenCalledTimes(2);
    expect(el("mesh-plan-target-r3")!.getAttribute("data-phase")).toBe("done");
  });
});
