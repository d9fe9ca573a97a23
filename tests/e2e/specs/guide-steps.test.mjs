// Issue 4's count: the HA guide's steps 2 and 3 (and 4) for two target regions in the sandbox, the
// way an administrator does them — every gesture a real click, key press or native-dialog answer,
// counted. Step 2 (the org's CA, MSP and admin in region 1) is the sandbox's seed; the admin's
// identity file is what console 1's user exported. Then one "Replicate org" brings the CA, the
// MSP and the admin identity to regions 2 and 3, and the console wallet file is saved once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchApp, removeDir, sandboxControl, controlFetch, sandboxRegion, consoleComponents, waitForAttribute } from "../harness.mjs";

const work = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-guide-"));
const saveDir = path.join(work, "saved");
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

const gestures = { clicks: 0, fields: 0, dialogs: 0 };
const $ = (testid) => app.browser.$(`[data-testid="${testid}"]`);

async function click(testid) {
  const el = await $(testid);
  await el.waitForClickable({ timeout: 10_000 });
  await el.click();
  gestures.clicks++;
}

async function fill(testid, text) {
  const el = await $(testid);
  await el.waitForClickable({ timeout: 10_000 });
  await el.click();
  await app.browser.keys(text.split(""));
  gestures.fields++;
}

async function org1On(n) {
  const held = await consoleComponents(await sandboxRegion(control, n));
  return held
    .filter((c) => c.type === "msp" || c.type === "fabric-ca")
    .map((c) => c.type)
    .sort();
}

test("steps 2 and 3 for two regions: import the admin, make it admin on region 1, replicate the org once", async () => {
  const b = app.browser;
  for (const id of ["sandbox-1", "sandbox-2", "sandbox-3"]) {
    await waitForAttribute(b, `[data-testid="region-card-${id}"]`, "data-state", "healthy", 30_000);
  }
  await (await $("component-sandbox-1-org1msp")).waitForExist({ timeout: 30_000 });
  const [identity] = (await (await controlFetch(control, "/regions/1/identities")).json()).identities;
  writeFileSync(IDENTITY_FILE, JSON.stringify(identity), { mode: 0o600 });
  const name = identity.name;

  // The org admin's identity into the app's wallet (the open dialog is answered by the test seam).
  await click("open-wallet");
  await click("import-identities");
  gestures.dialogs++;
  await waitForAttribute(b, '[data-testid="import-report"]', "data-refused", "false", 15_000);
  await click("close-import-report");
  // It administers Org1MSP on region 1, where the org lives.
  await click(`make-admin-${name}`);
  const select = await $(`region-admin-region-${name}`);
  await select.waitForExist({ timeout: 5_000 });
  await select.selectByAttribute("value", "sandbox-1");
  gestures.clicks++;
  await click(`region-admin-confirm-${name}`);
  await waitForAttribute(b, '[data-testid="region-admin-result"]', "data-outcome", "admin", 15_000);
  await click("region-admin-dismiss");

  // Replicate org: the defaults are region 1's Org1MSP to every other region.
  await click("open-replicate");
  await (await $("replicate-wallet-admins")).waitForExist({ timeout: 10_000 });
  assert.match(await (await $("replicate-wallet-admins")).getText(), new RegExp(name));
  await click("replicate-confirm");
  await (await $("ca-admin-prompt")).waitForExist({ timeout: 10_000 });
  await fill("ca-admin-org1ca-caAdminEnrollId", "admin");
  await fill("ca-admin-org1ca-caAdminEnrollSecret", "adminpw");
  await fill("ca-admin-org1ca-tlscaAdminEnrollId", "admin");
  await fill("ca-admin-org1ca-tlscaAdminEnrollSecret", "adminpw");
  await click("ca-admin-save");

  await waitForAttribute(b, '[data-testid="replicate-progress"]', "data-phase", "finished", 30_000);
  assert.equal(await (await $("replicate-progress")).getAttribute("data-outcome"), "ok");
  for (const id of ["sandbox-2", "sandbox-3"]) {
    const items = await b.execute(
      (selector) => [...document.querySelectorAll(selector)].map((el) => [el.getAttribute("data-kind"), el.getAttribute("data-outcome")]).sort(),
      `[data-testid="replicate-progress-target-${id}"] [data-testid="replicate-progress-item"]`,
    );
    assert.deepEqual(items, [
      ["fabric-ca", "created"],
      ["identity", "created"],
      ["msp", "created"],
    ]);
  }
  for (const n of [2, 3]) assert.deepEqual(await org1On(n), ["fabric-ca", "msp"], `console ${n} holds the CA and MSP once`);

  // The consoles keep identities in the browser: one file serves every console's wallet.
  assert.match(await (await $(`replicate-admin-${name}`)).getText(), /US West, Canada/);
  await click(`replicate-admin-save-${name}`);
  gestures.dialogs++;
  await (await $(`replicate-admin-saved-${name}`)).waitForExist({ timeout: 10_000 });
  const saved = (await (await $(`replicate-admin-saved-${name}`)).getText()).replace(/^Saved to /, "").trim();
  assert.equal(statSync(saved).mode & 0o777, 0o600);
  assert.equal(JSON.parse(readFileSync(saved, "utf8")).cert, identity.cert);
  await click("replicate-done");

  await (await $(`admin-of-${name}`)).waitForExist({ timeout: 5_000 });
  assert.equal(await (await $(`admin-of-${name}`)).getText(), "US East, US West, Canada");
  console.log(
    `# guide steps 2–3 for two regions: ${gestures.clicks} clicks, ${gestures.fields} typed fields, ${gestures.dialogs} native file dialogs`,
  );
});
