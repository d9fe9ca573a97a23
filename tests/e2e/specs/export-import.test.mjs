// The HA guide's hand-over, through the UI: export the org's MSP from console 1 to a file, then drop
// that file from "the file manager" onto region 3. The drop is a real XDND drag between two X
// clients (xdrag.mjs), so it goes through Tauri's native drop handler exactly as a user's would.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  launchApp,
  removeDir,
  sandboxControl,
  sandboxRegion,
  consoleComponents,
  waitForAttribute,
  POLL_MS,
} from "../harness.mjs";
import { screenCentreOf, dropFiles } from "../xdrag.mjs";

const saveDir = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-save-"));
const EXPORTED = path.join(saveDir, "Org1 MSP_msp.json");

let app;
let control;
before(async () => {
  app = await launchApp({ FABRIC_ATLAS_TEST_SAVE_DIR: saveDir });
  control = await sandboxControl(app.dirs);
});
after(async () => {
  await app?.stop();
  removeDir(saveDir);
});

/** `JSON.stringify(Helper.sortKeys(x), null, 4)`, as the console UI writes its exports. */
const consoleOrder = new Intl.Collator("en", { numeric: true, caseFirst: "upper" });
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort((a, b) => consoleOrder.compare(a, b))
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

test("exports region 1's MSP through the UI in the console's file format", async () => {
  const b = app.browser;
  const button = await b.$('[data-testid="export-sandbox-1-org1msp"]');
  await button.waitForClickable({ timeout: 30_000 });
  await button.click();

  await waitForAttribute(b, '[data-testid="export-result"]', "data-outcome", "ok", 15_000);
  const notice = await (await b.$('[data-testid="export-result"]')).getText();
  assert.ok(notice.includes(`to ${path.basename(EXPORTED)}`), `the confirmation names the written file (got: ${notice})`);
  assert.equal(await (await b.$('[data-testid="export-result"]')).getAttribute("title"), EXPORTED, "its tooltip is the full path");

  assert.ok(existsSync(EXPORTED), `${EXPORTED} was written`);
  const text = readFileSync(EXPORTED, "utf8");
  const json = JSON.parse(text);
  assert.equal(json.msp_id, "Org1MSP");
  assert.equal(json.display_name, "Org1 MSP");
  assert.equal(json.type, "msp");
  assert.ok(Array.isArray(json.root_certs) && json.root_certs.length > 0, "root certs are there");
  // Four-space indent and the console's key order at every level: byte for byte what the console
  // UI's export writes for this document.
  assert.match(text, /^\{\n {4}"/, "four-space indent");
  assert.equal(text.trimEnd(), JSON.stringify(sortKeys(json), null, 4), "keys sorted the console's way");
  assert.equal(statSync(EXPORTED).size, Buffer.byteLength(text));
});

test("imports the file dropped from the OS onto region 3's card", async () => {
  const b = app.browser;
  assert.ok(existsSync(EXPORTED), "the export test left its file");
  const cardSelector = '[data-testid="region-card-sandbox-3"]';
  await waitForAttribute(b, cardSelector, "data-state", "healthy", 30_000);
  assert.ok(
    await (await b.$('[data-testid="no-components-sandbox-3"]')).isExisting(),
    "region 3 starts with no components",
  );
  // The export confirmation is no longer needed; keep the window uncluttered for the drag.
  const dismiss = await b.$('[data-testid="export-result"] button');
  if (await dismiss.isExisting()) await dismiss.click();

  const card = await b.$(cardSelector);
  const to = await screenCentreOf(b, card);
  // The point the pointer will be at is on region 3's card (nothing covers it).
  const hit = await b.execute(
    (x, y) => document.elementFromPoint(x, y)?.closest("[data-drop-region]")?.getAttribute("data-drop-region"),
    (to.x - to.origin.x) / to.ratio,
    (to.y - to.origin.y) / to.ratio,
  );
  assert.equal(hit, "sandbox-3", "the drop point hits region 3's card");

  let dropped;
  const end = await dropFiles([EXPORTED], to, {
    // With the button still held over the card: the card and the status line show where the
    // files would go.
    whileOver: async () => {
      await waitForAttribute(b, cardSelector, "data-drop-target", "true", 10_000);
      const status = await (await b.$('[data-testid="drop-status"]')).getText();
      assert.match(status, /Release to import Org1 MSP_msp\.json into Canada/);
      dropped = Date.now();
    },
  });
  assert.match(end, /^DRAG-END ok/, "the drag source saw the drop complete");

  await waitForAttribute(b, '[data-testid="import-report"]', "data-refused", "false", 20_000);
  const report = await b.$('[data-testid="import-report"]');
  assert.equal(await report.getAttribute("data-region"), "sandbox-3");
  const items = await report.$$('[data-testid="import-item"]');
  assert.equal(items.length, 1, "one item in the report");
  assert.equal(await items[0].getAttribute("data-outcome"), "created");
  assert.match(await items[0].getText(), /Org1 MSP/);
  assert.equal(await (await b.$(cardSelector)).getAttribute("data-drop-target"), null, "the highlight is gone");

  // The health poller lists it on region 3's card within two poll intervals.
  const row = await b.$('[data-testid="component-sandbox-3-org1msp"]');
  await row.waitForExist({ timeout: 2 * POLL_MS + 1000 });
  console.log(`# org1msp listed on region 3's card ${Date.now() - dropped} ms after the drop`);
  assert.equal(await row.getAttribute("data-kind"), "msp");

  // …and console 3 really holds exactly one MSP, Org1MSP (no duplicate).
  const held = await consoleComponents(await sandboxRegion(control, 3));
  const msps = held.filter((c) => c.type === "msp");
  assert.deepEqual(
    msps.map((c) => [c.id, c.msp_id]),
    [["org1msp", "Org1MSP"]],
  );
});
