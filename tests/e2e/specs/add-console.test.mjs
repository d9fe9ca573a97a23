// Adding a console through the form: the secret lands in the OS keyring and nowhere in the app's files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { launchApp, startEmulator, fillField, waitForAttribute, filesUnder, bytesOf, screenshot } from "../harness.mjs";

let app;
let emulator;
let console1;

before(async () => {
  emulator = await startEmulator({ regions: 1, scenario: "empty" });
  console1 = emulator.regions[0];
  app = await launchApp();
});
after(async () => {
  await app?.stop();
  emulator?.stop();
});

const fill = (id, value) => fillField(app.browser, id, value);

test("a console added through the form is tested, saved and polled; its secret is only in the keyring", async () => {
  const b = app.browser;
  await (await b.$('[data-testid="open-add-console"]')).waitForClickable({ timeout: 20_000 });
  await (await b.$('[data-testid="open-add-console"]')).click();
  await fill("console-name", "Frankfurt");
  await (await b.$("#console-location")).selectByAttribute("value", "eu-central-1");
  await fill("console-url", console1.url);
  await fill("console-api-key", console1.apiKey);
  await fill("console-api-secret", console1.apiSecret);

  await (await b.$('[data-testid="test-connection"]')).click();
  await waitForAttribute(b, '[data-testid="connection-result"]', "data-outcome", "ok", 15_000);
  await screenshot(b, "13-add-console-tested");

  await (await b.$('[data-testid="save-console"]')).click();
  await waitForAttribute(b, '[data-testid="region-pin-frankfurt"]', "data-state", "healthy", 20_000);
  const card = await b.$('[data-testid="region-card-frankfurt"]');
  assert.match(await card.getText(), /Frankfurt/);

  // The secret is in the OS keyring (Secret Service), filed under this profile and the region.
  const profile = JSON.parse(readFileSync(path.join(app.dirs.config, "profile.json"), "utf8")).id;
  const stored = execFileSync(
    "secret-tool",
    ["lookup", "service", "fabric-atlas", "username", `profile:${profile}:console-api-secret:frankfurt`],
    { encoding: "utf8" },
  );
  assert.equal(stored, console1.apiSecret);

  // …and nowhere in the app's files: config, data, webview storage, caches, logs.
  const roots = [app.dirs.root, process.env.XDG_DATA_HOME].filter(Boolean);
  const files = roots.flatMap(filesUnder);
  assert.ok(files.some((f) => f.endsWith("fleet.json")), "the fleet file was written");
  const leaks = files.filter((f) => bytesOf(f).includes(console1.apiSecret));
  assert.deepEqual(leaks, [], "the API secret leaked into files");

  // The form was cleared: the secret is not left in the page either.
  const page = await b.getPageSource();
  assert.ok(!page.includes(console1.apiSecret), "the secret is still in the page");
});
