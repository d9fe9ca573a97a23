// A malformed file chosen in the import dialog is refused as a whole: the report names the file and
// says nothing changed, and region 2's console received no import request and holds nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  launchApp,
  removeDir,
  sandboxControl,
  sandboxRegion,
  consoleComponents,
  consoleRequests,
  waitForAttribute,
} from "../harness.mjs";

const filesDir = mkdtempSync(path.join(os.tmpdir(), "atlas-e2e-files-"));
const BROKEN = path.join(filesDir, "broken-msp.json");
// Cut off mid-document, as a truncated download would be.
writeFileSync(BROKEN, '{\n    "display_name": "Org1 MSP",\n    "msp_id": "Org1MSP",\n    "root_certs": [\n');

let app;
let control;
before(async () => {
  // The open dialog answers with the broken file (the dialog seam of the app's test build).
  app = await launchApp({ FABRIC_ATLAS_TEST_OPEN_FILES: BROKEN });
  control = await sandboxControl(app.dirs);
});
after(async () => {
  await app?.stop();
  removeDir(filesDir);
});

/** Requests that would change a console: anything but reads and the status probe. */
const writes = (requests) =>
  requests.filter((r) => r.method !== "GET" && !/\/components\/status$/.test(r.path.split("?")[0]));

test("a malformed file is refused with the file named, and nothing reaches region 2", async () => {
  const b = app.browser;
  await waitForAttribute(b, '[data-testid="region-card-sandbox-2"]', "data-state", "healthy", 30_000);
  assert.ok(await (await b.$('[data-testid="no-components-sandbox-2"]')).isExisting(), "region 2 starts empty");

  const button = await b.$('[data-testid="import-sandbox-2"]');
  await button.waitForClickable({ timeout: 10_000 });
  await button.click();

  await waitForAttribute(b, '[data-testid="import-report"]', "data-refused", "true", 20_000);
  const report = await b.$('[data-testid="import-report"]');
  assert.equal(await report.getAttribute("data-region"), "sandbox-2");
  assert.match(await report.getText(), /Nothing was changed/);
  assert.equal((await report.$$('[data-testid="import-item"]')).length, 0, "no item was imported");

  const findings = await report.$$('[data-testid="finding"]');
  assert.ok(findings.length >= 1, "at least one finding");
  const first = findings[0];
  assert.equal(await first.getAttribute("data-severity"), "error");
  assert.equal(await first.getAttribute("data-file"), "broken-msp.json");
  const line = await first.getText();
  assert.match(line, /broken-msp\.json · .+ · .+/, `file · field · reason (got: ${line})`);

  // Nothing was sent to console 2 and it holds nothing; the card agrees.
  assert.deepEqual(writes(await consoleRequests(control, 2)), [], "no import request reached console 2");
  assert.deepEqual(await consoleComponents(await sandboxRegion(control, 2)), [], "console 2 holds nothing");
  assert.ok(await (await b.$('[data-testid="no-components-sandbox-2"]')).isExisting(), "region 2's card is still empty");
  assert.equal((await b.$$('[data-testid^="component-sandbox-2-"]')).length, 0);

  // Closing the report gives the keyboard back to the button that opened it.
  await (await b.$('[data-testid="close-import-report"]')).click();
  await (await b.$('[data-testid="import-report"]')).waitForExist({ reverse: true, timeout: 5_000 });
  const focused = await b.execute(() => document.activeElement?.getAttribute("data-testid"));
  assert.equal(focused, "import-sandbox-2");
});
