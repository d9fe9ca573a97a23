// Views reload what they show when the backend says it changed (`atlas://changed`), instead of
// every operation refreshing the panels it might have touched.

import type { Change } from "../bindings/Change";
import * as ipc from "./ipc";

export type ChangesApi = Pick<typeof ipc, "onChanged">;

/**
 * Runs `reload` whenever the backend reports `change`; answers the function that stops it (safe
 * to call before the subscription is in place).
 */
export function whenChanged(change: Change, reload: () => unknown, api: ChangesApi = ipc): () => void {
  let stopped = false;
  let unlisten: (() => void) | null = null;
  api
    .onChanged((c) => {
      if (c === change && !stopped) void reload();
    })
    .then((stop) => {
      if (stopped) stop();
      else unlisten = stop;
    })
    .catch(() => {
      // No event channel (a test without one): the view still loads on mount.
    });
  return () => {
    stopped = true;
    unlisten?.();
  };
}
