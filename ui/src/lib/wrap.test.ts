import { describe, expect, it } from "vitest";
import { noOrphan } from "./wrap";

const NBSP = "\u00a0";

describe("noOrphan", () => {
  it.each([
    ["Ordering Service Node 1", `Ordering Service Node${NBSP}1`],
    ["Ordering Service Node 12", `Ordering Service Node${NBSP}12`],
    ["Org1 CA", `Org1${NBSP}CA`],
    ["Org1  MSP", `Org1${NBSP}MSP`],
    ["Peer 🌍", `Peer${NBSP}🌍`],
  ])("ties the short last word of %j to the word before it", (name, expected) => {
    expect(noOrphan(name)).toBe(expected);
  });

  it.each(["Org1 Peer1", "Ordering service osmsp", "Node", "1", "", "Org1 CA "])("leaves %j as it is", (name) => {
    expect(noOrphan(name)).toBe(name);
  });

  it("changes only the last break: the other words still wrap", () => {
    expect(noOrphan("Ordering Service Node 1").split(" ")).toEqual(["Ordering", "Service", `Node${NBSP}1`]);
  });
});
