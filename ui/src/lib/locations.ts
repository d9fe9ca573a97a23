// The location catalogue grouped by cloud provider, for the location picker.

import type { Location } from "../bindings/Location";

export interface ProviderGroup {
  provider: string;
  locations: Location[];
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Groups by provider (providers and locations in alphabetical order; ids break ties). */
export function groupLocations(locations: readonly Location[]): ProviderGroup[] {
  const byProvider = new Map<string, Location[]>();
  for (const loc of locations) {
    const provider = loc.provider.trim() || "Other";
    const list = byProvider.get(provider);
    if (list) list.push(loc);
    else byProvider.set(provider, [loc]);
  }
  return [...byProvider.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([provider, list]) => ({
      provider,
      locations: [...list].sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.id, b.id)),
    }));
}

/** "N. Virginia — Ashburn (us-east-1)" */
export function locationOptionLabel(loc: Location): string {
  const place = loc.city && loc.city !== loc.name ? `${loc.name} — ${loc.city}` : loc.name;
  return `${place} (${loc.id})`;
}

/** "AWS · US East (N. Virginia) · Ashburn", leaving out empty parts. */
export function describeLocation(loc: Pick<Location, "provider" | "name" | "city">): string {
  return [loc.provider, loc.name, loc.city].filter((part) => part && part.trim()).join(" · ");
}
