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
  #window: ImportsWindow;
  #api: ImportsApi;

  constructor(window: ImportsWindow, api: ImportsApi = ipc) {
    this.#window = window;
    this.#api = api;
  }

  /** Imports `source` (paths, or files chosen in an open dialog) into a region. */
  async start(regionId: string, source: string[] | "dialog"): Promise<void> {
    if (this.into) {
      this.#window.notify(busyNotice(this.#window.targetName(this.into)));
      return;
    }
    this.into = regionId;
    const target = this.#window.targetName(regionId);
    const opener = activeElement();
    try {
      const paths = source === "dialog" ? await this.#api.chooseImportFiles() : source;
      if (paths.length === 0) return; // the dialog was cancelled
      let report = await this.#api.importFiles(regionId, paths, false);
      if (report.refused && report.casLackingAdmins.length > 0 && (await this.#window.askCaAdmins(null, report.casLackingAdmins))) {
        report = await this.#api.importFiles(regionId, paths, false);
      }
      this.#window.report(report, target, opener);
      await this.#window.changed();
    } catch (error) {
      this.#window.notify(importFailedNotice(target, this.#api.toAppError(error)));
    } finally {
      this.into = null;
    }
  }
}
