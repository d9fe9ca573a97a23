import { describe, expect, it } from "vitest";
import { certificateDate, isCertificateError, plainHttpToAnotherMachine } from "./consoleUrl";

describe("plainHttpToAnotherMachine", () => {
  it("is true only for http:// to a host other than this machine", () => {
    expect(plainHttpToAnotherMachine("http://console.example.org")).toBe(true);
    expect(plainHttpToAnotherMachine("http://10.0.0.5:3000")).toBe(true);
    expect(plainHttpToAnotherMachine("https://console.example.org")).toBe(false);
    expect(plainHttpToAnotherMachine(" http://127.0.0.1:3000 ")).toBe(false);
    expect(plainHttpToAnotherMachine("http://localhost:3000")).toBe(false);
    expect(plainHttpToAnotherMachine("http://[::1]:3000")).toBe(false);
    expect(plainHttpToAnotherMachine("not a url")).toBe(false);
  });
});

describe("isCertificateError", () => {
  it("tells a certificate this machine does not trust from other failures", () => {
    expect(isCertificateError({ code: "unreachable", message: "invalid peer certificate: UnknownIssuer" })).toBe(true);
    expect(isCertificateError({ code: "unreachable", message: "connection refused" })).toBe(false);
    expect(isCertificateError({ code: "unauthorized", message: "certificate" })).toBe(false);
  });
  it("dates certificates in UTC", () => {
    expect(certificateDate(1_830_000_000)).toBe("2027-12-28");
  });
});
