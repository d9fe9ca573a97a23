// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { install } from "./webviewGuard";

let uninstall: (() => void) | undefined;

function setup(apple = false) {
  document.body.innerHTML = `
    <input id="text" type="text" />
    <input id="readonly" type="text" readonly />
    <input id="box" type="checkbox" />
    <textarea id="area"></textarea>
    <div id="editor" contenteditable="true"></div>
    <button id="button">Copy to…</button>
    <li id="row" tabindex="0">Org1 Peer1</li>`;
  uninstall = install(window, { apple });
}

beforeEach(() => setup());
afterEach(() => {
  uninstall?.();
  uninstall = undefined;
  document.body.innerHTML = "";
});

const on = (id: string) => document.getElementById(id)!;

/** Dispatches a cancelable keydown on `id`; true when the guard cancelled it. */
function keyPrevented(id: string, key: string, mods: KeyboardEventInit = {}): boolean {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...mods });
  on(id).dispatchEvent(event);
  return event.defaultPrevented;
}

function mousePrevented(type: string, button: number): boolean {
  const event = new MouseEvent(type, { button, bubbles: true, cancelable: true });
  on("row").dispatchEvent(event);
  return event.defaultPrevented;
}

describe("webviewGuard", () => {
  it("cancels the web view's own context menu everywhere, and our handlers still see the event", () => {
    let seen = 0;
    on("row").addEventListener("contextmenu", () => (seen += 1));
    for (const id of ["row", "text", "button"]) {
      const event = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
      on(id).dispatchEvent(event);
      expect(event.defaultPrevented, id).toBe(true);
    }
    expect(seen).toBe(1);
  });

  it.each([
    ["F5", {}],
    ["F5", { ctrlKey: true }],
    ["r", { ctrlKey: true }],
    ["R", { ctrlKey: true, shiftKey: true }],
    ["r", { metaKey: true }],
    ["BrowserRefresh", {}],
    ["BrowserBack", {}],
    ["ArrowLeft", { altKey: true }],
    ["ArrowRight", { altKey: true }],
  ])("cancels %s %j on a row and in a text field (reloads and history, wherever typed)", (key, mods) => {
    expect(keyPrevented("row", key, mods)).toBe(true);
    expect(keyPrevented("text", key, mods)).toBe(true);
  });

  it("cancels Backspace outside text (history back), not while typing", () => {
    expect(keyPrevented("row", "Backspace")).toBe(true);
    expect(keyPrevented("box", "Backspace")).toBe(true);
    expect(keyPrevented("readonly", "Backspace")).toBe(true);
    expect(keyPrevented("text", "Backspace")).toBe(false);
    expect(keyPrevented("area", "Backspace")).toBe(false);
    expect(keyPrevented("editor", "Backspace")).toBe(false);
  });

  it("leaves typing and the app's own keys alone", () => {
    for (const [key, mods] of [
      ["a", {}],
      ["r", {}],
      ["R", { shiftKey: true }],
      ["ArrowLeft", {}],
      ["ArrowLeft", { ctrlKey: true }],
      ["c", { ctrlKey: true }],
      ["v", { ctrlKey: true }],
      ["Enter", {}],
      ["Escape", {}],
      ["Tab", {}],
      ["F10", { shiftKey: true }],
    ] as [string, KeyboardEventInit][]) {
      expect(keyPrevented("text", key, mods), `${key} ${JSON.stringify(mods)}`).toBe(false);
      expect(keyPrevented("row", key, mods), `${key} ${JSON.stringify(mods)}`).toBe(false);
    }
  });

  it("on Apple systems: Cmd+[ and Cmd+] and Cmd+arrows outside text are history; Option/Cmd+arrows in text edit", () => {
    uninstall?.();
    setup(true);
    expect(keyPrevented("row", "[", { metaKey: true })).toBe(true);
    expect(keyPrevented("text", "]", { metaKey: true })).toBe(true);
    expect(keyPrevented("row", "ArrowLeft", { metaKey: true })).toBe(true);
    expect(keyPrevented("row", "ArrowLeft", { altKey: true })).toBe(true);
    expect(keyPrevented("text", "ArrowLeft", { metaKey: true })).toBe(false);
    expect(keyPrevented("text", "ArrowLeft", { altKey: true })).toBe(false);
    expect(keyPrevented("text", "r", { metaKey: true })).toBe(true);
  });

  it("cancels the mouse's back and forward buttons, not the others", () => {
    for (const type of ["mousedown", "mouseup", "auxclick"]) {
      expect(mousePrevented(type, 3), `${type} 3`).toBe(true);
      expect(mousePrevented(type, 4), `${type} 4`).toBe(true);
    }
    expect(mousePrevented("mouseup", 0)).toBe(false);
    expect(mousePrevented("auxclick", 1)).toBe(false);
  });

  it("holds the page when something tries to navigate away", () => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });

  it("is gone once uninstalled", () => {
    uninstall?.();
    uninstall = undefined;
    expect(keyPrevented("row", "F5")).toBe(false);
    const menu = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
    on("row").dispatchEvent(menu);
    expect(menu.defaultPrevented).toBe(false);
    const leave = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(leave);
    expect(leave.defaultPrevented).toBe(false);
  });
});
