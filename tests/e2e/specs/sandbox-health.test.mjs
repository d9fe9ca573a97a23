// The app opens on its sandbox of three simulated regions, and the map follows region health live.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { launchApp, sandboxControl, controlFetch, sandboxRegion, waitForAttribute, filesUnder, screenshot, POLL_MS } from "../harness.mjs";

let app;
let control;
before(async () => {
  app = await launchApp();
  control = await sandboxControl(app.dirs);
});
after(async () => app?.stop());

async function setRegionDown(region, down) {
  const res = await controlFetch(control, `/regions/${region}/${down ? "down" : "up"}`, { method: "POST" });
  assert.equal(res.status, 200, `fault control answered ${res.status}`);
}

test("opens in sandbox mode with three regions on the map", async () => {
  const banner = await app.browser.$('[data-testid="sandbox-banner"]');
  await banner.waitForDisplayed({ timeout: 20_000 });
  for (const id of ["sandbox-1", "sandbox-2", "sandbox-3"]) {
    await waitForAttribute(app.browser, `[data-testid="region-pin-${id}"]`, "data-state", "healthy", 30_000);
    const card = await app.browser.$(`[data-testid="region-card-${id}"]`);
    assert.ok(await card.isDisplayed(), `card of ${id} visible`);
  }
  // Region 1 holds what the guide's step 1 produces.
  const card1 = await app.browser.$('[data-testid="region-card-sandbox-1"]');
  const text = await card1.getText();
  for (const name of ["Org1 CA", "Org1 MSP", "Org1 Peer1", "Ordering Service Node 1"]) {
    assert.match(text, new RegExp(name), `region 1 lists ${name}`);
  }
});

test("region 2 turns unhealthy within two poll intervals when its console goes down, and back", async () => {
  const pin = '[data-testid="region-pin-sandbox-2"]';
  await waitForAttribute(app.browser, pin, "data-state", "healthy", 30_000);
  await setRegionDown(2, true);
  // One interval for the next tick to start, one for it to finish, plus rendering.
  const tookDown = await waitForAttribute(app.browser, pin, "data-state", "unreachable", 2 * POLL_MS + 1000);
  await setRegionDown(2, false);
  const tookUp = await waitForAttribute(app.browser, pin, "data-state", "healthy", 2 * POLL_MS + 1000);
  console.log(`# region 2 seen down after ${tookDown} ms, healthy again after ${tookUp} ms`);
  // The other regions were never affected.
  for (const id of ["sandbox-1", "sandbox-3"]) {
    const state = await (await app.browser.$(`[data-testid="region-pin-${id}"]`)).getAttribute("data-state");
    assert.equal(state, "healthy", `${id} stays healthy`);
  }
});

test("the sandbox's control API needs the token the app wrote for this user only", async () => {
  const file = path.join(app.dirs.data, "sandbox", "sandbox-control.json");
  if (process.platform !== "win32") assert.equal(statSync(file).mode & 0o777, 0o600, "the control file is 0600");
  // What a web page can send: no token, its own origin.
  const res = await fetch(`${control.url}/regions/2/down`, {
    method: "POST",
    headers: { origin: "http://evil.example", "content-type": "text/plain" },
  });
  assert.equal(res.status, 401);
  assert.equal((await sandboxRegion(control, 2)).down, false, "region 2 was not taken down");
});

test("the app writes a log a user can send, named in the status bar, with no secret in it", async () => {
  const logs = path.join(app.dirs.data, "logs");
  const shown = await (await app.browser.$('[data-testid="log-dir"]')).getAttribute("title");
  assert.equal(shown, logs);
  const files = filesUnder(logs);
  assert.ok(files.length > 0, `a log file in ${logs}`);
  const text = files.map((f) => readFileSync(f, "utf8")).join("\n");
  assert.match(text, /sandbox started/);
  const control = await sandboxControl(app.dirs);
  const region = await sandboxRegion(control, 1);
  assert.ok(!text.includes(region.api_secret), "no console secret in the log");
  assert.ok(!text.includes(control.token), "no control token in the log");
});

test("the certificate calendar lists the sandbox's certificates once each, with every use", async () => {
  const b = app.browser;
  await (await b.$('[data-testid="open-certificates"]')).click();
  const rows = '[data-testid="certificate-entry"]';
  await (await b.$(rows)).waitForExist({ timeout: 15_000 });
  const texts = await b.execute((s) => [...document.querySelectorAll(s)].map((r) => r.textContent), rows);
  // Org1's CA root: one row, used by the CA, the MSP and the peer on US East.
  const root = texts.filter((t) => t.includes("US East: Org1 MSP (CA root)"));
  assert.equal(root.length, 1, texts.join("\n"));
  assert.match(root[0], /US East: Org1 Peer1 \(CA root\)/);
  // The sandbox's admin identity, from the wallet.
  assert.ok(texts.some((t) => /wallet: .* \(identity\)/.test(t)), texts.join("\n"));
  await screenshot(b, "21-certificates");
  await (await b.$('[data-testid="open-certificates"]')).click();
});
