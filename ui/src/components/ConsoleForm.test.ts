// @vitest-environment happy-dom
// The console form on its own: the API secret must not outlive a save or a cancel.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RegionView } from "../bindings/RegionView";
import * as ipc from "../lib/ipc";
import ConsoleForm from "./ConsoleForm.svelte";
import { settle as settleRounds } from "../testing/dom";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  addRegion: vi.fn(),
  editRegion: vi.fn(),
  testConnection: vi.fn(),
  consoleCertificate: vi.fn(),
}));

const LOCATIONS = [
  { id: "ca-tor", provider: "IBM Cloud", name: "Toronto", city: "Toronto", latitude: 43.7, longitude: -79.4 },
];

// A save tests the console first: by default it works.
beforeEach(() => {
  vi.mocked(ipc.testConnection).mockResolvedValue({ consoleVersion: "2.5.2", authScheme: "basic", latencyMs: 4, componentCount: 1 });
});

let app: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

const input = (id: string) => document.getElementById(id) as HTMLInputElement;

function type(id: string, value: string) {
  const el = document.getElementById(id) as HTMLInputElement | HTMLSelectElement;
  el.value = value;
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  flushSync();
}

/** Mounts the form; the callbacks record what the secret field holds at the moment they run. */
function render(region: RegionView | null = null) {
  const seen: { saved?: string; cancelled?: string } = {};
  app = mount(ConsoleForm, {
    target: document.body,
    props: {
      region,
      locations: LOCATIONS,
      onsaved: () => {
        flushSync();
        seen.saved = input("console-api-secret").value;
      },
      oncancel: () => {
        flushSync();
        seen.cancelled = input("console-api-secret").value;
      },
    },
  });
  flushSync();
  return seen;
}

function fill() {
  type("console-name", "Canada");
  type("console-location", "ca-tor");
  type("console-url", "https://console.ca.example.com");
  type("console-api-key", "admin");
  type("console-api-secret", "s3cret");
}

const click = (testid: string) => {
  (document.querySelector(`[data-testid="${testid}"]`) as HTMLElement).click();
  flushSync();
};

const settle = () => settleRounds(3);

describe("ConsoleForm", () => {
  it("clears the secret before handing back on cancel", () => {
    const seen = render();
    fill();
    expect(input("console-api-secret").value).toBe("s3cret");
    click("cancel-console");
    expect(seen.cancelled).toBe("");
  });

  it("cancels on Escape, clearing the secret", () => {
    const seen = render();
    fill();
    input("console-api-secret").dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    flushSync();
    expect(seen.cancelled).toBe("");
  });

  it("clears the secret before handing back after a save", async () => {
    vi.mocked(ipc.addRegion).mockResolvedValue({} as RegionView);
    const seen = render();
    fill();
    click("save-console");
    await settle();
    expect(ipc.addRegion).toHaveBeenCalledOnce();
    expect(seen.saved).toBe("");
  });

  it("keeps what was typed after a failed save so it can be corrected", async () => {
    vi.mocked(ipc.addRegion).mockRejectedValue({ code: "conflict", message: "field 'name': already used", field: "name" });
    render();
    fill();
    click("save-console");
    await settle();
    expect(input("console-api-secret").value).toBe("s3cret");
    expect(input("console-name").getAttribute("aria-invalid")).toBe("true");
    // Editing the flagged field clears the highlight.
    type("console-name", "Canada 2");
    expect(input("console-name").getAttribute("aria-invalid")).toBe("false");
  });

  it("asks before plain http to another machine, and sends the choice only then", async () => {
    vi.mocked(ipc.addRegion)
      .mockRejectedValueOnce({ code: "invalid_input", message: "field 'consoleUrl': plain http://", field: "consoleUrl" })
      .mockResolvedValue({} as RegionView);
    render();
    fill();
    expect(document.querySelector('[data-testid="allow-insecure-http"]')).toBeNull();
    type("console-url", "http://console.ca.example.com");
    const allow = document.querySelector('[data-testid="allow-insecure-http"] input') as HTMLInputElement;
    expect(allow).not.toBeNull();
    click("save-console");
    await settle();
    expect(vi.mocked(ipc.addRegion).mock.calls[0]![0]).not.toHaveProperty("allowInsecureHttp");
    allow.click();
    flushSync();
    click("save-console");
    await settle();
    expect(vi.mocked(ipc.addRegion).mock.calls[1]![0]).toMatchObject({ allowInsecureHttp: true });
    // Loopback needs no consent.
    type("console-url", "http://127.0.0.1:3000");
    expect(document.querySelector('[data-testid="allow-insecure-http"]')).toBeNull();
  });

  it("shows the certificate a console presents after a test failed on it, and saves it once trusted", async () => {
    const cert = {
      pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
      sha256: "AB:CD",
      subject: "CN=console.ca.example.com",
      issuer: "CN=console.ca.example.com",
      notBefore: 1_800_000_000,
      notAfter: 1_830_000_000,
      selfSigned: true,
    };
    vi.mocked(ipc.testConnection).mockRejectedValueOnce({
      code: "unreachable",
      message: "https://console.ca.example.com: invalid peer certificate: UnknownIssuer",
    });
    vi.mocked(ipc.consoleCertificate).mockResolvedValue(cert);
    vi.mocked(ipc.addRegion).mockResolvedValue({} as RegionView);
    render();
    fill();
    expect(document.querySelector('[data-testid="show-certificate"]')).toBeNull();
    click("test-connection");
    await settle();
    click("show-certificate");
    await settle();
    expect(ipc.consoleCertificate).toHaveBeenCalledWith("https://console.ca.example.com");
    const offered = document.querySelector('[data-testid="offered-certificate"]')!.textContent!;
    expect(offered).toContain("AB:CD");
    expect(offered).toContain("self-signed");
    expect(offered).toContain("2027-12-28");
    click("trust-certificate");
    expect(document.querySelector('[data-testid="trusted-certificate"]')).not.toBeNull();
    click("save-console");
    await settle();
    expect(vi.mocked(ipc.addRegion).mock.calls[0]![0]).toMatchObject({ trustedCertificate: cert.pem });
  });

  it("saves only a console that works, unless the user saves anyway after seeing why", async () => {
    vi.mocked(ipc.testConnection).mockRejectedValue({
      code: "unreachable",
      message: "nothing listens at 127.0.0.1:1",
      field: "consoleUrl",
    });
    vi.mocked(ipc.addRegion).mockResolvedValue({} as RegionView);
    render();
    fill();
    click("save-console");
    await settle();
    expect(ipc.testConnection).toHaveBeenCalledOnce();
    expect(ipc.addRegion).not.toHaveBeenCalled();
    expect(document.querySelector('[data-testid="connection-result"]')?.textContent).toContain("nothing listens");
    click("save-anyway");
    await settle();
    expect(ipc.addRegion).toHaveBeenCalledOnce();
  });

  it("saves an edit of the name alone without testing the console", async () => {
    const region: RegionView = {
      id: "tor",
      name: "Toronto",
      location: LOCATIONS[0]!,
      consoleUrl: "https://c",
      apiKey: "admin",
      sandbox: false,
    };
    vi.mocked(ipc.editRegion).mockResolvedValue(region);
    render(region);
    type("console-name", "Toronto 2");
    click("save-console");
    await settle();
    expect(ipc.testConnection).not.toHaveBeenCalled();
    expect(ipc.editRegion).toHaveBeenCalledOnce();
  });

  it("drops a stale test result when the connection details change", async () => {
    vi.mocked(ipc.testConnection).mockResolvedValue({
      consoleVersion: "2.5.2",
      authScheme: "basic",
      latencyMs: 4,
      componentCount: 1,
    });
    render();
    fill();
    click("test-connection");
    await settle();
    expect(document.querySelector('[data-testid="connection-result"]')).not.toBeNull();
    type("console-url", "https://other.example.com");
    expect(document.querySelector('[data-testid="connection-result"]')).toBeNull();
  });

  it("sends a new secret when one is typed while editing", async () => {
    const region: RegionView = {
      id: "tor",
      name: "Toronto",
      location: LOCATIONS[0]!,
      consoleUrl: "https://c",
      apiKey: "admin",
      sandbox: false,
    };
    vi.mocked(ipc.editRegion).mockResolvedValue(region);
    render(region);
    type("console-api-secret", "rotated");
    click("save-console");
    await settle();
    expect(ipc.editRegion).toHaveBeenCalledWith("tor", {
      name: "Toronto",
      location: "ca-tor",
      consoleUrl: "https://c",
      apiKey: "admin",
      apiSecret: "rotated",
    });
  });
});
