// Starts the real Fabric Atlas binary under tauri-driver (WebKitWebDriver) with throwaway
// config, data and XDG directories, and hands the test a WebdriverIO session.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../..");
export const APP = process.env.FABRIC_ATLAS_APP ?? path.join(repo, "target/debug/fabric-atlas");
export const EMULATOR = path.join(repo, "target/debug/console-emulator");
export const ATLAS_CLI = path.join(repo, "target/debug/atlas");
/** The app's poll interval (atlas-core DEFAULT_POLL_INTERVAL). */
export const POLL_MS = 5000;

async function waitPort(port, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const open = await new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => { s.end(); resolve(true); });
      s.on("error", () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`port ${port} did not open`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/**
 * Launches the app with fresh directories. `extraEnv` is added to the app's environment (through
 * tauri-driver, which passes its own on), e.g. the dialog seams FABRIC_ATLAS_TEST_SAVE_DIR and
 * FABRIC_ATLAS_TEST_OPEN_FILES. `prepare(dirs, env)` runs before the launch (e.g. configures
 * regions with the CLI). Returns { browser, dirs, env, stop }.
 */
export async function launchApp(extraEnv = {}, prepare = async () => {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-"));
  const dirs = {
    root,
    config: path.join(root, "config"),
    data: path.join(root, "data"),
    state: path.join(root, "state"),
  };
  const env = {
    ...process.env,
    FABRIC_ATLAS_CONFIG_DIR: dirs.config,
    FABRIC_ATLAS_DATA_DIR: dirs.data,
    FABRIC_ATLAS_STATE_DIR: dirs.state,
    XDG_CONFIG_HOME: path.join(root, "xdg-config"),
    XDG_CACHE_HOME: path.join(root, "xdg-cache"),
    ...extraEnv,
  };
  await prepare(dirs, env);
  const port = await freePort();
  const nativePort = await freePort();
  // Its own process group: WebKitWebDriver and the app inherit it, so `stop` can end all of them.
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  await waitPort(port, 15_000);
  // tauri-driver starts WebKitWebDriver and listens at once; a session asked for before
  // WebKitWebDriver listens is refused (seen on a loaded machine), so wait for both.
  await waitPort(nativePort, 15_000);
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      "tauri:options": { application: APP },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  const stop = async () => {
    try { await browser.deleteSession(); } catch { /* the app may already be gone */ }
    if (driver.exitCode === null && driver.signalCode === null) {
      const exited = new Promise((resolve) => driver.once("exit", resolve));
      driver.kill();
      await Promise.race([exited, sleep(5_000)]);
    }
    await endGroup(driver.pid);
    // Throwaway directories go with the app (FABRIC_ATLAS_E2E_KEEP=1 keeps them for a post-mortem).
    if (!process.env.FABRIC_ATLAS_E2E_KEEP) removeDir(root);
  };
  return { browser, dirs, env, stop };
}

/**
 * Ends whatever is left of a process group: an app whose window did not close with its WebDriver
 * session would otherwise outlive the test, holding the test runner's output open (so the run
 * never ends). It gets two seconds to exit by itself, then SIGKILL.
 */
async function endGroup(pgid) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const end = Date.now() + 2_000;
  while (alive() && Date.now() < end) await sleep(100);
  if (alive()) {
    console.log(`# process group ${pgid} outlived its session; killed`);
    try { process.kill(-pgid, "SIGKILL"); } catch { /* gone meanwhile */ }
  }
}

/**
 * Removes a throwaway directory, best effort: the app can still be flushing a cache into it for a
 * moment after its session ends, so busy or refilled directories are retried, then left alone.
 */
export function removeDir(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  } catch (error) {
    console.log(`# left ${dir} behind: ${error.code ?? error.message}`);
  }
}

/**
 * The sandbox's fault-control API, `{ url, token }`, as the app writes it next to the sandbox data
 * (`sandbox-control.json`, replaced whole at each start). Every request to it needs the token:
 * use `controlFetch`.
 */
export async function sandboxControl(dirs) {
  const file = path.join(dirs.data, "sandbox", "sandbox-control.json");
  const end = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`${file} never appeared`);
    await sleep(100);
  }
  const { controlUrl, controlToken } = JSON.parse(readFileSync(file, "utf8"));
  return { url: controlUrl, token: controlToken };
}

/** `fetch` of a control API path (`/regions/2/down`) with the control's token. */
export function controlFetch(control, pathname, init = {}) {
  const headers = { ...init.headers, authorization: `Bearer ${control.token}` };
  return fetch(`${control.url}${pathname}`, { ...init, headers });
}

/**
 * One sandbox region as the emulator's control API describes it (console URL and credentials,
 * for checking a console directly, behind the app's back). `n` is 1-based.
 */
export async function sandboxRegion(control, n) {
  const res = await controlFetch(control, `/regions/${n}`);
  if (res.status !== 200) throw new Error(`control API answered ${res.status} for region ${n}`);
  const body = await res.json();
  return body.region ?? body;
}

/** What a sandbox console really holds: `GET /ak/api/v3/components?cache=skip`, as the API key. */
export async function consoleComponents(region) {
  const auth = Buffer.from(`${region.api_key}:${region.api_secret}`).toString("base64");
  const res = await fetch(new URL("/ak/api/v3/components?cache=skip", region.console_url), {
    headers: { authorization: `Basic ${auth}`, "user-agent": "fabric-atlas-e2e" },
  });
  if (res.status !== 200 && res.status !== 222) throw new Error(`console answered ${res.status}`);
  const body = await res.json();
  return body.components ?? [];
}

/** The requests a sandbox console received, oldest first ({method, path, status, time_ms}). */
export async function consoleRequests(control, n) {
  const res = await controlFetch(control, `/regions/${n}/requests`);
  if (res.status !== 200) throw new Error(`control API answered ${res.status}`);
  return (await res.json()).requests;
}

/** Where specs save screenshots for a reviewer: $FABRIC_ATLAS_E2E_SCREENSHOTS, else target/e2e-screenshots. */
export const SCREENSHOTS = path.resolve(process.env.FABRIC_ATLAS_E2E_SCREENSHOTS ?? path.join(repo, "target/e2e-screenshots"));
let screenshotsNamed = false;

/** Saves the window as SCREENSHOTS/`name`.png; the first one names the folder in the log. */
export async function screenshot(browser, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (!screenshotsNamed) {
    console.log(`# screenshots in ${SCREENSHOTS}`);
    screenshotsNamed = true;
  }
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // The page as it is now: WebKit's snapshot is its last painted frame, so let two frames paint.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  // WebKitWebDriver takes the picture at the page's next paint, and without compositing (the
  // app's default on Linux) a still page never paints again: one corner pixel keeps changing,
  // all but invisibly and under no pointer, until the picture is in.
  await browser.execute(() => {
    const dot = document.createElement("div");
    dot.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647";
    document.body.append(dot);
    let on = false;
    const timer = setInterval(() => {
      on = !on;
      dot.style.background = on ? "rgba(0, 0, 0, 0.004)" : "transparent";
    }, 50);
    window.__e2eStopRepaint = () => {
      clearInterval(timer);
      dot.remove();
    };
  });
  try {
    await browser.saveScreenshot(file);
  } finally {
    await browser.execute(() => window.__e2eStopRepaint?.());
  }
  return file;
}

/** Waits until `selector`'s attribute equals `value`; returns the elapsed milliseconds. */
export async function waitForAttribute(browser, selector, attribute, value, timeout) {
  const started = Date.now();
  await browser.waitUntil(
    async () => {
      const el = await browser.$(selector);
      return (await el.isExisting()) && (await el.getAttribute(attribute)) === value;
    },
    { timeout, interval: 100, timeoutMsg: `${selector} never had ${attribute}="${value}" within ${timeout} ms` },
  );
  return Date.now() - started;
}

/**
 * Every regular file below `dir` (for leak checks). The running app keeps writing (WebKit renames
 * its shader cache's temporary files), so an entry gone between listing and stat is skipped.
 */
export function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return [];
    return st.isDirectory() ? filesUnder(p) : st.isFile() ? [p] : [];
  });
}

/** A file's bytes, or none when the running app removed it meanwhile (see `filesUnder`). */
export function bytesOf(file) {
  try {
    return readFileSync(file);
  } catch (error) {
    if (error.code === "ENOENT") return Buffer.alloc(0);
    throw error;
  }
}

/**
 * Starts the console-emulator binary on loopback (its own data folder, ended when the test's
 * stdin pipe closes) and reads what it announces: `{ child, dataDir, regions: [{ url, apiKey,
 * apiSecret }], control: { url, token }, stop() }`.
 */
export async function startEmulator({ regions = 1, scenario = "sandbox" } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-emulator-"));
  const child = spawn(
    EMULATOR,
    ["--regions", String(regions), "--base-port", "0", "--data-dir", dataDir, "--scenario", scenario, "--exit-on-stdin-close"],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const announced = [];
  for await (const line of readline.createInterface({ input: child.stdout })) {
    const region = line.match(/^region=\d+ .*url=(\S+) api_key=(\S+) api_secret=(\S+)/);
    if (region) announced.push({ url: region[1], apiKey: region[2], apiSecret: region[3] });
    const control = line.match(/^control url=(\S+) token=(\S+)$/);
    if (control) {
      const stop = () => {
        child.stdin.end();
        removeDir(dataDir);
      };
      return { child, dataDir, regions: announced, control: { url: control[1], token: control[2] }, stop };
    }
  }
  throw new Error("the emulator never announced its regions");
}

/** `atlas ARGS…` with `env` (the app's profile and state dir); `secret` in ATLAS_E2E_SECRET. */
export function atlasCli(env, args, secret) {
  return new Promise((resolve) => {
    const child = spawn(ATLAS_CLI, args, { env: { ...env, ATLAS_E2E_SECRET: secret ?? "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `atlas region add` of an emulated console in the profile of `env`; throws when refused. */
export async function addRegionWithCli(env, name, location, region) {
  const args = ["region", "add", "--name", name, "--location", location, "--url", region.url];
  const added = await atlasCli(env, [...args, "--api-key", region.apiKey, "--secret-env", "ATLAS_E2E_SECRET"], region.apiSecret);
  if (added.code !== 0) throw new Error(`atlas region add ${name}: exit ${added.code}: ${added.stderr}`);
}

/** Types `value` into the input with id `id`, replacing what it held. */
export async function fillField(browser, id, value) {
  const input = await browser.$(`#${id}`);
  await input.waitForDisplayed({ timeout: 10_000 });
  await input.clearValue();
  await input.setValue(value);
}
