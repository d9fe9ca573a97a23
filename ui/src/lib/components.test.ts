import { describe, expect, it } from "vitest";
import type { ComponentHealth } from "../bindings/ComponentHealth";
import type { ComponentKind } from "../bindings/ComponentKind";
import type { ComponentStatus } from "../bindings/ComponentStatus";
import {
  componentSummary,
  countStatuses,
  groupComponents,
  kindTitle,
  orderingServices,
  serviceLabel,
} from "./components";

function c(id: string, kind: ComponentKind, status: ComponentStatus = "ok", displayName = id): ComponentHealth {
  return { id, displayName, kind, mspId: kind === "ca" ? null : "org1msp", clusterId: null, clusterName: null, status };
}

describe("groupComponents", () => {
  it("groups by kind in the order CAs, MSPs, peers, ordering nodes, other, leaving out empty kinds", () => {
    const groups = groupComponents([
      c("os1", "orderer"),
      c("peer1", "peer"),
      c("org1ca", "ca"),
      c("thing", "other"),
      c("org1msp", "msp", "not_applicable"),
    ]);
    expect(groups.map((g) => g.kind)).toEqual(["ca", "msp", "peer", "orderer", "other"]);
    expect(groups.map((g) => g.title)).toEqual([
      "Certificate authorities",
      "MSPs",
      "Peers",
      "Ordering nodes",
      "Other",
    ]);
    expect(groupComponents([c("p", "peer")]).map((g) => g.kind)).toEqual(["peer"]);
  });

  it("sorts by display name in natural order, then by id", () => {
    const groups = groupComponents([
      c("p10", "peer", "ok", "peer10"),
      c("p2", "peer", "ok", "peer2"),
      c("b", "peer", "ok", "Peer1"),
      c("a", "peer", "ok", "peer1"),
    ]);
    expect(groups[0]!.components.map((x) => x.id)).toEqual(["a", "b", "p2", "p10"]);
  });

  it("puts a kind it does not know under Other and leaves the input alone", () => {
    const input = [c("z", "peer"), c("x", "hsm" as ComponentKind), c("a", "peer")];
    const snapshot = input.map((x) => x.id);
    const groups = groupComponents(input);
    expect(groups.map((g) => [g.kind, g.components.map((x) => x.id)])).toEqual([
      ["peer", ["a", "z"]],
      ["other", ["x"]],
    ]);
    expect(input.map((x) => x.id)).toEqual(snapshot);
  });

  it("returns no group for an empty console", () => {
    expect(groupComponents([])).toEqual([]);
  });

  it("titles an unknown kind as Other", () => {
    expect(kindTitle("weird" as ComponentKind)).toBe("Other");
  });
});

describe("status counts", () => {
  const list = [
    c("ca", "ca", "ok"),
    c("msp", "msp", "not_applicable"),
    c("p1", "peer", "not_ok"),
    c("p2", "peer", "unknown"),
    c("o1", "orderer", "ok"),
  ];
  it("ignores components whose status does not apply", () => {
    expect(countStatuses(list)).toEqual({ ok: 2, notOk: 1, unknown: 1, total: 4 });
  });
  it("summarises in words", () => {
    expect(componentSummary(list)).toBe("5 components: 2 OK, 1 not OK, 1 unknown");
    expect(componentSummary([c("ca", "ca")])).toBe("1 component: 1 OK");
    expect(componentSummary([c("m", "msp", "not_applicable")])).toBe("1 component");
    expect(componentSummary([])).toBe("0 components");
  });
});

describe("orderingServices", () => {
  const node = (id: string, mspId: string | null): ComponentHealth => ({ ...c(id, "orderer"), mspId });

  it("groups ordering nodes by their MSP id, in the order first seen", () => {
    const services = orderingServices([
      node("os1", "OrdererMSP"),
      node("other1", "Org2OrdererMSP"),
      node("os2", "OrdererMSP"),
    ]);
    expect(services.map((s) => [s.key, s.title, s.nodes.map((n) => n.id)])).toEqual([
      ["OrdererMSP", "Ordering service OrdererMSP", ["os1", "os2"]],
      ["Org2OrdererMSP", "Ordering service Org2OrdererMSP", ["other1"]],
    ]);
  });

  it("groups by the console's cluster id first, named after the cluster", () => {
    const inCluster = (id: string, clusterId: string, clusterName: string | null) => ({
      ...node(id, "OrdererMSP"),
      clusterId,
      clusterName,
    });
    const services = orderingServices([
      inCluster("a1", "raft1", "Raft Cluster"),
      inCluster("b1", "raft2", "Ordering Service"),
      inCluster("a2", "raft1", "Raft Cluster"),
      node("loose", "OrdererMSP"),
      inCluster("c1", "raft3", null),
    ]);
    expect(services.map((s) => [s.key, s.title, s.nodes.map((n) => n.id)])).toEqual([
      ["raft1", "Ordering service Raft Cluster", ["a1", "a2"]],
      ["raft2", "Ordering Service", ["b1"]],
      ["OrdererMSP", "Ordering service OrdererMSP", ["loose"]],
      ["raft3", "Ordering service OrdererMSP", ["c1"]],
    ]);
  });

  it("puts nodes without an MSP id in one unnamed service", () => {
    const [service] = orderingServices([node("a", null), node("b", null)]);
    expect(service).toMatchObject({ key: "", title: "Ordering service" });
    expect(serviceLabel(service!)).toBe("Ordering service (2 nodes)");
    expect(orderingServices([])).toEqual([]);
  });

  it("names a service with its node count", () => {
    expect(serviceLabel(orderingServices([node("os1", "OrdererMSP")])[0]!)).toBe("Ordering service OrdererMSP (1 node)");
  });
});
