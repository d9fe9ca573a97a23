// Issue 15 in the real app: the guide's step 4.1 against Fabric CA itself. Org1 CA is copied from
// US East to US West with its admins checked by the CA (a wrong TLS CA secret is refused under its
// field and nothing is kept or copied; admin/adminpw is verified); then, from the copied CA's row
// on US West, a peer is registered on the CA and its TLS CA (its secret shown on request), listed
// among the CA's identities, and a client registered with a given secret is enrolled into the
// wallet. The sandbox's CA is a Fabric CA server (bootstrap admin admin/adminpw for both CAs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import { readFileSync } from "node:fs";
import path from "node:path";
import { launchApp, sandboxControl, sandboxRegion, consoleComponents, waitForAttribute, screenshot, filesUnder, POLL_MS } from "../harness.mjs";

/** The secret "Show secret" showed, to look for where it must never be. */
let shownSecret = null;

let app;
let control;
before(async () => {
  app = await launchApp();
  control = await sandboxControl(app.dirs);
});
after(async () => app?.stop());

const $ = (testid) => app.browser.$(`[data-testid="${testid}"]`);
const CA_ROW = "component-sandbox-2-org1ca";
const CA_MENU = "ca-menu-sandbox-2-org1ca";

async function click(testid) {
  const el = await $(testid);
  await el.waitForClickable({ timeout: 10_000 });
  await el.click();
}

/** Replaces what the input holds with `text`. */
async function fill(testid, text) {
  const el = await $(testid);
  await el.waitForDisplayed({ timeout: 10_000 });
  await el.clearValue();
  await el.setValue(text);
}

/** The data-testid of the focused element. */
function focused() {
  return app.browser.execute(() => document.activeElement?.getAttribute("data-testid") ?? null);
}

/** `[ca, outcome]` of each line of the register report. */
function registerResults() {
  return app.browser.execute(() =>
    [...document.querySelectorAll('[data-testid="register-result"]')].map((el) => [
      el.querySelector("strong")?.textContent ?? "",
      el.getAttribute("data-outcome"),
    ]),
  );
}

/** Opens the copied CA row's menu and chooses `action` (register, identities, enroll, admins). */
async function caAction(action) {
  await click(CA_MENU);
  await (await $(`${CA_MENU}-menu`)).waitForDisplayed({ timeout: 5_000 });
  await click(`${CA_MENU}-${action}`);
}

async function casOn(n) {
  return (await consoleComponents(await sandboxRegion(control, n))).filter((c) => c.type === "fabric-ca").map((c) => c.id);
}

test("copying Org1 CA to US West checks its admins with the CA: a wrong TLS CA secret is refused under its field, admin/adminpw is verified", async () => {
  const b = app.browser;
  for (const id of ["sandbox-1", "sandbox-2"]) {
    await waitForAttribute(b, `[data-testid="region-card-${id}"]`, "data-state", "healthy", 30_000);
  }
  await (await $("component-sandbox-1-org1ca")).waitForExist({ timeout: 30_000 });

  await click("copy-sandbox-1-org1ca");
  await (await $("copy-dialog")).waitForExist({ timeout: 5_000 });
  await click("copy-target-sandbox-2");
  await click("copy-confirm");
  const prompt = await $("ca-admin-dialog");
  await prompt.waitForExist({ timeout: 15_000 });

  for (const [field, value] of [
    ["caAdminEnrollId", "admin"],
    ["caAdminEnrollSecret", "adminpw"],
    ["tlscaAdminEnrollId", "admin"],
    ["tlscaAdminEnrollSecret", "not-the-secret"],
  ]) {
    await fill(`ca-admin-org1ca-${field}`, value);
  }
  let started = Date.now();
  await click("ca-admin-save");
  const refusal = await $("ca-admin-org1ca-tlscaAdminEnrollSecret-problem");
  await refusal.waitForExist({ timeout: 30_000 });
  console.log(`# the CA refused the TLS CA admin in ${Date.now() - started} ms`);
  assert.match(await refusal.getText(), /^The TLS CA admin 'admin' was refused by Org1 CA's TLS CA \(tlsca\): .*nothing was kept$/);
  assert.equal(await (await $("ca-admin-org1ca-caAdminEnrollSecret-problem")).isExisting(), false, "the CA admin was not refused");
  assert.equal(
    await (await $("ca-admin-org1ca-tlscaAdminEnrollSecret")).getAttribute("aria-describedby"),
    "ca-admin-org1ca-tlscaAdminEnrollSecret-problem",
    "the message describes the field",
  );
  assert.equal(await focused(), "ca-admin-org1ca-tlscaAdminEnrollSecret", "the keyboard is on the refused secret");
  await screenshot(b, "30-ca-admin-tlsca-refused");
  assert.deepEqual(await casOn(2), [], "nothing was copied");

  await fill("ca-admin-org1ca-tlscaAdminEnrollSecret", "adminpw");
  started = Date.now();
  await click("ca-admin-save");
  await prompt.waitForExist({ reverse: true, timeout: 30_000 });
  console.log(`# both admins verified in ${Date.now() - started} ms`);
  const panel = '[data-testid="transfer-panel"]';
  await waitForAttribute(b, panel, "data-phase", "finished", 30_000);
  assert.equal(await (await b.$(panel)).getAttribute("data-outcome"), "ok");
  assert.deepEqual(await casOn(2), ["org1ca"], "console 2 holds the CA once");
  await click("transfer-done");

  // On US West's card, the copied CA's admins are kept, verified with the CA.
  await (await $(CA_ROW)).waitForExist({ timeout: 2 * POLL_MS + 30_000 });
  await caAction("admins");
  const status = await $("ca-admins-status");
  await status.waitForExist({ timeout: 15_000 });
  assert.equal(await status.getAttribute("data-verified"), "true");
  assert.match(await status.getText(), /CA admin “admin” and TLS CA admin “admin” are kept, verified with the CA/);
  await screenshot(b, "31-ca-admins-verified");
  await b.keys(Key.Escape);
  await (await $("ca-admins-dialog")).waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(await focused(), CA_MENU, "the keyboard is back on the row's CA menu");
});

test("registers peer5 on the copied CA and its TLS CA, shows its secret on request, and lists it among the CA's identities", async () => {
  const b = app.browser;
  await caAction("register");
  await (await $("register-dialog")).waitForExist({ timeout: 5_000 });
  assert.equal(await focused(), "register-enrollId");
  await fill("register-enrollId", "peer5");
  assert.equal(await (await $("register-kind")).getValue(), "peer");
  assert.match(await (await $("register-kind-hint")).getText(), /and on its TLS CA.*the node needs both/);
  await fill("register-affiliation", "org1.department1");
  await screenshot(b, "32-register-peer-form");
  const started = Date.now();
  await click("register-submit");
  await waitForAttribute(b, '[data-testid="register-dialog"]', "data-step", "report", 30_000);
  console.log(`# peer5 registered in ${Date.now() - started} ms`);
  assert.deepEqual(await registerResults(), [
    ["Org1 CA (ca)", "registered"],
    ["Org1 CA's TLS CA (tlsca)", "registered"],
  ]);
  assert.equal(await (await $("register-headline")).getAttribute("data-tone"), "ok");
  assert.equal(await (await $("register-secret")).isExisting(), false, "the secret is not shown until asked for");

  await click("register-secret-toggle");
  const secret = await $("register-secret");
  await secret.waitForExist({ timeout: 10_000 });
  assert.match(await secret.getText(), /^[A-Za-z0-9]{24}$/, "the secret the app made");
  shownSecret = await secret.getText();
  assert.equal(await (await $("register-secret-toggle")).getText(), "Hide secret");
  await screenshot(b, "33-register-peer-report");
  await click("register-secret-toggle");
  await secret.waitForExist({ reverse: true, timeout: 5_000 });
  await click("register-close");
  await (await $("register-dialog")).waitForExist({ reverse: true, timeout: 5_000 });

  await caAction("identities");
  const drawer = await $("ca-identities");
  await drawer.waitForExist({ timeout: 5_000 });
  const peer = await $("ca-identity-peer5");
  await peer.waitForExist({ timeout: 30_000 });
  assert.equal(await peer.getAttribute("data-kind"), "peer");
  assert.match(await peer.getText(), /org1\.department1/);
  assert.ok(await (await $("ca-identity-admin")).isExisting(), "the bootstrap admin is listed too");
  await screenshot(b, "34-ca-identities");
});

test("a client registered with a given secret is enrolled into the wallet and shows there", async () => {
  const b = app.browser;
  // From the identities drawer, which stays open beside the dialog and reads the CA again after
  // the registration.
  await click("ca-identities-register");
  await (await $("register-dialog")).waitForExist({ timeout: 5_000 });
  await fill("register-enrollId", "client7");
  await (await $("register-kind")).selectByAttribute("value", "client");
  await fill("register-secret", "client7-pw");
  await click("register-submit");
  await waitForAttribute(b, '[data-testid="register-dialog"]', "data-step", "report", 30_000);
  assert.deepEqual(await registerResults(), [["Org1 CA (ca)", "registered"]], "a client is registered on the CA only");
  await click("register-close");
  assert.equal(await focused(), "ca-identities-register", "the keyboard is back on the drawer's button");
  await (await $("ca-identity-client7")).waitForExist({ timeout: 30_000 });
  assert.equal(await (await $("ca-identity-client7")).getAttribute("data-kind"), "client");
  await b.keys(Key.Escape);
  await (await $("ca-identities")).waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(await focused(), CA_MENU, "closing the drawer gives the row's CA menu the keyboard back");

  // From the row, the way the menu is meant for the keyboard: Enter opens it on its first item.
  await b.keys(Key.Enter);
  await (await $(`${CA_MENU}-menu`)).waitForDisplayed({ timeout: 5_000 });
  assert.equal(await focused(), `${CA_MENU}-register`);
  await b.keys(Key.ArrowDown);
  await b.keys(Key.ArrowDown);
  assert.equal(await focused(), `${CA_MENU}-enroll`);
  await b.keys(Key.Enter);
  await (await $("enroll-dialog")).waitForExist({ timeout: 5_000 });
  await fill("enroll-id", "client7");
  assert.equal(await (await $("enroll-wallet-name")).getValue(), "client7", "the wallet name follows the enroll id");
  await fill("enroll-secret", "wrong-pw");
  await click("enroll-submit");
  const refused = await $("enroll-secret-problem");
  await refused.waitForExist({ timeout: 30_000 });
  assert.match(await refused.getText(), /'client7' was refused by Org1 CA \(ca\)/);

  await fill("enroll-secret", "client7-pw");
  const started = Date.now();
  await click("enroll-submit");
  const done = await $("enroll-done");
  await done.waitForExist({ timeout: 30_000 });
  console.log(`# client7 enrolled into the wallet in ${Date.now() - started} ms`);
  assert.match(await done.getText(), /client7 is in the wallet as “client7”/);
  await screenshot(b, "35-enrolled-into-wallet");

  await click("enroll-show-wallet");
  await (await $("wallet-panel")).waitForExist({ timeout: 5_000 });
  assert.equal(await focused(), "wallet-panel", "the wallet panel has the keyboard");
  const identity = await $("identity-client7");
  await identity.waitForExist({ timeout: 15_000 });
  assert.match(await identity.getText(), /client7/);
  await screenshot(b, "36-wallet-enrolled-identity");
});

test("no enroll secret, registration secret or private key is in the app's log or its config files", async () => {
  assert.ok(shownSecret, "a registration secret was shown");
  const files = [...filesUnder(path.join(app.dirs.data, "logs")), ...filesUnder(app.dirs.config)];
  assert.ok(files.some((f) => f.endsWith("ca-admins.json")), "the CA admins are on file");
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const secret of ["adminpw", "client7-pw", shownSecret, "PRIVATE KEY"]) {
      assert.ok(!text.includes(secret), `${path.basename(file)} holds no ${secret === shownSecret ? "registration secret" : secret}`);
    }
  }
});
