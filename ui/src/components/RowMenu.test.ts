// @vitest-environment happy-dom
// A row's menu button: opens with a click or the keys of the menu button pattern, moves with the
// arrows, closes on Escape (back on the button), Tab, a press elsewhere or a choice.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { byTestId, settle } from "../testing/dom";
import RowMenu from "./RowMenu.svelte";

const ITEMS = [
  { id: "register", label: "Register identity…" },
  { id: "identities", label: "Identities" },
  { id: "enroll", label: "Enroll into wallet…" },
  { id: "admins", label: "CA admins…" },
];

let menu: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (menu) unmount(menu);
  menu = undefined;
  document.body.innerHTML = "";
});

async function render() {
  const onselect = vi.fn();
  // In a container of its own, as in the app: what goes past the menu reaches the body.
  const target = document.createElement("div");
  document.body.append(target);
  menu = mount(RowMenu, {
    target,
    props: { label: "CA…", ariaLabel: "Fabric CA: Org1 CA", items: ITEMS, testid: "ca-menu", onselect },
  });
  flushSync();
  return { onselect, button: byTestId<HTMLButtonElement>("ca-menu")! };
}

const key = (el: Element, k: string) => {
  const event = new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true });
  el.dispatchEvent(event);
  flushSync();
  return event;
};
const focusedId = () => document.activeElement?.getAttribute("data-testid");

describe("RowMenu", () => {
  it("is a menu button, closed until clicked; open, the keyboard is on its first item", async () => {
    const { button } = await render();
    expect(button.getAttribute("aria-haspopup")).toBe("menu");
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(byTestId("ca-menu-menu")).toBeNull();
    button.click();
    await settle();
    expect(button.getAttribute("aria-expanded")).toBe("true");
    expect(button.getAttribute("aria-controls")).toBe("ca-menu-menu");
    const items = [...byTestId("ca-menu-menu")!.querySelectorAll('[role="menuitem"]')].map((el) => el.textContent);
    expect(items).toEqual(["Register identity…", "Identities", "Enroll into wallet…", "CA admins…"]);
    expect(focusedId()).toBe("ca-menu-register");
  });

  it("opens at the last item on Arrow Up; the arrows wrap, Home and End jump", async () => {
    const { button } = await render();
    key(button, "ArrowUp");
    await settle();
    expect(focusedId()).toBe("ca-menu-admins");
    const list = byTestId("ca-menu-menu")!;
    key(list.querySelector(":focus")!, "ArrowDown");
    expect(focusedId()).toBe("ca-menu-register");
    key(document.activeElement!, "End");
    expect(focusedId()).toBe("ca-menu-admins");
    key(document.activeElement!, "Home");
    key(document.activeElement!, "ArrowDown");
    expect(focusedId()).toBe("ca-menu-identities");
  });

  it("closes on Escape with the keyboard back on the button, and keeps the Escape to itself", async () => {
    const { button } = await render();
    const outer = vi.fn();
    document.body.addEventListener("keydown", outer);
    key(button, "Enter");
    await settle();
    const escape = key(document.activeElement!, "Escape");
    expect(escape.defaultPrevented).toBe(true);
    expect(byTestId("ca-menu-menu")).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(outer).not.toHaveBeenCalledWith(expect.objectContaining({ key: "Escape" }));
    expect(outer).toHaveBeenCalledWith(expect.objectContaining({ key: "Enter" }));
    document.body.removeEventListener("keydown", outer);
  });

  it("hands the chosen item and the button to its owner, and closes", async () => {
    const { button, onselect } = await render();
    button.click();
    await settle();
    byTestId("ca-menu-enroll")!.click();
    flushSync();
    expect(onselect).toHaveBeenCalledExactlyOnceWith("enroll", button);
    expect(byTestId("ca-menu-menu")).toBeNull();
  });

  it("closes on a press elsewhere or Tab, choosing nothing", async () => {
    const { button, onselect } = await render();
    button.click();
    await settle();
    document.body.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true }));
    flushSync();
    expect(byTestId("ca-menu-menu")).toBeNull();
    key(button, " ");
    await settle();
    expect(byTestId("ca-menu-menu")).not.toBeNull();
    key(document.activeElement!, "Tab");
    expect(byTestId("ca-menu-menu")).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(onselect).not.toHaveBeenCalled();
  });

  it("leaves other keys on the closed button alone", async () => {
    const { button } = await render();
    const event = key(button, "a");
    expect(event.defaultPrevented).toBe(false);
    expect(byTestId("ca-menu-menu")).toBeNull();
  });
});
