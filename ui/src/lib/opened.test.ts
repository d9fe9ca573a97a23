// @vitest-environment happy-dom
import { tick } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { activeElement, Opened } from "./opened.svelte";

afterEach(() => {
  document.body.innerHTML = "";
});

function button(name: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = name;
  document.body.append(b);
  return b;
}

describe("Opened", () => {
  it("gives the keyboard back to what opened it, even when replaced in between", async () => {
    const opener = button("open");
    const other = button("other");
    opener.focus();
    const dialog = new Opened<string>();
    dialog.open("first");
    other.focus();
    dialog.open("second");
    expect(dialog.current).toBe("second");
    dialog.close();
    await tick();
    expect(dialog.current).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it("leaves the focus alone when dismissed, and skips an opener that left the page", async () => {
    const opener = button("open");
    const dialog = new Opened<number>();
    dialog.open(1, opener);
    const elsewhere = button("elsewhere");
    elsewhere.focus();
    dialog.dismiss();
    await tick();
    expect(document.activeElement).toBe(elsewhere);
    dialog.open(2, opener);
    opener.remove();
    dialog.close();
    await tick();
    expect(document.activeElement).toBe(elsewhere);
  });

  it("does not count the page itself as focused", () => {
    (document.activeElement as HTMLElement | null)?.blur();
    expect(activeElement()).toBeNull();
  });
});
