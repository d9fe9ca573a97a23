// The web view is the app's window, not a browser: its own context menu (Back, Reload, Inspect
// Element), reloads and history navigation would throw the app's state away. One window-level
// guard, listening in the capture phase so no handler can hide an event from it, cancels their
// default actions; the app's own menus still open, as its handlers see the same events.

type Platform = { apple: boolean };

/** Input types that take typed text (where Backspace and Option+arrows edit instead of navigate). */
const TEXT_INPUTS = new Set(["", "text", "search", "url", "tel", "email", "password", "number", "date", "datetime-local", "month", "time", "week"]);

/** True when keys typed into `target` edit its text. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLTextAreaElement) return !target.readOnly && !target.disabled;
  if (target instanceof HTMLInputElement) {
    return TEXT_INPUTS.has(target.getAttribute("type")?.toLowerCase() ?? "") && !target.readOnly && !target.disabled;
  }
  return target instanceof HTMLElement && target.isContentEditable;
}

/** True for the keys that reload the page or walk its history, wherever they are typed. */
export function blocksKey(event: KeyboardEvent, platform: Platform): boolean {
  const { key, ctrlKey, metaKey, altKey } = event;
  if (key === "F5" || key === "BrowserRefresh" || key === "BrowserBack" || key === "BrowserForward") return true;
  if ((ctrlKey || metaKey) && key.toLowerCase() === "r") return true;
  const editing = isEditable(event.target);
  if (key === "Backspace") return !editing;
  const arrow = key === "ArrowLeft" || key === "ArrowRight";
  // Alt+arrows are history elsewhere; on Apple systems, in text, Option+arrows move by word.
  if (arrow && altKey && !ctrlKey && !metaKey) return !(platform.apple && editing);
  // Apple's history keys: Cmd+[ and Cmd+], and Cmd+arrows outside text (inside, line start/end).
  if (platform.apple && metaKey && (key === "[" || key === "]")) return true;
  if (platform.apple && metaKey && arrow) return !editing;
  return false;
}

/** The mouse's back (3) and forward (4) buttons. */
function isHistoryButton(event: MouseEvent): boolean {
  return event.button === 3 || event.button === 4;
}

function isApple(win: Window): boolean {
  const nav = win.navigator as Navigator & { userAgentData?: { platform?: string } };
  return /mac|iphone|ipad/i.test(nav.userAgentData?.platform ?? nav.platform ?? "");
}

/** Installs the guard on `win`; returns what removes it. */
export function install(win: Window, platform: Platform = { apple: isApple(win) }): () => void {
  const cancel = (event: Event) => event.preventDefault();
  const onKeydown = (event: KeyboardEvent) => {
    if (blocksKey(event, platform)) event.preventDefault();
  };
  const onMouse = (event: MouseEvent) => {
    if (isHistoryButton(event)) event.preventDefault();
  };
  const onBeforeunload = (event: BeforeUnloadEvent) => {
    event.preventDefault();
    // Older engines ask for a return value before they hold the page.
    event.returnValue = "";
  };
  const listeners: [string, EventListener][] = [
    ["contextmenu", cancel],
    ["keydown", onKeydown as EventListener],
    ["mousedown", onMouse as EventListener],
    ["mouseup", onMouse as EventListener],
    ["auxclick", onMouse as EventListener],
  ];
  for (const [type, listener] of listeners) win.addEventListener(type, listener, true);
  win.addEventListener("beforeunload", onBeforeunload);
  return () => {
    for (const [type, listener] of listeners) win.removeEventListener(type, listener, true);
    win.removeEventListener("beforeunload", onBeforeunload);
  };
}
