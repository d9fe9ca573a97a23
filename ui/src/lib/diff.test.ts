import { describe, expect, it } from "vitest";
import { changedRows, sideBySide } from "./diff";

describe("sideBySide", () => {
  it("aligns equal lines and pairs a changed line with its replacement", () => {
    const existing = '{\n    "display_name": "Org1 MSP",\n    "msp_id": "Org1MSP"\n}';
    const incoming = '{\n    "display_name": "Org1 MSP",\n    "msp_id": "Org9MSP"\n}';
    const rows = sideBySide(existing, incoming);
    expect(rows).toEqual([
      { left: "{", right: "{", changed: false },
      { left: '    "display_name": "Org1 MSP",', right: '    "display_name": "Org1 MSP",', changed: false },
      { left: '    "msp_id": "Org1MSP"', right: '    "msp_id": "Org9MSP"', changed: true },
      { left: "}", right: "}", changed: false },
    ]);
    expect(changedRows(rows)).toBe(1);
  });

  it("leaves a gap on the side that lacks a line", () => {
    const rows = sideBySide("a\nb\nc", "a\nc\nd");
    expect(rows).toEqual([
      { left: "a", right: "a", changed: false },
      { left: "b", right: null, changed: true },
      { left: "c", right: "c", changed: false },
      { left: null, right: "d", changed: true },
    ]);
  });

  it("handles empty sides, CRLF and a trailing newline", () => {
    expect(sideBySide("", "x")).toEqual([{ left: null, right: "x", changed: true }]);
    expect(sideBySide("a\r\nb\r\n", "a\nb")).toEqual([
      { left: "a", right: "a", changed: false },
      { left: "b", right: "b", changed: false },
    ]);
    expect(sideBySide("", "")).toEqual([]);
  });

  it("pairs lines by position when the texts are too big for a line diff", () => {
    const big = Array.from({ length: 2100 }, (_, i) => `line ${i}`);
    const other = [...big];
    other[5] = "changed";
    const rows = sideBySide(big.join("\n"), other.join("\n"));
    expect(rows).toHaveLength(2100);
    expect(changedRows(rows)).toBe(1);
    expect(rows[5]).toEqual({ left: "line 5", right: "changed", changed: true });
  });
});
