// An on-screen joystick for touch screens: press the pad and drag the knob; the avatar
// walks in that direction (eight ways, as with the keys) until the finger lets go.

import { listen } from "./dom.js";

/** Below this share of the pad's radius the knob is at rest: no walking. */
const DEAD_ZONE = 0.25;

/** The direction (dx, dy each −1, 0 or 1) for a drag of (x, y) from the centre of a pad of `radius`. */
export function joystickDirection(x, y, radius) {
  if (Math.hypot(x, y) < radius * DEAD_ZONE) return { dx: 0, dy: 0 };
  const sector = Math.round(Math.atan2(y, x) / (Math.PI / 4));
  return { dx: Math.round(Math.cos(sector * (Math.PI / 4))), dy: Math.round(Math.sin(sector * (Math.PI / 4))) };
}

/**
 * @param {object} options
 * @param {HTMLElement} options.pad the joystick's base
 * @param {HTMLElement} options.knob the part that follows the finger
 * @param {(dx: number, dy: number) => void} options.onDirection called on every change, (0, 0) on release
 */
export function attachJoystick({ pad, knob, onDirection }) {
  let pointer = null;
  let last = "0,0";

  function update(event) {
    const rect = pad.getBoundingClientRect();
    const radius = rect.width / 2;
    let x = event.clientX - (rect.left + radius);
    let y = event.clientY - (rect.top + radius);
    const length = Math.hypot(x, y);
    if (length > radius) {
      x = (x / length) * radius;
      y = (y / length) * radius;
    }
    knob.style.transform = `translate(${x}px, ${y}px)`;
    const { dx, dy } = joystickDirection(x, y, radius);
    const key = `${dx},${dy}`;
    if (key === last) return;
    last = key;
    pad.dataset.direction = key;
    onDirection(dx, dy);
  }

  function release() {
    pointer = null;
    knob.style.transform = "";
    pad.classList.remove("active");
    if (last !== "0,0") {
      last = "0,0";
      pad.dataset.direction = last;
      onDirection(0, 0);
    }
  }

  const disposers = [
    listen(pad, "pointerdown", (event) => {
      event.preventDefault();
      pointer = event.pointerId;
      pad.setPointerCapture?.(event.pointerId);
      pad.classList.add("active");
      update(event);
    }),
    listen(pad, "pointermove", (event) => {
      if (event.pointerId === pointer) update(event);
    }),
    listen(pad, "pointerup", (event) => event.pointerId === pointer && release()),
    listen(pad, "pointercancel", (event) => event.pointerId === pointer && release()),
    listen(pad, "contextmenu", (event) => event.preventDefault()),
  ];

  return {
    dispose() {
      release();
      for (const dispose of disposers) dispose();
    },
  };
}
