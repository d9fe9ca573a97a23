import { describe, expect, it, vi } from "vitest";
import { toAppError } from "./ipc";
import { WalletFileSave } from "./walletFile.svelte";

describe("WalletFileSave", () => {
  it("keeps the saved path, ignores a cancelled dialog, and shows a failure", async () => {
    const exportIdentity = vi
      .fn()
      .mockResolvedValueOnce({ path: "/home/me/org1admin.json", fileName: "org1admin.json" })
      .mockResolvedValueOnce({ path: null, fileName: "org1admin.json" })
      .mockRejectedValueOnce({ code: "keyring", message: "no keyring" });
    const file = new WalletFileSave({ exportIdentity, toAppError });

    await file.save("org1admin");
    expect(exportIdentity).toHaveBeenLastCalledWith("org1admin", null);
    expect(file.saved).toBe("/home/me/org1admin.json");
    await file.save("org1admin");
    expect(file.saved).toBe("/home/me/org1admin.json");
    await file.save("org1admin");
    expect(file.error).toEqual({ code: "keyring", message: "no keyring" });
    expect(file.saving).toBe(false);
  });
});
