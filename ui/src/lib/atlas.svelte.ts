// The app's state: what the backend told us, kept in Svelte runes. Secrets never pass through
// here (the console form keeps its secret field to itself).

import type { AppError } from "../bindings/AppError";
import type { AppInfo } from "../bindings/AppInfo";
import type { HealthSnapshot } from "../bindings/HealthSnapshot";
import type { Location } from "../bindings/Location";
import type { RegionHealth } from "../bindings/RegionHealth";
import type { RegionView } from "../bindings/RegionView";
import { whenChanged } from "./changes";
import * as ipc from "./ipc";

/** The part of the IPC module the store uses (injectable for tests). */
export type AtlasApi = Pick<
  typeof ipc,
  "appInfo" | "listLocations" | "listRegions" | "healthSnapshot" | "onHealth" | "onChanged" | "toAppError"
>;

export class Atlas {
  info = $state<AppInfo | null>(null);
  regions = $state<RegionView[]>([]);
  locations = $state<Location[]>([]);
  /** Latest health per region id. */
  health = $state<Record<string, RegionHealth>>({});
  /** True once any health snapshot (fetched or pushed) has arrived. */
  healthKnown = $state(false);
  loading = $state(true);
  /** The first error met while loading or refreshing, for a banner. */
  error = $state<AppError | null>(null);

  #api: AtlasApi;
  #unlisten: (() => void) | null = null;
  #stopRegionChanges: (() => void) | null = null;
  #stopped = false;
  /** Bumped on every applied snapshot so a slow fetch never overwrites a newer pushed one. */
  #healthVersion = 0;

  constructor(api: AtlasApi = ipc) {
    this.#api = api;
  }

  applySnapshot(snapshot: HealthSnapshot): void {
    const next: Record<string, RegionHealth> = {};
    for (const region of snapshot.regions ?? []) next[region.regionId] = region;
    this.health = next;
    this.healthKnown = true;
    this.#healthVersion += 1;
  }

  healthOf(regionId: string): RegionHealth | undefined {
    return this.health[regionId];
  }

  /** Subscribes to health and region change events, then loads everything once. */
  async start(): Promise<void> {
    this.loading = true;
    this.#stopRegionChanges = whenChanged("regions", () => this.refresh(), this.#api);
    try {
      const unlisten = await this.#api.onHealth((snapshot) => {
        if (!this.#stopped) this.applySnapshot(snapshot);
      });
      if (this.#stopped) unlisten();
      else this.#unlisten = unlisten;
    } catch (error) {
      this.#report(error);
    }
    const [info, locations] = await Promise.allSettled([this.#api.appInfo(), this.#api.listLocations()]);
    if (info.status === "fulfilled") this.info = info.value;
    else this.#report(info.reason);
    if (locations.status === "fulfilled") this.locations = locations.value;
    else this.#report(locations.reason);
    await this.refresh();
    this.loading = false;
  }

  /** Reloads the region list and a health snapshot (after add, edit or remove). */
  async refresh(): Promise<void> {
    const versionAtStart = this.#healthVersion;
    const [regions, snapshot] = await Promise.allSettled([this.#api.listRegions(), this.#api.healthSnapshot()]);
    if (regions.status === "fulfilled") this.regions = regions.value;
    else this.#report(regions.reason);
    if (snapshot.status === "fulfilled") {
      if (this.#healthVersion === versionAtStart) this.applySnapshot(snapshot.value);
    } else {
      this.#report(snapshot.reason);
    }
  }

  /**
   * Fetches a health snapshot now (after an import), unless a newer one was pushed meanwhile.
   * The poller lists the new components on its next tick; the event brings them here.
   */
  async refreshHealth(): Promise<void> {
    const versionAtStart = this.#healthVersion;
    try {
      const snapshot = await this.#api.healthSnapshot();
      if (this.#healthVersion === versionAtStart && !this.#stopped) this.applySnapshot(snapshot);
    } catch (error) {
      this.#report(error);
    }
  }

  regionName(regionId: string): string {
    return this.regions.find((r) => r.id === regionId)?.name ?? regionId;
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
    this.#stopRegionChanges?.();
  }

  dismissError(): void {
    this.error = null;
  }

  #report(error: unknown): void {
    if (!this.error) this.error = this.#api.toAppError(error);
  }
}
