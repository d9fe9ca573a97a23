import { describe, expect, it } from "vitest";
import { movedIndex, openingIndex } from "./menuNav";

describe("openingIndex", () => {
  it("opens at the first item on Arrow Down, Enter and Space, at the last on Arrow Up", () => {
    expect(["ArrowDown", "Enter", " ", "ArrowUp"].map((k) => openingIndex(k, 4))).toEqual([0, 0, 0, 3]);
  });

  it("leaves other keys, and an empty menu, alone", () => {
    expect(openingIndex("Tab", 4)).toBeNull();
    expect(openingIndex("Escape", 4)).toBeNull();
    expect(openingIndex("ArrowDown", 0)).toBeNull();
  });
});

describe("movedIndex", () => {
  it("moves with the arrows, wrapping at both ends", () => {
    expect(movedIndex("ArrowDown", 0, 4)).toBe(1);
    expect(movedIndex("ArrowDown", 3, 4)).toBe(0);
    expect(movedIndex("ArrowUp", 2, 4)).toBe(1);
    expect(movedIndex("ArrowUp", 0, 4)).toBe(3);
  });

  it("jumps with Home and End", () => {
    expect(movedIndex("Home", 2, 4)).toBe(0);
    expect(movedIndex("End", 0, 4)).toBe(3);
  });

  it("does not move on other keys or in an empty menu", () => {
    expect(movedIndex("Enter", 1, 4)).toBeNull();
    expect(movedIndex("a", 1, 4)).toBeNull();
    expect(movedIndex("ArrowDown", 0, 0)).toBeNull();
  });
});
