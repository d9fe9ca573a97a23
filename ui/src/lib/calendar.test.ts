import { describe, expect, it } from "vitest";
import type { CalendarEntry } from "../bindings/CalendarEntry";
import { daysWords, dueCounts, dueWords, filterCalendar, usedAsWords } from "./calendar";

const entry = (subject: string, due: CalendarEntry["due"], holders: string[]): CalendarEntry => ({
  sha256: subject,
  subject,
  issuer: "CN=Org1 CA",
  notAfter: 0,
  expires: "2031-01-01",
  daysLeft: 3,
  due,
  uses: holders.map((holder) => ({ holder, usedAs: "node_tls", field: "msp.component.tls_cert" })),
});

describe("the certificate calendar in words", () => {
  it("says how soon, with a tone", () => {
    expect(dueWords("expired")).toEqual({ words: "Expired", tone: "error" });
    expect(dueWords("within_7_days")).toEqual({ words: "Within 7 days", tone: "warning" });
    expect(dueWords("within_30_days").tone).toBe("warning");
    expect(dueWords("later").words).toBe("");
    expect([daysWords(12), daysWords(1), daysWords(0), daysWords(-1), daysWords(-3)]).toEqual([
      "in 12 days",
      "tomorrow",
      "today",
      "yesterday",
      "3 days ago",
    ]);
    expect(usedAsWords("ca_root")).toBe("CA root");
    expect(usedAsWords("identity")).toBe("identity");
  });

  it("filters by subject, issuer or holder, and counts what is due", () => {
    const entries = [
      entry("CN=peer1", "within_7_days", ["US East: Org1 Peer1"]),
      entry("CN=old", "expired", ["wallet: old-admin"]),
      entry("CN=root", "later", ["US West: Org1 MSP"]),
    ];
    expect(filterCalendar(entries, "us west").map((e) => e.subject)).toEqual(["CN=root"]);
    expect(filterCalendar(entries, " WALLET ").map((e) => e.subject)).toEqual(["CN=old"]);
    expect(filterCalendar(entries, "org1 ca")).toHaveLength(3);
    expect(filterCalendar(entries, "")).toHaveLength(3);
    expect(dueCounts(entries)).toEqual({ expired: 1, soon: 1 });
  });
});
