import { describe, expect, it, vi } from "vitest";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import {
  caAdminFormProblems,
  emptyCaAdminForm,
  ensureCaAdmins,
  fieldOfError,
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
  const copy = { kind: "copy" as const, sourceRegionId: "r1", componentIds: ["org1ca", "org1msp"], targetRegionIds: ["r2"] };
  const planLacking = (lacking: CaAdminStatus[]) => ({
    planOperation: vi.fn(async () => ({ operation: copy, targets: [], casLackingAdmins: lacking })),
  });

  it("goes on without asking when nothing would be copied, for the mesh, or when the plan lacks no CA", async () => {
    const prompt = vi.fn(async () => false);
    const api = planLacking([]);
    await expect(ensureCaAdmins(null, prompt, api)).resolves.toBe(true);
    await expect(ensureCaAdmins({ kind: "mesh" }, prompt, api)).resolves.toBe(true);
    expect(api.planOperation).not.toHaveBeenCalled();
    await expect(ensureCaAdmins(copy, prompt, api)).resolves.toBe(true);
    expect(api.planOperation).toHaveBeenCalledWith(copy);
    expect(prompt).not.toHaveBeenCalled();
  });

  it("asks about the CAs the backend's plan names, for the source region, and answers what the prompt answers", async () => {
    const missing = ca("org1ca", [null, null]);
    const saved = vi.fn(async () => true);
    await expect(ensureCaAdmins(copy, saved, planLacking([missing]))).resolves.toBe(true);
    expect(saved).toHaveBeenCalledWith("r1", [missing]);
    const replicate = { kind: "replicate_org" as const, sourceRegionId: "r3", mspId: "Org1MSP", targetRegionIds: ["r1"] };
    const cancelled = vi.fn(async () => false);
    await expect(ensureCaAdmins(replicate, cancelled, planLacking([missing]))).resolves.toBe(false);
    expect(cancelled).toHaveBeenCalledWith("r3", [missing]);
  });

  it("rejects with the backend's error", async () => {
    const api = { planOperation: vi.fn(async () => Promise.reject({ code: "unreachable", message: "down" })) };
    await expect(ensureCaAdmins(copy, vi.fn(), api)).rejects.toEqual({ code: "unreachable", message: "down" });
  });
});
