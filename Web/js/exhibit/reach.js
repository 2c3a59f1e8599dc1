// Which exhibit the visitor may open from where they stand, and the hint that says so
// ("X 키로 열기 · press X to open", or "tap to open" on a touch screen). The rule is the
// server's (exhibits.js, exhibitInReach); the location line uses the same one.

import { KINDS, exhibitInReach } from "../exhibits.js";
import { el } from "../dom.js";

/** Whether this device is used by touch rather than a mouse and keys. */
export function touchFirst() {
  return typeof matchMedia === "function" && matchMedia("(pointer: coarse)").matches;
}

/** The words of the hint for an exhibit: a key on a keyboard, a tap on a phone. */
export function hintAction(touch = touchFirst()) {
  return touch ? "눌러서 열기 · tap to open" : "X 키로 열기 · press X to open";
}

/** Fills the hint button for `exhibit`. */
export function renderHint(hint, exhibit, touch = touchFirst()) {
  const kind = KINDS[exhibit.kind] ?? { icon: "✨" };
  const action = hintAction(touch);
  hint.replaceChildren(
    el("span", { class: "hint-title", text: `${kind.icon} ${exhibit.title}` }),
    touch
      ? el("span", { class: "hint-action", text: action })
      : el("span", { class: "hint-action" }, el("kbd", { text: "X" }), " 키로 열기 · press X to open"));
  hint.dataset.id = exhibit.id;
  hint.setAttribute("aria-label", `${exhibit.title}: ${action}`);
}

/** The exhibit in reach from a position in units, or null. */
export function reachFrom(exhibits, position, unitsPerTile) {
  if (!position) return null;
  return exhibitInReach(exhibits, Math.floor(position.x / unitsPerTile), Math.floor(position.y / unitsPerTile));
}
