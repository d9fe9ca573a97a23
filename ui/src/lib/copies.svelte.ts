// Copies the window starts (a drag onto a region, or the Copy dialog): one at a time, each CA it
// would create asked for its admin credentials first (the core's plan names them), then run with
// progress, cancel and retry.

import { CaAdminAsk } from "./caAdminAsk.svelte";
import { ensureCaAdmins } from "./caAdmins";
import * as ipc from "./ipc";
import { caAdminsMissingNotice, transferBusyNotice, type NoticeData } from "./notices";
import { OperationRun } from "./operationRun.svelte";
import type { TransferPayload } from "./payload";
import { copyOperation, copyRequest, otherRegionIds } from "./transfer";

export type CopiesApi = Pick<typeof ipc, "planOperation" | "applyOperation" | "cancelTransfer" | "toAppError">;

export class Copies {
  readonly run: OperationRun;
  /** The CA admin credentials question a copy may ask before it starts. */
  readonly caAsk = new CaAdminAsk();
  #notify: (notice: NoticeData) => void;
  #api: CopiesApi;

  constructor(notify: (notice: NoticeData) => void, api: CopiesApi = ipc) {
    this.#notify = notify;
    this.#api = api;
    this.run = new OperationRun(api);
  }

  /** Copies `payload` to `targets` (the source is never one); tells why when it does not start. */
  async start(payload: TransferPayload, targets: string[]): Promise<void> {
    if (this.run.running || this.caAsk.open) {
      this.#notify(transferBusyNotice());
      return;
    }
    if (!(await this.#caAdminsReady(payload, targets))) return;
    await this.run.start(copyOperation(payload, this.#api), otherRegionIds(targets, payload.sourceRegionId));
  }

  /** True when the copy may start: the plan creates no CA lacking its admin credentials. */
  async #caAdminsReady(payload: TransferPayload, targets: string[]): Promise<boolean> {
    try {
      if (await ensureCaAdmins(copyRequest(payload, targets), this.caAsk.ask, this.#api)) return true;
      this.#notify(caAdminsMissingNotice(payload.label, null));
    } catch (error) {
      this.#notify(caAdminsMissingNotice(payload.label, this.#api.toAppError(error)));
    }
    return false;
  }
}
