// Every drag the window takes, in one place: files from the OS (import into a region or the
// wallet), component rows and ordering services (copy to other regions) and wallet identities
// (make one its org's admin on a region). It tracks what is dragged and what it is over, and on a
// drop calls the window's action; the DOM hit-testing is injected so the rules test without a page.

import type { DragHandlers } from "./dragSource";
import { describePaths, sameTarget, type DropTarget, type Point } from "./drop";
import type { FileDragEvent } from "./ipc";
import { identityOf } from "./identityDrag";
import { missedDropNotice, type NoticeData } from "./notices";
import type { TransferPayload } from "./payload";
import { sameTransferTarget, targetRegionIds, type TransferTarget } from "./transferDrag";

/** What is under a point, for each kind of drag (see drop.ts, transferDrag.ts, identityDrag.ts). */
export interface HitTests {
  fileTargetAt(position: FileDragEvent["position"]): DropTarget | null;
  componentTargetAt(point: Point, sourceRegionId: string): TransferTarget | null;
  identityTargetAt(point: Point): string | null;
}

/** What a drop does, and how the window tells the user. */
export interface DropActions {
  regionIds(): string[];
  regionName(regionId: string): string;
  importInto(regionId: string, paths: string[]): void;
  importIntoWallet(paths: string[]): void;
  copy(payload: TransferPayload, targetRegionIds: string[]): void;
  makeAdmin(identity: string, regionId: string): void;
  /** Files entered the window: a new drop replaces the last import report. */
  filesEntered(): void;
  announce(text: string): void;
  notify(notice: NoticeData): void;
}

export interface FileDrag {
  paths: string[];
  target: DropTarget | null;
}

export interface ComponentDrag {
  payload: TransferPayload;
  point: Point;
  target: TransferTarget | null;
}

export interface IdentityDrag {
  name: string;
  point: Point;
  regionId: string | null;
}

export class Drags {
  files = $state<FileDrag | null>(null);
  component = $state<ComponentDrag | null>(null);
  identity = $state<IdentityDrag | null>(null);

  /** Something droppable is being dragged: the map and the cards show where it can go. */
  readonly armed = $derived(this.files !== null || this.component !== null || this.identity !== null);

  /** The regions a drop now would go to. */
  readonly dropRegions = $derived.by(() => {
    if (this.identity) return this.identity.regionId ? [this.identity.regionId] : [];
    if (this.component) return targetRegionIds(this.component.target, this.component.payload.sourceRegionId, this.#actions.regionIds());
    return this.files?.target?.kind === "region" ? [this.files.target.regionId] : [];
  });

  #hits: HitTests;
  #actions: DropActions;

  constructor(hits: HitTests, actions: DropActions) {
    this.#hits = hits;
    this.#actions = actions;
  }

  /** Whether a region's card takes what is dragged (a component never goes back to its source). */
  takes(regionId: string): boolean {
    if (this.component) return this.component.payload.sourceRegionId !== regionId;
    return this.armed;
  }

  /** What a drop on a card does, completing "Drop to … {region name}". */
  dropAction(): string {
    if (this.identity) return `make ${this.identity.name} its org's admin on`;
    if (this.component) return `copy ${this.component.payload.label} to`;
    return "import into";
  }

  /** The pill that follows a dragged component. */
  componentGhost(drag: ComponentDrag): string {
    if (drag.target?.kind === "all") return `${drag.payload.label} → all other regions`;
    if (drag.target?.kind === "region") return `${drag.payload.label} → ${this.#actions.regionName(drag.target.regionId)}`;
    return drag.payload.label;
  }

  /** The pill that follows a dragged identity. */
  identityGhost(drag: IdentityDrag): string {
    return drag.regionId ? `${drag.name} → admin on ${this.#actions.regionName(drag.regionId)}` : drag.name;
  }

  /** The status line over the window while OS files are dragged. */
  fileStatus(drag: FileDrag, walletOpen: boolean): string {
    const what = describePaths(drag.paths);
    if (drag.target?.kind === "region") return `Release to import ${what} into ${this.#actions.regionName(drag.target.regionId)}`;
    if (drag.target?.kind === "wallet") return `Release to add ${what} to the wallet`;
    return `Drop ${what} on a region's card or map pin to import into its console${walletOpen ? ", or on the wallet" : ""}`;
  }

  /** Tauri's OS file drag events (see `ipc.onFileDrop`). */
  onFileDrag = (event: FileDragEvent): void => {
    if (event.type === "leave") {
      this.files = null;
      return;
    }
    if (event.type === "enter") this.#actions.filesEntered();
    const target = this.#hits.fileTargetAt(event.position);
    if (event.type === "enter" || event.type === "over") {
      const now = this.files;
      if (!now || !sameTarget(now.target, target) || now.paths.length !== event.paths.length) {
        this.files = { paths: event.paths, target };
      }
      return;
    }
    this.files = null;
    if (event.paths.length === 0) return;
    if (target === null) this.#actions.notify(missedDropNotice(describePaths(event.paths)));
    else if (target.kind === "region") this.#actions.importInto(target.regionId, event.paths);
    else this.#actions.importIntoWallet(event.paths);
  };

  /** For component rows and ordering services. Stable: a new object would restart every row's drag source. */
  readonly componentHandlers: DragHandlers = {
    start: (payload, point) => {
      if (this.files) return; // an OS file drag is on
      this.component = { payload, point, target: this.#componentTargetAt(point, payload) };
    },
    move: (point) => {
      const drag = this.component;
      if (!drag) return;
      drag.point = point;
      const target = this.#componentTargetAt(point, drag.payload);
      if (!sameTransferTarget(target, drag.target)) drag.target = target;
    },
    drop: (point) => {
      const drag = this.component;
      this.component = null;
      if (!drag) return;
      const targets = targetRegionIds(this.#componentTargetAt(point, drag.payload), drag.payload.sourceRegionId, this.#actions.regionIds());
      if (targets.length > 0) this.#actions.copy(drag.payload, targets);
      else this.#actions.announce(`Nothing copied: ${drag.payload.label} was not dropped on another region.`);
    },
    cancel: () => {
      if (this.component) this.#actions.announce(`Copy of ${this.component.payload.label} cancelled.`);
      this.component = null;
    },
  };

  /** For the wallet's identity rows (see identityDrag.ts for how an identity travels). */
  readonly identityHandlers: DragHandlers = {
    start: (payload, point) => {
      const name = identityOf(payload);
      if (this.files || !name) return;
      this.identity = { name, point, regionId: this.#hits.identityTargetAt(point) };
    },
    move: (point) => {
      const drag = this.identity;
      if (!drag) return;
      drag.point = point;
      const regionId = this.#hits.identityTargetAt(point);
      if (regionId !== drag.regionId) drag.regionId = regionId;
    },
    drop: (point) => {
      const drag = this.identity;
      this.identity = null;
      if (!drag) return;
      const regionId = this.#hits.identityTargetAt(point);
      if (regionId) this.#actions.makeAdmin(drag.name, regionId);
      else this.#actions.announce(`Nothing changed: ${drag.name} was not dropped on a region.`);
    },
    cancel: () => {
      if (this.identity) this.#actions.announce(`Drag of ${this.identity.name} cancelled.`);
      this.identity = null;
    },
  };

  #componentTargetAt(point: Point, payload: TransferPayload): TransferTarget | null {
    return this.#hits.componentTargetAt(point, payload.sourceRegionId);
  }
}
