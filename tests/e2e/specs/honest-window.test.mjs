// The window always opens and says what is wrong: a configured region whose secret is missing
// from this machine's keyring, repaired through the form; Add console saves only a console that
// works; an outage keeps the region's inventory in view, greyed, with when it was last seen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { launchApp, startEmulator, controlFetch, fillField, waitForAttribute, screenshot, POLL_MS } from "../harness.mjs";

let emulator;
let app;

before(async () => {
  emulator = await startEmulator({ regions: 2 });
  // A fleet file as another machine wrote it: the region is configured, its secret is not here.
  app = await launchApp({}, async (dirs) => {
    mkdirSync(dirs.config, { recursive: true });
    const east = emulator.regions[0];
    writeFileSync(
      path.join(dirs.config, "fleet.json"),
      JSON.stringify({
        version: 1,
        regions: [{ id: "east", name: "East", location: "us-east-1", consoleUrl: east.url, apiKey: east.apiKey }],
      }),
    );
  });
});
after(async () => {
  await app?.stop();
  emulator?.stop();
});

const fill = (id, value) => fillField(app.browser, id, value);

test("a region whose secret is missing opens, says so, and is repaired through the form", async () => {
  const b = app.browser;
  await waitForAttribute(b, '[data-testid="region-pin-east"]', "data-state", "no_secret", 30_000);
  const message = await (await b.$('[data-testid="region-message-east"]')).getText();
  assert.match(message, /atlas region set-secret east/);
  await screenshot(b, "20-secret-missing");

  await (await b.$('[data-testid="edit-region-east"]')).click();
  await fill("console-api-secret", emulator.regions[0].apiSecret);
  await (await b.$('[data-testid="save-console"]')).click();
  await waitForAttribute(b, '[data-testid="region-pin-east"]', "data-state", "healthy", 20_000);
});

test("Add console saves only a console that works; Save anyway is a second, explicit choice", async () => {
  const b = app.browser;
  await (await b.$('[data-testid="open-add-console"]')).click();
  await fill("console-name", "Nowhere");
  await (await b.$("#console-location")).selectByAttribute("value", "eu-central-1");
  await fill("console-url", "http://127.0.0.1:1");
  await fill("console-api-key", "k");
  await fill("console-api-secret", "s");
  await (await b.$('[data-testid="save-console"]')).click();
  await waitForAttribute(b, '[data-testid="connection-result"]', "data-outcome", "error", 15_000);
  const said = await (await b.$('[data-testid="connection-result"]')).getText();
  assert.match(said, /nothing listens at 127\.0\.0\.1:1/);
  await screenshot(b, "14-add-console-refused");
  assert.ok(await (await b.$('[data-testid="save-anyway"]')).isDisplayed());
  assert.equal(await (await b.$('[data-testid="region-card-nowhere"]')).isExisting(), false, "nothing was saved");
  await (await b.$('[data-testid="cancel-console"]')).click();
});

test("Add console refuses a secret the console refuses, and a console another region already uses", async () => {
  const b = app.browser;
  const east = emulator.regions[0];
  const west = emulator.regions[1];
  await (await b.$('[data-testid="open-add-console"]')).click();
  await fill("console-name", "West");
  await (await b.$("#console-location")).selectByAttribute("value", "us-west-2");
  await fill("console-url", west.url);
  await fill("console-api-key", west.apiKey);
  await fill("console-api-secret", "not-the-secret");
  await (await b.$('[data-testid="save-console"]')).click();
  await waitForAttribute(b, '[data-testid="connection-result"]', "data-outcome", "error", 15_000);
  assert.match(await (await b.$('[data-testid="connection-result"]')).getText(), /refused the API key or secret/);
  assert.equal(await (await b.$('[data-testid="region-card-west"]')).isExisting(), false, "nothing was saved");

  // East's console again, under another name: refused, under the field it is about.
  await fill("console-url", east.url);
  await fill("console-api-key", east.apiKey);
  await fill("console-api-secret", east.apiSecret);
  await (await b.$('[data-testid="save-console"]')).click();
  await (await b.$('[data-testid="field-error-consoleUrl"]')).waitForExist({ timeout: 15_000 });
  assert.match(await (await b.$('[data-testid="field-error-consoleUrl"]')).getText(), /already uses this console/);
  await (await b.$('[data-testid="cancel-console"]')).click();
});

test("an outage keeps the inventory in view, greyed, with when it was last seen", async () => {
  const b = app.browser;
  const pin = '[data-testid="region-pin-east"]';
  await waitForAttribute(b, pin, "data-state", "healthy", 20_000);
  const res = await controlFetch(emulator.control, "/regions/1/down", { method: "POST" });
  assert.equal(res.status, 200);
  await waitForAttribute(b, pin, "data-state", "unreachable", 2 * POLL_MS + 2000);
  const card = await (await b.$('[data-testid="region-card-east"]')).getText();
  assert.match(card, /Org1 MSP/, "the inventory stays");
  assert.match(await (await b.$('[data-testid="last-seen-east"]')).getText(), /^Last seen /);
  await screenshot(b, "15-outage");
  await controlFetch(emulator.control, "/regions/1/up", { method: "POST" });
  await waitForAttribute(b, pin, "data-state", "healthy", 2 * POLL_MS + 2000);
  assert.equal(await (await b.$('[data-testid="last-seen-east"]')).isExisting(), false);
});
