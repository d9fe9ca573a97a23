// Real OS drags under Xvfb: a tiny GTK 3 window (drag-source.py) offers files as `text/uri-list`,
// the way a file manager does, and xdotool drives the X pointer from it onto the app. The app gets
// a genuine XDND drop from another X client, which Tauri turns into `tauri://drag-drop` with the
// files' absolute paths. No window manager runs under Xvfb, so windows have no decorations and the
// web view's top-left corner is the app window's top-left corner.
import { execFile, spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
export const DRAG_SOURCE = path.join(here, "drag-source.py");
export const PYTHON = "/usr/bin/python3";

async function xdotool(...args) {
  const { stdout } = await run("xdotool", args.map(String), { timeout: 15_000 });
  return stdout;
}

/** Parses `xdotool getwindowgeometry --shell` output. */
function parseGeometry(text) {
  const value = (key) => Number(new RegExp(`^${key}=(-?\\d+)$`, "m").exec(text)?.[1]);
  const g = { x: value("X"), y: value("Y"), width: value("WIDTH"), height: value("HEIGHT") };
  return Object.values(g).every(Number.isFinite) ? g : null;
}

/**
 * The screen geometry of the visible X window whose title matches `titleRegex` (xdotool syntax),
 * waiting up to `timeout` ms for it to be mapped. With several matches, the largest one.
 */
export async function windowGeometry(titleRegex, timeout = 15_000) {
  const end = Date.now() + timeout;
  for (;;) {
    let ids = [];
    try {
      ids = (await xdotool("search", "--onlyvisible", "--name", titleRegex)).split(/\s+/).filter(Boolean);
    } catch {
      // xdotool exits 1 when nothing matches yet
    }
    const geometries = [];
    for (const id of ids) {
      const g = parseGeometry(await xdotool("getwindowgeometry", "--shell", id));
      if (g) geometries.push(g);
    }
    if (geometries.length > 0) return geometries.sort((a, b) => b.width * b.height - a.width * a.height)[0];
    if (Date.now() > end) throw new Error(`no visible X window titled ${titleRegex}`);
    await sleep(100);
  }
}

/**
 * Where an element's centre is on the X screen: its CSS box from WebDriver, scaled by the page's
 * devicePixelRatio, plus the app window's screen origin.
 */
export async function screenCentreOf(browser, element, windowTitle = "^Fabric Atlas$") {
  await element.scrollIntoView({ block: "center", inline: "center" });
  const { x, y, width, height, dpr } = await browser.execute((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height, dpr: window.devicePixelRatio || 1 };
  }, element);
  const origin = await windowGeometry(windowTitle);
  return {
    x: Math.round(origin.x + (x + width / 2) * dpr),
    y: Math.round(origin.y + (y + height / 2) * dpr),
    origin,
    ratio: dpr,
  };
}

/** A spot for the drag source outside the app window: under it, or at the screen's top left. */
function belowWindow(origin) {
  if (!origin) return { x: 20, y: 900 };
  return { x: origin.x + 20, y: origin.y + origin.height + 20 };
}

/**
 * Starts drag-source.py showing a window at screen (x, y) that offers `files`. Resolves once it
 * is mapped, with its geometry, a way to wait for its later lines and a stop function.
 */
export async function startDragSource(x, y, files, timeout = 15_000) {
  const child = spawn(PYTHON, [DRAG_SOURCE, String(x), String(y), ...files], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = [];
  const waiters = [];
  const rl = readline.createInterface({ input: child.stdout });
  rl.on("line", (line) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  let exited = false;
  child.on("exit", () => {
    exited = true;
    for (const w of waiters.splice(0)) w.reject(new Error(`drag source exited before printing ${w.pattern}`));
  });

  /** Resolves with the first line (already printed or to come) matching `pattern`. */
  const waitForLine = (pattern, ms = timeout) => {
    const seen = lines.find((l) => pattern.test(l));
    if (seen) return Promise.resolve(seen);
    if (exited) return Promise.reject(new Error(`drag source exited before printing ${pattern}`));
    return new Promise((resolve, reject) => {
      const w = { pattern, resolve, reject };
      waiters.push(w);
      setTimeout(() => {
        const i = waiters.indexOf(w);
        if (i >= 0) {
          waiters.splice(i, 1);
          reject(new Error(`drag source did not print ${pattern} within ${ms} ms (got: ${lines.join(" | ")})`));
        }
      }, ms).unref();
    });
  };

  const ready = await waitForLine(/^READY /);
  const [, rx, ry, rw, rh] = ready.split(" ").map(Number);
  const stop = () => {
    if (!exited) {
      child.stdin.end();
      child.kill();
    }
  };
  return { child, rect: { x: rx, y: ry, width: rw, height: rh }, lines, waitForLine, stop };
}

/**
 * Drags with the real X pointer: press button 1 at `from`, move in `steps` steps to `to`, make a
 * few small moves there, run `whileOver` (if given) with the button still held, release. The
 * pauses pace the XDND protocol between the two X clients (each motion is a round trip); they
 * are not waits for the app's behaviour: `whileOver` is where a test waits for that. The button
 * is released even when `whileOver` throws.
 */
export async function xdrag(from, to, { steps = 12, stepMs = 40, whileOver } = {}) {
  await xdotool("mousemove", from.x, from.y);
  await sleep(100);
  await xdotool("mousedown", 1);
  try {
    await sleep(100);
    // Past GTK's drag threshold (8 px) first, so the source starts the drag where it was pressed.
    for (const d of [4, 8, 16, 24]) {
      await xdotool("mousemove", from.x + d, from.y - d);
      await sleep(stepMs);
    }
    const start = { x: from.x + 24, y: from.y - 24 };
    for (let i = 1; i <= steps; i++) {
      const x = Math.round(start.x + ((to.x - start.x) * i) / steps);
      const y = Math.round(start.y + ((to.y - start.y) * i) / steps);
      await xdotool("mousemove", x, y);
      await sleep(stepMs);
    }
    // A few small moves over the target, as a hand would make; ending exactly on it.
    for (const d of [2, -2, 0]) {
      await xdotool("mousemove", to.x + d, to.y);
      await sleep(stepMs * 2);
    }
    if (whileOver) await whileOver();
  } finally {
    await xdotool("mouseup", 1);
  }
}

/**
 * Drops `files` from a drag source window onto the screen point `to`, for real. `sourceAt` is
 * where the source window goes: by default just below the app window (Xvfb's screen is taller
 * than the window). `whileOver` runs with the files held over `to`, before the release. Resolves
 * with the drag source's final `DRAG-END …` line.
 */
export async function dropFiles(files, to, { sourceAt, whileOver } = {}) {
  const at = sourceAt ?? belowWindow(to.origin);
  const source = await startDragSource(at.x, at.y, files);
  try {
    const from = { x: source.rect.x + source.rect.width / 2, y: source.rect.y + source.rect.height / 2 };
    await xdrag({ x: Math.round(from.x), y: Math.round(from.y) }, to, { whileOver });
    return await source.waitForLine(/^DRAG-END /);
  } finally {
    source.stop();
  }
}
