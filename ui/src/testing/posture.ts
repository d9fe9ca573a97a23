// The sandbox's HA posture as the backend answers it (everything in US East, US West and Canada
// empty), with or without US East supposed lost: shared by the posture's tests.

import type { Posture } from "../bindings/Posture";

const REGIONS = [
  { id: "east", name: "US East", peers: 1, consenters: 1, cas: 1 },
  { id: "west", name: "US West", peers: 0, consenters: 0, cas: 0 },
  { id: "canada", name: "Canada", peers: 0, consenters: 0, cas: 0 },
];

/** The posture with `lost` supposed gone (only "east" changes anything). */
export function samplePosture(lost: string[] = []): Posture {
  const eastLost = lost.includes("east");
  return {
    lost,
    regions: REGIONS.map((r) => ({ ...r, lost: lost.includes(r.id), read: true })),
    orderingServices: [
      {
        key: "OrdererMSP",
        name: "Ordering Service",
        nodes: 1,
        nodesByRegion: { east: 1, west: 0, canada: 0 },
        unplaced: 0,
        down: 0,
        quorum: 1,
        available: eastLost ? 0 : 1,
        hasQuorum: !eastLost,
        survivesLossOf: { east: false, west: !eastLost, canada: !eastLost },
        distances: [],
        lacking: [],
      },
    ],
    orgs: [
      {
        mspId: "Org1MSP",
        peers: 1,
        peersByRegion: { east: 1, west: 0, canada: 0 },
        unplaced: 0,
        down: 0,
        available: eastLost ? 0 : 1,
        survivesLossOf: { east: false, west: !eastLost, canada: !eastLost },
        caRegion: "east",
        caNames: ["Org1 CA"],
        mspKnownBy: ["east"],
        mspMissingIn: ["west", "canada"],
        lacking: [],
      },
    ],
    nodes: [
      {
        key: "https://org1peer1.example.com:7051",
        displayName: "Org1 Peer1",
        kind: "peer",
        mspId: "Org1MSP",
        home: "east",
        rule: "own",
        heldBy: [{ regionId: "east", componentId: "org1peer1", imported: false }],
        down: false,
      },
      {
        key: "https://org2peer1.example.com:7051",
        displayName: "Org2 Peer1",
        kind: "peer",
        mspId: "Org2MSP",
        home: null,
        rule: "unplaced",
        heldBy: [{ regionId: "west", componentId: "org2peer1", imported: true }],
        down: true,
      },
    ],
    findings: [
      ...(eastLost
        ? [
            {
              severity: "error" as const,
              code: "quorum_lost" as const,
              message: "Ordering Service has 0 of 1 ordering nodes working and needs 1.",
              regions: ["east"],
              components: ["Ordering Service"],
              fix: { kind: "step" as const, text: "Spread its ordering nodes over three regions." },
            },
          ]
        : [
            {
              severity: "warning" as const,
              code: "quorum_needs_region" as const,
              message: "If US East is lost, Ordering Service keeps fewer than the 1 of its 1 ordering nodes it needs.",
              regions: ["east"],
              components: ["Ordering Service"],
              fix: { kind: "step" as const, text: "Spread its ordering nodes over three regions." },
            },
          ]),
      {
        severity: "warning",
        code: "msp_missing",
        message: "The consoles of US West and Canada lack Org1MSP's MSP definition.",
        regions: ["west", "canada"],
        components: ["Org1MSP"],
        fix: {
          kind: "operation",
          label: "Replicate Org1MSP from US East to US West and Canada",
          operation: { kind: "replicate_org", sourceRegionId: "east", mspId: "Org1MSP", targetRegionIds: ["west", "canada"] },
        },
      },
      {
        severity: "warning",
        code: "mesh_incomplete",
        message: "Not every console knows every node.",
        regions: ["west", "canada"],
        components: ["Org1 Peer1"],
        fix: { kind: "operation", label: "Full mesh: every console learns every node", operation: { kind: "mesh" } },
      },
      {
        severity: "warning",
        code: "node_unplaced",
        message: "Where Org2 Peer1 runs is not known.",
        regions: ["west"],
        components: ["Org2 Peer1"],
        fix: { kind: "place", nodeKey: "https://org2peer1.example.com:7051" },
      },
      {
        severity: "info",
        code: "ca_one_region",
        message: "Org1MSP's CA (Org1 CA) runs in US East.",
        regions: ["east"],
        components: ["Org1 CA"],
      },
    ],
    survivesAnyOneRegion: false,
    whyNot: eastLost
      ? ["already: Ordering Service has no quorum; Org1MSP has no peer"]
      : ["without US East: Ordering Service loses quorum; Org1MSP has no peer left"],
  };
}
