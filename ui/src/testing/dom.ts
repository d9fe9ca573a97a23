// Helpers the component tests share: find by test id, and let Svelte and pending promises settle.

import { tick } from "svelte";

/** The element carrying `data-testid="{testid}"`, or null. */
export const byTestId = <T extends Element = HTMLElement>(testid: string) =>
  document.querySelector<T>(`[data-testid="${testid}"]`);

/** Lets a few rounds of timers, promise callbacks and Svelte updates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
}
