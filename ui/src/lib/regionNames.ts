// A region that a record (the wallet's admin regions, the audit log) names by id, as a person
// reads it: by its name, a removed one's marked as removed; the id only as the tooltip.

import type { RegionName } from "../bindings/RegionName";

export interface RegionLabel {
  text: string;
  /** The id, for the tooltip. */
  title: string;
}

export function regionLabel(region: RegionName): RegionLabel {
  if (!region.removed) return { text: region.name ?? region.id, title: region.id };
  // Removed before its name was kept: the id stays in the tooltip only.
  return { text: region.name === null ? "Removed region" : `${region.name} (removed)`, title: region.id };
}

/**
 * A region's name for an id a record holds: as the backend named it with the record, else as
 * `fallback` (the live regions) names it.
 */
export function recordedNames(regions: readonly RegionName[], fallback: (id: string) => string): (id: string) => string {
  return (id) => {
    const named = regions.find((r) => r.id === id);
    return named ? regionLabel(named).text : fallback(id);
  };
}
