// The app and `atlas` runs at once on one machine: a burst of CLI imports into a console the app
// is watching leaves one copy of each component, meets no 429, and the map never shows that
// console unhealthy; and a second launch of the app hands over to the first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { launchApp, waitForAttribute, consoleComponents, consoleRequests, APP, ATLAS_CLI, EMULATOR, removeDir } from "../harness.mjs";

const SECRET_VAR = "ATLAS_E2E_SECRET";
let emulator;
let app;
let exported;

/** Starts a two-region sandbox emulator: region 1 holds Org1 and an ordering node, region 2 nothing. */
async function startEmulator() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-together-"));
  const child = spawn(
    EMULATOR,
    ["--regions", "2", "--base-port", "0", "--data-dir", dataDir, "--scenario", "sandbox", "--exit-on-stdin-close"],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const regions = [];
  for await (const line of readline.createInterface({ input: child.stdout })) {
    const region = line.match(/^region=\d+ .*url=(\S+) api_key=(\S+) api_secret=(\S+)/);
    if (region) regions.push({ console_url: region[1], api_key: region[2], api_secret: region[3] });
    const control = line.match(/^control url=(\S+) token=(\S+)$/);
    if (control) return { child, dataDir, regions, control: { url: control[1], token: control[2] } };
  }
  throw new Error("the emulator never announced its regions");
}

/** `atlas ARGS…` in the app's profile and state dir; resolves { code, stdout, stderr }. */
function atlas(env, args, secret) {
  return new Promise((resolve) => {
    const child = spawn(ATLAS_CLI, args, { env: { ...env, [SECRET_VAR]: secret ?? "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function addRegion(env, name, location, region) {
  const args = ["region", "add", "--name", name, "--location", location, "--url", region.console_url];
  const added = await atlas(env, [...args, "--api-key", region.api_key, "--secret-env", SECRET_VAR], region.api_secret);
  assert.equal(added.code, 0, added.stderr);
}

before(async () => {
  emulator = await startEmulator();
  exported = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-exported-"));
  // The regions are configured with the CLI, in the profile the app then opens.
  app = await launchApp({}, async (_dirs, env) => {
    await addRegion(env, "East", "us-east-1", emulator.regions[0]);
    await addRegion(env, "West", "us-west-2", emulator.regions[1]);
    for (const id of ["org1msp", "org1peer1", "orderingservicenode1"]) {
      const out = await atlas(env, ["export", "east", "--component", id, "-o", exported]);
      assert.equal(out.code, 0, out.stderr);
    }
  });
});
after(async () => {
  await app?.stop();
  emulator?.child.stdin.end();
  if (exported) removeDir(exported);
  if (emulator) removeDir(emulator.dataDir);
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
  const runs = await Promise.all(Array.from({ length: 5 }, () => atlas(app.env, ["import", "west", ...files])));
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

  const held = (await consoleComponents(emulator.regions[1])).map((c) => c.id).sort();
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
