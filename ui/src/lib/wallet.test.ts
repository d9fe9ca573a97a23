import { describe, expect, it } from "vitest";
import type { IdentityView } from "../bindings/IdentityView";
import { commonName, expiryOf, MIN_PASSPHRASE_LENGTH, passphraseProblem, sortIdentities } from "./wallet";

describe("passphraseProblem", () => {
  it("accepts a long enough passphrase typed twice the same", () => {
    expect(passphraseProblem("correct horse battery", "correct horse battery")).toBeNull();
    expect(passphraseProblem("x".repeat(MIN_PASSPHRASE_LENGTH), "x".repeat(MIN_PASSPHRASE_LENGTH))).toBeNull();
  });

  it("refuses an empty, short, blank or mistyped one", () => {
    expect(passphraseProblem("", "")).toMatch(/Enter a passphrase/);
    expect(passphraseProblem("short", "short")).toMatch(/at least 12 characters/);
    expect(passphraseProblem(" ".repeat(14), " ".repeat(14))).toMatch(/only spaces/);
    expect(passphraseProblem("correct horse battery", "correct horse batterY")).toMatch(/differ/);
  });

  it("counts characters, not UTF-16 units", () => {
    const emoji = "🔑".repeat(6); // 12 UTF-16 units, 6 characters
    expect(passphraseProblem(emoji, emoji)).toMatch(/at least/);
  });
});

describe("expiryOf", () => {
  const today = new Date(Date.UTC(2026, 10, 26, 15, 0, 0));
  it.each([
    ["2027-11-26", "ok", "valid until 2027-11-26", 365],
    ["2026-12-27", "ok", "valid until 2026-12-27", 31],
    ["2026-12-26", "soon", "expires in 30 days", 30],
    ["2026-12-10", "soon", "expires in 14 days", 14],
    ["2026-11-27", "soon", "expires in 1 day", 1],
    ["2026-11-26", "soon", "expires today", 0],
    ["2026-11-25", "expired", "expired 1 day ago", -1],
    ["2026-01-01", "expired", "expired 329 days ago", -329],
  ])("%s → %s", (date, tone, text, days) => {
    expect(expiryOf(date, today)).toEqual({ tone, text, days });
  });

  it("says so when the date is missing or not a date", () => {
    expect(expiryOf("", today)).toEqual({ tone: "unknown", text: "expiry unknown", days: null });
    expect(expiryOf("soon", today).tone).toBe("unknown");
  });
});

describe("sortIdentities", () => {
  it("orders by name naturally without touching the input", () => {
    const list: IdentityView[] = ["admin10", "Admin2", "peer1"].map((name) => ({
      name,
      subject: "",
      issuer: "",
      notAfter: "",
      mspId: null,
      adminOf: [],
      adminRegions: [],
    }));
    expect(sortIdentities(list).map((i) => i.name)).toEqual(["Admin2", "admin10", "peer1"]);
    expect(list[0]?.name).toBe("admin10");
  });
});

describe("commonName", () => {
  it("takes the CN of a distinguished name", () => {
    expect(commonName("C=US, ST=North Carolina, O=Hyperledger, OU=client, CN=org1admin")).toBe("org1admin");
    expect(commonName("CN=ca.org1.example.com,O=org1")).toBe("ca.org1.example.com");
    expect(commonName("O=Org1")).toBe("O=Org1");
  });
});
