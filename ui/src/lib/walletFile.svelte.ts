// Saving an identity in the console's wallet format (the console keeps identities in the browser,
// so each console's wallet needs this file). Rust asks where to save and writes it 0600.

import type { AppError } from "../bindings/AppError";
import * as ipc from "./ipc";

export type WalletFileApi = Pick<typeof ipc, "exportIdentity" | "toAppError">;

export class WalletFileSave {
  saving = $state(false);
  /** Where the file went; null until saved (a cancelled save dialog leaves it as it was). */
  saved = $state<string | null>(null);
  error = $state<AppError | null>(null);

  #api: WalletFileApi;

  constructor(api: WalletFileApi = ipc) {
    this.#api = api;
  }

  async save(identity: string): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    this.error = null;
    try {
      const result = await this.#api.exportIdentity(identity, null);
      if (result.path !== null) this.saved = result.path;
    } catch (e) {
      this.error = this.#api.toAppError(e);
    } finally {
      this.saving = false;
    }
  }
}
