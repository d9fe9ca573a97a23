// Grouping a console's components by kind, in the order an administrator reads a Fabric org:
// CAs first, then MSPs, peers, ordering nodes and anything else.

import type { ComponentHealth } from "../bindings/ComponentHealth";
import type { ComponentKind } from "../bindings/ComponentKind";
import type { OrderingService } from "../bindings/OrderingService";

export const KIND_ORDER: readonly ComponentKind[] = ["ca", "msp", "peer", "orderer", "other"];

const KIND_TITLES: Record<ComponentKind, string> = {
  ca: "Certificate authorities",
  msp: "MSPs",
  peer: "Peers",
  orderer: "Ordering nodes",
  other: "Other",
};

export function kindTitle(kind: ComponentKind): string {
  return KIND_TITLES[kind] ?? KIND_TITLES.other;
}

export interface ComponentGroup {
  kind: ComponentKind;
  title: string;
  components: ComponentHealth[];
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Compares by display name (natural order: peer2 before peer10), then by id. */
export function compareComponents(a: ComponentHealth, b: ComponentHealth): number {
  return collator.compare(a.displayName, b.displayName) || collator.compare(a.id, b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Groups components by kind in KIND_ORDER, sorted inside each group; empty groups are left
 * out. A kind this UI does not know yet is shown under "Other". The input is not modified.
 */
export function groupComponents(components: readonly ComponentHealth[]): ComponentGroup[] {
  const buckets = new Map<ComponentKind, ComponentHealth[]>();
  for (const c of components) {
    const kind: ComponentKind = KIND_ORDER.includes(c.kind) ? c.kind : "other";
    const bucket = buckets.get(kind);
    if (bucket) bucket.push(c);
    else buckets.set(kind, [c]);
  }
  return KIND_ORDER.flatMap((kind) => {
    const list = buckets.get(kind);
    return list ? [{ kind, title: kindTitle(kind), components: [...list].sort(compareComponents) }] : [];
  });
}

export interface StatusCounts {
  ok: number;
  notOk: number;
  unknown: number;
  total: number;
}

/** Counts component statuses; "not applicable" ones (e.g. MSPs) are not counted at all. */
export function countStatuses(components: readonly ComponentHealth[]): StatusCounts {
  const counts: StatusCounts = { ok: 0, notOk: 0, unknown: 0, total: 0 };
  for (const c of components) {
    if (c.status === "not_applicable") continue;
    counts.total += 1;
    if (c.status === "ok") counts.ok += 1;
    else if (c.status === "not_ok") counts.notOk += 1;
    else counts.unknown += 1;
  }
  return counts;
}

/** "5 components: 3 OK, 1 not OK, 1 unknown" (statuses left out when none apply). */
export function componentSummary(components: readonly ComponentHealth[]): string {
  const n = components.length;
  const head = `${n} component${n === 1 ? "" : "s"}`;
  const c = countStatuses(components);
  if (c.total === 0) return head;
  const parts = [`${c.ok} OK`];
  if (c.notOk > 0) parts.push(`${c.notOk} not OK`);
  if (c.unknown > 0) parts.push(`${c.unknown} unknown`);
  return `${head}: ${parts.join(", ")}`;
}

/** "Ordering service OrdererMSP (3 nodes)": what a copy of the core's ordering service is called. */
export function serviceLabel(service: OrderingService): string {
  const n = service.nodeIds.length;
  return `${service.name} (${n} node${n === 1 ? "" : "s"})`;
}

/** A service's nodes as the card lists them (in `orderers`' order). */
export function serviceNodes(service: OrderingService, orderers: readonly ComponentHealth[]): ComponentHealth[] {
  return orderers.filter((c) => service.nodeIds.includes(c.id));
}
