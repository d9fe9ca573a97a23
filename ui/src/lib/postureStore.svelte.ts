// The HA posture the window shows, and the what-if: the regions the administrator supposes lost.
// The backend's `posture` lists every console, so it is read on demand only: when the what-if
// changes, when the backend says regions, homes or the consoles (audit) changed, and when health
// states or component statuses change (never on latency alone), a few of these at once being one
// read. While one is read the last posture stays; a failure is kept, in words, beside it.

import type { AppError } from "../bindings/AppError";
import type { Change } from "../bindings/Change";
import type { Posture } from "../bindings/Posture";
import type { RegionHealth } from "../bindings/RegionHealth";
import { whenChanged } from "./changes";
import * as ipc from "./ipc";

export type PostureApi = Pick<typeof ipc, "posture" | "onChanged">;

/** How long a reason to read the posture waits for others to join it, in ms. */
export const WHAT_IF_DELAY_MS = 0;
export const CHANGE_DELAY_MS = 300;
/** Health changes come per console, one poll after another: at most one read per this long. */
export const HEALTH_DELAY_MS = 1500;

/** The changes after which the posture is read again: the fleet, the homes, a console's contents. */
const RELOAD_ON: readonly Change[] = ["regions", "homes", "audit"];

/**
 * What of the health the posture depends on: each region's state, whether it answered, and its
 * components' statuses. Latency is left out, so its jitter never reads the posture again.
 */
export function healthSignature(health: Readonly<Record<string, RegionHealth>>): string {
  return Object.keys(health)
    .sort()
    .map((id) => {
      const region = health[id]!;
      const components = region.components
        .map((c) => `${c.id}=${c.status}`)
        .sort()
        .join(",");
      return `${id}:${region.state}${region.lastSeenMs === undefined ? "" : "~stale"}[${components}]`;
    })
    .join(";");
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

export class PostureStore {
  /** The region ids supposed lost (the what-if), in the order they were chosen. */
  lost = $state<string[]>([]);
  /** What-if mode on the map: a plain click on a pin supposes its region lost (or brings it back). */
  picking = $state(false);
  /** The last posture read (kept while the next is read). */
  posture = $state<Posture | null>(null);
  loading = $state(false);
  /** Why the last read failed; cleared by the next one that succeeds. */
  error = $state<AppError | null>(null);

  #api: PostureApi;
  #stops: (() => void)[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #due = 0;
  #reading = false;
  #again = false;
  #stopped = false;
  #health: string | null = null;

  constructor(api: PostureApi = ipc) {
    this.#api = api;
  }

  /** Follows the backend's changes and reads the posture once. */
  start(): void {
    this.#stopped = false;
    this.#stops = RELOAD_ON.map((change) => whenChanged(change, () => this.schedule(CHANGE_DELAY_MS), this.#api));
    void this.reload();
  }

  stop(): void {
    this.#stopped = true;
    this.#stops.forEach((stop) => stop());
    this.#stops = [];
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Supposes region `id` lost, or brings it back. */
  toggleLost(id: string): void {
    this.setLost(this.lost.includes(id) ? this.lost.filter((r) => r !== id) : [...this.lost, id]);
  }

  setLost(ids: readonly string[]): void {
    if (sameSet(ids, this.lost)) return;
    this.lost = [...ids];
    this.schedule(WHAT_IF_DELAY_MS);
  }

  /** No region supposed lost: the posture as it is. */
  clear(): void {
    this.setLost([]);
  }

  /** Turns what-if mode on the map on or off; leaving it restores the posture as it is. */
  setPicking(on: boolean): void {
    this.picking = on;
    if (!on) this.clear();
  }

  /** The fleet's regions now: a region removed is no longer supposed lost. */
  keepRegions(ids: readonly string[]): void {
    const kept = this.lost.filter((id) => ids.includes(id));
    if (kept.length !== this.lost.length) this.setLost(kept);
  }

  /** The latest health: the posture is read again when a state or a component's status changed. */
  sawHealth(health: Readonly<Record<string, RegionHealth>>): void {
    const signature = healthSignature(health);
    if (signature === this.#health) return;
    const first = this.#health === null;
    this.#health = signature;
    // The first health seen is what the posture read at start already knew, unless it holds statuses.
    if (!first || signature !== "") this.schedule(HEALTH_DELAY_MS);
  }

  /** Reads the posture in `delayMs`, or sooner when a read is due sooner already. */
  schedule(delayMs: number): void {
    if (this.#stopped) return;
    const due = Date.now() + delayMs;
    if (this.#timer !== undefined && this.#due <= due) return;
    clearTimeout(this.#timer);
    this.#due = due;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.reload();
    }, delayMs);
  }

  /** Reads the posture for the what-if now; a read already under way is followed by one more. */
  async reload(): Promise<void> {
    if (this.#stopped) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = true;
    this.loading = true;
    const lost = [...this.lost];
    try {
      const posture = await this.#api.posture(lost);
      // An answer for a what-if since changed is not shown: the read that follows is.
      if (!this.#stopped && sameSet(lost, this.lost)) {
        this.posture = posture;
        this.error = null;
      }
    } catch (error) {
      if (!this.#stopped && sameSet(lost, this.lost)) this.error = ipc.toAppError(error);
    } finally {
      this.#reading = false;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.reload();
      } else {
        this.loading = false;
      }
    }
  }
}
