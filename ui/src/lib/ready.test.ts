// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { markReady } from "./ready";

describe("markReady", () => {
  it("marks the root element and tells the app once", async () => {
    const root = document.createElement("html");
    const report = vi.fn(async () => {});
    await markReady(root, report);
    expect(root.dataset.ready).toBe("true");
    expect(report).toHaveBeenCalledTimes(1);
  });

  it("keeps the mark when the app cannot be told", async () => {
    const root = document.createElement("html");
    await expect(markReady(root, async () => Promise.reject(new Error("no ipc")))).resolves.toBeUndefined();
    expect(root.dataset.ready).toBe("true");
  });
});
