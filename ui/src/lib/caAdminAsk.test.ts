import { describe, expect, it } from "vitest";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import { CaAdminAsk } from "./caAdminAsk.svelte";

const CA = { componentId: "org1ca", displayName: "Org1 CA" } as CaAdminStatus;

describe("CaAdminAsk", () => {
  it("is open while the question waits, and closes with the answer", async () => {
    const q = new CaAdminAsk();
    const saved = q.ask("r1", [CA]);
    expect(q.open).toEqual({ regionId: "r1", missing: [CA] });
    q.answer(true);
    await expect(saved).resolves.toBe(true);
    expect(q.open).toBeNull();

    const cancelled = q.ask("r1", [CA]);
    q.answer(false);
    await expect(cancelled).resolves.toBe(false);
  });

  it("gives up a question still open when a new one is asked", async () => {
    const q = new CaAdminAsk();
    const first = q.ask("r1", [CA]);
    const second = q.ask("r2", [CA]);
    await expect(first).resolves.toBe(false);
    expect(q.open?.regionId).toBe("r2");
    q.answer(true);
    await expect(second).resolves.toBe(true);
  });
});
