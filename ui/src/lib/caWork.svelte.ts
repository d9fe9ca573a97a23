// What a CA row's actions open: one modal dialog at a time (CA admins, register, enroll into the
// wallet) and the identities drawer beside it, each giving the keyboard back to its opener. The
// drawer reads the CA's identities again after every registration that registered something.

import type { RegisterReport } from "../bindings/RegisterReport";
import { registeredAnything, type CaAction, type CaRef } from "./fabricCa";
import { Opened } from "./opened.svelte";

export type CaDialog = "register" | "enroll" | "admins";

export interface CaTask {
  action: CaDialog;
  ca: CaRef;
  /** Pre-filled enroll id (Enroll into wallet… from a registration's report). */
  enrollId?: string;
}

export class CaWork {
  readonly dialog = new Opened<CaTask>();
  readonly identities = new Opened<CaRef>();
  /** Counts registrations that changed a CA's identities: the drawer reloads when it moves. */
  registrations = $state(0);

  /** Opens what `action` shows for `ca`; `opener` gets the keyboard back when it closes. */
  open(action: CaAction, ca: CaRef, opener: HTMLElement | null): void {
    if (action === "identities") {
      // Another CA's identities are a drawer of their own, giving the keyboard back to its opener.
      this.identities.dismiss();
      this.identities.open(ca, opener);
    } else {
      this.dialog.open({ action, ca }, opener);
    }
  }

  /** From one dialog to the next (a report's "Enroll into wallet…"): the first opener still gets the keyboard back. */
  switchTo(task: CaTask): void {
    this.dialog.open(task);
  }

  /** A registration answered: the identities drawer reloads when the CA's identities changed. */
  registered(report: RegisterReport): void {
    if (registeredAnything(report)) this.registrations += 1;
  }
}
