// Issue 14 in the real app: a component's details drawer (Enter on a clicked row, or a
// double-click) with its endpoints, home and rule, certificates and health; and drift: a copy
// changed behind the app's back shows side by side in the Drift panel, and "make every copy
// equal to this one" edits it back after a confirmation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import {
  launchApp,
  sandboxControl,
  sandboxRegion,
  consoleComponents,
  waitForAttribute,
  screenshot,
  POLL_MS,
} from "../harness.mjs";

let app;
let control;
before(async () => {
  app = await launchApp();
  control = await sandboxControl(app.dirs);
});
after(async () => app?.stop());

const $ = (testid) => app.browser.$(`[data-testid="${testid}"]`);

/** The data-testid of the focused element. */
function focused() {
  return app.browser.execute(() => document.activeElement?.getAttribute("data-testid") ?? null);
}

/** The whitespace-normalised text of every element matching `selector`. */
function textsOf(selector) {
  return app.browser.execute(
    (s) => [...document.querySelectorAll(s)].map((el) => el.textContent.replace(/\s+/g, " ").trim()),
    selector,
  );
}

/** The sandbox console `n`'s record of Org1's MSP, read directly. */
async function mspOn(n) {
  return (await consoleComponents(await sandboxRegion(control, n))).find((c) => c.type === "msp" && c.msp_id === "Org1MSP");
}

test("Enter on a clicked row opens its details; Escape gives the row the keyboard back; a double-click opens them too", async () => {
  const b = app.browser;
  await waitForAttribute(b, '[data-testid="region-card-sandbox-1"]', "data-state", "healthy", 30_000);
  // The poller has seen the peer: its health has a run to show.
  await waitForAttribute(b, '[data-testid="component-sandbox-1-org1peer1"]', "data-status", "ok", 2 * POLL_MS + 30_000);
  const row = await $("component-sandbox-1-org1peer1");
  await (await row.$(".cname")).click();
  assert.equal(await focused(), "component-sandbox-1-org1peer1", "the click gave the row the keyboard");

  const started = Date.now();
  await b.keys(Key.Enter);
  const drawer = await $("component-details");
  await drawer.waitForExist({ timeout: 5_000 });
  await (await $("details-home")).waitForExist({ timeout: 15_000 });
  console.log(`# details read in ${Date.now() - started} ms`);
  assert.equal(await (await $("copy-dialog")).isExisting(), false, "Enter no longer opens Copy to…");
  assert.equal(await focused(), "component-details", "the drawer has the keyboard");

  assert.equal(await (await drawer.$("h2")).getText(), "Org1 Peer1");
  assert.match(await (await $("details-what")).getText(), /peer on US East's console/i);
  const endpoints = await textsOf('[data-testid="details-endpoint"]');
  assert.ok(endpoints.length >= 1, "it lists its endpoints");
  assert.ok(endpoints.every((url) => /^[a-z]+:\/\/\S+$/.test(url)), endpoints.join(" "));
  assert.equal(await (await $("details-home")).getText(), "US East — its console holds it as its own");
  assert.equal(await (await $("details-home")).getAttribute("data-rule"), "own");
  assert.equal(await (await $("details-msp")).getText(), "Org1MSP");
  const held = await textsOf('[data-testid="details-held-by"] li');
  assert.deepEqual(held, ["US East (its own) · these details"]);

  const certificates = await textsOf('[data-testid="details-certificate"]');
  assert.ok(certificates.length >= 2, `its certificates (${certificates.length})`);
  assert.ok(certificates.some((c) => /node TLS/.test(c)), certificates.join("\n"));
  const fingerprints = await textsOf('[data-testid="details-sha256"]');
  assert.ok(fingerprints.every((f) => /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(f)), fingerprints.join("\n"));

  // Health runs come from the poller: read again until it has one, if it had none yet.
  await b.waitUntil(
    async () => {
      if (await (await $("details-health-run")).isExisting()) return true;
      if (await (await $("refresh-details")).isEnabled()) await (await $("refresh-details")).click();
      return false;
    },
    { timeout: 2 * POLL_MS + 5_000, interval: 500, timeoutMsg: "no health run was shown" },
  );
  const runs = await textsOf('[data-testid="details-health-run"]');
  assert.match(runs[0], /^ok \S+/, runs.join("\n"));
  await screenshot(b, "26-component-details");

  await b.keys(Key.Escape);
  await drawer.waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(await focused(), "component-sandbox-1-org1peer1", "Escape gives the keyboard back to the row");

  await (await (await $("component-sandbox-1-org1msp")).$(".cname")).doubleClick();
  await (await $("details-msp")).waitForExist({ timeout: 15_000 });
  assert.equal(await (await (await $("component-details")).$("h2")).getText(), "Org1 MSP");
  assert.equal(await (await $("details-home")).isExisting(), false, "an MSP definition runs nowhere");
  await b.keys(Key.Escape);
  await (await $("component-details")).waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(await focused(), "component-sandbox-1-org1msp");
});

test("a copy changed behind the app's back shows in Drift, and is made equal again after a confirmation", async () => {
  const b = app.browser;
  await waitForAttribute(b, '[data-testid="region-card-sandbox-2"]', "data-state", "healthy", 30_000);

  // Copy Org1 MSP to US West through Copy to….
  await (await $("copy-sandbox-1-org1msp")).click();
  await (await $("copy-dialog")).waitForExist({ timeout: 5_000 });
  await (await $("copy-target-sandbox-2")).click();
  await (await $("copy-confirm")).click();
  const transfer = '[data-testid="transfer-panel"]';
  await waitForAttribute(b, transfer, "data-phase", "finished", 20_000);
  assert.equal(await (await b.$(transfer)).getAttribute("data-outcome"), "ok");
  await (await $("transfer-done")).click();

  // US West's copy gets other admins, straight through its console's API.
  const west = await sandboxRegion(control, 2);
  const copy = await mspOn(2);
  assert.ok(copy, "console 2 holds the copy");
  const original = (await mspOn(1)).admins;
  const other = copy.tls_root_certs[0];
  assert.notDeepEqual([other], original, "the new admin differs from the old");
  const auth = Buffer.from(`${west.api_key}:${west.api_secret}`).toString("base64");
  const put = await fetch(new URL(`/ak/api/v3/components/${copy.id}`, west.console_url), {
    method: "PUT",
    headers: { authorization: `Basic ${auth}`, "content-type": "application/json", "user-agent": "fabric-atlas-e2e" },
    body: JSON.stringify({ admins: [other] }),
  });
  assert.equal(put.status, 200, `the console took the edit (${put.status}: ${await put.text()})`);
  assert.deepEqual((await mspOn(2)).admins, [other]);

  const opened = Date.now();
  await (await $("open-drift")).click();
  const item = await b.$('[data-testid="drift-panel"] [data-key="msp:Org1MSP"]');
  await item.waitForExist({ timeout: 15_000 });
  console.log(`# drift read in ${Date.now() - opened} ms`);
  assert.match(await item.getAttribute("data-testid"), /^drift-item-\d+$/);
  const columns = await item.$$("thead th").map((th) => th.getText());
  assert.deepEqual(columns.map((c) => c.toUpperCase()), ["FIELD", "US EAST", "US WEST (IMPORT)"]);
  const admins = await item.$('[data-testid="drift-field"][data-field="admins"]');
  assert.ok(await admins.isExisting(), "Admins differ");
  const cells = await admins.$$("th, td").map((cell) => cell.getText());
  assert.equal(cells[0], "Admins");
  assert.notEqual(cells[1], cells[2], "each copy's admins are shown");
  assert.match(cells[1], /SHA-256 [0-9A-F:]+…/);
  await screenshot(b, "27-drift-panel");

  await (await item.$('[data-testid="make-equal-sandbox-1"]')).click();
  const dialog = await $("make-equal-dialog");
  await dialog.waitForExist({ timeout: 5_000 });
  assert.match(await (await $("make-equal-plan")).getText(), /US West's copy: Admins will be set to US East's/);
  assert.equal(await focused(), "make-equal-cancel", "the keyboard starts on Cancel");
  assert.deepEqual((await mspOn(2)).admins, [other], "nothing is sent before the confirmation");
  await screenshot(b, "28-make-equal-confirm");

  await (await $("make-equal-confirm")).click();
  const outcome = await $("make-equal-copy-sandbox-2");
  await outcome.waitForExist({ timeout: 20_000 });
  assert.equal(await outcome.getText(), "US West: edited Admins");
  assert.match(await (await $("make-equal-headline")).getText(), /Edited 1 copy of Org1 MSP to match US East's/);
  assert.deepEqual((await mspOn(2)).admins, original, "console 2's copy has US East's admins again");
  await screenshot(b, "29-make-equal-report");

  await (await $("make-equal-close")).click();
  await dialog.waitForExist({ reverse: true, timeout: 5_000 });
  const empty = await $("drift-empty");
  await empty.waitForExist({ timeout: 15_000 });
  assert.equal(await empty.getText(), "Every copy agrees with the others.");
});
