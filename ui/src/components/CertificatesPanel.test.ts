// @vitest-environment happy-dom
// The certificate calendar panel: soonest first as the backend ordered it, how soon in words,
// every use, the consoles that did not answer, and a reload when the wallet changes.

import { mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Change } from "../bindings/Change";
import type { CertificateCalendar } from "../bindings/CertificateCalendar";
import * as ipc from "../lib/ipc";
import { byTestId, settle } from "../testing/dom";
import CertificatesPanel from "./CertificatesPanel.svelte";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  certificateCalendar: vi.fn(),
  onChanged: vi.fn(),
}));
const api = vi.mocked(ipc);

const CALENDAR: CertificateCalendar = {
  entries: [
    {
      sha256: "aa",
      subject: "CN=old-admin",
      issuer: "CN=Org1 CA",
      notAfter: 1,
      expires: "2026-11-01",
      daysLeft: -34,
      due: "expired",
      uses: [{ holder: "wallet: old-admin", usedAs: "identity", field: "cert" }],
    },
    {
      sha256: "bb",
      subject: "CN=Org1 CA",
      issuer: "CN=Org1 CA",
      notAfter: 2,
      expires: "2040-01-01",
      daysLeft: 4775,
      due: "later",
      uses: [
        { holder: "US East: Org1 MSP", usedAs: "ca_root", field: "root_certs" },
        { holder: "US West: Org1 MSP", usedAs: "ca_root", field: "root_certs" },
      ],
    },
  ],
  unread: [{ regionId: "ca", name: "Canada", message: "nothing listens at 127.0.0.1:1" }],
};

let listeners: ((change: Change) => void)[] = [];
let panel: ReturnType<typeof mount> | undefined;
beforeEach(() => {
  listeners = [];
  api.onChanged.mockImplementation(async (listener) => {
    listeners.push(listener);
    return () => {};
  });
});
afterEach(() => {
  if (panel) unmount(panel);
  panel = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

describe("CertificatesPanel", () => {
  it("lists each certificate with how soon it is due and every use, and names a console that did not answer", async () => {
    api.certificateCalendar.mockResolvedValue(CALENDAR);
    panel = mount(CertificatesPanel, { target: document.body, props: { onclose: vi.fn() } });
    await settle();
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="certificate-entry"]')];
    expect(rows.map((r) => r.dataset.due)).toEqual(["expired", "later"]);
    const [expired, root] = rows.map((r) => r.textContent ?? "");
    expect(expired).toContain("Expired");
    expect(expired).toContain("34 days ago");
    expect(root).toContain("US East: Org1 MSP (CA root)");
    expect(root).toContain("US West: Org1 MSP (CA root)");
    expect(byTestId("certificates-count")?.textContent).toContain("2 certificates · 1 expired");
    expect(byTestId("certificates-unread")?.textContent).toContain("Canada did not answer");
  });

  it("reads the calendar again when the wallet changes, and shows a failure", async () => {
    api.certificateCalendar.mockResolvedValueOnce(CALENDAR).mockRejectedValueOnce({ code: "keyring", message: "the keyring is locked" });
    panel = mount(CertificatesPanel, { target: document.body, props: { onclose: vi.fn() } });
    await settle();
    listeners.forEach((listener) => listener("wallet"));
    await settle();
    expect(api.certificateCalendar).toHaveBeenCalledTimes(2);
    expect(byTestId("certificates-error")?.textContent).toBe("the keyring is locked");
  });
});
