// @vitest-environment happy-dom
// The About box names the build and the files a bug report needs, and opens the log folder.

import { mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppInfo } from "../bindings/AppInfo";
import * as ipc from "../lib/ipc";
import { byTestId, settle } from "../testing/dom";
import AboutDialog from "./AboutDialog.svelte";

vi.mock("../lib/ipc", async (importOriginal) => ({
  ...(await importOriginal<typeof ipc>()),
  showInFolder: vi.fn(),
}));
const api = vi.mocked(ipc);

const INFO: AppInfo = {
  version: "0.1.0",
  commit: "1a2b3c4d5e6f",
  sandbox: true,
  pollIntervalMs: 5000,
  configPath: "/home/ada/.config/fabric-atlas/fleet.json",
  logDir: "/home/ada/.local/share/fabric-atlas/logs",
};

let dialog: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (dialog) unmount(dialog);
  dialog = undefined;
  document.body.innerHTML = "";
  vi.clearAllMocks();
});

function open(info: AppInfo, onclose = vi.fn()) {
  dialog = mount(AboutDialog, { target: document.body, props: { info, onclose } });
  return onclose;
}

describe("AboutDialog", () => {
  it("names the version, the commit, the config file and the log folder", () => {
    open(INFO);
    expect(byTestId("about-version")?.textContent).toBe("0.1.0");
    expect(byTestId("about-commit")?.textContent).toBe("1a2b3c4d5e6f");
    expect(byTestId("about-logs")?.textContent).toBe(INFO.logDir);
    expect(byTestId("about-dialog")?.textContent).toContain(INFO.configPath);
  });

  it("opens the log folder, and says why when it cannot", async () => {
    api.showInFolder.mockResolvedValueOnce(undefined).mockRejectedValueOnce({ code: "internal", message: "no file manager" });
    open(INFO);
    byTestId("about-show-logs")?.click();
    await settle();
    expect(api.showInFolder).toHaveBeenCalledWith(INFO.logDir);
    expect(byTestId("about-dialog")?.querySelector('[role="alert"]')?.textContent).toBe("");
    byTestId("about-show-logs")?.click();
    await settle();
    expect(byTestId("about-dialog")?.querySelector('[role="alert"]')?.textContent).toBe("no file manager");
  });

  it("without a log folder offers none, and Close closes", () => {
    const onclose = open({ ...INFO, logDir: undefined, commit: undefined });
    expect(byTestId("about-logs")).toBeNull();
    expect(byTestId("about-show-logs")).toBeNull();
    expect(byTestId("about-commit")?.textContent).toBe("unknown");
    byTestId("about-close")?.click();
    expect(onclose).toHaveBeenCalledTimes(1);
  });
});
