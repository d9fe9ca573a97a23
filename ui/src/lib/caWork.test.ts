// @vitest-environment happy-dom
import { tick } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { RegisterReport } from "../bindings/RegisterReport";
import { CaWork } from "./caWork.svelte";

const ORG1 = { regionId: "west", caId: "org1ca", label: "Org1 CA" };
const ORG2 = { regionId: "west", caId: "org2ca", label: "Org2 CA" };

afterEach(() => {
  document.body.innerHTML = "";
});

function button(name: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = name;
  document.body.append(b);
  return b;
}

const report = (...outcomes: RegisterReport["results"][number]["outcome"][]): RegisterReport => ({
  enrollId: "peer5",
  kind: "peer",
  results: outcomes.map((outcome) => ({ ca: "Org1 CA (ca)", outcome, message: null })),
  secretKept: false,
});

describe("CaWork", () => {
  it("opens a dialog for register, enroll and admins, and the drawer for identities", () => {
    const work = new CaWork();
    work.open("register", ORG1, null);
    expect(work.dialog.current).toEqual({ action: "register", ca: ORG1 });
    expect(work.identities.current).toBeNull();
    work.dialog.dismiss();
    work.open("identities", ORG1, null);
    expect(work.identities.current).toEqual(ORG1);
    expect(work.dialog.current).toBeNull();
  });

  it("gives the keyboard back to the opener of the identities shown, even when another CA's replaced them", async () => {
    const work = new CaWork();
    const first = button("Org1 CA…");
    const second = button("Org2 CA…");
    work.open("identities", ORG1, first);
    work.open("identities", ORG2, second);
    expect(work.identities.current).toEqual(ORG2);
    work.identities.close();
    await tick();
    expect(document.activeElement).toBe(second);
  });

  it("goes from one dialog to the next with the first opener still owed the keyboard", async () => {
    const work = new CaWork();
    const opener = button("CA…");
    work.open("register", ORG1, opener);
    button("elsewhere").focus();
    work.switchTo({ action: "enroll", ca: ORG1, enrollId: "client7" });
    expect(work.dialog.current).toEqual({ action: "enroll", ca: ORG1, enrollId: "client7" });
    work.dialog.close();
    await tick();
    expect(document.activeElement).toBe(opener);
  });

  it("counts only registrations that registered something", () => {
    const work = new CaWork();
    work.registered(report("already_registered", "failed"));
    expect(work.registrations).toBe(0);
    work.registered(report("already_registered", "registered"));
    expect(work.registrations).toBe(1);
  });
});
