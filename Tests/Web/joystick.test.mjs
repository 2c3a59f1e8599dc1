// The on-screen joystick on the DOM stand-in: eight directions, a dead zone, and a stop
// when the finger lets go.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { FakeEvent, domPerTest } from "./dom.mjs";
import { el } from "../../Web/js/dom.js";
import { attachJoystick, joystickDirection } from "../../Web/js/joystick.js";

const attached = domPerTest({ beforeEach, afterEach });

test("a drag points one of eight directions; near the centre is rest", () => {
  assert.deepEqual(joystickDirection(50, 0, 58), { dx: 1, dy: 0 });
  assert.deepEqual(joystickDirection(-40, -40, 58), { dx: -1, dy: -1 });
  assert.deepEqual(joystickDirection(5, 40, 58), { dx: 0, dy: 1 });
  assert.deepEqual(joystickDirection(8, 8, 58), { dx: 0, dy: 0 });
});

test("pressing and dragging walks, lifting the finger stops", () => {
  const pad = el("div");
  const knob = el("span");
  pad.append(knob);
  pad.setRect({ left: 0, top: 700, width: 116, height: 116 });
  const directions = [];
  const joystick = attachJoystick({ pad, knob, onDirection: (dx, dy) => directions.push([dx, dy]) });
  attached.push(joystick);
  const at = (type, x, y) => pad.dispatchEvent(new FakeEvent(type, { pointerId: 7, clientX: x, clientY: y }));
  at("pointerdown", 58, 758);
  assert.deepEqual(directions, [], "a press in the middle does not walk");
  at("pointermove", 110, 758);
  at("pointermove", 112, 760);
  at("pointermove", 58, 700);
  at("pointerup", 58, 700);
  assert.deepEqual(directions, [[1, 0], [0, -1], [0, 0]]);
  assert.equal(pad.dataset.direction, "0,0");
});
