import { describe, expect, it, vi } from "vitest";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import type { ComponentHealth } from "../bindings/ComponentHealth";
import {
  caAdminFormProblems,
  caIdsAmong,
  emptyCaAdminForm,
  ensureCaAdmins,
  ensureOrgCaAdmins,
  fieldOfError,
  missingCaAdmins,
  toCredentials,
} from "./caAdmins";

const ca = (componentId: string, ids: [string | null, string | null]): CaAdminStatus => ({
  componentId,
  displayName: componentId,
  apiUrl: "https://ca.example.com:7054",
  caName: "ca",
  caAdminEnrollId: ids[0],
  tlscaAdminEnrollId: ids[1],
});

describe("missingCaAdmins", () => {
  it("keeps the CAs lacking either enroll id, in order", () => {
    const statuses = [ca("known", ["admin", "tlsadmin"]), ca("none", [null, null]), ca("half", ["admin", null])];
    expect(missingCaAdmins(statuses).map((s) => s.componentId)).toEqual(["none", "half"]);
    expect(missingCaAdmins([])).toEqual([]);
  });
});

describe("the credentials form", () => {
  it("names every empty (or blank) field", () => {
    expect(caAdminFormProblems(emptyCaAdminForm())).toEqual({
      caAdminEnrollId: "CA admin enroll ID is required.",
      caAdminEnrollSecret: "CA admin enroll secret is required.",
      tlscaAdminEnrollId: "TLS CA admin enroll ID is required.",
      tlscaAdminEnrollSecret: "TLS CA admin enroll secret is required.",
    });
    const form = { caAdminEnrollId: "admin", caAdminEnrollSecret: "pw", tlscaAdminEnrollId: "  ", tlscaAdminEnrollSecret: "pw" };
    expect(caAdminFormProblems(form)).toEqual({ tlscaAdminEnrollId: "TLS CA admin enroll ID is required." });
  });

  it("becomes the save_ca_admins body: ids trimmed, secrets exactly as typed", () => {
    const form = { caAdminEnrollId: " admin ", caAdminEnrollSecret: " pw ", tlscaAdminEnrollId: "tls", tlscaAdminEnrollSecret: "t pw" };
    expect(toCredentials(form)).toEqual({
      caAdmin: { enrollId: "admin", enrollSecret: " pw " },
      tlscaAdmin: { enrollId: "tls", enrollSecret: "t pw" },
    });
  });

  it("maps the field a backend error names onto the form", () => {
    expect(fieldOfError({ field: "tlscaAdmin.enrollSecret" })).toBe("tlscaAdminEnrollSecret");
    expect(fieldOfError({ field: "caAdmin.enrollId" })).toBe("caAdminEnrollId");
    expect(fieldOfError({ field: "other" })).toBeNull();
    expect(fieldOfError({})).toBeNull();
  });
});

describe("ensureCaAdmins", () => {
  it("goes on without asking when no CA is involved or all are known", async () => {
    const prompt = vi.fn(async () => true);
    const api = { caAdminsFor: vi.fn(async () => [ca("org1ca", ["admin", "tlsadmin"])]) };
    await expect(ensureCaAdmins("r1", [], prompt, api)).resolves.toBe(true);
    expect(api.caAdminsFor).not.toHaveBeenCalled();
    await expect(ensureCaAdmins("r1", ["org1ca", "org1msp"], prompt, api)).resolves.toBe(true);
    expect(api.caAdminsFor).toHaveBeenCalledWith("r1", ["org1ca", "org1msp"]);
    expect(prompt).not.toHaveBeenCalled();
  });

  it("asks only about the missing CAs and answers what the prompt answers", async () => {
    const missing = ca("org2ca", [null, null]);
    const api = { caAdminsFor: vi.fn(async () => [ca("org1ca", ["admin", "tlsadmin"]), missing]) };
    const saved = vi.fn(async () => true);
    await expect(ensureCaAdmins("r1", ["org1ca", "org2ca"], saved, api)).resolves.toBe(true);
    expect(saved).toHaveBeenCalledWith("r1", [missing]);
    const cancelled = vi.fn(async () => false);
    await expect(ensureCaAdmins("r1", ["org1ca", "org2ca"], cancelled, api)).resolves.toBe(false);
  });

  it("rejects with the backend's error", async () => {
    const api = { caAdminsFor: vi.fn(async () => Promise.reject({ code: "unreachable", message: "down" })) };
    await expect(ensureCaAdmins("r1", ["org1ca"], vi.fn(), api)).rejects.toEqual({ code: "unreachable", message: "down" });
  });
});

describe("ensureOrgCaAdmins", () => {
  it("asks the backend which CAs are the org's and prompts only for the missing ones", async () => {
    const missing = ca("org1ca", [null, null]);
    const api = { caAdminsForOrg: vi.fn(async () => [missing]) };
    const prompt = vi.fn(async () => true);
    await expect(ensureOrgCaAdmins("r1", "Org1MSP", prompt, api)).resolves.toBe(true);
    expect(api.caAdminsForOrg).toHaveBeenCalledWith("r1", "Org1MSP");
    expect(prompt).toHaveBeenCalledWith("r1", [missing]);
    const known = { caAdminsForOrg: vi.fn(async () => [ca("org1ca", ["admin", "tlsadmin"])]) };
    const never = vi.fn(async () => false);
    await expect(ensureOrgCaAdmins("r1", "Org1MSP", never, known)).resolves.toBe(true);
    expect(never).not.toHaveBeenCalled();
  });
});

describe("caIdsAmong", () => {
  it("keeps the copied components the region's health calls a CA, in the copy's order", () => {
    const c = (id: string, kind: string) => ({ id, kind }) as ComponentHealth;
    const region = [c("org1msp", "msp"), c("org1ca", "ca"), c("tlsca", "ca"), c("peer1", "peer")];
    expect(caIdsAmong(["tlsca", "org1msp", "org1ca", "gone"], region)).toEqual(["tlsca", "org1ca"]);
    expect(caIdsAmong(["org1msp"], region)).toEqual([]);
  });
});
