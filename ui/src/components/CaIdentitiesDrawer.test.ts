// @vitest-environment happy-dom
// "Identities" of a CA row: the CA server's own words and the identities it holds (Fabric CA's
// hf.* attributes only when expanded), read again after a registration and when the CA's admins
// are given; an unreachable CA and unverified admins said in words, the latter with the way out.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CaIdentity } from "../bindings/CaIdentity";
import type { Change } from "../bindings/Change";
import * as ipc from "../lib/ipc";
import { byTestId, settle } from "../testing/dom";
import { reactiveProps } from "../testing/props.svelte";
import CaIdentitiesDrawer from "./CaIdentitiesDrawer.svelte";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  caIdentities: vi.fn(),
  caInfo: vi.fn(),
  onChanged: vi.fn(),
}));
const api = vi.mocked(ipc);

const CA = { regionId: "west", caId: "org1ca", label: "Org1 CA" };
const INFO = {
  apiUrl: "https://127.0.0.1:7054",
  ca: { name: "ca", version: "v1.5.21", chain: ["CN=ca.org1.example.com"] },
  tlsca: { name: "tlsca", version: "v1.5.21", chain: ["CN=tlsca.org1.example.com"] },
};
const ADMIN: CaIdentity = {
  id: "admin",
  kind: "client",
  affiliation: "",
  maxEnrollments: -1,
  attrs: [
    { name: "hf.Registrar.Roles", value: "*", ecert: false },
    { name: "hf.Revoker", value: "true", ecert: false },
  ],
};
const PEER5: CaIdentity = {
  id: "peer5",
  kind: "peer",
  affiliation: "org1.department1",
  maxEnrollments: 2,
  attrs: [
    { name: "role", value: "edge", ecert: true },
    { name: "hf.EnrollmentID", value: "peer5", ecert: true },
  ],
};

let listeners: ((change: Change) => void)[] = [];
let drawer: ReturnType<typeof mount> | undefined;

beforeEach(() => {
  listeners = [];
  api.onChanged.mockImplementation(async (listener) => {
    listeners.push(listener);
    return () => {};
  });
  api.caInfo.mockResolvedValue(INFO);
});
afterEach(() => {
  if (drawer) unmount(drawer);
  drawer = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

async function render() {
  const props = reactiveProps({ registrations: 0 });
  const onaction = vi.fn();
  const onclose = vi.fn();
  drawer = mount(CaIdentitiesDrawer, {
    target: document.body,
    props: {
      ca: CA,
      regionName: "US West",
      get registrations() {
        return props.registrations;
      },
      onaction,
      onclose,
    },
  });
  await settle();
  return { props, onaction, onclose };
}

const ids = () => [...document.querySelectorAll('[data-testid^="ca-identity-"][data-kind]')].map((li) => [li.getAttribute("data-testid"), li.getAttribute("data-kind")]);

describe("CaIdentitiesDrawer", () => {
  it("lists the identities by id with type, affiliation and max enrollments in words, and the server's own words", async () => {
    api.caIdentities.mockResolvedValue([PEER5, ADMIN]);
    await render();
    expect(api.caIdentities).toHaveBeenCalledExactlyOnceWith("west", "org1ca");
    expect(byTestId("ca-identities")!.getAttribute("aria-labelledby")).toBe("ca-identities-title");
    expect(document.getElementById("ca-identities-title")!.textContent).toBe("Identities of Org1 CA");
    expect(ids()).toEqual([
      ["ca-identity-admin", "client"],
      ["ca-identity-peer5", "peer"],
    ]);
    expect(byTestId("ca-identities-count")!.textContent!.trim()).toBe("2 identities");
    const admin = byTestId("ca-identity-admin")!;
    expect(admin.textContent).toContain("none (the root)");
    expect(admin.querySelector('[data-testid="ca-identity-max"]')!.textContent).toBe("unlimited");
    expect(byTestId("ca-identity-peer5")!.querySelector('[data-testid="ca-identity-max"]')!.textContent).toBe("2");
    expect(byTestId("ca-identities-server")!.textContent).toContain("https://127.0.0.1:7054");
    expect(byTestId("ca-identities-server")!.textContent).toContain("Fabric CA v1.5.21");
  });

  it("keeps Fabric CA's hf.* attributes folded until asked for", async () => {
    api.caIdentities.mockResolvedValue([PEER5]);
    await render();
    const peer = byTestId("ca-identity-peer5")!;
    expect(peer.querySelector('[data-testid="ca-identity-attrs"]')!.textContent).toContain("role=edge (in its certificates)");
    const hf = peer.querySelector<HTMLElement>('[data-testid="ca-identity-hf"]')!;
    expect(hf.hidden).toBe(true);
    const toggle = peer.querySelector<HTMLButtonElement>('[data-testid="ca-identity-hf-toggle"]')!;
    expect(toggle.textContent).toBe("Show 1 hf.* attribute");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    toggle.click();
    flushSync();
    expect(hf.hidden).toBe(false);
    expect(hf.textContent).toContain("hf.EnrollmentID=peer5");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
  });

  it("reads again after a registration and when the CA's admins are given, not on other changes", async () => {
    api.caIdentities.mockResolvedValueOnce([ADMIN]).mockResolvedValueOnce([ADMIN, PEER5]).mockResolvedValueOnce([ADMIN, PEER5]);
    const { props } = await render();
    expect(ids()).toHaveLength(1);
    props.registrations = 1;
    await settle();
    expect(api.caIdentities).toHaveBeenCalledTimes(2);
    expect(ids()).toHaveLength(2);
    listeners.forEach((l) => l("wallet"));
    await settle();
    expect(api.caIdentities).toHaveBeenCalledTimes(2);
    listeners.forEach((l) => l("ca_admins"));
    await settle();
    expect(api.caIdentities).toHaveBeenCalledTimes(3);
  });

  it("unverified admins: says so and offers to give them, with the button as the opener", async () => {
    api.caIdentities.mockRejectedValue({
      code: "invalid_input",
      message: "field 'caAdmins': the admins of Org1 CA have not been verified with the CA",
      field: "caAdmins",
    });
    const { onaction } = await render();
    expect(byTestId("ca-identities-error")!.textContent).toContain("The admins of Org1 CA have not been verified with the CA");
    const give = byTestId("ca-identities-give-admins")!;
    give.click();
    expect(onaction).toHaveBeenCalledExactlyOnceWith("admins", give);
    expect(byTestId("ca-identities-list")).toBeNull();
  });

  it("an unreachable CA is said with its URL, with no offer of admins", async () => {
    const message = "the CA at https://127.0.0.1:7054 cannot be reached from this machine: nothing answered";
    api.caIdentities.mockRejectedValue({ code: "unreachable", message });
    api.caInfo.mockRejectedValue({ code: "unreachable", message });
    await render();
    const error = byTestId("ca-identities-error")!;
    expect(error.textContent).toContain("The CA at https://127.0.0.1:7054 cannot be reached from this machine");
    expect(error.dataset.code).toBe("unreachable");
    expect(byTestId("ca-identities-give-admins")).toBeNull();
    expect(byTestId("ca-identities-info-error")).toBeNull();
  });

  it("says it is reading until the first answer; Register and Enroll hand their button over", async () => {
    let answer: (value: CaIdentity[]) => void = () => {};
    api.caIdentities.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { onaction } = await render();
    expect(byTestId("ca-identities-loading")!.textContent).toBe("Reading the identities registered with Org1 CA…");
    answer([]);
    await settle();
    expect(byTestId("ca-identities-loading")).toBeNull();
    expect(byTestId("ca-identities-count")!.textContent!.trim()).toBe("No identities.");
    byTestId("ca-identities-register")!.click();
    byTestId("ca-identities-enroll")!.click();
    expect(onaction.mock.calls.map(([action, opener]) => [action, (opener as HTMLElement).dataset.testid])).toEqual([
      ["register", "ca-identities-register"],
      ["enroll", "ca-identities-enroll"],
    ]);
  });
});
