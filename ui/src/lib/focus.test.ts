// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { focusableIn, trapTab } from "./focus";

afterEach(() => {
  document.body.innerHTML = "";
});

function dialog() {
  document.body.innerHTML = `
    <button id="outside">outside</button>
    <div id="d" tabindex="-1">
      <button id="a">a</button>
      <button id="off" disabled>off</button>
      <input id="b" />
      <button id="c">c</button>
    </div>`;
  return document.getElementById("d")!;
}

const tab = (shiftKey = false) => new KeyboardEvent("keydown", { key: "Tab", shiftKey, cancelable: true });

describe("trapTab", () => {
  it("lists the enabled controls in order", () => {
    expect(focusableIn(dialog()).map((el) => el.id)).toEqual(["a", "b", "c"]);
  });

  it("wraps Tab from the last control to the first and Shift+Tab back", () => {
    const d = dialog();
    document.getElementById("c")!.focus();
    const forward = tab();
    expect(trapTab(forward, d)).toBe(true);
    expect(forward.defaultPrevented).toBe(true);
    expect(document.activeElement?.id).toBe("a");

    const back = tab(true);
    expect(trapTab(back, d)).toBe(true);
    expect(document.activeElement?.id).toBe("c");
  });

  it("leaves Tab alone inside the dialog, and brings focus back in from outside", () => {
    const d = dialog();
    document.getElementById("a")!.focus();
    const inside = tab();
    expect(trapTab(inside, d)).toBe(false);
    expect(inside.defaultPrevented).toBe(false);

    document.getElementById("outside")!.focus();
    expect(trapTab(tab(), d)).toBe(true);
    expect(document.activeElement?.id).toBe("a");
  });

  it("ignores other keys", () => {
    const d = dialog();
    expect(trapTab(new KeyboardEvent("keydown", { key: "Enter" }), d)).toBe(false);
  });
});
