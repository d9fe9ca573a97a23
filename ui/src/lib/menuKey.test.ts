// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { isMenuKey, menuKey } from "./menuKey";

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("isMenuKey", () => {
  it.each([
    [key("ContextMenu"), true],
    [key("F10", { shiftKey: true }), true],
    [key("F10"), false],
    [key("F10", { shiftKey: true, ctrlKey: true }), false],
    [key("Enter"), false],
  ])("%j → %s", (event, expected) => {
    expect(isMenuKey(event)).toBe(expected);
  });
});

describe("menuKey", () => {
  it("opens for the menu keys and a right click inside the row, and nothing else", () => {
    document.body.innerHTML = `<li id="row"><button id="export">Export</button></li>`;
    const row = document.getElementById("row")!;
    const open = vi.fn();
    const detach = menuKey(open)(row);
    const button = document.getElementById("export")!;

    const shiftF10 = new KeyboardEvent("keydown", { key: "F10", shiftKey: true, bubbles: true, cancelable: true });
    button.dispatchEvent(shiftF10);
    expect(open).toHaveBeenCalledWith(row);
    expect(shiftF10.defaultPrevented).toBe(true);

    button.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(open).toHaveBeenCalledTimes(1);

    const rightClick = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
    row.dispatchEvent(rightClick);
    expect(open).toHaveBeenCalledTimes(2);
    expect(rightClick.defaultPrevented).toBe(true);

    detach?.();
    button.dispatchEvent(new KeyboardEvent("keydown", { key: "ContextMenu", bubbles: true }));
    expect(open).toHaveBeenCalledTimes(2);
  });
});
