// @vitest-environment happy-dom
// The dialogs a CA row opens, against a mocked IPC module: "CA admins…" (what is kept, a refusal
// under its field, a save's outcome never hiding an unchecked one), "Register identity…" (checks,
// the request, the per-CA report, the secret on request, the CA's admins given on the spot) and
// "Enroll into wallet…" (the wallet name, refusals under their fields, the result).

import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import type { RegisterReport } from "../bindings/RegisterReport";
import * as ipc from "../lib/ipc";
import { byTestId, settle } from "../testing/dom";
import CaAdminsDialog from "./CaAdminsDialog.svelte";
import EnrollWalletDialog from "./EnrollWalletDialog.svelte";
import RegisterIdentityDialog from "./RegisterIdentityDialog.svelte";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  appInfo: vi.fn(),
  caAdminStatus: vi.fn(),
  saveCaAdmins: vi.fn(),
  registerIdentity: vi.fn(),
  registeredSecret: vi.fn(),
  enrollIntoWallet: vi.fn(),
}));
const api = vi.mocked(ipc);

const CA = { regionId: "west", caId: "org1ca", label: "Org1 CA" };
const STATUS: CaAdminStatus = {
  componentId: "org1ca",
  displayName: "Org1 CA",
  apiUrl: "https://127.0.0.1:7054",
  caName: "ca",
  caAdminEnrollId: null,
  tlscaAdminEnrollId: null,
  regionId: "west",
};
const VERIFIED: CaAdminStatus = { ...STATUS, caAdminEnrollId: "admin", tlscaAdminEnrollId: "admin", verified: true };
const REFUSED = {
  code: "invalid_input" as const,
  message:
    "field 'tlscaAdmin.enrollSecret': The TLS CA admin 'admin' was refused by Org1 CA's TLS CA (tlsca): Authentication failure (Fabric CA error 20, HTTP 401); nothing was kept",
  field: "tlscaAdmin.enrollSecret",
};

let shown: ReturnType<typeof mount> | undefined;
beforeEach(() => {
  api.appInfo.mockResolvedValue({ sandbox: true } as Awaited<ReturnType<typeof ipc.appInfo>>);
});
afterEach(() => {
  if (shown) unmount(shown);
  shown = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

const el = byTestId;
const input = (testid: string) => el<HTMLInputElement>(testid)!;
function type(testid: string, value: string) {
  const field = input(testid);
  field.value = value;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
}
function choose(testid: string, value: string) {
  const select = el<HTMLSelectElement>(testid)!;
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  flushSync();
}
function click(testid: string) {
  el(testid)!.click();
  flushSync();
}
function submit(testid: string) {
  const button = el<HTMLButtonElement>(testid)!;
  button.form!.requestSubmit(button);
  flushSync();
}
const escape = (on: Element) => on.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));

describe("CA admins…", () => {
  async function render(status: CaAdminStatus = STATUS) {
    api.caAdminStatus.mockResolvedValue(status);
    const onclose = vi.fn();
    shown = mount(CaAdminsDialog, { target: document.body, props: { ca: CA, regionName: "US West", onclose } });
    await settle();
    return { onclose };
  }
  const fillAll = (tlsSecret = "adminpw") => {
    type("ca-admins-caAdminEnrollId", "admin");
    type("ca-admins-caAdminEnrollSecret", "adminpw");
    type("ca-admins-tlscaAdminEnrollId", "admin");
    type("ca-admins-tlscaAdminEnrollSecret", tlsSecret);
  };

  it("says what is kept: the ids, verified with the CA, and starts the form from the kept ids", async () => {
    await render(VERIFIED);
    expect(api.caAdminStatus).toHaveBeenCalledExactlyOnceWith("west", "org1ca");
    const status = el("ca-admins-status")!;
    expect(status.dataset.verified).toBe("true");
    expect(status.textContent).toContain("CA admin “admin” and TLS CA admin “admin” are kept, verified with the CA.");
    expect(input("ca-admins-caAdminEnrollId").value).toBe("admin");
    expect(input("ca-admins-caAdminEnrollSecret").value).toBe("");
    expect(el("ca-admins-save")!.textContent).toContain("Replace");
  });

  it("shows the CA's refusal under the TLS CA admin's secret, describing it; nothing else is said kept", async () => {
    await render();
    expect(el("ca-admins-status")!.textContent).toContain("No admin credentials are kept for Org1 CA yet.");
    api.saveCaAdmins.mockRejectedValueOnce(REFUSED);
    fillAll("wrong");
    submit("ca-admins-save");
    await settle();
    expect(api.saveCaAdmins).toHaveBeenCalledExactlyOnceWith(STATUS, {
      caAdmin: { enrollId: "admin", enrollSecret: "adminpw" },
      tlscaAdmin: { enrollId: "admin", enrollSecret: "wrong" },
    });
    const problem = el("ca-admins-tlscaAdminEnrollSecret-problem")!;
    expect(problem.textContent).toBe(
      "The TLS CA admin 'admin' was refused by Org1 CA's TLS CA (tlsca): Authentication failure (Fabric CA error 20, HTTP 401); nothing was kept",
    );
    const secret = input("ca-admins-tlscaAdminEnrollSecret");
    expect(secret.getAttribute("aria-invalid")).toBe("true");
    expect(secret.getAttribute("aria-describedby")).toBe(problem.id);
    expect(document.activeElement).toBe(secret);
    expect(el("ca-admins-caAdminEnrollSecret-problem")).toBeNull();
    expect(el("ca-admins-saved")).toBeNull();
  });

  it("a save kept without checking says why, and the secrets are cleared once sent", async () => {
    await render();
    const note = "not checked: the CA at https://127.0.0.1:7054 cannot be reached from this machine: nothing answered";
    api.saveCaAdmins.mockResolvedValueOnce({ ...STATUS, caAdminEnrollId: "admin", tlscaAdminEnrollId: "admin", verified: false, note });
    fillAll();
    submit("ca-admins-save");
    await settle();
    expect(el("ca-admins-saved")!.textContent).toBe(`Kept for Org1 CA, ${note}.`);
    expect(el("ca-admins-saved")!.classList.contains("tone-warning")).toBe(true);
    expect(el("ca-admins-status")!.dataset.verified).toBe("false");
    expect(input("ca-admins-caAdminEnrollSecret").value).toBe("");
    expect(input("ca-admins-tlscaAdminEnrollSecret").value).toBe("");
  });

  it("fills the sandbox's bootstrap admin in on request; Escape closes", async () => {
    const { onclose } = await render();
    expect(el("ca-admins-sandbox-note")!.textContent).toContain("admin / adminpw");
    click("ca-admins-sandbox-fill");
    expect(input("ca-admins-tlscaAdminEnrollSecret").value).toBe("adminpw");
    escape(el("ca-admins-dialog")!);
    expect(onclose).toHaveBeenCalledOnce();
  });

  it("says when what is kept cannot be read, and sends nothing", async () => {
    api.caAdminStatus.mockRejectedValueOnce({ code: "unreachable", message: "US West's console did not answer" });
    shown = mount(CaAdminsDialog, { target: document.body, props: { ca: CA, regionName: "US West", onclose: vi.fn() } });
    await settle();
    expect(el("ca-admins-load-error")!.textContent).toContain("Could not read what is kept for Org1 CA: US West's console did not answer");
    expect(el<HTMLButtonElement>("ca-admins-save")!.disabled).toBe(true);
  });
});

const PEER_REPORT: RegisterReport = {
  enrollId: "peer5",
  kind: "peer",
  results: [
    { ca: "Org1 CA (ca)", outcome: "registered", message: null },
    { ca: "Org1 CA's TLS CA (tlsca)", outcome: "registered", message: null },
  ],
  secretKept: true,
};

describe("Register identity…", () => {
  async function render() {
    const onregistered = vi.fn();
    const onenroll = vi.fn();
    const onclose = vi.fn();
    shown = mount(RegisterIdentityDialog, {
      target: document.body,
      props: { ca: CA, regionName: "US West", onregistered, onenroll, onclose },
    });
    await settle();
    return { onregistered, onenroll, onclose };
  }
  const results = () =>
    [...document.querySelectorAll('[data-testid="register-result"]')].map((li) => [li.querySelector("strong")!.textContent, li.getAttribute("data-outcome")]);

  it("checks the form first: the enroll id and an attribute without a name, under their fields; nothing is sent", async () => {
    await render();
    expect(document.activeElement).toBe(input("register-enrollId"));
    click("register-attr-add");
    type("register-attr-value-0", "edge");
    submit("register-submit");
    await settle();
    expect(el("register-enrollId-problem")!.textContent).toBe("Enroll ID is required.");
    expect(input("register-enrollId").getAttribute("aria-describedby")).toBe("register-enrollId-problem");
    expect(el("register-attrs-problem")!.textContent).toBe("Attribute 1 needs a name.");
    expect(input("register-attr-name-0").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(input("register-enrollId"));
    expect(api.registerIdentity).not.toHaveBeenCalled();
  });

  it("says a peer is registered on the CA and its TLS CA; reports each; shows the secret only on request, and hides it again", async () => {
    const { onregistered } = await render();
    expect(el("register-kind-hint")!.textContent).toContain("on Org1 CA and on its TLS CA");
    type("register-enrollId", "peer5");
    type("register-affiliation", "org1.department1");
    type("register-maxEnrollments", "2");
    click("register-attr-add");
    type("register-attr-name-0", "role");
    type("register-attr-value-0", "edge");
    click("register-attr-add");
    click("register-attr-remove-1");
    api.registerIdentity.mockResolvedValueOnce(PEER_REPORT);
    submit("register-submit");
    await settle();
    expect(api.registerIdentity).toHaveBeenCalledExactlyOnceWith("west", "org1ca", {
      enrollId: "peer5",
      kind: "peer",
      affiliation: "org1.department1",
      maxEnrollments: 2,
      attrs: [{ name: "role", value: "edge", ecert: false }],
      secret: null,
    });
    expect(onregistered).toHaveBeenCalledExactlyOnceWith(PEER_REPORT);
    expect(el("register-dialog")!.dataset.step).toBe("report");
    expect(el("register-headline")!.textContent).toContain("Registered peer5 as a peer on Org1 CA (ca) and Org1 CA's TLS CA (tlsca).");
    expect(results()).toEqual([
      ["Org1 CA (ca)", "registered"],
      ["Org1 CA's TLS CA (tlsca)", "registered"],
    ]);
    expect(el("register-enroll")).toBeNull();
    expect(el("register-secret")).toBeNull();
    expect(api.registeredSecret).not.toHaveBeenCalled();

    api.registeredSecret.mockResolvedValueOnce("D8VQafflkezS88CL1ci7vRn0");
    const toggle = el("register-secret-toggle")!;
    toggle.click();
    await settle();
    expect(api.registeredSecret).toHaveBeenCalledExactlyOnceWith("west", "org1ca", "peer5");
    expect(el("register-secret")!.textContent).toBe("D8VQafflkezS88CL1ci7vRn0");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(toggle.textContent).toBe("Hide secret");
    toggle.click();
    flushSync();
    expect(el("register-secret")).toBeNull();
    expect(document.body.textContent).not.toContain("D8VQafflkezS88CL1ci7vRn0");
    expect(api.registeredSecret).toHaveBeenCalledOnce();
  });

  it("an id the CA knows already offers the existing identity: a client's way into the wallet", async () => {
    const { onenroll } = await render();
    type("register-enrollId", "client7");
    choose("register-kind", "client");
    expect(el("register-kind-hint")!.textContent).toContain("Registered on Org1 CA only");
    type("register-secret", "client7-pw");
    const message = "'client7' is already registered: use the existing identity (enroll it with the secret it was registered with)";
    api.registerIdentity.mockResolvedValueOnce({
      enrollId: "client7",
      kind: "client",
      results: [{ ca: "Org1 CA (ca)", outcome: "already_registered", message }],
      secretKept: false,
    });
    submit("register-submit");
    await settle();
    expect(api.registerIdentity.mock.calls[0]![2]).toMatchObject({ kind: "client", secret: "client7-pw" });
    expect(el("register-headline")!.textContent).toContain("client7 is already registered on Org1 CA (ca): nothing changed.");
    expect(el("register-results")!.textContent).toContain("'client7' is already registered: use the existing identity");
    expect(el("register-secret-toggle")).toBeNull();
    click("register-enroll");
    expect(onenroll).toHaveBeenCalledExactlyOnceWith("client7");
  });

  it("a typed field error goes under its field", async () => {
    await render();
    type("register-enrollId", "peer5");
    api.registerIdentity.mockRejectedValueOnce({
      code: "invalid_input",
      message: "field 'attrs': an attribute needs a name (value 'x')",
      field: "attrs",
    });
    submit("register-submit");
    await settle();
    expect(el("register-attrs-problem")!.textContent).toBe("An attribute needs a name (value 'x')");
    expect(el("register-error")).toBeNull();
  });

  it("when the CA's admins are not verified, gives them right here, then registers the form as it was", async () => {
    await render();
    type("register-enrollId", "peer5");
    type("register-secret", "peer5-pw");
    api.registerIdentity.mockRejectedValueOnce({
      code: "invalid_input",
      message: "field 'caAdmins': the admins of Org1 CA have not been verified with the CA: give their enroll credentials",
      field: "caAdmins",
    });
    submit("register-submit");
    await settle();
    expect(el("register-needs-admins")!.textContent).toContain("The admins of Org1 CA have not been verified with the CA");
    expect(document.activeElement).toBe(el("register-give-admins"));

    api.caAdminStatus.mockResolvedValueOnce(STATUS);
    click("register-give-admins");
    await settle();
    expect(el("register-dialog")!.dataset.step).toBe("admins");
    expect(el("ca-admins-back")!.textContent).toBe("Back");
    click("ca-admins-sandbox-fill");
    api.saveCaAdmins.mockResolvedValueOnce(VERIFIED);
    api.registerIdentity.mockResolvedValueOnce(PEER_REPORT);
    submit("ca-admins-save");
    await settle();
    expect(api.registerIdentity).toHaveBeenCalledTimes(2);
    expect(api.registerIdentity.mock.calls[1]![2]).toMatchObject({ enrollId: "peer5", secret: "peer5-pw" });
    expect(el("register-dialog")!.dataset.step).toBe("report");
  });

  it("admins kept without checking do not register: the step says why and stays", async () => {
    await render();
    type("register-enrollId", "peer5");
    api.registerIdentity.mockRejectedValueOnce({ code: "invalid_input", message: "field 'caAdmins': not verified", field: "caAdmins" });
    submit("register-submit");
    await settle();
    api.caAdminStatus.mockResolvedValueOnce(STATUS);
    click("register-give-admins");
    await settle();
    click("ca-admins-sandbox-fill");
    api.saveCaAdmins.mockResolvedValueOnce({ ...VERIFIED, verified: false, note: "not checked: the CA at https://127.0.0.1:7054 cannot be reached" });
    submit("ca-admins-save");
    await settle();
    expect(api.registerIdentity).toHaveBeenCalledOnce();
    expect(el("register-dialog")!.dataset.step).toBe("admins");
    expect(el("ca-admins-saved")!.textContent).toContain("cannot be reached");
    click("ca-admins-back");
    await settle();
    expect(el("register-dialog")!.dataset.step).toBe("form");
    expect(input("register-enrollId").value).toBe("peer5");
  });

  it("any other failure is said in the dialog; Escape closes", async () => {
    const { onclose } = await render();
    type("register-enrollId", "peer5");
    api.registerIdentity.mockRejectedValueOnce({ code: "unreachable", message: "the CA at https://127.0.0.1:7054 cannot be reached from this machine" });
    submit("register-submit");
    await settle();
    expect(el("register-error")!.textContent).toBe("The CA at https://127.0.0.1:7054 cannot be reached from this machine");
    escape(el("register-dialog")!);
    expect(onclose).toHaveBeenCalledOnce();
  });
});

describe("Enroll into wallet…", () => {
  const IDENTITY = {
    name: "client7",
    subject: "OU=client, CN=client7",
    issuer: "ca.org1.example.com",
    notAfter: "2027-12-06",
    mspId: null,
    adminOf: [],
    adminRegions: [],
  };

  async function render(enrollId?: string) {
    const onshowwallet = vi.fn();
    const onclose = vi.fn();
    shown = mount(EnrollWalletDialog, {
      target: document.body,
      props: { ca: CA, regionName: "US West", enrollId, onshowwallet, onclose },
    });
    await settle();
    return { onshowwallet, onclose };
  }

  it("names the identity in the wallet after its enroll id until another name is typed", async () => {
    await render();
    expect(document.activeElement).toBe(input("enroll-id"));
    type("enroll-id", "client7");
    expect(input("enroll-wallet-name").value).toBe("client7");
    type("enroll-wallet-name", "ops");
    type("enroll-id", "client8");
    expect(input("enroll-wallet-name").value).toBe("ops");
  });

  it("checks every field first, sending nothing", async () => {
    await render();
    submit("enroll-submit");
    await settle();
    expect(el("enroll-id-problem")!.textContent).toBe("Enroll ID is required.");
    expect(el("enroll-secret-problem")!.textContent).toBe("Enroll secret is required.");
    expect(el("enroll-wallet-name-problem")!.textContent).toBe("Wallet name is required.");
    expect(input("enroll-wallet-name").getAttribute("aria-describedby")).toBe("enroll-wallet-name-problem enroll-wallet-name-hint");
    expect(api.enrollIntoWallet).not.toHaveBeenCalled();
  });

  it("puts a refused secret and a taken name under their fields, an unreachable CA in words naming its URL", async () => {
    await render("client7");
    expect(input("enroll-id").value).toBe("client7");
    expect(document.activeElement).toBe(input("enroll-secret"));
    type("enroll-secret", "wrong");
    api.enrollIntoWallet.mockRejectedValueOnce({
      code: "invalid_input",
      message: "field 'enrollSecret': 'client7' was refused by Org1 CA (ca): Authentication failure (Fabric CA error 20, HTTP 401)",
      field: "enrollSecret",
    });
    submit("enroll-submit");
    await settle();
    expect(api.enrollIntoWallet).toHaveBeenCalledExactlyOnceWith("west", "org1ca", "client7", "wrong", "client7");
    expect(el("enroll-secret-problem")!.textContent).toBe("'client7' was refused by Org1 CA (ca): Authentication failure (Fabric CA error 20, HTTP 401)");
    expect(document.activeElement).toBe(input("enroll-secret"));

    api.enrollIntoWallet.mockRejectedValueOnce({
      code: "invalid_input",
      message: "field 'walletName': the wallet already has an identity named 'client7'",
      field: "walletName",
    });
    submit("enroll-submit");
    await settle();
    expect(el("enroll-wallet-name-problem")!.textContent).toBe("The wallet already has an identity named 'client7'");
    expect(el("enroll-secret-problem")).toBeNull();

    api.enrollIntoWallet.mockRejectedValueOnce({ code: "unreachable", message: "the CA at https://127.0.0.1:7054 cannot be reached from this machine" });
    submit("enroll-submit");
    await settle();
    expect(el("enroll-error")!.textContent).toBe("The CA at https://127.0.0.1:7054 cannot be reached from this machine");
    expect(el("enroll-error")!.dataset.code).toBe("unreachable");
  });

  it("says what the wallet now holds, clears the secret, and shows the wallet on request", async () => {
    const { onshowwallet } = await render();
    type("enroll-id", "client7");
    type("enroll-secret", "client7-pw");
    api.enrollIntoWallet.mockResolvedValueOnce(IDENTITY);
    submit("enroll-submit");
    await settle();
    expect(api.enrollIntoWallet).toHaveBeenCalledExactlyOnceWith("west", "org1ca", "client7", "client7-pw", "client7");
    expect(el("enroll-done")!.textContent).toBe("client7 is in the wallet as “client7”, valid until 2027-12-06.");
    expect([...document.querySelectorAll("input")].map((i) => i.value)).not.toContain("client7-pw");
    expect(document.activeElement).toBe(el("enroll-close"));
    click("enroll-show-wallet");
    expect(onshowwallet).toHaveBeenCalledOnce();
  });
});
