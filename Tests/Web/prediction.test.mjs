import { test } from "node:test";
import assert from "node:assert/strict";
import { Prediction, sequenceAfter } from "../../Web/js/prediction.js";

const STEP = 8;
const DIAGONAL = 6;
const right = { mode: "direction", dx: 1, dy: 0 };
const stop = { mode: "stop" };

function prediction(options = {}) {
  const p = new Prediction({ step: STEP, diagonalStep: DIAGONAL, widthTiles: 20, heightTiles: 20, ...options });
  p.delay = 2;
  return p;
}

const at = (x, y, since, vx = 0, vy = 0) => ({ x, y, vx, vy, since });

test("without inputs the prediction is the server's dead reckoning", () => {
  const p = prediction();
  assert.deepEqual(p.raw(at(640, 640, 0), 10), { x: 640, y: 640 });
  assert.deepEqual(p.raw(at(640, 640, 10, STEP, 0), 12), { x: 640 + 4 * STEP, y: 640 });
});

test("a key press moves the avatar at once and the acknowledgement agrees", () => {
  const p = prediction();
  const x0 = 640;
  let server = at(x0, 640, 0);
  p.sent(1, right, 10);
  // Drawn D = 2 ticks ahead: the server will apply the input at tick 12 and step at once.
  assert.deepEqual(p.raw(server, 9), { x: x0, y: 640 });
  assert.deepEqual(p.raw(server, 10), { x: x0 + STEP, y: 640 });
  assert.deepEqual(p.raw(server, 11), { x: x0 + 2 * STEP, y: 640 });
  assert.deepEqual(p.raw(server, 11.5), { x: x0 + 2.5 * STEP, y: 640 });

  // The server applied it at tick 12 and stepped once.
  server = at(x0 + STEP, 640, 12, STEP, 0);
  p.acknowledge(1, 12);
  assert.equal(p.unacknowledged, 0);
  assert.deepEqual(p.raw(server, 12), { x: x0 + 3 * STEP, y: 640 });

  // Release: the stop is drawn at once, where the server will stop.
  p.sent(2, stop, 20);
  assert.deepEqual(p.raw(server, 21), { x: x0 + 10 * STEP, y: 640 });
  assert.deepEqual(p.raw(server, 25), { x: x0 + 10 * STEP, y: 640 });
  server = at(x0 + 10 * STEP, 640, 22);
  p.acknowledge(2, 22);
  assert.deepEqual(p.raw(server, 25), { x: x0 + 10 * STEP, y: 640 });
});

test("unacknowledged inputs are replayed on top of each new server position", () => {
  const p = prediction();
  p.sent(1, right, 10);
  p.sent(2, { mode: "direction", dx: 0, dy: 1 }, 13);
  p.sent(3, stop, 15);
  // The server has applied 1 only.
  p.acknowledge(1, 12);
  assert.equal(p.unacknowledged, 2);
  const server = at(648, 640, 12, STEP, 0);
  // Ticks 13, 14: right (acknowledged); 15, 16: down (input 2 at 13 + 2); 17 on: stopped (input 3).
  assert.deepEqual(p.raw(server, 20), { x: 648 + 2 * STEP, y: 640 + 2 * STEP });
});

test("the round trip is learnt from acknowledgements", () => {
  const p = prediction();
  p.sent(1, right, 100);
  p.acknowledge(1, 106);
  assert.equal(p.delay, 2 + (6 - 2) * 0.25);
});

test("prediction stops at walls and diagonals slide along them", () => {
  // Tile column 12 (x from 768) is a wall.
  const p = prediction({ isBlocked: (tx) => tx === 12 });
  p.delay = 10;
  p.sent(1, right, 0);
  p.acknowledge(1, 10);
  assert.equal(p.raw(at(700, 640, 10, STEP, 0), 10).x, 12 * 64 - 1);
  p.reset();
  p.sent(2, { mode: "direction", dx: 1, dy: 1 }, 0);
  p.acknowledge(2, 10);
  assert.deepEqual(p.raw(at(740, 640, 10, DIAGONAL, DIAGONAL), 10), { x: 12 * 64 - 1, y: 640 + 10 * DIAGONAL });
});

test("prediction stops at the map edge", () => {
  const p = prediction();
  p.sent(1, { mode: "direction", dx: -1, dy: -1 }, 0);
  p.acknowledge(1, 2);
  p.delay = 10;
  assert.deepEqual(p.raw(at(40, 30, 2, -DIAGONAL, -DIAGONAL), 2), { x: 0, y: 0 });
});

test("an input the server should have applied by now is not walked past", () => {
  const p = prediction();
  p.sent(1, right, 10);
  p.acknowledge(1, 12);
  p.sent(2, stop, 20);
  // The stop takes effect at tick 22; the server's answer is late, its motion still walks.
  assert.deepEqual(p.raw(at(648, 640, 12, STEP, 0), 30), { x: 648 + 9 * STEP, y: 640 });
});

test("inputs never answered are given up", () => {
  const p = prediction({ maxDelay: 40 });
  p.sent(1, right, 10);
  p.acknowledge(0, 100);
  assert.equal(p.unacknowledged, 0);
});

test("targets are not predicted before the server answers, and not overshot after", () => {
  const p = prediction();
  p.sent(1, { mode: "target", x: 700, y: 640 }, 10);
  assert.deepEqual(p.raw(at(640, 640, 0), 11), { x: 640, y: 640 });
  p.acknowledge(1, 12);
  p.delay = 10;
  assert.deepEqual(p.raw(at(648, 640, 12, STEP, 0), 12), { x: 700, y: 640 });
});

test("reconciliation fades the difference out instead of jumping", () => {
  const p = prediction();
  const server = at(640, 640, 0);
  p.reconcile({ x: 660, y: 640 }, server, 10, 1000);
  assert.deepEqual(p.display(server, 10, 1000), { x: 660, y: 640 });
  const later = p.display(server, 10, 2000);
  assert.ok(Math.abs(later.x - 640) < 0.01);
  // Far off: shown at once.
  p.reconcile({ x: 2000, y: 640 }, server, 10, 3000);
  assert.deepEqual(p.display(server, 10, 3000), { x: 640, y: 640 });
});

test("sequence numbers compare across the wrap", () => {
  assert.equal(sequenceAfter(1, 4294967295), true);
  assert.equal(sequenceAfter(4294967295, 1), false);
  const p = prediction();
  p.sent(4294967295, right, 0);
  p.sent(0, stop, 1);
  p.acknowledge(4294967295, 3);
  assert.equal(p.unacknowledged, 1);
  p.acknowledge(0, 4);
  assert.equal(p.unacknowledged, 0);
});
