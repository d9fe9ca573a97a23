// An identity from the wallet made its org's admin identity on a region: how the outcome reads.
// The console keeps identities in the browser, so after success the app offers the identity as a
// console wallet file for that console; this module only words things.

import type { AppError } from "../bindings/AppError";
import type { Finding } from "../bindings/Finding";
import type { IdentityView } from "../bindings/IdentityView";
import type { RegionAdminReport } from "../bindings/RegionAdminReport";

export type RegionAdminOutcome =
  | { kind: "admin"; identity: string; regionId: string; mspId: string; message: string }
  | { kind: "refused"; identity: string; regionId: string; findings: Finding[]; message: string }
  | { kind: "error"; identity: string; regionId: string; error: AppError; message: string };

/** Reads `make_region_admin`'s answer (or its error) for a human. */
export function regionAdminOutcome(
  identity: string,
  regionId: string,
  answer: { report: RegionAdminReport } | { error: AppError },
  regionName: (id: string) => string,
): RegionAdminOutcome {
  const where = regionName(regionId);
  if ("error" in answer) {
    const error = answer.error;
    const message =
      error.code === "not_found"
        ? `${where} has no MSP definition of ${identity}'s org yet: replicate the org (or copy its MSP) there first. (${error.message})`
        : `Could not make ${identity} an admin on ${where}: ${error.message}`;
    return { kind: "error", identity, regionId, error, message };
  }
  const { report } = answer;
  if (report.mspId !== null) {
    return {
      kind: "admin",
      identity,
      regionId,
      mspId: report.mspId,
      message: `${identity} is now ${report.mspId}'s admin identity on ${where}.`,
    };
  }
  return {
    kind: "refused",
    identity,
    regionId,
    findings: report.findings,
    message: `Refused: ${identity} is not an admin identity of an org whose MSP is on ${where}. Nothing was changed.`,
  };
}

/** The regions an identity can still be made admin on (those it administers already come last). */
export function adminCandidates<R extends { id: string }>(identity: Pick<IdentityView, "adminOf">, regions: readonly R[]): R[] {
  return [...regions.filter((r) => !identity.adminOf.includes(r.id)), ...regions.filter((r) => identity.adminOf.includes(r.id))];
}
