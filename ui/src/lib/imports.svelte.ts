// Files imported into a region's console (dropped on its card or pin, or chosen in an open
// dialog): one import at a time; a CA the core will not create without its admin credentials is
// asked about and the same files imported again; the report shown either way.

import type { ImportReport } from "../bindings/ImportReport";
import type { CaAdminPromptFn } from "./caAdmins";
import * as ipc from "./ipc";
import { busyNotice, importFailedNotice, type NoticeData } from "./notices";
import { activeElement } from "./opened.svelte";

export type ImportsApi = Pick<typeof ipc, "importFiles" | "chooseImportFiles" | "toAppError">;

export interface ImportsWindow {
  /** "US West", or "the wallet". */
  targetName(regionId: string): string;
  askCaAdmins: CaAdminPromptFn;
  /** Shows the report; `opener` gets the keyboard back when it closes. */
  report(report: ImportReport, target: string, opener: HTMLElement | null): void;
  notify(notice: NoticeData): void;
  /** The console changed: its card should say so now rather than at the next poll. */
  changed(): Promise<void>;
}

export class Imports {
  /** The region an import is running into. */
  into = $state<string | null>(null);
  /** The running import waits for another Fabric Atlas operation on that console. */
  waiting = $state(false);
  #view: ImportsWindow;
  #api: ImportsApi;

  constructor(view: ImportsWindow, api: ImportsApi = ipc) {
    this.#view = view;
    this.#api = api;
  }

  /** Imports `source` (paths, or files chosen in an open dialog) into a region. */
  async start(regionId: string, source: string[] | "dialog"): Promise<void> {
    if (this.into) {
      this.#view.notify(busyNotice(this.#view.targetName(this.into)));
      return;
    }
    this.into = regionId;
    const target = this.#view.targetName(regionId);
    const opener = activeElement();
    try {
      const paths = source === "dialog" ? await this.#api.chooseImportFiles() : source;
      if (paths.length === 0) return; // the dialog was cancelled
      const onWait = () => (this.waiting = true);
      let report = await this.#api.importFiles(regionId, paths, false, onWait);
      this.waiting = false;
      if (report.refused && report.casLackingAdmins.length > 0 && (await this.#view.askCaAdmins(null, report.casLackingAdmins))) {
        report = await this.#api.importFiles(regionId, paths, false, onWait);
      }
      this.#view.report(report, target, opener);
      await this.#view.changed();
    } catch (error) {
      this.#view.notify(importFailedNotice(target, this.#api.toAppError(error)));
    } finally {
      this.into = null;
      this.waiting = false;
    }
  }
}
