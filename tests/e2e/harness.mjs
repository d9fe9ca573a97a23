// Starts the real Fabric Atlas binary under tauri-driver (WebKitWebDriver) with throwaway
// config, data and XDG directories, and hands the test a WebdriverIO session.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, readdirSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../..");
export const APP = process.env.FABRIC_ATLAS_APP ?? path.join(repo, "target/debug/fabric-atlas");
export const EMULATOR = path.join(repo, "target/debug/console-emulator");
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

/** Launches the app with fresh directories. Returns { browser, dirs, stop }. */
export async function launchApp() {
  const root = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-"));
  const dirs = {
    root,
    config: path.join(root, "config"),
    data: path.join(root, "data"),
  };
  const env = {
    ...process.env,
    FABRIC_ATLAS_CONFIG_DIR: dirs.config,
    FABRIC_ATLAS_DATA_DIR: dirs.data,
    XDG_CONFIG_HOME: path.join(root, "xdg-config"),
    XDG_CACHE_HOME: path.join(root, "xdg-cache"),
  };
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitPort(port, 15_000);
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
    driver.kill();
  };
  return { browser, dirs, stop };
}

/** The sandbox's fault-control URL, written by the app next to the sandbox data. */
export async function sandboxControlUrl(dirs) {
  const file = path.join(dirs.data, "sandbox", "sandbox-control.json");
  const end = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`${file} never appeared`);
    await sleep(100);
  }
  return JSON.parse(readFileSync(file, "utf8")).controlUrl;
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

/** Every regular file below `dir` (for leak checks). */
export function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    const st = statSync(p);
    return st.isDirectory() ? filesUnder(p) : st.isFile() ? [p] : [];
  });
}
