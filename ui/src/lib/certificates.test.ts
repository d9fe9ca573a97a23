import { describe, expect, it } from "vitest";
import { certificateDate, isCertificateError } from "./certificates";

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
