// The open question for CA admin credentials: `ask` (the prompt `ensureCaAdmins` awaits) opens
// it, the owner shows `CaAdminPrompt` while `open` is set, and `answer` closes it.

import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import type { CaAdminPromptFn } from "./caAdmins";

export class CaAdminAsk {
  open = $state<{ regionId: string | null; missing: CaAdminStatus[] } | null>(null);
  #resolve: ((saved: boolean) => void) | null = null;

  /** Opens the question; resolves true once every CA's credentials are saved, false if cancelled. */
  readonly ask: CaAdminPromptFn = (regionId, missing) =>
    new Promise<boolean>((resolve) => {
      this.#resolve?.(false); // a question still open is given up, never left hanging
      this.open = { regionId, missing };
      this.#resolve = resolve;
    });

  answer(saved: boolean): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    this.open = null;
    resolve?.(saved);
  }
}
