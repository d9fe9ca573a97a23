// Issue 12, findings 7 and 10 in the real app: a clicked row has the keyboard, so Shift+F10 opens
// our Copy to… dialog (and Enter the row's details), never the web view's own menu; the web view never reloads or
// navigates; at the minimum window size (900×600) the toolbar stays in view, a notice hides no
// card, the remove confirmation opens in view and a dialog's buttons stay put when its message
// appears.
// Screenshots of each state go to the folder the log names.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import { launchApp, startEmulator, addRegionWithCli, waitForAttribute, screenshot } from "../harness.mjs";

let emulator;
let app;

before(async () => {
  emulator = await startEmulator({ regions: 3 });
  // Real (non-sandbox) regions: only those offer Remove.
  app = await launchApp({}, async (_dirs, env) => {
    await addRegionWithCli(env, "East", "us-east-1", emulator.regions[0]);
    await addRegionWithCli(env, "Frankfurt", "eu-central-1", emulator.regions[1]);
    await addRegionWithCli(env, "Sydney", "ap-southeast-2", emulator.regions[2]);
  });
});
after(async () => {
  await app?.stop();
  emulator?.stop();
});

const $ = (testid) => app.browser.$(`[data-testid="${testid}"]`);

/** The data-testid of the focused element. */
function focused() {
  return app.browser.execute(() => document.activeElement?.getAttribute("data-testid") ?? null);
}

/** Presses Shift+F10 as one chord. */
async function shiftF10() {
  await app.browser.action("key").down(Key.Shift).down(Key.F10).up(Key.F10).up(Key.Shift).perform();
}

async function expectDialogFor(label) {
  const dialog = await $("copy-dialog");
  await dialog.waitForExist({ timeout: 5_000 });
  assert.match(await dialog.getText(), label);
  await app.browser.keys(Key.Escape);
  await dialog.waitForExist({ reverse: true, timeout: 5_000 });
}

/** The page's size and an element's box in it (CSS px). */
function layoutOf(selector) {
  return app.browser.execute((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return {
      width: window.innerWidth,
      height: window.innerHeight,
      scrollY: window.scrollY,
      pageWidth: document.documentElement.scrollWidth,
      rect: r && { top: r.top, bottom: r.bottom, left: r.left, right: r.right },
    };
  }, selector);
}

function assertInside(layout, what, top = 0) {
  const { rect, width, height } = layout;
  assert.ok(rect, `${what} is on the page`);
  assert.ok(
    rect.top >= top - 0.5 && rect.left >= -0.5 && rect.bottom <= height + 0.5 && rect.right <= width + 0.5,
    `${what} (${JSON.stringify(rect)}) is inside the ${width}×${height} viewport below ${top}`,
  );
}

test("the app opens on its regions; the web view's reload, history and menu are disabled", async () => {
  const b = app.browser;
  await waitForAttribute(b, '[data-testid="region-card-east"]', "data-state", "healthy", 30_000);
  await (await $("component-east-org1peer1")).waitForExist({ timeout: 30_000 });
  await screenshot(b, "01-start");

  // Each is dispatched cancelable at the focused page; false = something cancelled its default.
  const defaults = await b.execute(() => {
    const key = (k, init = {}) => new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init });
    const on = (target, event) => target.dispatchEvent(event);
    const input = document.createElement("input");
    document.body.append(input);
    const result = {
      F5: on(document.body, key("F5")),
      "Ctrl+R": on(document.body, key("r", { ctrlKey: true })),
      "Ctrl+Shift+R": on(document.body, key("R", { ctrlKey: true, shiftKey: true })),
      "Ctrl+R in a text field": on(input, key("r", { ctrlKey: true })),
      "Alt+Left": on(document.body, key("ArrowLeft", { altKey: true })),
      Backspace: on(document.body, key("Backspace")),
      "mouse back": on(document.body, new MouseEvent("mouseup", { button: 3, bubbles: true, cancelable: true })),
      contextmenu: on(document.body, new MouseEvent("contextmenu", { bubbles: true, cancelable: true })),
      beforeunload: on(window, new Event("beforeunload", { cancelable: true })),
      "typing a": on(input, key("a")),
      "Backspace in a text field": on(input, key("Backspace")),
    };
    input.remove();
    return result;
  });
  assert.deepEqual(defaults, {
    F5: false,
    "Ctrl+R": false,
    "Ctrl+Shift+R": false,
    "Ctrl+R in a text field": false,
    "Alt+Left": false,
    Backspace: false,
    "mouse back": false,
    contextmenu: false,
    beforeunload: false,
    "typing a": true,
    "Backspace in a text field": true,
  });
});

test("a clicked row has the keyboard: Shift+F10 opens Copy to…, a right click too, Enter its details; no menu of the web view's", async () => {
  const b = app.browser;
  // Every context-menu request the page sees, read after it has gone through every handler.
  await b.execute(() => {
    window.__menus = [];
    window.addEventListener("contextmenu", (event) => window.__menus.push(event));
  });
  const row = await $("component-east-org1peer1");
  await (await row.$(".cname")).click();
  assert.equal(await focused(), "component-east-org1peer1", "the click gave the row the focus");

  await shiftF10();
  await (await $("copy-dialog")).waitForExist({ timeout: 5_000 });
  await screenshot(b, "02-copy-dialog");
  await expectDialogFor(/Org1 Peer1/);
  assert.equal(await focused(), "component-east-org1peer1", "Escape gives the keyboard back to the row");

  // Enter opens the row's details (issue 14), not Copy to…; Escape gives the row the keyboard back.
  await b.keys(Key.Enter);
  const details = await $("component-details");
  await details.waitForExist({ timeout: 5_000 });
  assert.equal(await (await details.$("h2")).getText(), "Org1 Peer1");
  assert.equal(await (await $("copy-dialog")).isExisting(), false, "Enter did not open Copy to…");
  await b.keys(Key.Escape);
  await details.waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(await focused(), "component-east-org1peer1");

  await (await row.$(".cname")).click({ button: "right" });
  await expectDialogFor(/Org1 Peer1/);

  // Shift+F10 away from any row (the page has the focus): no dialog, and no web view menu.
  await b.execute(() => document.activeElement?.blur());
  await shiftF10();
  await b.pause(300);
  assert.equal(await (await $("copy-dialog")).isExisting(), false);

  const menus = await b.execute(() => window.__menus.map((e) => ({ target: e.target?.tagName, prevented: e.defaultPrevented })));
  console.log(`# context-menu events: ${JSON.stringify(menus)}`);
  assert.ok(menus.length >= 1, "the right click reached the page as a contextmenu event");
  assert.deepEqual(
    menus.filter((m) => !m.prevented),
    [],
    "every contextmenu event had its default (the web view's menu) cancelled",
  );
});

test("a dialog's buttons stay put when its validation message appears", async () => {
  const b = app.browser;
  await (await $("copy-east-org1peer1")).click();
  await (await $("copy-dialog")).waitForExist({ timeout: 5_000 });
  const before = (await layoutOf('[data-testid="copy-confirm"]')).rect;
  await (await $("copy-confirm")).click();
  await (await b.$('[data-testid="copy-dialog"] [role="alert"]')).waitForExist({ timeout: 5_000 });
  const afterwards = (await layoutOf('[data-testid="copy-confirm"]')).rect;
  await screenshot(b, "03-copy-dialog-message");
  assert.deepEqual(afterwards, before, "Copy did not move");
  await b.keys(Key.Escape);
  await (await $("copy-dialog")).waitForExist({ reverse: true, timeout: 5_000 });

  // Copying the CA asks for its admin credentials; Save with none shows a message under each field.
  await (await $("copy-east-org1ca")).click();
  await (await $("copy-target-frankfurt")).click();
  await (await $("copy-confirm")).click();
  await (await $("ca-admin-dialog")).waitForExist({ timeout: 15_000 });
  const save = '[data-testid="ca-admin-save"]';
  const unsaved = (await layoutOf(save)).rect;
  await (await b.$(save)).click();
  await (await $("ca-admin-org1ca-tlscaAdminEnrollSecret-problem")).waitForExist({ timeout: 5_000 });
  await screenshot(b, "04-ca-admin-messages");
  assert.deepEqual((await layoutOf(save)).rect, unsaved, "Save and continue did not move");
  await (await $("ca-admin-cancel")).click();
  await (await $("ca-admin-dialog")).waitForExist({ reverse: true, timeout: 5_000 });
});

test("at 900×600 the toolbar stays in view while the page scrolls, and names keep their last word", async () => {
  const b = app.browser;
  // Smaller than the minimum (tauri.conf.json: 900×600) is refused.
  await b.setWindowSize(700, 450);
  await b.waitUntil(async () => (await layoutOf("body")).width < 1280, { timeout: 5_000, timeoutMsg: "the window never narrowed" });
  const smallest = await layoutOf("body");
  assert.deepEqual([smallest.width, smallest.height], [900, 600], "the window stops at its minimum size");
  await b.setWindowSize(900, 600);
  await b.execute(() => window.scrollTo(0, 0));
  const start = await layoutOf('[data-testid="open-add-console"]');
  console.log(`# viewport at the minimum size: ${start.width}×${start.height}`);
  assert.ok(start.pageWidth <= start.width, `nothing is wider than the window (${start.pageWidth} > ${start.width})`);
  assertInside(await layoutOf(".topbar"), "the toolbar");
  assertInside(start, "Add console");
  await screenshot(b, "05-narrow-900x600");

  await b.execute(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const scrolled = await layoutOf(".topbar");
  assert.ok(scrolled.scrollY > 100, `the page scrolled (${scrolled.scrollY} px)`);
  assertInside(scrolled, "the toolbar after scrolling");
  assertInside(await layoutOf('[data-testid="open-add-console"]'), "Add console after scrolling");
  await screenshot(b, "06-narrow-900x600-scrolled");

  // "Ordering Service Node 1" in a column just too narrow for it: "1" goes to the next line
  // with "Node", never alone.
  const lines = await b.execute(() => {
    const name = document.querySelector('[data-testid="component-east-orderingservicenode1"] .cname');
    const text = name.firstChild;
    const box = (from, to) => {
      const range = document.createRange();
      range.setStart(text, from);
      range.setEnd(text, to);
      return range.getBoundingClientRect();
    };
    name.style.flex = "none";
    name.style.width = "max-content";
    const width = box(0, text.length - 2).width;
    name.style.width = `${Math.ceil(width) + 2}px`;
    const n = text.length;
    const result = { text: text.data, last: box(n - 1, n).top, node: box(n - 3, n - 2).top, first: box(0, 1).top };
    name.style.flex = name.style.width = "";
    return result;
  });
  assert.ok(lines.last > lines.first, `the name wraps in the narrowed column (${JSON.stringify(lines)})`);
  assert.equal(lines.last, lines.node, "the last word is on the line of the one before it");
  assert.equal(lines.text, "Ordering Service Node\u00a01");
});

test("at 900×600 a notice hides no card: the page scrolls past it", async () => {
  const b = app.browser;
  // A notice: the CA copy given up at its admin credentials says that nothing was copied.
  await b.execute(() => document.querySelector('[data-testid="copy-east-org1ca"]').scrollIntoView({ block: "center" }));
  await (await $("copy-east-org1ca")).click();
  await (await $("copy-target-frankfurt")).click();
  await (await $("copy-confirm")).click();
  await (await $("ca-admin-dialog")).waitForExist({ timeout: 15_000 });
  await (await $("ca-admin-cancel")).click();
  const notice = '[data-testid="transfer-ca-admins"]';
  await (await b.$(notice)).waitForExist({ timeout: 5_000 });
  assertInside(await layoutOf(notice), "the notice");

  await b.execute(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const boxes = await b.execute((sel) => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    return {
      notice: box(document.querySelector(sel)),
      cards: [...document.querySelectorAll('[data-testid^="region-card-"]')].map((el) => ({
        id: el.getAttribute("data-testid"),
        ...box(el),
      })),
    };
  }, notice);
  const { notice: shown, cards } = boxes;
  assertInside({ ...(await layoutOf(notice)), rect: shown }, "the notice after scrolling");
  const overlaps = (a, c) => a.left < c.right && c.left < a.right && a.top < c.bottom && c.top < a.bottom;
  assert.ok(cards.length === 3, `three cards (${cards.length})`);
  assert.deepEqual(
    cards.filter((card) => overlaps(card, shown)).map((card) => card.id),
    [],
    `no card is under the notice (${JSON.stringify(boxes)})`,
  );
  const onTop = await b.execute(() => {
    const r = document.querySelector('[data-testid="remove-region-sydney"]').getBoundingClientRect();
    return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.getAttribute("data-testid");
  });
  assert.equal(onTop, "remove-region-sydney", "the last card's bottom button is not covered");
  await screenshot(b, "08-notice-900x600-scrolled");
});

test("at 900×600 the remove confirmation opens in view, below the toolbar", async () => {
  const b = app.browser;
  for (let i = 0; i < 3 && (await (await b.$('[role="dialog"]')).isExisting()); i++) await b.keys(Key.Escape);
  // The notice stays in view at the window's bottom while the page scrolls, where this checks the
  // confirmation: dismissed first.
  await b.execute(() => document.querySelector(".notices .dismiss")?.click());
  // Remove at the very bottom of the window: the confirmation it opens is taller than it.
  await b.execute(() => document.querySelector('[data-testid="remove-region-sydney"]').scrollIntoView({ block: "end" }));
  await b.execute(() => document.querySelector('[data-testid="remove-region-sydney"]').click());
  await (await $("confirm-remove-sydney")).waitForExist({ timeout: 5_000 });
  await b.pause(200);
  const toolbar = (await layoutOf(".topbar")).rect;
  assertInside(await layoutOf('[role="group"][aria-label="Confirm removal"]'), "the remove confirmation", toolbar.bottom);
  const onTop = await b.execute(() =>
    ["confirm-remove-sydney", "cancel-remove-sydney"].map((id) => {
      const r = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
      return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.getAttribute("data-testid");
    }),
  );
  assert.deepEqual(onTop, ["confirm-remove-sydney", "cancel-remove-sydney"], "nothing covers its buttons");
  assert.equal(await focused(), "cancel-remove-sydney", "the keyboard is on the confirmation's safe choice");
  await screenshot(b, "07-remove-confirmation-900x600");
  await b.keys(Key.Enter);
  await (await $("confirm-remove-sydney")).waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(await focused(), "remove-region-sydney");
});
