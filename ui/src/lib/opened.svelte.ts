// Something the window opens over itself (a dialog, a report, a form) that gives the keyboard back
// to where it was when it closes: one pattern instead of a "return focus" variable per dialog.

import { tick } from "svelte";

/** The element with the keyboard focus, if any (the page itself does not count). */
export function activeElement(): HTMLElement | null {
  const active = document.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : null;
}

/** Focuses `target` once the DOM has settled, if it is still on the page. */
export function focusLater(target: HTMLElement | null): void {
  void tick().then(() => {
    if (target?.isConnected) target.focus();
  });
}

export class Opened<T> {
  current = $state<T | null>(null);
  #returnFocus: HTMLElement | null = null;

  /** Opens (or replaces) what is shown; focus returns to `opener` (the first one's) on close. */
  open(value: T, opener: HTMLElement | null = activeElement()): void {
    if (this.current === null) this.#returnFocus = opener;
    this.current = value;
  }

  /** Closes and gives the keyboard back. */
  close(): void {
    const target = this.#returnFocus;
    this.dismiss();
    focusLater(target);
  }

  /** Closes without moving the focus (what follows takes it). */
  dismiss(): void {
    this.current = null;
    this.#returnFocus = null;
  }
}
