// The keyboard's way to a row's actions: the ContextMenu key or Shift+F10 (and a right click)
// on a row, or on any control inside it, opens what the row's "Copy to…" button opens; Enter on
// the row itself (or a double-click on it) opens the row, as a file manager opens a file: a
// component's details. A click on the row focuses it, so the keys pressed next reach the row
// rather than the page.

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

/** A row's own controls: a click on one of them is theirs, and so are Enter and a double-click. */
const CONTROLS = "button, a[href], input, select, textarea";

function onControl(node: HTMLElement, event: Event): boolean {
  const control = event.target instanceof Element ? event.target.closest(CONTROLS) : null;
  return control !== null && node.contains(control);
}

/** Makes a (tabindex'd) row take the focus on a click and `activate` on Enter or a double-click. */
export function focusableRow(activate: ((row: HTMLElement) => void) | undefined): Attachment<HTMLElement> {
  return (node) => {
    const onClick = (event: MouseEvent) => {
      if (!onControl(node, event)) node.focus({ preventScroll: true });
    };
    const onDblclick = (event: MouseEvent) => {
      if (event.button !== 0 || onControl(node, event) || !activate) return;
      event.preventDefault();
      activate(node);
    };
    const onKeydown = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || event.target !== node || event.repeat) return;
      if (event.shiftKey || event.ctrlKey || event.altKey || event.metaKey || !activate) return;
      event.preventDefault();
      activate(node);
    };
    node.addEventListener("click", onClick);
    node.addEventListener("dblclick", onDblclick);
    node.addEventListener("keydown", onKeydown);
    return () => {
      node.removeEventListener("click", onClick);
      node.removeEventListener("dblclick", onDblclick);
      node.removeEventListener("keydown", onKeydown);
    };
  };
}
