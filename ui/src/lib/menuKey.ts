// The keyboard's way to a row's actions: the ContextMenu key or Shift+F10 (and a right click)
// on a row, or on any control inside it, opens what the row's "Copy to…" button opens.

import type { Attachment } from "svelte/attachments";

export function isMenuKey(event: Pick<KeyboardEvent, "key" | "shiftKey" | "ctrlKey" | "altKey" | "metaKey">): boolean {
  if (event.ctrlKey || event.altKey || event.metaKey) return false;
  return event.key === "ContextMenu" || (event.key === "F10" && event.shiftKey);
}

/** Calls `open` with the element for a menu key or a context-menu request inside it. */
export function menuKey(open: ((row: HTMLElement) => void) | undefined): Attachment<HTMLElement> {
  return (node) => {
    if (!open) return;
    const onKeydown = (event: KeyboardEvent) => {
      if (!isMenuKey(event)) return;
      event.preventDefault();
      open(node);
    };
    const onContextmenu = (event: MouseEvent) => {
      event.preventDefault();
      open(node);
    };
    node.addEventListener("keydown", onKeydown);
    node.addEventListener("contextmenu", onContextmenu);
    return () => {
      node.removeEventListener("keydown", onKeydown);
      node.removeEventListener("contextmenu", onContextmenu);
    };
  };
}
