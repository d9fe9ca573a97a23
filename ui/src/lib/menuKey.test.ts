// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { focusableRow, isMenuKey, menuKey } from "./menuKey";

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

describe("focusableRow", () => {
  function row() {
    document.body.innerHTML = `<button id="before">Before</button>
      <li id="row" tabindex="0"><span id="name">Org1 Peer1</span><button id="copy">Copy to…</button></li>`;
    const node = document.getElementById("row")!;
    const activate = vi.fn();
    const detach = focusableRow(activate)(node);
    return { node, activate, detach, el: (id: string) => document.getElementById(id)! };
  }

  it("takes the focus on a click on its text, not on a click on one of its controls", () => {
    const { node, el } = row();
    el("before").focus();
    el("copy").click();
    expect(document.activeElement).not.toBe(node);
    el("name").click();
    expect(document.activeElement).toBe(node);
  });

  it("activates on Enter on the row itself; Enter on a control, other keys and modifiers are not its", () => {
    const { node, activate, detach, el } = row();
    const enter = (on: HTMLElement, init: KeyboardEventInit = {}) => {
      const event = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true, ...init });
      on.dispatchEvent(event);
      return event;
    };
    expect(enter(node).defaultPrevented).toBe(true);
    expect(activate).toHaveBeenCalledWith(node);
    enter(el("copy"));
    enter(node, { ctrlKey: true });
    enter(node, { repeat: true });
    node.dispatchEvent(new KeyboardEvent("keydown", { key: " ", bubbles: true, cancelable: true }));
    expect(activate).toHaveBeenCalledTimes(1);

    detach?.();
    enter(node);
    el("before").focus();
    el("name").click();
    expect(activate).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(el("before"));
  });

  it("activates on a double-click on its text, not on one of its controls", () => {
    const { node, activate, detach, el } = row();
    const dblclick = (on: HTMLElement) => on.dispatchEvent(new MouseEvent("dblclick", { bubbles: true, cancelable: true }));
    dblclick(el("copy"));
    expect(activate).not.toHaveBeenCalled();
    dblclick(el("name"));
    expect(activate).toHaveBeenCalledWith(node);

    detach?.();
    dblclick(el("name"));
    expect(activate).toHaveBeenCalledTimes(1);
  });

  it("without an action, still takes the focus on a click but Enter and a double-click do nothing", () => {
    document.body.innerHTML = `<li id="row" tabindex="0"><span id="name">Ordering Service</span></li>`;
    const node = document.getElementById("row")!;
    focusableRow(undefined)(node);
    document.getElementById("name")!.click();
    expect(document.activeElement).toBe(node);
    const enter = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true });
    node.dispatchEvent(enter);
    const dblclick = new MouseEvent("dblclick", { bubbles: true, cancelable: true });
    node.dispatchEvent(dblclick);
    expect([enter.defaultPrevented, dblclick.defaultPrevented]).toEqual([false, false]);
  });
});
