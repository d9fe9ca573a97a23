// Makes an element a pointer-event drag source (a Svelte attachment): press, move past the
// threshold, and the pointer is captured and followed until release; Escape or a cancelled
// pointer ends the drag without a drop. Presses on the element's buttons (and menus) stay clicks.

import type { Attachment } from "svelte/attachments";
import type { Point } from "./drop";
import type { TransferPayload } from "./payload";
import { pastThreshold } from "./transferDrag";

export interface DragHandlers {
  start(payload: TransferPayload, point: Point): void;
  move(point: Point): void;
  drop(point: Point): void;
  cancel(): void;
}

const INTERACTIVE = 'button, a[href], input, select, textarea, [role="menu"]';

function pointOf(event: PointerEvent): Point {
  return { x: event.clientX, y: event.clientY };
}

export function dragSource(payload: () => TransferPayload, handlers: DragHandlers | undefined): Attachment<HTMLElement> {
  return (node) => {
    if (!handlers) return;
    let press: { pointerId: number; start: Point } | null = null;
    let dragging = false;

    function end(): boolean {
      const was = dragging;
      if (press && node.hasPointerCapture?.(press.pointerId)) {
        try {
          node.releasePointerCapture(press.pointerId);
        } catch {
          // already released
        }
      }
      press = null;
      dragging = false;
      window.removeEventListener("keydown", onKeydown, true);
      return was;
    }

    function abort() {
      if (end()) handlers?.cancel();
    }

    function onPointerdown(event: PointerEvent) {
      if (event.button !== 0 || !event.isPrimary || press) return;
      if (event.target instanceof Element && event.target.closest(INTERACTIVE)) return;
      press = { pointerId: event.pointerId, start: pointOf(event) };
      // Captured at once so a quick flick that leaves the row before the threshold still counts.
      try {
        node.setPointerCapture(event.pointerId);
      } catch {
        // not a live pointer (synthetic events): the element still sees moves over it
      }
      window.addEventListener("keydown", onKeydown, true);
    }

    function onPointermove(event: PointerEvent) {
      if (!press || event.pointerId !== press.pointerId) return;
      const point = pointOf(event);
      if (!dragging) {
        if (!pastThreshold(press.start, point)) return;
        dragging = true;
        handlers?.start(payload(), point);
      }
      event.preventDefault();
      handlers?.move(point);
    }

    function onPointerup(event: PointerEvent) {
      if (!press || event.pointerId !== press.pointerId) return;
      if (end()) handlers?.drop(pointOf(event));
    }

    function onPointercancel(event: PointerEvent) {
      if (press && event.pointerId === press.pointerId) abort();
    }

    // Capture phase, so Escape ends the drag before it closes a panel or dialog.
    function onKeydown(event: KeyboardEvent) {
      if (event.key !== "Escape" || !press) return;
      if (dragging) {
        event.preventDefault();
        event.stopPropagation();
      }
      abort();
    }

    node.addEventListener("pointerdown", onPointerdown);
    node.addEventListener("pointermove", onPointermove);
    node.addEventListener("pointerup", onPointerup);
    node.addEventListener("pointercancel", onPointercancel);
    node.addEventListener("lostpointercapture", onPointercancel);
    return () => {
      abort();
      node.removeEventListener("pointerdown", onPointerdown);
      node.removeEventListener("pointermove", onPointermove);
      node.removeEventListener("pointerup", onPointerup);
      node.removeEventListener("pointercancel", onPointercancel);
      node.removeEventListener("lostpointercapture", onPointercancel);
    };
  };
}
