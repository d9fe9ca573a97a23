// Issue 13: the app as a user gets it. `scripts/package-test.sh` installs the .deb and runs this
// against /usr/bin/fabric-atlas (FABRIC_ATLAS_APP) with a fresh HOME (FABRIC_ATLAS_E2E_HOME): no
// directory override, nothing from the repository — the map, the UI and the sandbox come from the
// package. Three regions on the map; one drag copies region 1's MSP to region 2.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import {
  APP,
  launchApp,
  sandboxControl,
  sandboxRegion,
  consoleComponents,
  waitForAttribute,
  screenshot,
} from "../harness.mjs";
import { screenCentreOf, xdrag } from "../xdrag.mjs";

const HOME = process.env.FABRIC_ATLAS_E2E_HOME;
assert.ok(HOME, "FABRIC_ATLAS_E2E_HOME names the fresh HOME the installed app runs with");
assert.ok(APP.startsWith("/usr/"), `the installed app (FABRIC_ATLAS_APP), not ${APP}`);
/** Where the app keeps its data under a fresh HOME, by the platform's rules (XDG on Linux). */
const DATA = path.join(HOME, ".local/share/fabric-atlas");

let app;
let control;
before(async () => {
  // Every directory from HOME, as for a new user: the harness's overrides are taken away.
  app = await launchApp({
    HOME,
    FABRIC_ATLAS_CONFIG_DIR: undefined,
    FABRIC_ATLAS_DATA_DIR: undefined,
    FABRIC_ATLAS_STATE_DIR: undefined,
    XDG_CONFIG_HOME: undefined,
    XDG_CACHE_HOME: undefined,
    XDG_DATA_HOME: undefined,
    XDG_STATE_HOME: undefined,
  });
  control = await sandboxControl({ data: DATA });
});
after(async () => app?.stop());

test("the installed app opens on its sandbox: three regions on the map", async () => {
  const b = app.browser;
  await (await b.$('[data-testid="sandbox-banner"]')).waitForDisplayed({ timeout: 30_000 });
  for (const id of ["sandbox-1", "sandbox-2", "sandbox-3"]) {
    await waitForAttribute(b, `[data-testid="region-pin-${id}"]`, "data-state", "healthy", 30_000);
  }
  // The world map is drawn from the data inside the package.
  const land = await b.execute(() => document.querySelector('[data-testid="world-map"] path.land')?.getAttribute("d")?.length ?? 0);
  assert.ok(land > 10_000, `the map draws the world's land (an outline of ${land} characters)`);
  assert.equal(await (await b.$('[data-testid="log-dir"]')).getAttribute("title"), path.join(DATA, "logs"));
  await screenshot(b, "installed-01-start");
});

test("its About box names the build it was made from and its log", async () => {
  const b = app.browser;
  await (await b.$('[data-testid="app-version"]')).click();
  await (await b.$('[data-testid="about-dialog"]')).waitForDisplayed({ timeout: 5_000 });
  if (process.env.FABRIC_ATLAS_E2E_COMMIT) {
    assert.equal(await (await b.$('[data-testid="about-commit"]')).getText(), process.env.FABRIC_ATLAS_E2E_COMMIT);
  }
  assert.equal(await (await b.$('[data-testid="about-logs"]')).getText(), path.join(DATA, "logs"));
  await screenshot(b, "installed-02-about");
  await (await b.$('[data-testid="about-close"]')).click();
  await (await b.$('[data-testid="about-dialog"]')).waitForExist({ reverse: true, timeout: 5_000 });
});

test("one drag copies region 1's MSP onto region 2", async () => {
  const b = app.browser;
  const row = '[data-testid="component-sandbox-1-org1msp"]';
  await (await b.$(row)).waitForExist({ timeout: 30_000 });
  const from = await screenCentreOf(b, await b.$(`${row} .cname`));
  const to = await screenCentreOf(b, await b.$('[data-testid="region-pin-sandbox-2"] circle.dot'));
  await xdrag(from, to, { steps: 16, stepMs: 30 });
  const panel = '[data-testid="transfer-panel"]';
  await (await b.$(panel)).waitForExist({ timeout: 10_000 });
  await waitForAttribute(b, panel, "data-phase", "finished", 30_000);
  assert.equal(await (await b.$(panel)).getAttribute("data-outcome"), "ok");
  const held = await consoleComponents(await sandboxRegion(control, 2));
  assert.deepEqual(
    held.filter((c) => c.type === "msp").map((c) => c.msp_id),
    ["Org1MSP"],
    "region 2's console holds the MSP once",
  );
  await screenshot(b, "installed-03-copied");
  assert.ok(existsSync(path.join(DATA, "logs")), "the app's log is under the fresh HOME");
});
