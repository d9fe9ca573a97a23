import { describe, expect, it, vi } from "vitest";
import type { Change } from "../bindings/Change";
import { whenChanged } from "./changes";

function channel() {
  let listener: ((c: Change) => void) | null = null;
  const unlisten = vi.fn();
  const api = {
    onChanged: vi.fn(async (cb: (c: Change) => void) => {
      listener = cb;
      return unlisten;
    }),
  };
  return { api, unlisten, emit: (c: Change) => listener?.(c) };
}

describe("whenChanged", () => {
  it("reloads on its own change only, and stops when asked", async () => {
    const { api, unlisten, emit } = channel();
    const reload = vi.fn();
    const stop = whenChanged("wallet", reload, api);
    await Promise.resolve();
    emit("audit");
    expect(reload).not.toHaveBeenCalled();
    emit("wallet");
    expect(reload).toHaveBeenCalledTimes(1);
    stop();
    expect(unlisten).toHaveBeenCalled();
    emit("wallet");
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("stopped before the subscription is in place, it unsubscribes as soon as it is", async () => {
    const { api, unlisten } = channel();
    const stop = whenChanged("audit", vi.fn(), api);
    stop();
    await Promise.resolve();
    await Promise.resolve();
    expect(unlisten).toHaveBeenCalled();
  });
});
