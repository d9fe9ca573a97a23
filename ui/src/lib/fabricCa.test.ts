import { describe, expect, it } from "vitest";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import type { IdentityView } from "../bindings/IdentityView";
import type { RegisterReport } from "../bindings/RegisterReport";
import {
  affiliationWords,
  alreadyRegistered,
  attributeWords,
  caAdminStatusWords,
  caErrorWords,
  emptyEnrollForm,
  emptyRegisterForm,
  enrolledWords,
  enrollFieldOf,
  enrollFormProblems,
  enrollsIntoWallet,
  kindHint,
  maxEnrollmentsWords,
  registeredAnything,
  registeredOnWords,
  registerErrorPlace,
  registerFormProblems,
  registerHeadline,
  registersOnTlsCa,
  savedAdminsWords,
  sentence,
  sortCaIdentities,
  splitAttributes,
  toRegisterRequest,
  underField,
  withEnrollId,
  type RegisterForm,
} from "./fabricCa";

const form = (over: Partial<RegisterForm> = {}): RegisterForm => ({ ...emptyRegisterForm(), enrollId: "peer5", ...over });

describe("the register form", () => {
  it("starts as a peer with nothing typed", () => {
    expect(emptyRegisterForm()).toEqual({ enrollId: "", kind: "peer", affiliation: "", maxEnrollments: "", attrs: [], secret: "" });
  });

  it("wants an enroll id without spaces", () => {
    expect(registerFormProblems(form({ enrollId: "  " })).fields).toEqual({ enrollId: "Enroll ID is required." });
    expect(registerFormProblems(form({ enrollId: "peer 5" })).fields).toEqual({ enrollId: "An enroll ID has no spaces." });
    expect(registerFormProblems(form({ enrollId: " peer5 " })).fields).toEqual({});
  });

  it("takes max enrollments empty, 1 or more, or -1 (unlimited), nothing else", () => {
    for (const ok of ["", " ", "1", "12", "-1"]) expect(registerFormProblems(form({ maxEnrollments: ok })).fields).toEqual({});
    for (const bad of ["0", "-2", "1.5", "two", "3x"]) {
      expect(registerFormProblems(form({ maxEnrollments: bad })).fields.maxEnrollments).toMatch(/whole number, 1 or more/);
    }
  });

  it("names the attribute row without a name, or given twice, and ignores blank rows", () => {
    const attrs = [
      { name: "role", value: "edge", ecert: true },
      { name: "", value: "", ecert: false },
      { name: " ", value: "orphan", ecert: false },
      { name: "role", value: "again", ecert: false },
    ];
    expect(registerFormProblems(form({ attrs }))).toEqual({ fields: { attrs: "Attribute 3 needs a name." }, badRows: [2, 3] });
    expect(registerFormProblems(form({ attrs: [attrs[0]!, attrs[3]!] }))).toEqual({
      fields: { attrs: "Attribute “role” is given twice." },
      badRows: [1],
    });
    expect(registerFormProblems(form({ attrs: [attrs[1]!] }))).toEqual({ fields: {}, badRows: [] });
  });

  it("refuses a type that is none of the four", () => {
    expect(registerFormProblems(form({ kind: "user" as never })).fields.kind).toBe("Choose peer, orderer, client or admin.");
  });

  it("becomes the register_identity request: trimmed, blank rows dropped, empties as null, the secret as typed", () => {
    const typed = form({
      enrollId: " peer5 ",
      affiliation: " org1.department1 ",
      maxEnrollments: " 3 ",
      attrs: [
        { name: " role ", value: " edge ", ecert: true },
        { name: "", value: "", ecert: false },
      ],
      secret: " s3cret ",
    });
    expect(toRegisterRequest(typed)).toEqual({
      enrollId: "peer5",
      kind: "peer",
      affiliation: "org1.department1",
      maxEnrollments: 3,
      attrs: [{ name: "role", value: "edge", ecert: true }],
      secret: " s3cret ",
    });
    expect(toRegisterRequest(form({ secret: "   ", maxEnrollments: "-1" }))).toMatchObject({
      affiliation: null,
      maxEnrollments: -1,
      attrs: [],
      secret: null,
    });
  });

  it("says where a node is registered, and who the wallet takes", () => {
    expect(registersOnTlsCa("peer")).toBe(true);
    expect(registersOnTlsCa("orderer")).toBe(true);
    expect(registersOnTlsCa("client")).toBe(false);
    expect(kindHint("peer", "Org1 CA")).toBe(
      "Registered on Org1 CA and on its TLS CA, with the same secret: the node needs both certificates.",
    );
    expect(kindHint("admin", "Org1 CA")).toBe("Registered on Org1 CA only: an admin needs no TLS certificate of its own.");
    expect(kindHint("client", "Org1 CA")).toBe("Registered on Org1 CA only: a client needs no TLS certificate of its own.");
    expect(["peer", "orderer", "client", "admin"].filter(enrollsIntoWallet)).toEqual(["client", "admin"]);
  });
});

describe("register errors", () => {
  it("place a typed field error under its field, and the CA's unverified admins apart", () => {
    expect(registerErrorPlace({ code: "invalid_input", message: "x", field: "caAdmins" })).toBe("caAdmins");
    expect(registerErrorPlace({ code: "invalid_input", message: "x", field: "enrollId" })).toBe("enrollId");
    expect(registerErrorPlace({ code: "invalid_input", message: "x", field: "attrs" })).toBe("attrs");
    expect(registerErrorPlace({ code: "invalid_input", message: "x", field: "somethingElse" })).toBeNull();
    expect(registerErrorPlace({ code: "unreachable", message: "x" })).toBeNull();
  });

  it("read under the field without the prefix the backend writes for logs", () => {
    expect(underField({ code: "invalid_input", message: "field 'enrollId': an enroll id without spaces is required", field: "enrollId" })).toBe(
      "An enroll id without spaces is required",
    );
    expect(underField({ code: "unreachable", message: "the CA at https://ca:7054 cannot be reached" })).toBe(
      "The CA at https://ca:7054 cannot be reached",
    );
  });

  it("offer the CA's admins when they are not verified", () => {
    expect(caErrorWords({ code: "invalid_input", message: "field 'caAdmins': the admins of Org1 CA have not been verified", field: "caAdmins" })).toEqual({
      text: "The admins of Org1 CA have not been verified",
      needsAdmins: true,
    });
    expect(caErrorWords({ code: "unreachable", message: "the CA at https://ca:7054 cannot be reached from this machine" })).toEqual({
      text: "The CA at https://ca:7054 cannot be reached from this machine",
      needsAdmins: false,
    });
  });

  it("start a sentence with a capital", () => {
    expect(sentence("'client7' was refused")).toBe("'client7' was refused");
    expect(sentence("no secret is kept")).toBe("No secret is kept");
  });
});

describe("a registration's report", () => {
  const CA = "Org1 CA (ca)";
  const TLS = "Org1 CA's TLS CA (tlsca)";
  const report = (kind: string, ...outcomes: [string, RegisterReport["results"][number]["outcome"]][]): RegisterReport => ({
    enrollId: "peer5",
    kind,
    results: outcomes.map(([ca, outcome]) => ({ ca, outcome, message: outcome === "registered" ? null : "why" })),
    secretKept: outcomes.some(([, o]) => o === "registered"),
  });

  it("is green when every CA registered it", () => {
    expect(registerHeadline(report("peer", [CA, "registered"], [TLS, "registered"]))).toEqual({
      text: "Registered peer5 as a peer on Org1 CA (ca) and Org1 CA's TLS CA (tlsca).",
      tone: "ok",
    });
    expect(registerHeadline(report("orderer", [CA, "registered"])).text).toBe("Registered peer5 as an orderer on Org1 CA (ca).");
  });

  it("changes nothing when every CA knew it already, and is red when every CA failed", () => {
    expect(registerHeadline(report("peer", [CA, "already_registered"], [TLS, "already_registered"]))).toEqual({
      text: "peer5 is already registered on Org1 CA (ca) and Org1 CA's TLS CA (tlsca): nothing changed.",
      tone: "neutral",
    });
    expect(registerHeadline(report("client", [CA, "failed"]))).toEqual({ text: "Could not register peer5 on Org1 CA (ca).", tone: "error" });
  });

  it("says each part of a mixed result, amber only when something failed", () => {
    expect(registerHeadline(report("peer", [CA, "already_registered"], [TLS, "registered"]))).toEqual({
      text: "peer5: registered on Org1 CA's TLS CA (tlsca); already registered on Org1 CA (ca).",
      tone: "ok",
    });
    expect(registerHeadline(report("peer", [CA, "registered"], [TLS, "failed"]))).toEqual({
      text: "peer5: registered on Org1 CA (ca); failed on Org1 CA's TLS CA (tlsca).",
      tone: "warning",
    });
    expect(registerHeadline(report("peer"))).toEqual({ text: "Nothing was registered for peer5.", tone: "neutral" });
  });

  it("words each CA's outcome, and knows when the id was there already or something changed", () => {
    expect(registeredOnWords({ ca: CA, outcome: "registered", message: null })).toEqual({ text: "registered", tone: "ok" });
    expect(registeredOnWords({ ca: CA, outcome: "already_registered", message: "m" })).toEqual({ text: "already registered", tone: "neutral" });
    expect(registeredOnWords({ ca: CA, outcome: "failed", message: "m" })).toEqual({ text: "failed", tone: "error" });
    expect(alreadyRegistered(report("peer", [CA, "already_registered"], [TLS, "registered"]))).toBe(true);
    expect(alreadyRegistered(report("peer", [CA, "registered"]))).toBe(false);
    expect(registeredAnything(report("peer", [CA, "already_registered"], [TLS, "failed"]))).toBe(false);
    expect(registeredAnything(report("peer", [CA, "already_registered"], [TLS, "registered"]))).toBe(true);
  });
});

describe("a CA's identities", () => {
  it("sort by id and read max enrollments and affiliation in words", () => {
    const ids = sortCaIdentities([
      { id: "peer5", kind: "peer", affiliation: "org1", attrs: [], maxEnrollments: -1 },
      { id: "admin", kind: "client", affiliation: "", attrs: [], maxEnrollments: 3 },
    ]);
    expect(ids.map((i) => i.id)).toEqual(["admin", "peer5"]);
    expect([-1, 0, 3].map(maxEnrollmentsWords)).toEqual(["unlimited", "0", "3"]);
    expect(affiliationWords("")).toBe("none (the root)");
    expect(affiliationWords("org1.department1")).toBe("org1.department1");
  });

  it("keep Fabric CA's hf.* attributes apart from those people gave", () => {
    const attrs = [
      { name: "hf.Registrar.Roles", value: "*", ecert: false },
      { name: "role", value: "edge", ecert: true },
      { name: "hf.EnrollmentID", value: "peer5", ecert: true },
    ];
    expect(splitAttributes(attrs)).toEqual({ own: [attrs[1]], hf: [attrs[0], attrs[2]] });
    expect(attributeWords(attrs[1]!)).toBe("role=edge (in its certificates)");
    expect(attributeWords(attrs[0]!)).toBe("hf.Registrar.Roles=*");
  });
});

describe("the enroll form", () => {
  it("names the wallet after the enroll id until a name is typed", () => {
    expect(emptyEnrollForm("client7")).toEqual({ enrollId: "client7", secret: "", walletName: "client7", walletNameEdited: false });
    let typed = withEnrollId(emptyEnrollForm(), " client8 ");
    expect(typed.walletName).toBe("client8");
    typed = withEnrollId({ ...typed, walletName: "ops", walletNameEdited: true }, "client9");
    expect(typed).toMatchObject({ enrollId: "client9", walletName: "ops" });
  });

  it("wants all three fields", () => {
    expect(enrollFormProblems(emptyEnrollForm())).toEqual({
      enrollId: "Enroll ID is required.",
      enrollSecret: "Enroll secret is required.",
      walletName: "Wallet name is required.",
    });
    expect(enrollFormProblems({ enrollId: "client7", secret: " ", walletName: "client7", walletNameEdited: false })).toEqual({});
  });

  it("places the backend's refusals under their fields", () => {
    expect(enrollFieldOf({ code: "invalid_input", message: "x", field: "enrollSecret" })).toBe("enrollSecret");
    expect(enrollFieldOf({ code: "invalid_input", message: "x", field: "walletName" })).toBe("walletName");
    expect(enrollFieldOf({ code: "invalid_input", message: "x", field: "caAdmins" })).toBeNull();
    expect(enrollFieldOf({ code: "unreachable", message: "x" })).toBeNull();
  });

  it("says what the wallet now holds", () => {
    const identity: IdentityView = {
      name: "client7",
      subject: "CN=client7",
      issuer: "CN=ca",
      notAfter: "2027-12-06",
      mspId: "Org1MSP",
      adminOf: [],
      adminRegions: [],
    };
    expect(enrolledWords(identity, "client7")).toBe("client7 is in the wallet as “client7”, an identity of Org1MSP, valid until 2027-12-06.");
    expect(enrolledWords({ ...identity, mspId: null, name: "ops" }, "client7")).toBe("client7 is in the wallet as “ops”, valid until 2027-12-06.");
  });
});

describe("a CA's admins", () => {
  const status = (over: Partial<CaAdminStatus> = {}): CaAdminStatus => ({
    componentId: "org1ca",
    displayName: "Org1 CA",
    apiUrl: "https://ca:7054",
    caName: "ca",
    caAdminEnrollId: "admin",
    tlscaAdminEnrollId: "tlsadmin",
    ...over,
  });

  it("say what is kept: nothing, verified, unchecked with the backend's reason, or never verified", () => {
    expect(caAdminStatusWords(status({ caAdminEnrollId: null, tlscaAdminEnrollId: null }))).toEqual({
      text: "No admin credentials are kept for Org1 CA yet.",
      tone: "neutral",
    });
    expect(caAdminStatusWords(status({ verified: true }))).toEqual({
      text: "CA admin “admin” and TLS CA admin “tlsadmin” are kept, verified with the CA.",
      tone: "ok",
    });
    expect(caAdminStatusWords(status({ note: "not checked: the CA at https://ca:7054 cannot be reached." }))).toEqual({
      text: "CA admin “admin” and TLS CA admin “tlsadmin” are kept, not checked: the CA at https://ca:7054 cannot be reached.",
      tone: "warning",
    });
    expect(caAdminStatusWords(status({ verified: false })).text).toMatch(/kept but were never verified with the CA: registering needs them verified/);
  });

  it("say what a save came to, never hiding why it was not checked", () => {
    expect(savedAdminsWords(status({ verified: true }))).toEqual({ text: "Org1 CA accepted both admins: verified and kept.", tone: "ok" });
    expect(savedAdminsWords(status({ note: "not checked with the CA: no console holds its record yet" }))).toEqual({
      text: "Kept for Org1 CA, not checked with the CA: no console holds its record yet.",
      tone: "warning",
    });
    expect(savedAdminsWords(status())).toEqual({ text: "Kept for Org1 CA, not checked with the CA.", tone: "warning" });
  });
});
