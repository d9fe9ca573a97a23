// Issue 12, finding 3 in the real app: a copy's headline says what its items came to, never more.
// Only "already there" → it says so, not "Copied"; every target failing (the console refuses every
// request, injected through the sandbox's fault control) → "Nothing copied" and why; a mixed
// outcome → both, in one sentence. The tone (the panel's data-outcome) follows the words.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchApp, sandboxControl, controlFetch, waitForAttribute, screenshot } from "../harness.mjs";

let app;
let control;
before(async () => {
  app = await launchApp();
  control = await sandboxControl(app.dirs);
});
after(async () => app?.stop());

const PANEL = '[data-testid="transfer-panel"]';
const $ = (testid) => app.browser.$(`[data-testid="${testid}"]`);

/** Every console request of sandbox region `n` answers `status` (null: back to normal). */
async function failRegion(n, status) {
  const res = await controlFetch(control, `/regions/${n}/fail`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status }),
  });
  assert.equal(res.status, 200, `fault control answered ${res.status}`);
}

/**
 * Copies region 1's `component` to the regions `targets` (ids) through "Copy to…", waits until the
 * copy is over and answers its headline: `{ text, tone }`. The report stays open for a screenshot.
 */
async function copy(component, targets) {
  const b = app.browser;
  if (await (await $("transfer-done")).isExisting()) await (await $("transfer-done")).click();
  await (await $(`copy-sandbox-1-${component}`)).click();
  await (await $("copy-dialog")).waitForExist({ timeout: 5_000 });
  for (const id of ["sandbox-2", "sandbox-3"]) {
    const box = await $(`copy-target-${id}`);
    if ((await box.isSelected()) !== targets.includes(id)) await box.click();
  }
  await (await $("copy-confirm")).click();
  await waitForAttribute(b, PANEL, "data-phase", "finished", 30_000);
  return {
    text: await (await $("transfer-headline")).getText(),
    tone: await (await b.$(PANEL)).getAttribute("data-outcome"),
  };
}

test("a copy whose only item is already there says so, not Copied", async () => {
  const b = app.browser;
  for (const id of ["sandbox-1", "sandbox-2", "sandbox-3"]) {
    await waitForAttribute(b, `[data-testid="region-card-${id}"]`, "data-state", "healthy", 30_000);
  }
  await (await $("component-sandbox-1-org1msp")).waitForExist({ timeout: 30_000 });

  assert.deepEqual(await copy("org1msp", ["sandbox-2"]), { text: "Copied Org1 MSP to US West", tone: "ok" });
  assert.deepEqual(await copy("org1msp", ["sandbox-2"]), {
    text: "Org1 MSP is already in US West — nothing copied",
    tone: "neutral",
  });
  await screenshot(b, "16-headline-already-there");
});

test("a copy whose every target fails says nothing was copied, and why", async () => {
  const b = app.browser;
  await failRegion(2, 503);
  try {
    const { text, tone } = await copy("org1peer1", ["sandbox-2"]);
    assert.equal(tone, "error");
    assert.match(text, /^Nothing copied: US West failed \(the console failed \(503\): .+\)$/);
    assert.doesNotMatch(text, /Copied|with failures/);
    await screenshot(b, "17-headline-failed");
  } finally {
    await failRegion(2, null);
  }
});

test("a mixed copy names each outcome: created and failed, created and already there", async () => {
  const b = app.browser;
  await failRegion(3, 503);
  try {
    const { text, tone } = await copy("org1peer1", ["sandbox-2", "sandbox-3"]);
    assert.equal(tone, "warning");
    assert.match(text, /^Copied Org1 Peer1 to US West; Canada failed \(the console failed \(503\): .+\)$/);
    await screenshot(b, "18-headline-created-and-failed");
  } finally {
    await failRegion(3, null);
  }

  // US West holds the MSP since the first test; Canada does not.
  assert.deepEqual(await copy("org1msp", ["sandbox-2", "sandbox-3"]), {
    text: "Copied Org1 MSP to Canada; already in US West",
    tone: "ok",
  });
  await screenshot(b, "19-headline-created-and-already-there");
});
