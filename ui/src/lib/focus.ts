// Keyboard focus inside modal dialogs: Tab and Shift+Tab cycle through the dialog's controls.

const FOCUSABLE = "a[href], input, select, textarea, button, [tabindex]:not([tabindex='-1'])";

/** The enabled, focusable controls inside `container`, in document order. */
export function focusableIn(container: ParentNode): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !(el as HTMLButtonElement).disabled && el.getAttribute("aria-hidden") !== "true",
  );
}

/**
 * Keeps Tab inside `container`: from the last control to the first and back. Returns true when it
 * moved focus (and prevented the default).
 */
export function trapTab(event: KeyboardEvent, container: HTMLElement): boolean {
  if (event.key !== "Tab") return false;
  const focusable = focusableIn(container);
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) {
    event.preventDefault();
    return true;
  }
  const active = document.activeElement;
  const outside = !(active instanceof Node) || !container.contains(active);
  if (event.shiftKey && (active === first || outside)) {
    event.preventDefault();
    last.focus();
    return true;
  }
  if (!event.shiftKey && (active === last || outside)) {
    event.preventDefault();
    first.focus();
    return true;
  }
  return false;
}
