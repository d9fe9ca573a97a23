// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dragSource, type DragHandlers } from "./dragSource";

const PAYLOAD = { sourceRegionId: "r1", componentIds: ["org1msp"], label: "Org1 MSP" };

let row: HTMLElement;
let handlers: { [K in keyof DragHandlers]: ReturnType<typeof vi.fn> };
let detach: (() => void) | void;

beforeEach(() => {
  document.body.innerHTML = `<ul><li id="row"><span id="name">Org1 MSP</span><button id="export">Export</button></li></ul>`;
  row = document.getElementById("row")!;
  handlers = { start: vi.fn(), move: vi.fn(), drop: vi.fn(), cancel: vi.fn() };
  detach = dragSource(() => PAYLOAD, handlers as unknown as DragHandlers)(row);
});

afterEach(() => {
  detach?.();
  document.body.innerHTML = "";
});

function pointer(type: string, x: number, y: number, on: Element = row, init: PointerEventInit = {}) {
  on.dispatchEvent(
    new PointerEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, pointerId: 1, isPrimary: true, button: 0, ...init }),
  );
}

describe("dragSource", () => {
  it("stays a click under the threshold", () => {
    pointer("pointerdown", 100, 100, document.getElementById("name")!);
    pointer("pointermove", 102, 101);
    pointer("pointerup", 102, 101);
    expect(handlers.start).not.toHaveBeenCalled();
    expect(handlers.drop).not.toHaveBeenCalled();
  });

  it("starts past the threshold, follows the pointer and drops where it is released", () => {
    pointer("pointerdown", 100, 100, document.getElementById("name")!);
    pointer("pointermove", 110, 100);
    expect(handlers.start).toHaveBeenCalledWith(PAYLOAD, { x: 110, y: 100 });
    pointer("pointermove", 300, 200);
    expect(handlers.move).toHaveBeenLastCalledWith({ x: 300, y: 200 });
    pointer("pointerup", 320, 210);
    expect(handlers.drop).toHaveBeenCalledWith({ x: 320, y: 210 });
    expect(handlers.cancel).not.toHaveBeenCalled();
  });

  it("is cancelled by Escape: the release then drops nothing", () => {
    pointer("pointerdown", 100, 100);
    pointer("pointermove", 140, 100);
    const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    document.body.dispatchEvent(escape);
    expect(handlers.cancel).toHaveBeenCalledOnce();
    expect(escape.defaultPrevented).toBe(true);
    pointer("pointerup", 140, 100);
    expect(handlers.drop).not.toHaveBeenCalled();
  });

  it("is cancelled when the pointer is (pointercancel)", () => {
    pointer("pointerdown", 100, 100);
    pointer("pointermove", 140, 100);
    pointer("pointercancel", 140, 100);
    expect(handlers.cancel).toHaveBeenCalledOnce();
  });

  it("leaves presses on the row's buttons, other buttons and other pointers alone", () => {
    pointer("pointerdown", 100, 100, document.getElementById("export")!);
    pointer("pointermove", 200, 100);
    pointer("pointerdown", 100, 100, row, { button: 2 });
    pointer("pointermove", 200, 100);
    pointer("pointerdown", 100, 100, row, { isPrimary: false, pointerId: 7 });
    pointer("pointermove", 200, 100, row, { pointerId: 7 });
    expect(handlers.start).not.toHaveBeenCalled();
  });

  it("leaves presses inside a row's open menu alone, between its items too", () => {
    const menu = document.createElement("div");
    menu.setAttribute("role", "menu");
    menu.innerHTML = `<button role="menuitem">Identities</button>`;
    row.append(menu);
    pointer("pointerdown", 100, 100, menu);
    pointer("pointermove", 200, 100);
    expect(handlers.start).not.toHaveBeenCalled();
  });

  it("cancels a drag in progress when the row goes away", () => {
    pointer("pointerdown", 100, 100);
    pointer("pointermove", 140, 100);
    detach?.();
    detach = undefined;
    expect(handlers.cancel).toHaveBeenCalledOnce();
  });
});
