// Issue 4, the guide's last step: "Full mesh…" shows the plan (which console gets which peers and
// ordering nodes, which it has already), Apply runs it, and afterwards every region's card and
// console holds region 1's peer exactly once. A second run finds nothing to do. Real clicks and
// key presses through WebDriver; the consoles are checked through the emulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import { launchApp, sandboxControl, sandboxRegion, consoleComponents, waitForAttribute, screenshot } from "../harness.mjs";

let app;
let control;
before(async () => {
  app = await launchApp();
  control = await sandboxControl(app.dirs);
});
after(async () => app?.stop());

const REGIONS = ["sandbox-1", "sandbox-2", "sandbox-3"];
const DIALOG = '[data-testid="mesh-dialog"]';
const $ = (testid) => app.browser.$(`[data-testid="${testid}"]`);

async function click(testid) {
  const el = await $(testid);
  await el.waitForClickable({ timeout: 10_000 });
  await el.click();
}

/** `[outcome, display name]` of each item listed for a region under `prefix` (plan or progress). */
function itemsOf(prefix, regionId) {
  return app.browser.execute(
    (selector) =>
      [...document.querySelectorAll(selector)]
        .map((el) => [el.getAttribute("data-outcome"), el.querySelector(".name")?.textContent ?? ""])
        .sort(),
    `[data-testid="${prefix}-target-${regionId}"] [data-testid="${prefix}-item"]`,
  );
}

/** The kinds of the component rows on a region's card. */
function kindsOnCard(regionId) {
  return app.browser.execute(
    (sel) => [...document.querySelectorAll(`${sel} li[data-kind]`)].map((el) => el.getAttribute("data-kind")).sort(),
    `[data-testid="region-card-${regionId}"]`,
  );
}

async function nodesOnConsole(n) {
  const held = await consoleComponents(await sandboxRegion(control, n));
  return held
    .filter((c) => c.type === "fabric-peer" || c.type === "fabric-orderer")
    .map((c) => `${c.type}:${c.display_name}`)
    .sort();
}

const NODES = ["fabric-orderer:Ordering Service Node 1", "fabric-peer:Org1 Peer1"];

test("Full mesh shows the plan, then applies it: every region holds the peer exactly once", async () => {
  const b = app.browser;
  for (const id of REGIONS) {
    await waitForAttribute(b, `[data-testid="region-card-${id}"]`, "data-state", "healthy", 30_000);
  }
  await (await $("component-sandbox-1-org1peer1")).waitForExist({ timeout: 30_000 });

  await click("open-mesh");
  await (await b.$(DIALOG)).waitForExist({ timeout: 5_000 });
  await waitForAttribute(b, DIALOG, "data-phase", "finished", 20_000);
  assert.equal(await (await b.$(DIALOG)).getAttribute("data-step"), "plan");
  // The plan: regions 2 and 3 would get region 1's peer and ordering node; region 1 gets nothing.
  const planned = [
    ["would_create", "Ordering Service Node 1"],
    ["would_create", "Org1 Peer1"],
  ];
  assert.deepEqual(await itemsOf("mesh-plan", "sandbox-2"), planned);
  assert.deepEqual(await itemsOf("mesh-plan", "sandbox-3"), planned);
  assert.deepEqual(await itemsOf("mesh-plan", "sandbox-1"), []);
  assert.match(await (await $("mesh-plan-target-sandbox-2")).getText(), /2 to create/);
  assert.match(await (await $("mesh-plan-target-sandbox-2")).getText(), /from US East/);
  assert.deepEqual(await nodesOnConsole(2), [], "the plan changed nothing");
  await screenshot(b, "12-full-mesh-plan");

  await click("mesh-apply");
  await waitForAttribute(b, DIALOG, "data-step", "apply", 5_000);
  await waitForAttribute(b, DIALOG, "data-phase", "finished", 30_000);
  assert.equal(await (await b.$(DIALOG)).getAttribute("data-outcome"), "ok", await (await $("mesh-headline")).getText());
  const created = [
    ["created", "Ordering Service Node 1"],
    ["created", "Org1 Peer1"],
  ];
  assert.deepEqual(await itemsOf("mesh-progress", "sandbox-2"), created);
  assert.deepEqual(await itemsOf("mesh-progress", "sandbox-3"), created);
  assert.match(await (await $("mesh-headline")).getText(), /Copied the other regions' nodes to US West, Canada/);
  await b.keys(Key.Escape);
  await (await b.$(DIALOG)).waitForExist({ reverse: true, timeout: 5_000 });

  // Every card lists one peer and one ordering node (the backend re-polls right after the mesh).
  for (const id of REGIONS) {
    await b.waitUntil(async () => (await kindsOnCard(id)).filter((k) => k === "peer").length === 1, {
      timeout: 12_000,
      interval: 200,
      timeoutMsg: `${id}'s card never listed the peer`,
    });
    const kinds = await kindsOnCard(id);
    assert.equal(kinds.filter((k) => k === "peer").length, 1, `${id}'s card: the peer exactly once`);
    assert.equal(kinds.filter((k) => k === "orderer").length, 1, `${id}'s card: the ordering node exactly once`);
  }
  for (const n of [1, 2, 3]) {
    assert.deepEqual(await nodesOnConsole(n), NODES, `console ${n} holds each node exactly once`);
  }
});

test("a second Full mesh has nothing to do and changes nothing", async () => {
  const b = app.browser;
  await click("open-mesh");
  await (await b.$(DIALOG)).waitForExist({ timeout: 5_000 });
  await waitForAttribute(b, DIALOG, "data-phase", "finished", 20_000);
  assert.match(await (await $("mesh-headline")).getText(), /Nothing to do/);
  for (const id of REGIONS) {
    for (const [outcome] of await itemsOf("mesh-plan", id)) assert.equal(outcome, "already_there", id);
  }
  // Every console holds the nodes now: US East as its own (it deployed them), the others as
  // imports. A node is read from the console that holds it as its own; a copy read from another
  // console's import is named as that console's copy, never as the node's origin.
  const sourcesFor = (id) =>
    b.execute(
      (sel) => [...document.querySelectorAll(sel)].map((el) => el.textContent),
      `[data-testid="mesh-plan-target-${id}"] [data-testid="mesh-plan-item-source"]`,
    );
  assert.deepEqual(await sourcesFor("sandbox-1"), ["read from US West's copy", "read from US West's copy"]);
  assert.deepEqual(await sourcesFor("sandbox-3"), ["from US East", "from US East"]);
  assert.equal(await (await $("mesh-apply")).isEnabled(), false, "Apply is off when there is nothing to do");
  await click("mesh-cancel");
  await (await b.$(DIALOG)).waitForExist({ reverse: true, timeout: 5_000 });
  for (const n of [1, 2, 3]) {
    assert.deepEqual(await nodesOnConsole(n), NODES, `console ${n} still holds each node once`);
  }
});
