import { describe, expect, it } from "vitest";
import { lastSeenTime } from "./lastSeen";

describe("lastSeenTime", () => {
  it("gives the time alone today and the day too before", () => {
    const now = new Date(2026, 11, 5, 20, 0);
    const today = lastSeenTime(new Date(2026, 11, 5, 14, 32).getTime(), now);
    expect(today).toMatch(/14.32|2.32/);
    expect(today).not.toMatch(/Dec/);
    const earlier = lastSeenTime(new Date(2026, 11, 3, 9, 5).getTime(), now);
    expect(earlier).toMatch(/3/);
    expect(earlier).toMatch(/Dec/);
  });
});
