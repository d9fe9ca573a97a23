// Issue 4, by hand: drag region 1's MSP from its card onto region 2's pin on the map. The drag is
// the real X pointer (xdotool under Xvfb), so the app sees genuine pointerdown / pointermove /
// pointerup events from WebKitGTK, not synthesised DOM events.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  launchApp,
  sandboxControl,
  controlFetch,
  sandboxRegion,
  consoleComponents,
  waitForAttribute,
  screenshot,
} from "../harness.mjs";
import { screenCentreOf, xdrag } from "../xdrag.mjs";

let app;
let control;
before(async () => {
  app = await launchApp();
  control = await sandboxControl(app.dirs);
});
after(async () => app?.stop());

const ROW = '[data-testid="component-sandbox-1-org1msp"]';
const PIN = '[data-testid="region-pin-sandbox-2"]';
const PANEL = '[data-testid="transfer-panel"]';
const TARGET = '[data-testid="transfer-target-sandbox-2"]';

async function setLatency(region, ms) {
  const res = await controlFetch(control, `/regions/${region}/latency`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ms }),
  });
  assert.equal(res.status, 200, `fault control answered ${res.status}`);
}

/** Drags the MSP row's name onto region 2's pin; `whileOver` runs with the button still held. */
async function dragMspOntoPin(whileOver) {
  const b = app.browser;
  const from = await screenCentreOf(b, await b.$(`${ROW} .cname`));
  const to = await screenCentreOf(b, await b.$(`${PIN} circle.dot`));
  await xdrag(from, to, { steps: 16, stepMs: 30, whileOver });
}

/** The outcomes listed for region 2 in the transfer panel, in order. */
function outcomesForRegion2() {
  return app.browser.execute(
    (selector) => [...document.querySelectorAll(selector)].map((el) => el.getAttribute("data-outcome")),
    `${TARGET} [data-testid="transfer-item"]`,
  );
}

async function mspsOnConsole2() {
  const held = await consoleComponents(await sandboxRegion(control, 2));
  return held.filter((c) => c.type === "msp").map((c) => [c.id, c.msp_id]);
}

test("dragging region 1's MSP onto region 2's pin copies it there, with progress", async () => {
  const b = app.browser;
  for (const id of ["sandbox-1", "sandbox-2"]) {
    await waitForAttribute(b, `[data-testid="region-card-${id}"]`, "data-state", "healthy", 30_000);
  }
  await (await b.$(ROW)).waitForExist({ timeout: 30_000 });
  assert.ok(await (await b.$('[data-testid="no-components-sandbox-2"]')).isExisting(), "region 2 starts empty");
  // A slow console 2, so the running transfer can be seen before it ends.
  await setLatency(2, 700);

  await dragMspOntoPin(async () => {
    await waitForAttribute(b, PIN, "data-drop-target", "true", 10_000);
    assert.equal(await (await b.$('[data-testid="region-card-sandbox-2"]')).getAttribute("data-drop-target"), "true");
    assert.equal(await (await b.$('[data-testid="region-pin-sandbox-1"]')).getAttribute("data-drop-target"), null);
    const ghost = await (await b.$('[data-testid="drag-ghost"]')).getProperty("textContent");
    assert.match(ghost, /Org1 MSP → US West/);
    assert.ok(await (await b.$('[data-testid="drop-all"]')).isDisplayed(), "the All other regions zone is offered");
    await screenshot(b, "09-drag-over-pin");
  });

  // Progress while it runs: the panel, the target, a Cancel button.
  await (await b.$(PANEL)).waitForExist({ timeout: 5_000 });
  assert.equal(await (await b.$(PANEL)).getAttribute("data-phase"), "running");
  assert.ok(await (await b.$('[data-testid="transfer-cancel"]')).isExisting(), "Cancel is offered while it runs");
  assert.match(await (await b.$(TARGET)).getText(), /US West/);
  assert.equal(await (await b.$('[data-testid="drag-ghost"]')).isExisting(), false, "the ghost is gone");
  await setLatency(2, 0);

  await waitForAttribute(b, PANEL, "data-phase", "finished", 20_000);
  assert.equal(await (await b.$(PANEL)).getAttribute("data-outcome"), "ok");
  assert.equal(await (await b.$(TARGET)).getAttribute("data-phase"), "done");
  assert.deepEqual(await outcomesForRegion2(), ["created"], "one item, created");
  assert.match(await (await b.$(TARGET)).getText(), /1 created/);
  const done = Date.now();

  // Region 2's card lists it once the poller has looked again (right after the transfer).
  const row = await b.$('[data-testid="component-sandbox-2-org1msp"]');
  await row.waitForExist({ timeout: 12_000 });
  console.log(`# org1msp listed on region 2's card ${Date.now() - done} ms after the transfer finished`);
  assert.equal(await row.getAttribute("data-kind"), "msp");
  assert.deepEqual(await mspsOnConsole2(), [["org1msp", "Org1MSP"]], "console 2 holds the MSP exactly once");
});

test("dragging it again finds it already there and creates no duplicate", async () => {
  const b = app.browser;
  await (await b.$('[data-testid="transfer-done"]')).click();
  await dragMspOntoPin(async () => {
    await waitForAttribute(b, PIN, "data-drop-target", "true", 10_000);
  });
  await waitForAttribute(b, PANEL, "data-phase", "finished", 20_000);
  assert.deepEqual(await outcomesForRegion2(), ["already_there"]);
  // The headline says what happened: nothing was copied, and it is not a green success.
  assert.equal(await (await b.$(PANEL)).getAttribute("data-outcome"), "neutral");
  assert.equal(
    await (await b.$('[data-testid="transfer-headline"]')).getText(),
    "Org1 MSP is already in US West — nothing copied",
  );
  assert.deepEqual(await mspsOnConsole2(), [["org1msp", "Org1MSP"]], "still exactly one");
});

test("Escape during a drag cancels it: nothing is copied", async () => {
  const b = app.browser;
  await (await b.$('[data-testid="transfer-done"]')).click();
  const third = '[data-testid="region-card-sandbox-3"]';
  await waitForAttribute(b, third, "data-state", "healthy", 30_000);
  const from = await screenCentreOf(b, await b.$(`${ROW} .cname`));
  const to = await screenCentreOf(b, await b.$('[data-testid="region-pin-sandbox-3"] circle.dot'));
  await xdrag(from, to, {
    whileOver: async () => {
      await waitForAttribute(b, '[data-testid="region-pin-sandbox-3"]', "data-drop-target", "true", 10_000);
      await b.keys("Escape");
      await (await b.$('[data-testid="drag-ghost"]')).waitForExist({ reverse: true, timeout: 5_000 });
    },
  });
  assert.equal(await (await b.$(PANEL)).isExisting(), false, "no transfer started");
  assert.ok(await (await b.$('[data-testid="no-components-sandbox-3"]')).isExisting(), "region 3 is still empty");
});
