// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import type { CaAdminStatus } from "../bindings/CaAdminStatus";
import type { ImportReport } from "../bindings/ImportReport";
import { Imports, type ImportsApi, type ImportsWindow } from "./imports.svelte";
import { toAppError } from "./ipc";

const ORG1CA: CaAdminStatus = {
  componentId: "org1ca.json",
  displayName: "Org1 CA",
  apiUrl: "https://ca",
  caName: "ca",
  caAdminEnrollId: null,
  tlscaAdminEnrollId: null,
};
const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  regionId: "r2",
  dryRun: false,
  refused: false,
  findings: [],
  items: [],
  casLackingAdmins: [],
  ...over,
});
const LACKING = report({ refused: true, casLackingAdmins: [ORG1CA] });

function setup(answers: ImportReport[], saved = true) {
  const api = {
    chooseImportFiles: vi.fn(async () => ["/tmp/org1ca.json"]),
    importFiles: vi.fn(
      async (_regionId: string, _paths: string[], _dryRun?: boolean, _onWait?: (console: string) => void): Promise<ImportReport> =>
        answers.shift()!,
    ),
    toAppError,
  } satisfies ImportsApi;
  const window = {
    targetName: vi.fn((id: string) => (id === "r2" ? "US West" : id)),
    askCaAdmins: vi.fn(async () => saved),
    report: vi.fn(),
    notify: vi.fn(),
    changed: vi.fn(async () => {}),
  } satisfies ImportsWindow;
  return { api, window, imports: new Imports(window, api) };
}

describe("Imports", () => {
  it("imports the files chosen in the open dialog, shows the report and says the console changed", async () => {
    const done = report({ items: [] });
    const { api, window, imports } = setup([done]);
    await imports.start("r2", "dialog");
    expect(api.importFiles).toHaveBeenCalledExactlyOnceWith("r2", ["/tmp/org1ca.json"], false, expect.any(Function));
    expect(window.report).toHaveBeenCalledWith(done, "US West", null);
    expect(window.changed).toHaveBeenCalledOnce();
    expect(imports.into).toBeNull();
  });

  it("imports nothing when the open dialog is cancelled", async () => {
    const { api, window, imports } = setup([]);
    api.chooseImportFiles.mockResolvedValueOnce([]);
    await imports.start("r2", "dialog");
    expect(api.importFiles).not.toHaveBeenCalled();
    expect(window.report).not.toHaveBeenCalled();
  });

  it("asks for the credentials of a CA the import was refused for, then imports the same files again", async () => {
    const done = report();
    const { api, window, imports } = setup([LACKING, done]);
    await imports.start("r2", ["/tmp/org1ca.json", "/tmp/peer.json"]);
    expect(window.askCaAdmins).toHaveBeenCalledExactlyOnceWith(null, [ORG1CA]);
    expect(api.importFiles).toHaveBeenCalledTimes(2);
    expect(api.importFiles).toHaveBeenLastCalledWith("r2", ["/tmp/org1ca.json", "/tmp/peer.json"], false, expect.any(Function));
    expect(window.report).toHaveBeenCalledExactlyOnceWith(done, "US West", null);
  });

  it("shows the refusal when the credentials are not given", async () => {
    const { api, window, imports } = setup([LACKING], false);
    await imports.start("r2", ["/tmp/org1ca.json"]);
    expect(api.importFiles).toHaveBeenCalledOnce();
    expect(window.report).toHaveBeenCalledExactlyOnceWith(LACKING, "US West", null);
  });

  it("says while the import waits for another operation on the console, until it runs", async () => {
    const { api, imports } = setup([]);
    let finish: (r: ImportReport) => void = () => {};
    let onWait: (console: string) => void = () => {};
    api.importFiles.mockImplementationOnce((_regionId, _paths, _dryRun, wait) => {
      onWait = wait ?? onWait;
      return new Promise((resolve) => (finish = resolve));
    });
    const running = imports.start("r2", ["/tmp/a.json"]);
    await vi.waitFor(() => expect(api.importFiles).toHaveBeenCalledOnce());
    expect(imports.waiting).toBe(false);
    onWait("US West");
    expect(imports.waiting).toBe(true);
    finish(report());
    await running;
    expect(imports.waiting).toBe(false);
    expect(imports.into).toBeNull();
  });

  it("runs one import at a time and tells why an import failed", async () => {
    const { api, window, imports } = setup([]);
    let finish: (r: ImportReport) => void = () => {};
    api.importFiles.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const first = imports.start("r2", ["/tmp/a.json"]);
    await vi.waitFor(() => expect(api.importFiles).toHaveBeenCalledOnce());
    await imports.start("r3", ["/tmp/b.json"]);
    expect(window.notify).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining("US West") }));
    finish(report());
    await first;
    api.importFiles.mockRejectedValueOnce({ code: "unreachable", message: "console down" });
    await imports.start("r2", ["/tmp/a.json"]);
    expect(window.notify).toHaveBeenLastCalledWith(expect.objectContaining({ testid: "import-error" }));
  });
});
