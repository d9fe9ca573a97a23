// The keys of a menu button and its menu (WAI-ARIA's menu button pattern), as plain index
// arithmetic so the component only moves the focus: arrows wrap, Home/End jump.

/** The item a key on the closed menu's button opens it at, or null when the key does not open it. */
export function openingIndex(key: string, count: number): number | null {
  if (count === 0) return null;
  if (key === "ArrowDown" || key === "Enter" || key === " ") return 0;
  if (key === "ArrowUp") return count - 1;
  return null;
}

/** The item a key moves to from `current` in an open menu of `count`, or null when it does not move. */
export function movedIndex(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case "ArrowDown":
      return (current + 1) % count;
    case "ArrowUp":
      return (current - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}
