// @vitest-environment happy-dom
// The Drift panel: each drifting node or MSP side by side, "make every copy equal to this one"
// only after a confirmation that names what changes where, the report per copy, and a reload
// when the audit log grows.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Change } from "../bindings/Change";
import type { DriftReport } from "../bindings/DriftReport";
import type { MakeEqualReport } from "../bindings/MakeEqualReport";
import * as ipc from "../lib/ipc";
import { byTestId, settle } from "../testing/dom";
import DriftPanel from "./DriftPanel.svelte";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  driftReport: vi.fn(),
  makeEqual: vi.fn(),
  onChanged: vi.fn(),
}));
const api = vi.mocked(ipc);

const NAMES: Record<string, string> = { east: "US East", west: "US West", canada: "Canada" };
const regionName = (id: string) => NAMES[id] ?? id;

const REPORT: DriftReport = {
  drifts: [
    {
      key: "msp:Org1MSP",
      kind: "msp",
      displayName: "Org1 MSP",
      copies: [
        { regionId: "east", componentId: "org1msp", imported: false },
        { regionId: "west", componentId: "org1msp", imported: true },
      ],
      fields: [
        { field: "admins", label: "Admins", values: ["CN=admin (SHA-256 AA:BB:CC:DD…, until 2036-01-01)", "CN=tlsca (SHA-256 11:22:33:44…, until 2036-01-01)"], editable: true },
        { field: "revocation_list", label: "Revocation list", values: [null, "crl"], editable: true },
      ],
    },
    {
      key: "https://ca.org1.example.com:7054",
      kind: "ca",
      displayName: "Org1 CA",
      copies: [
        { regionId: "east", componentId: "org1ca", imported: false },
        { regionId: "canada", componentId: "org1ca", imported: true },
      ],
      fields: [{ field: "msp.ca.name", label: "CA name", values: ["ca", "ca2"], editable: false }],
    },
  ],
  unread: [{ regionId: "x", name: "Frankfurt", message: "nothing listens" }],
};

const MADE_EQUAL: MakeEqualReport = {
  key: "msp:Org1MSP",
  displayName: "Org1 MSP",
  fromRegionId: "east",
  copies: [{ regionId: "west", componentId: "org1msp", edited: ["Admins"], left: ["Revocation list"], error: null }],
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

async function render() {
  panel = mount(DriftPanel, { target: document.body, props: { regionName, onclose: vi.fn() } });
  await settle();
}

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, " ").trim();
const item = (i: number) => byTestId(`drift-item-${i}`)!;
function click(el: Element | null) {
  expect(el).not.toBeNull();
  (el as HTMLElement).click();
  flushSync();
}

describe("DriftPanel", () => {
  it("shows each drift side by side: a column per copy by region, a row per differing field, and names an unread console", async () => {
    api.driftReport.mockResolvedValue(REPORT);
    await render();
    expect(api.driftReport).toHaveBeenCalledOnce();
    expect(text(byTestId("drift-count"))).toBe("2 artifacts differ between consoles");
    expect(text(byTestId("drift-unread"))).toBe("Frankfurt did not answer: its copies are not compared here.");

    const msp = item(0);
    expect(msp.dataset.key).toBe("msp:Org1MSP");
    expect(text(msp.querySelector("h4"))).toBe("Org1 MSP MSP definition");
    expect([...msp.querySelectorAll("thead th")].map(text)).toEqual(["Field", "US East", "US West (import)"]);
    const rows = [...msp.querySelectorAll<HTMLElement>('[data-testid="drift-field"]')];
    expect(rows.map((r) => [...r.children].map(text))).toEqual([
      ["Admins", "CN=admin (SHA-256 AA:BB:CC:DD…, until 2036-01-01)", "CN=tlsca (SHA-256 11:22:33:44…, until 2036-01-01)"],
      ["Revocation list", "none", "crl"],
    ]);
    expect([...msp.querySelectorAll("tfoot button")].map((b) => b.getAttribute("data-testid"))).toEqual([
      "make-equal-east",
      "make-equal-west",
    ]);

    const ca = item(1);
    expect(text(ca.querySelector('[data-testid="drift-field"] th'))).toBe("CA name not editable — import the copy again");
  });

  it("says every copy agrees when nothing drifts, and shows a failure in words", async () => {
    api.driftReport.mockResolvedValueOnce({ drifts: [], unread: [] }).mockRejectedValueOnce({ code: "keyring", message: "the keyring is locked" });
    await render();
    expect(text(byTestId("drift-empty"))).toBe("Every copy agrees with the others.");
    expect(byTestId("drift-item-0")).toBeNull();
    click(byTestId("refresh-drift"));
    await settle();
    expect(text(byTestId("drift-error"))).toBe("the keyring is locked");
  });

  it("asks first, naming what will change where and what cannot; Cancel sends nothing and gives the keyboard back", async () => {
    api.driftReport.mockResolvedValue(REPORT);
    await render();
    const button = item(0).querySelector<HTMLElement>('[data-testid="make-equal-east"]')!;
    button.focus();
    click(button);
    await settle();
    const dialog = byTestId("make-equal-dialog")!;
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(text(dialog.querySelector("h2"))).toBe("Make every copy of Org1 MSP equal to US East's");
    expect(text(byTestId("make-equal-plan"))).toBe(
      "US West's copy: Admins will be set to US East's; Revocation list (US East's copy has none, and a console never blanks a field) cannot change.",
    );
    expect(document.activeElement).toBe(byTestId("make-equal-cancel"));

    click(byTestId("make-equal-cancel"));
    await settle();
    expect(byTestId("make-equal-dialog")).toBeNull();
    expect(api.makeEqual).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(button);
  });

  it("confirmed, makes the copies equal and reports each copy; the audit change reloads the panel", async () => {
    api.driftReport.mockResolvedValueOnce(REPORT).mockResolvedValueOnce({ drifts: [], unread: [] });
    api.makeEqual.mockResolvedValue(MADE_EQUAL);
    await render();
    click(item(0).querySelector('[data-testid="make-equal-east"]'));
    await settle();
    click(byTestId("make-equal-confirm"));
    await settle();
    expect(api.makeEqual).toHaveBeenCalledWith("msp:Org1MSP", "east");
    expect(text(byTestId("make-equal-headline"))).toBe("Edited 1 copy of Org1 MSP to match US East's; 1 still differs.");
    expect(text(byTestId("make-equal-copy-west"))).toBe("US West: edited Admins; still differs: Revocation list");
    expect(document.activeElement).toBe(byTestId("make-equal-close"));
    // An edit was made: the backend's "audit" change is what reloads, not the dialog.
    expect(api.driftReport).toHaveBeenCalledOnce();
    listeners.forEach((listener) => listener("audit"));
    await settle();
    expect(api.driftReport).toHaveBeenCalledTimes(2);
    expect(text(byTestId("drift-empty"))).toBe("Every copy agrees with the others.");

    click(byTestId("make-equal-close"));
    await settle();
    expect(byTestId("make-equal-dialog")).toBeNull();
    expect(document.activeElement).toBe(byTestId("drift-panel"));
  });

  it("with nothing edited, reads the drift again itself; a failed call keeps the dialog with its message", async () => {
    api.driftReport.mockResolvedValue(REPORT);
    api.makeEqual
      .mockRejectedValueOnce({ code: "not_found", message: "US East's console holds no copy of 'msp:Org1MSP'" })
      .mockResolvedValueOnce({ ...MADE_EQUAL, copies: [{ ...MADE_EQUAL.copies[0]!, edited: [], left: [], error: "console answered 500" }] });
    await render();
    click(item(0).querySelector('[data-testid="make-equal-east"]'));
    await settle();
    click(byTestId("make-equal-confirm"));
    await settle();
    expect(text(byTestId("make-equal-error"))).toBe("US East's console holds no copy of 'msp:Org1MSP'");
    expect(byTestId("make-equal-confirm")).not.toBeNull();

    click(byTestId("make-equal-confirm"));
    await settle();
    expect(text(byTestId("make-equal-headline"))).toBe("No copy of Org1 MSP was changed: the edit failed.");
    expect(text(byTestId("make-equal-copy-west"))).toBe("US West: failed: console answered 500");
    expect(api.driftReport).toHaveBeenCalledTimes(2);
  });

  it("offers nothing to confirm when no field can be changed by an edit", async () => {
    api.driftReport.mockResolvedValue(REPORT);
    await render();
    click(item(1).querySelector('[data-testid="make-equal-east"]'));
    await settle();
    expect(text(byTestId("make-equal-plan"))).toBe("Canada's copy: CA name (not editable — import the copy again) cannot change.");
    expect(byTestId<HTMLButtonElement>("make-equal-confirm")!.disabled).toBe(true);
    click(byTestId("make-equal-confirm"));
    await settle();
    expect(api.makeEqual).not.toHaveBeenCalled();
  });
});
