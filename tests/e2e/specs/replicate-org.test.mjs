// Issue 4, the guide's steps 3 and 4 in one action: bring org1 (its CA and MSP) from region 1 to
// regions 2 and 3 through "Replicate org…", giving the CA admin credentials once, then make the
// org's admin identity (from the wallet) the admin on both regions and save its console wallet
// file. Every step is a click or typed keys through WebDriver, or a drag with the real X pointer
// (xdotool under Xvfb); the consoles are checked behind the app's back through the emulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Key } from "webdriverio";
import {
  launchApp,
  removeDir,
  sandboxControl,
  controlFetch,
  sandboxRegion,
  consoleComponents,
  waitForAttribute,
  screenshot,
} from "../harness.mjs";
import { screenCentreOf, xdrag } from "../xdrag.mjs";

const work = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-replicate-"));
const saveDir = path.join(work, "saved");
/** Where the org admin's identity file (from the emulator) is put for the wallet's open dialog. */
const IDENTITY_FILE = path.join(work, "org1admin.json");

let app;
let control;
before(async () => {
  mkdirSync(saveDir);
  app = await launchApp({ FABRIC_ATLAS_TEST_SAVE_DIR: saveDir, FABRIC_ATLAS_TEST_OPEN_FILES: IDENTITY_FILE });
  control = await sandboxControl(app.dirs);
});
after(async () => {
  await app?.stop();
  removeDir(work);
});

const $ = (testid) => app.browser.$(`[data-testid="${testid}"]`);

async function click(testid) {
  const el = await $(testid);
  await el.waitForClickable({ timeout: 10_000 });
  await el.click();
}

/** Clicks into a field and types `text` with real key presses. */
async function type(testid, text) {
  await click(testid);
  await app.browser.keys(text.split(""));
}

/** `[outcome, kind]` of each item listed for a region under `prefix` (plan or progress). */
function itemsOf(prefix, regionId) {
  return app.browser.execute(
    (selector) =>
      [...document.querySelectorAll(selector)].map((el) => [el.getAttribute("data-outcome"), el.getAttribute("data-kind")]).sort(),
    `[data-testid="${prefix}-target-${regionId}"] [data-testid="${prefix}-item"]`,
  );
}

async function org1On(n) {
  const held = await consoleComponents(await sandboxRegion(control, n));
  return {
    msps: held.filter((c) => c.type === "msp").map((c) => c.msp_id),
    cas: held.filter((c) => c.type === "fabric-ca").map((c) => c.display_name),
  };
}

test("replicates region 1's org to regions 2 and 3, asking for the CA admin credentials once", async () => {
  const b = app.browser;
  for (const id of ["sandbox-1", "sandbox-2", "sandbox-3"]) {
    await waitForAttribute(b, `[data-testid="region-card-${id}"]`, "data-state", "healthy", 30_000);
  }
  await (await $("component-sandbox-1-org1msp")).waitForExist({ timeout: 30_000 });
  for (const id of ["sandbox-2", "sandbox-3"]) {
    assert.ok(await (await $(`no-components-${id}`)).isExisting(), `${id} starts empty`);
  }

  // From region 1's card: the dialog starts on US East's Org1MSP, every other region ticked.
  await click("replicate-sandbox-1");
  const dialog = await $("replicate-dialog");
  await dialog.waitForExist({ timeout: 5_000 });
  assert.equal(await (await $("replicate-source")).getValue(), "sandbox-1");
  assert.equal(await (await $("replicate-org")).getValue(), "Org1MSP");
  for (const id of ["all", "sandbox-2", "sandbox-3"]) {
    assert.equal(await (await $(`replicate-target-${id}`)).isSelected(), true, `${id} is ticked`);
  }

  // Preview: the CA and the MSP would be created in both regions, and the org's admin identity
  // (the sandbox's own, in the wallet from the start) made admin there; nothing is changed yet.
  await click("replicate-preview");
  await waitForAttribute(b, '[data-testid="replicate-plan"]', "data-phase", "finished", 20_000);
  for (const id of ["sandbox-2", "sandbox-3"]) {
    assert.deepEqual(await itemsOf("replicate-plan", id), [
      ["would_create", "fabric-ca"],
      ["would_create", "identity"],
      ["would_create", "msp"],
    ]);
    assert.deepEqual(await org1On(id === "sandbox-2" ? 2 : 3), { msps: [], cas: [] }, "a preview changes nothing");
  }
  await screenshot(b, "10-replicate-org-plan");

  // Replicate: the CA has no admin credentials yet, so the app asks for them first.
  await click("replicate-confirm");
  const prompt = await $("ca-admin-prompt");
  await prompt.waitForExist({ timeout: 10_000 });
  assert.match(await prompt.getText(), /Org1 CA/);
  await screenshot(b, "11-ca-admin-prompt");
  // Saving an empty form names the missing fields and sends nothing.
  await click("ca-admin-save");
  const problem = await $("ca-admin-org1ca-caAdminEnrollId-problem");
  await problem.waitForExist({ timeout: 5_000 });
  assert.match(await problem.getText(), /CA admin enroll ID is required/);
  assert.match(await (await $("ca-admin-org1ca-tlscaAdminEnrollSecret-problem")).getText(), /TLS CA admin enroll secret/);

  await type("ca-admin-org1ca-caAdminEnrollId", "admin");
  await type("ca-admin-org1ca-caAdminEnrollSecret", "adminpw");
  await type("ca-admin-org1ca-tlscaAdminEnrollId", "admin");
  await type("ca-admin-org1ca-tlscaAdminEnrollSecret", "adminpw");
  await click("ca-admin-save");

  const progress = '[data-testid="replicate-progress"]';
  await (await b.$(progress)).waitForExist({ timeout: 10_000 });
  await waitForAttribute(b, progress, "data-phase", "finished", 30_000);
  assert.equal(await (await b.$(progress)).getAttribute("data-outcome"), "ok", await (await $("replicate-headline")).getText());
  for (const id of ["sandbox-2", "sandbox-3"]) {
    assert.deepEqual(await itemsOf("replicate-progress", id), [
      ["created", "fabric-ca"],
      ["created", "identity"],
      ["created", "msp"],
    ]);
  }
  assert.match(await (await $("replicate-headline")).getText(), /Replicated Org1MSP to US West, Canada/);
  await click("replicate-done");
  await dialog.waitForExist({ reverse: true, timeout: 5_000 });

  // Both regions' cards list the MSP and the CA (the backend re-polls them right away).
  for (const id of ["sandbox-2", "sandbox-3"]) {
    const card = `[data-testid="region-card-${id}"]`;
    await b.waitUntil(
      async () =>
        (await b.execute(
          (sel) => [...document.querySelectorAll(`${sel} li[data-kind]`)].map((el) => el.getAttribute("data-kind")).sort().join(","),
          card,
        )) === "ca,msp",
      { timeout: 12_000, interval: 200, timeoutMsg: `${id}'s card never listed exactly the CA and the MSP` },
    );
  }
  // …and each console holds exactly one copy of each.
  for (const n of [2, 3]) {
    assert.deepEqual(await org1On(n), { msps: ["Org1MSP"], cas: ["Org1 CA"] }, `console ${n} holds one MSP and one CA`);
  }
});

test("a second replication asks nothing and finds everything already there", async () => {
  const b = app.browser;
  await click("open-replicate");
  await (await $("replicate-dialog")).waitForExist({ timeout: 5_000 });
  assert.equal(await (await $("replicate-source")).getValue(), "sandbox-1", "the first region holding an org");
  await click("replicate-confirm");
  const progress = '[data-testid="replicate-progress"]';
  await (await b.$(progress)).waitForExist({ timeout: 10_000 });
  assert.equal(await (await $("ca-admin-prompt")).isExisting(), false, "the credentials are not asked again");
  await waitForAttribute(b, progress, "data-phase", "finished", 30_000);
  for (const id of ["sandbox-2", "sandbox-3"]) {
    assert.deepEqual(await itemsOf("replicate-progress", id), [
      ["already_there", "fabric-ca"],
      ["already_there", "identity"],
      ["already_there", "msp"],
    ]);
  }
  await b.keys(Key.Escape);
  await (await $("replicate-dialog")).waitForExist({ reverse: true, timeout: 5_000 });
  for (const n of [2, 3]) {
    assert.deepEqual(await org1On(n), { msps: ["Org1MSP"], cas: ["Org1 CA"] }, `console ${n} still holds one of each`);
  }
});

/** The wallet shows `name` as admin on `regionId`; its console wallet file is saved and checked. */
async function expectAdmin(name, identity, regionId, region) {
  const b = app.browser;
  const result = '[data-testid="region-admin-result"]';
  await waitForAttribute(b, result, "data-region", regionId, 15_000);
  assert.equal(await (await b.$(result)).getAttribute("data-outcome"), "admin", await (await b.$(result)).getText());
  assert.match(await (await b.$(result)).getText(), new RegExp(`${name} is now Org1MSP's admin identity on ${region}`));

  await click("save-console-wallet-file");
  await (await $("region-admin-saved")).waitForExist({ timeout: 10_000 });
  const saved = (await (await $("region-admin-saved")).getText()).replace(/^Saved to /, "").trim();
  assert.ok(existsSync(saved), `${saved} was written`);
  assert.equal(statSync(saved).mode & 0o777, 0o600, "the file holding the key is owner-only");
  const file = JSON.parse(readFileSync(saved, "utf8"));
  assert.equal(file.type, "identity");
  assert.equal(file.name, name);
  assert.equal(file.cert, identity.cert, "the console's wallet gets the same certificate");
  await click("region-admin-dismiss");
}

test("the org admin identity becomes the admin on region 2 (menu) and region 3 (dragged onto its pin), with its console wallet file", async () => {
  const b = app.browser;
  // The org admin's identity file, as console 1's user would have exported it.
  const res = await controlFetch(control, "/regions/1/identities");
  const [identity] = (await res.json()).identities;
  writeFileSync(IDENTITY_FILE, JSON.stringify(identity), { mode: 0o600 });
  const name = identity.name;

  await click("open-wallet");
  await click("import-identities");
  await waitForAttribute(b, '[data-testid="import-report"]', "data-refused", "false", 15_000);
  await click("close-import-report");
  await (await $(`identity-${name}`)).waitForExist({ timeout: 5_000 });

  // US West through the menu: "Make admin on region…", pick the region, confirm.
  await click(`make-admin-${name}`);
  const select = await $(`region-admin-region-${name}`);
  await select.waitForExist({ timeout: 5_000 });
  await select.selectByAttribute("value", "sandbox-2");
  await click(`region-admin-confirm-${name}`);
  await expectAdmin(name, identity, "sandbox-2", "US West");

  // Canada by dragging the identity from the wallet onto its map pin, with the real X pointer.
  const from = await screenCentreOf(b, await b.$(`[data-testid="identity-${name}"] .name`));
  const to = await screenCentreOf(b, await b.$('[data-testid="region-pin-sandbox-3"] circle.dot'));
  await xdrag(from, to, {
    steps: 16,
    stepMs: 30,
    whileOver: async () => {
      await waitForAttribute(b, '[data-testid="region-pin-sandbox-3"]', "data-drop-target", "true", 10_000);
      const ghost = await (await $("identity-drag-ghost")).getProperty("textContent");
      assert.match(ghost, new RegExp(`${name} → admin on Canada`));
    },
  });
  await expectAdmin(name, identity, "sandbox-3", "Canada");
  // The sandbox made it admin on US East from the start; now US West and Canada too.
  assert.equal(await (await $(`admin-of-${name}`)).getText(), "US East, US West, Canada");
});
