// @vitest-environment happy-dom
// The top bar's HA verdict: its words, `data-survives`, why not for hover, focus and screen
// readers, and a click that opens the posture panel (it is the panel's button in the bar).

import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Verdict } from "../lib/posture";
import { byTestId } from "../testing/dom";
import PostureBadge from "./PostureBadge.svelte";
import TopBar from "./TopBar.svelte";

const NO: Verdict = {
  text: "Survives the loss of any one region: no",
  survives: "no",
  tone: "error",
  why: ["without US East: Ordering Service loses quorum; Org1MSP has no peer left"],
};

let shown: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (shown) unmount(shown);
  shown = undefined;
  document.body.innerHTML = "";
});

describe("PostureBadge", () => {
  it("says the verdict, and why not as the badge's description", () => {
    shown = mount(PostureBadge, { target: document.body, props: { verdict: NO, open: false, onclick: vi.fn() } });
    const badge = byTestId("posture-badge")!;
    expect(badge.tagName).toBe("BUTTON");
    expect(badge.textContent?.trim()).toBe("Survives the loss of any one region: no");
    expect(badge.dataset.survives).toBe("no");
    expect(badge.getAttribute("aria-expanded")).toBe("false");
    const why = document.getElementById(badge.getAttribute("aria-describedby")!)!;
    expect(why.getAttribute("role")).toBe("tooltip");
    expect(why.textContent).toContain("without US East: Ordering Service loses quorum; Org1MSP has no peer left");
  });

  it("without a why, describes nothing; a verdict still unknown says so", () => {
    const unknown: Verdict = { text: "Survives the loss of any one region: nothing to judge yet", survives: "unknown", tone: "neutral", why: [] };
    shown = mount(PostureBadge, { target: document.body, props: { verdict: unknown, open: true, onclick: vi.fn() } });
    const badge = byTestId("posture-badge")!;
    expect(badge.dataset.survives).toBe("unknown");
    expect(badge.hasAttribute("aria-describedby")).toBe(false);
    expect(byTestId("posture-why")).toBeNull();
    expect(badge.getAttribute("aria-expanded")).toBe("true");
  });

  it("in the top bar, opens the posture panel (no button of its own beside it)", () => {
    const ontoggle = vi.fn();
    shown = mount(TopBar, {
      target: document.body,
      props: {
        info: null,
        summary: [],
        verdict: NO,
        panel: null,
        onreplicate: vi.fn(),
        onmesh: vi.fn(),
        ontoggle,
        onadd: vi.fn(),
        onabout: vi.fn(),
      },
    });
    byTestId("posture-badge")!.click();
    flushSync();
    expect(ontoggle).toHaveBeenCalledWith("posture");
    expect(byTestId("open-posture")).toBeNull();
    expect(byTestId("open-wallet")).not.toBeNull();
  });
});
