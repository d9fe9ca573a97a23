// The app and `atlas` runs at once on one machine: a burst of CLI imports into a console the app
// is watching leaves one copy of each component, meets no 429, and the map never shows that
// console unhealthy; and a second launch of the app hands over to the first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  launchApp,
  startEmulator,
  atlasCli,
  addRegionWithCli,
  waitForAttribute,
  consoleComponents,
  consoleRequests,
  APP,
  removeDir,
} from "../harness.mjs";

let emulator;
let app;
let exported;

before(async () => {
  emulator = await startEmulator({ regions: 2 });
  exported = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-exported-"));
  // The regions are configured with the CLI, in the profile the app then opens.
  app = await launchApp({}, async (_dirs, env) => {
    await addRegionWithCli(env, "East", "us-east-1", emulator.regions[0]);
    await addRegionWithCli(env, "West", "us-west-2", emulator.regions[1]);
    for (const id of ["org1msp", "org1peer1", "orderingservicenode1"]) {
      const out = await atlasCli(env, ["export", "east", "--component", id, "-o", exported]);
      assert.equal(out.code, 0, out.stderr);
    }
  });
});
after(async () => {
  await app?.stop();
  emulator?.stop();
  if (exported) removeDir(exported);
});

test("a burst of CLI imports next to the app: one copy each, no 429, the console never unhealthy", async () => {
  const b = app.browser;
  const pin = '[data-testid="region-pin-west"]';
  await waitForAttribute(b, pin, "data-state", "healthy", 30_000);
  const files = readdirSync(exported).map((f) => path.join(exported, f));
  assert.equal(files.length, 3);

  const seen = new Set();
  let bursting = true;
  const watching = (async () => {
    while (bursting) {
      seen.add(await (await b.$(pin)).getAttribute("data-state"));
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  const runs = await Promise.all(Array.from({ length: 5 }, () => atlasCli(app.env, ["import", "west", ...files])));
  // Two more polls after the burst: what the app shows once the console changed.
  await new Promise((r) => setTimeout(r, 11_000));
  bursting = false;
  await watching;

  for (const run of runs) {
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /429|throttled|rate limit/i);
  }
  const created = runs.map((r) => (r.stdout.match(/\bcreated \S/g) ?? []).length).reduce((a, n) => a + n, 0);
  assert.equal(created, 3, `each component created by one run only:\n${runs.map((r) => r.stdout).join("\n")}`);

  const west = emulator.regions[1];
  const held = (await consoleComponents({ console_url: west.url, api_key: west.apiKey, api_secret: west.apiSecret })).map((c) => c.id).sort();
  assert.equal(held.length, 3, `one copy each: ${held}`);
  const requests = await consoleRequests(emulator.control, 2);
  assert.ok(!requests.some((r) => r.status === 429), "the console never answered 429");
  assert.deepEqual([...seen].filter((s) => s !== "healthy"), [], `West was only ever healthy: ${[...seen]}`);
});

test("a second launch hands over to the running app and exits", async () => {
  const second = spawn(APP, [], { env: app.env, stdio: "ignore" });
  const code = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      second.kill("SIGKILL");
      reject(new Error("the second launch kept running"));
    }, 30_000);
    second.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  assert.equal(code, 0);
  // The first app is still the one answering, with one window.
  assert.equal((await app.browser.getWindowHandles()).length, 1);
  await waitForAttribute(app.browser, '[data-testid="region-pin-west"]', "data-state", "healthy", 15_000);
  assert.ok(execFileSync("ps", ["-eo", "args"]).toString().includes(APP), "the first app still runs");
});
