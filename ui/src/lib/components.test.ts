import { describe, expect, it } from "vitest";
import type { ComponentHealth } from "../bindings/ComponentHealth";
import type { ComponentKind } from "../bindings/ComponentKind";
import type { ComponentStatus } from "../bindings/ComponentStatus";
import type { OrderingService } from "../bindings/OrderingService";
import {
  componentSummary,
  countStatuses,
  groupComponents,
  kindTitle,
  serviceLabel,
  serviceNodes,
} from "./components";

function c(id: string, kind: ComponentKind, status: ComponentStatus = "ok", displayName = id): ComponentHealth {
  return { id, displayName, kind, mspId: kind === "ca" ? null : "org1msp", status };
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

describe("ordering services", () => {
  const service = (nodeIds: string[]): OrderingService => ({ key: "raft1", name: "Ordering service OrdererMSP", nodeIds });

  it("names a service with its node count", () => {
    expect(serviceLabel(service(["os1"]))).toBe("Ordering service OrdererMSP (1 node)");
    expect(serviceLabel(service(["os1", "os2"]))).toBe("Ordering service OrdererMSP (2 nodes)");
  });

  it("lists a service's nodes in the card's order, leaving out the other services' nodes", () => {
    const orderers = [c("os2", "orderer"), c("other", "orderer"), c("os1", "orderer")];
    expect(serviceNodes(service(["os1", "os2"]), orderers).map((n) => n.id)).toEqual(["os2", "os1"]);
  });
});
