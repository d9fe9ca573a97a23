// Issue 4 without a pointer: reach region 1's MSP row with Tab, open "Copy to region…", tick
// region 3 with the keyboard and confirm. Every step is a key press through WebDriver.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import { launchApp, sandboxControl, sandboxRegion, consoleComponents, waitForAttribute } from "../harness.mjs";

let app;
let control;
before(async () => {
  app = await launchApp();
  control = await sandboxControl(app.dirs);
});
after(async () => app?.stop());

/** The data-testid of the focused element. */
function focused() {
  return app.browser.execute(() => document.activeElement?.getAttribute("data-testid") ?? null);
}

/** Presses Tab until `testid` has the focus (at most `max` presses); returns how many it took. */
async function tabTo(testid, max = 80) {
  for (let i = 1; i <= max; i++) {
    await app.browser.keys(Key.Tab);
    if ((await focused()) === testid) return i;
  }
  throw new Error(`${testid} never got the focus within ${max} Tab presses (last: ${await focused()})`);
}

test("copies region 1's MSP to region 3 through the keyboard only", async () => {
  const b = app.browser;
  for (const id of ["sandbox-1", "sandbox-3"]) {
    await waitForAttribute(b, `[data-testid="region-card-${id}"]`, "data-state", "healthy", 30_000);
  }
  await (await b.$('[data-testid="component-sandbox-1-org1msp"]')).waitForExist({ timeout: 30_000 });
  assert.ok(await (await b.$('[data-testid="no-components-sandbox-3"]')).isExisting(), "region 3 starts empty");

  const presses = await tabTo("copy-sandbox-1-org1msp");
  console.log(`# the MSP row's "Copy to…" took ${presses} Tab presses`);
  await b.keys(Key.Enter);

  const dialog = await b.$('[data-testid="copy-dialog"]');
  await dialog.waitForExist({ timeout: 5_000 });
  assert.match(await dialog.getText(), /Org1 MSP/);
  assert.equal(await focused(), "copy-target-all", "the dialog starts on its first choice");
  // The source is no choice; the other two are, after "All other regions".
  const choices = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="copy-dialog"] input[type="checkbox"]')].map((el) =>
      el.getAttribute("data-testid"),
    ),
  );
  assert.deepEqual(choices, ["copy-target-all", "copy-target-sandbox-2", "copy-target-sandbox-3"]);

  await b.keys(Key.Tab);
  await b.keys(Key.Tab);
  assert.equal(await focused(), "copy-target-sandbox-3");
  await b.keys(Key.Space);
  assert.equal(await (await b.$('[data-testid="copy-target-sandbox-3"]')).isSelected(), true);
  assert.equal(await (await b.$('[data-testid="copy-target-sandbox-2"]')).isSelected(), false);
  await tabTo("copy-confirm", 3);
  await b.keys(Key.Enter);

  await dialog.waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(await focused(), "copy-sandbox-1-org1msp", "the focus is back on the row's Copy button");

  const panel = '[data-testid="transfer-panel"]';
  await waitForAttribute(b, panel, "data-phase", "finished", 20_000);
  assert.equal(await (await b.$(panel)).getAttribute("data-outcome"), "ok");
  const outcomes = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="transfer-target-sandbox-3"] [data-testid="transfer-item"]')].map(
      (el) => el.getAttribute("data-outcome"),
    ),
  );
  assert.deepEqual(outcomes, ["created"]);
  assert.equal(await (await b.$('[data-testid="transfer-target-sandbox-2"]')).isExisting(), false, "region 2 was not a target");

  const row = await b.$('[data-testid="component-sandbox-3-org1msp"]');
  await row.waitForExist({ timeout: 12_000 });
  assert.equal(await row.getAttribute("data-kind"), "msp");
  assert.ok(await (await b.$('[data-testid="no-components-sandbox-2"]')).isExisting(), "region 2 is untouched");

  const held = await consoleComponents(await sandboxRegion(control, 3));
  assert.deepEqual(
    held.filter((c) => c.type === "msp").map((c) => [c.id, c.msp_id]),
    [["org1msp", "Org1MSP"]],
    "console 3 holds the MSP exactly once",
  );
});

test("Shift+F10 on a focused row opens the same dialog, Enter on the row its details; Escape gives the focus back", async () => {
  const b = app.browser;
  await (await b.$('[data-testid="transfer-done"]')).click();
  await tabTo("export-sandbox-1-org1peer1");
  await b.action("key").down(Key.Shift).down(Key.F10).up(Key.F10).up(Key.Shift).perform();
  const dialog = await b.$('[data-testid="copy-dialog"]');
  await dialog.waitForExist({ timeout: 5_000 });
  assert.match(await dialog.getText(), /Org1 Peer1/);
  await b.keys(Key.Escape);
  await dialog.waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(await focused(), "export-sandbox-1-org1peer1", "the focus goes back where it was");

  // Two Shift+Tabs back (past its Copy button) is the row itself: Enter there opens its details.
  for (let i = 0; i < 2; i++) await b.action("key").down(Key.Shift).down(Key.Tab).up(Key.Tab).up(Key.Shift).perform();
  assert.equal(await focused(), "component-sandbox-1-org1peer1");
  await b.keys(Key.Enter);
  const details = await b.$('[data-testid="component-details"]');
  await details.waitForExist({ timeout: 5_000 });
  assert.equal(await (await details.$("h2")).getText(), "Org1 Peer1");
  assert.equal(await (await b.$('[data-testid="copy-dialog"]')).isExisting(), false, "Enter is not Copy to…");
  await b.keys(Key.Escape);
  await details.waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(await focused(), "component-sandbox-1-org1peer1", "Escape gives the row the keyboard back");
});

test("copying region 1's CA asks once for its admin credentials, then reuses them for the next region", async () => {
  const b = app.browser;
  const $ = (id) => b.$(`[data-testid="${id}"]`);
  const panel = '[data-testid="transfer-panel"]';
  const casOn = async (n) =>
    (await consoleComponents(await sandboxRegion(control, n))).filter((c) => c.type === "fabric-ca").map((c) => c.id);

  /** Opens "Copy to…" on the CA row and copies it to region `n`. */
  async function copyCaTo(n) {
    await (await $("copy-sandbox-1-org1ca")).click();
    await (await $("copy-dialog")).waitForExist({ timeout: 5_000 });
    await (await $(`copy-target-sandbox-${n}`)).click();
    await (await $("copy-confirm")).click();
  }

  await copyCaTo(2);
  const prompt = await $("ca-admin-dialog");
  await prompt.waitForExist({ timeout: 10_000 });
  assert.match(await prompt.getText(), /Org1 CA/);
  assert.deepEqual(await casOn(2), [], "nothing is copied before the credentials are given");
  for (const [field, value] of [
    ["caAdminEnrollId", "admin"],
    ["caAdminEnrollSecret", "adminpw"],
    ["tlscaAdminEnrollId", "admin"],
    ["tlscaAdminEnrollSecret", "adminpw"],
  ]) {
    await (await $(`ca-admin-org1ca-${field}`)).setValue(value);
  }
  await (await $("ca-admin-save")).click();
  await prompt.waitForExist({ reverse: true, timeout: 10_000 });
  await waitForAttribute(b, panel, "data-phase", "finished", 20_000);
  assert.equal(await (await b.$(panel)).getAttribute("data-outcome"), "ok");
  assert.deepEqual(await casOn(2), ["org1ca"], "console 2 holds the CA once");
  await (await $("transfer-done")).click();

  await copyCaTo(3);
  await waitForAttribute(b, panel, "data-phase", "finished", 20_000);
  assert.equal(await (await $("ca-admin-dialog")).isExisting(), false, "the credentials are not asked again");
  assert.deepEqual(await casOn(3), ["org1ca"], "console 3 holds the CA once");
});
