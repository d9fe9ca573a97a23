// Issue 14 in the real app: the HA posture of the sandbox (everything in US East, regions 2 and 3
// empty) says the network does not survive the loss of a region, and why; the panel lists the
// findings; supposing US East lost on the map (what-if mode, a click on its pin) greys it and
// works the posture out again without it; Clear brings it back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Key } from "webdriverio";
import { launchApp, waitForAttribute, screenshot } from "../harness.mjs";

let app;
before(async () => {
  app = await launchApp();
});
after(async () => app?.stop());

const $ = (testid) => app.browser.$(`[data-testid="${testid}"]`);
const BADGE = '[data-testid="posture-badge"]';
const PIN = '[data-testid="region-pin-sandbox-1"]';

/** The codes of the finding rows the panel shows, with their severities. */
function findingRows() {
  return app.browser.execute(() =>
    [...document.querySelectorAll('[data-testid^="posture-finding-"]')].map((row) => ({
      code: row.getAttribute("data-testid").replace("posture-finding-", ""),
      severity: row.getAttribute("data-severity"),
    })),
  );
}

async function waitForFindings(predicate, what, timeout = 20_000) {
  let last = [];
  await app.browser.waitUntil(
    async () => {
      last = await findingRows();
      return predicate(last.map((r) => r.code));
    },
    { timeout, interval: 100, timeoutMsg: `${what}; the panel shows ${JSON.stringify(last)}` },
  );
  return last;
}

/** Scrolls the posture panel to its findings (for a screenshot of them). */
function scrollToFindings() {
  return app.browser.execute(() =>
    document.querySelector("#posture-findings-title")?.scrollIntoView({ block: "start" }),
  );
}

async function openPanel() {
  if (await (await $("posture-panel")).isExisting()) return;
  await (await $("posture-badge")).click();
  await (await $("posture-panel")).waitForExist({ timeout: 5_000 });
}

async function closePanel() {
  if (!(await (await $("posture-panel")).isExisting())) return;
  await app.browser.keys(Key.Escape);
  await (await $("posture-panel")).waitForExist({ reverse: true, timeout: 5_000 });
}

test("the badge says the sandbox does not survive the loss of US East, and why", async () => {
  const b = app.browser;
  for (const id of ["sandbox-1", "sandbox-2", "sandbox-3"]) {
    await waitForAttribute(b, `[data-testid="region-pin-${id}"]`, "data-state", "healthy", 30_000);
  }
  const took = await waitForAttribute(b, BADGE, "data-survives", "no", 30_000);
  console.log(`# posture badge said "no" ${took} ms after the regions were healthy`);
  const badge = await $("posture-badge");
  assert.equal(await badge.getText(), "Survives the loss of any one region: no");

  // Why not: on hover (and focus), and named for screen readers.
  await badge.moveTo();
  const why = await $("posture-why");
  await why.waitForDisplayed({ timeout: 5_000 });
  assert.match(await why.getText(), /without US East: Ordering Service loses quorum; Org1MSP has no peer left/);
  assert.equal(await badge.getAttribute("aria-describedby"), "posture-why");

  // Each pin says what is homed in its region.
  await (await $("world-map")).moveTo({ xOffset: 5, yOffset: 5 });
  const homed = await b.execute(() =>
    ["sandbox-1", "sandbox-2", "sandbox-3"].map(
      (id) => document.querySelector(`[data-testid="region-pin-${id}"] .homed`)?.textContent ?? null,
    ),
  );
  assert.deepEqual(homed, ["1 peer · 1 consenter", "0 peers · 0 consenters", "0 peers · 0 consenters"]);
});

test("the posture panel lists the findings, with their fixes", async () => {
  await openPanel();
  const rows = await waitForFindings(
    (codes) => ["msp_missing", "mesh_incomplete", "quorum_needs_region", "peers_need_region", "ca_one_region"].every((c) => codes.includes(c)),
    "the sandbox's five findings never showed",
  );
  console.log(`# findings: ${rows.map((r) => `${r.code} (${r.severity})`).join(", ")}`);
  assert.ok(!rows.some((r) => r.severity === "error"), "nothing is broken now");

  // The org's and the ordering service's figures, by region name.
  const org = await (await $("posture-org-Org1MSP")).getText();
  assert.match(org, /US East 1/);
  assert.match(org, /without US East: no/);
  assert.match(org, /missing on US West and Canada/);
  const verdict = await (await $("posture-verdict")).getText();
  assert.match(verdict, /without US East: Ordering Service loses quorum; Org1MSP has no peer left/);

  // Where each node runs, and why: the sandbox's own nodes, by their own console.
  const nodes = await app.browser.execute(() =>
    [...document.querySelectorAll('[data-testid="posture-node"]')].map((row) => [
      row.querySelector("td")?.textContent.trim(),
      row.getAttribute("data-home"),
      row.getAttribute("data-rule"),
    ]),
  );
  assert.ok(nodes.length >= 3, JSON.stringify(nodes));
  assert.deepEqual(
    nodes.filter(([, home, rule]) => home !== "sandbox-1" || rule !== "own"),
    [],
    `every node runs in US East, by its own console: ${JSON.stringify(nodes)}`,
  );

  // The fixes: Replicate org… for the missing MSP, Full mesh… for the mesh, a step for the rest.
  const fix = await (await b$('[data-testid="posture-finding-msp_missing"] [data-testid="posture-fix-operation"]')).getText();
  assert.match(fix, /^Replicate Org1MSP from US East to US West and Canada…$/);
  assert.ok(await (await b$('[data-testid="posture-finding-mesh_incomplete"] [data-testid="posture-fix-operation"]')).isExisting());
  assert.ok(await (await b$('[data-testid="posture-finding-quorum_needs_region"] [data-testid="posture-fix-step"]')).isExisting());
  await screenshot(app.browser, "22-posture-panel");
  await scrollToFindings();
  await screenshot(app.browser, "23-posture-findings");
});

test("Replicate org… from a finding opens the dialog pre-filled, and nothing runs until confirmed", async () => {
  const b = app.browser;
  await openPanel();
  const button = await b$('[data-testid="posture-finding-msp_missing"] [data-testid="posture-fix-operation"]');
  await button.click();
  const dialog = await $("replicate-dialog");
  await dialog.waitForExist({ timeout: 5_000 });
  const chosen = await b.execute(() => ({
    source: document.querySelector('[data-testid="replicate-source"]')?.value,
    org: document.querySelector('[data-testid="replicate-org"]')?.value,
    targets: ["sandbox-2", "sandbox-3", "sandbox-1"].filter(
      (id) => document.querySelector(`[data-testid="replicate-target-${id}"]`)?.checked,
    ),
  }));
  assert.equal(chosen.source, "sandbox-1");
  assert.equal(chosen.org, "Org1MSP");
  assert.deepEqual(chosen.targets, ["sandbox-2", "sandbox-3"]);
  await (await $("replicate-cancel")).click();
  await dialog.waitForExist({ reverse: true, timeout: 5_000 });
  assert.equal(
    await b.execute(() => document.activeElement?.getAttribute("data-testid")),
    "posture-fix-operation",
    "the keyboard is back on the fix",
  );
});

test("supposing US East lost on the map greys it and works the posture out without it; Clear restores", async () => {
  const b = app.browser;
  await closePanel();
  await (await $("what-if-mode")).click();
  assert.equal(await (await $("what-if-mode")).getAttribute("aria-pressed"), "true");

  const clicked = Date.now();
  await (await b.$(`${PIN} circle.dot`)).click();
  await waitForAttribute(b, PIN, "data-lost", "true", 5_000);
  assert.equal(await (await $("region-card-sandbox-1")).getAttribute("data-lost"), "true");
  assert.match(await (await $("lost-note-sandbox-1")).getText(), /Lost \(what if\)/);
  assert.match(await (await b.$(`${PIN} .status`)).getText(), /lost \(what if\)/);
  await b.waitUntil(async () => /^What if US East is lost: keeps working: no/.test(await (await $("posture-badge")).getText()), {
    timeout: 20_000,
    timeoutMsg: "the badge never worked out the what-if",
  });
  console.log(`# what-if worked out ${Date.now() - clicked} ms after the click on the pin`);
  assert.equal(await (await $("posture-badge")).getAttribute("data-survives"), "no");
  await screenshot(b, "24-what-if-us-east-lost");

  await openPanel();
  const rows = await waitForFindings(
    (codes) => codes.includes("quorum_lost") && codes.includes("peers_lost"),
    "quorum_lost and peers_lost never showed",
  );
  for (const code of ["quorum_lost", "peers_lost"]) {
    assert.equal(rows.find((r) => r.code === code)?.severity, "error", `${code} is an error`);
  }
  assert.ok(await (await $("posture-lost-chip-sandbox-1")).isExisting(), "US East is a chip of the what-if");
  assert.equal(await (await $("posture-lost-sandbox-1")).getAttribute("aria-pressed"), "true");
  assert.equal(await (await $("posture-region-sandbox-1")).getAttribute("data-lost"), "true");
  await scrollToFindings();
  await screenshot(b, "25-what-if-posture-findings");

  await (await $("posture-clear")).click();
  await waitForFindings((codes) => !codes.includes("quorum_lost") && !codes.includes("peers_lost"), "the what-if's findings stayed");
  await waitForAttribute(b, BADGE, "data-survives", "no", 20_000);
  assert.equal(await (await $("posture-badge")).getText(), "Survives the loss of any one region: no");
  assert.equal(await (await b.$(PIN)).getAttribute("data-lost"), null);
  assert.equal(await (await $("region-card-sandbox-1")).getAttribute("data-lost"), null);
});

test("in what-if mode Enter and Space on a focused pin toggle it; leaving the mode restores, and a click selects again", async () => {
  const b = app.browser;
  await closePanel();
  if ((await (await $("what-if-mode")).getAttribute("aria-pressed")) !== "true") await (await $("what-if-mode")).click();
  const pin2 = '[data-testid="region-pin-sandbox-2"]';
  await b.execute((sel) => document.querySelector(sel).focus(), pin2);
  await b.keys(Key.Enter);
  await waitForAttribute(b, pin2, "data-lost", "true", 5_000);
  await b.keys(Key.Space);
  await b.waitUntil(async () => (await (await b.$(pin2)).getAttribute("data-lost")) === null, {
    timeout: 5_000,
    timeoutMsg: "Space did not bring US West back",
  });
  await b.keys(Key.Enter);
  await waitForAttribute(b, pin2, "data-lost", "true", 5_000);

  // Leaving what-if mode brings every region back; a click on a pin shows its card again.
  await (await $("what-if-mode")).click();
  await b.waitUntil(async () => (await (await b.$(pin2)).getAttribute("data-lost")) === null, {
    timeout: 5_000,
    timeoutMsg: "leaving what-if mode kept US West lost",
  });
  await (await b.$(`${pin2} circle.dot`)).click();
  await b.waitUntil(async () => (await b.execute(() => document.activeElement?.getAttribute("data-testid"))) === "region-card-sandbox-2", {
    timeout: 5_000,
    timeoutMsg: "a plain click no longer selects the region",
  });
  assert.equal(await (await b.$(pin2)).getAttribute("data-lost"), null);
  await waitForAttribute(b, BADGE, "data-survives", "no", 20_000);
});

/** `app.browser.$`, for selectors that are not one test id. */
function b$(selector) {
  return app.browser.$(selector);
}
