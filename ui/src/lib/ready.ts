// The window's "interactive" mark: `data-ready` on the root element (for tests and tools) and a
// line in the app's log with the time since start (what the desktop benchmark measures).
import { windowReady } from "./ipc";

/** Marks the window interactive, once the regions are on the map. */
export async function markReady(root: HTMLElement = document.documentElement, report: () => Promise<void> = windowReady): Promise<void> {
  root.dataset.ready = "true";
  try {
    await report();
  } catch {
    // Only a measurement is lost: the window works all the same, so nobody is told.
  }
}
