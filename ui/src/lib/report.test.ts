import { describe, expect, it } from "vitest";
import type { Finding } from "../bindings/Finding";
import type { ImportReport } from "../bindings/ImportReport";
import type { ItemReport } from "../bindings/ItemReport";
import {
  fieldLabel,
  findingLine,
  itemOutcomeLabel,
  orderItems,
  outcomeLabel,
  outcomeTone,
  remedyHint,
  sortFindings,
  sourceText,
  summariseReport,
} from "./report";

const finding = (file: string, field: string, severity: "error" | "warning", reason = "is wrong"): Finding => ({
  file,
  field,
  severity,
  reason,
  remedy: null,
});

const item = (outcome: ItemReport["outcome"], name = "Org1 MSP"): ItemReport => {
  const base = { source: { from: "file", name: "Org1 MSP_msp.json" } as const, displayName: name, kind: "msp" };
  switch (outcome) {
    case "created":
    case "already_there":
      return { ...base, outcome, id: "org1msp" };
    case "conflict":
      return { ...base, outcome, id: "org1msp", existing: "{}", incoming: "{}" };
    case "failed":
      return { ...base, outcome, reason: "console answered 400" };
    case "would_create":
      return { ...base, outcome };
  }
};

const report = (over: Partial<ImportReport>): ImportReport => ({
  regionId: "sandbox-3",
  dryRun: false,
  refused: false,
  findings: [],
  casLackingAdmins: [],
  items: [],
  ...over,
});

describe("outcome labels", () => {
  it("names every outcome the backend reports", () => {
    expect(outcomeLabel("created")).toBe("Created");
    expect(outcomeLabel("already_there")).toBe("Already there (skipped)");
    expect(outcomeLabel("conflict")).toBe("Conflict (not imported)");
    expect(outcomeLabel("would_create")).toBe("Would be created");
    expect(outcomeLabel("failed")).toBe("Failed");
  });

  it("says what an identity's outcome means: its org's admin on that region", () => {
    expect(itemOutcomeLabel({ kind: "identity", outcome: "created" })).toBe("Now admin");
    expect(itemOutcomeLabel({ kind: "identity", outcome: "already_there" })).toBe("Already admin");
    expect(itemOutcomeLabel({ kind: "identity", outcome: "would_create" })).toBe("Would become admin");
    expect(itemOutcomeLabel({ kind: "identity", outcome: "failed" })).toBe("Failed");
    expect(itemOutcomeLabel({ kind: "msp", outcome: "created" })).toBe("Created");
  });

  it("shows an outcome it does not know as words, in a neutral tone", () => {
    expect(outcomeLabel("partly_done")).toBe("partly done");
    expect(outcomeTone("partly_done")).toBe("neutral");
    expect(outcomeLabel("toString")).toBe("toString");
  });

  it("gives failures and conflicts their own tones", () => {
    expect(outcomeTone("failed")).toBe("error");
    expect(outcomeTone("conflict")).toBe("warning");
    expect(outcomeTone("created")).toBe("ok");
    expect(outcomeTone("already_there")).toBe("neutral");
  });
});

describe("sourceText", () => {
  it("says where an item came from without parsing anything", () => {
    expect(sourceText({ from: "file", name: "bulk.zip[2]" })).toBe("bulk.zip[2]");
    expect(sourceText({ from: "console", regionId: "sandbox-1", componentId: "org1msp" })).toBe("org1msp on sandbox-1");
    expect(sourceText({ from: "wallet", identity: "org1admin" })).toBe("org1admin in the wallet");
  });
});

describe("findings", () => {
  it("read as file · field · reason, the whole file named as such", () => {
    expect(findingLine(finding("peer.json", "msp.component.tls_cert", "error", "is not a PEM certificate"))).toBe(
      "peer.json · msp.component.tls_cert · is not a PEM certificate",
    );
    expect(findingLine(finding("bad.json", "$", "error", "is not valid JSON"))).toBe(
      "bad.json · whole file · is not valid JSON",
    );
    expect(fieldLabel("root_certs[0]")).toBe("root_certs[0]");
  });

  it("list errors before warnings, keeping the backend's order otherwise", () => {
    const sorted = sortFindings([
      finding("a.json", "x", "warning"),
      finding("b.json", "y", "error"),
      finding("c.json", "z", "warning"),
      finding("d.json", "w", "error"),
    ]);
    expect(sorted.map((f) => f.file)).toEqual(["b.json", "d.json", "a.json", "c.json"]);
  });

  it("explain the SEC1 → PKCS#8 remedy", () => {
    expect(remedyHint("convert_sec1_to_pkcs8")).toMatch(/PKCS#8/);
    expect(remedyHint(null)).toBeNull();
  });
});

describe("summariseReport", () => {
  it("says a refused import changed nothing, counting errors and the files they are in", () => {
    const s = summariseReport(
      report({
        refused: true,
        findings: [
          finding("bad.json", "$", "error"),
          finding("bad.json", "msp_id", "error"),
          finding("peer.json", "api_url", "error"),
          finding("ca.json", "ca_name", "warning"),
        ],
      }),
      "US West",
    );
    expect(s.refused).toBe(true);
    expect(s.errors).toBe(3);
    expect(s.warnings).toBe(1);
    expect(s.filesWithErrors).toBe(2);
    expect(s.tone).toBe("error");
    expect(s.headline).toBe("Refused: 3 errors in 2 files. Nothing was imported and nothing was changed.");
  });

  it("uses the singular for one error in one file", () => {
    const s = summariseReport(report({ refused: true, findings: [finding("x.json", "$", "error")] }), "Canada");
    expect(s.headline).toBe("Refused: 1 error in 1 file. Nothing was imported and nothing was changed.");
  });

  it("counts outcomes and names the target", () => {
    const s = summariseReport(
      report({ items: [item("created"), item("created", "Org1 CA"), item("already_there"), item("conflict")] }),
      "Canada",
    );
    expect(s.counts).toEqual({ created: 2, already_there: 1, conflict: 1, would_create: 0, failed: 0 });
    expect(s.total).toBe(4);
    expect(s.headline).toBe("Imported 2 of 4 into Canada; 1 already there, 1 conflict");
    expect(s.tone).toBe("warning");
  });

  it("words the headline from the outcomes: skipped only, failed only, mixed", () => {
    const one = (i: ItemReport) => summariseReport(report({ items: [i] }), "US West");
    expect(one(item("already_there"))).toMatchObject({ headline: "Org1 MSP is already in US West — nothing imported", tone: "neutral" });
    expect(one(item("failed"))).toMatchObject({ headline: "Nothing imported: US West failed (console answered 400)", tone: "error" });
    expect(one(item("created"))).toMatchObject({ headline: "Imported Org1 MSP into US West", tone: "ok" });
    expect(summariseReport(report({ items: [item("created"), item("failed", "Org1 CA")] }), "US West")).toMatchObject({
      headline: "Imported 1 of 2 into US West; 1 failed",
      tone: "warning",
    });
    expect(summariseReport(report({ items: [item("already_there"), item("already_there", "Org1 CA")] }), "US West").headline).toBe(
      "All 2 components are already in US West — nothing imported",
    );
  });

  it("speaks of identities in the wallet", () => {
    const identity = (outcome: "created" | "already_there", name: string): ItemReport => ({
      source: { from: "file", name: `${name}.json` },
      displayName: name,
      kind: "identity",
      outcome,
      id: name,
    });
    const wallet = (items: ItemReport[]) => summariseReport(report({ regionId: "wallet", items }), "the wallet");
    expect(wallet([identity("created", "org1admin")])).toMatchObject({ headline: "Imported org1admin into the wallet", tone: "ok" });
    expect(wallet([identity("already_there", "org1admin")])).toMatchObject({
      headline: "org1admin is already in the wallet — nothing imported",
      tone: "neutral",
    });
    expect(wallet([identity("created", "a"), identity("created", "b")]).headline).toBe("Imported all 2 identities into the wallet");
  });

  it("is red only when nothing succeeded, green when something was created and nothing went wrong", () => {
    expect(summariseReport(report({ items: [item("created"), item("failed")] }), "X").tone).toBe("warning");
    expect(summariseReport(report({ items: [item("failed"), item("failed")] }), "X").tone).toBe("error");
    expect(summariseReport(report({ items: [item("created")] }), "X").tone).toBe("ok");
    expect(summariseReport(report({ items: [item("created"), item("already_there")] }), "X").tone).toBe("ok");
    expect(summariseReport(report({ items: [item("already_there")] }), "X").tone).toBe("neutral");
  });

  it("describes a dry run and an empty import", () => {
    expect(summariseReport(report({ dryRun: true, items: [item("would_create")] }), "Canada").headline).toBe(
      "Would create Org1 MSP in Canada",
    );
    expect(summariseReport(report({}), "the wallet")).toMatchObject({ headline: "Nothing to import into the wallet", tone: "neutral" });
  });
});

describe("orderItems", () => {
  it("puts failures, then conflicts, first and keeps the order inside each outcome", () => {
    const ordered = orderItems([
      item("created", "A"),
      item("already_there", "B"),
      item("failed", "C"),
      item("created", "D"),
      item("conflict", "E"),
    ]);
    expect(ordered.map((i) => i.displayName)).toEqual(["C", "E", "A", "D", "B"]);
  });
});
