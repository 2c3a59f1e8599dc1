import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { World, deadReckon, tickDelta } from "../../Web/js/world.js";
import { decodeStateMessage } from "../../Web/js/protocol.js";
import { TickClock } from "../../Web/js/clock.js";

const info = (name, extra = {}) => ({ role: 1, flags: 0, appearance: 2, emote: 0, name, status: "", ...extra });
const state = (tick, parts = {}) => ({ snapshot: false, tick, ack: 0, entered: [], moved: [], updated: [], left: [], ...parts });

test("dead reckoning: x + vx·(T − t)", () => {
  assert.deepEqual(deadReckon({ x: 100, y: 50, vx: 8, vy: -4 }, 10, 15), { x: 140, y: 30 });
  assert.deepEqual(deadReckon({ x: 100, y: 50, vx: 8, vy: 0 }, 10, 12.5), { x: 120, y: 50 });
  // Ticks are u32 and wrap.
  assert.equal(tickDelta(3, 4294967295), 4);
});

test("enter, move, update and leave", () => {
  const world = new World();
  const { entered } = world.apply(state(100, {
    snapshot: true,
    entered: [
      { id: 1, motion: { x: 640, y: 640, vx: 8, vy: 0 }, info: info("Mina") },
      { id: 2, motion: { x: 64, y: 64, vx: 0, vy: 0 }, info: info("지호", { role: 3, flags: 2, status: "무대 앞" }) },
    ],
  }));
  assert.deepEqual(entered, [1, 2]);
  assert.deepEqual(world.positionAt(1, 110), { x: 720, y: 640 });
  const jiho = world.avatars.get(2);
  assert.equal(jiho.role, "moderator");
  assert.equal(jiho.away, true);
  assert.equal(jiho.spotlight, false);
  assert.equal(jiho.status, "무대 앞");

  // A move restarts dead reckoning from its own tick.
  world.apply(state(105, { moved: [{ id: 1, motion: { x: 680, y: 640, vx: 0, vy: -8 } }] }));
  assert.deepEqual(world.positionAt(1, 110), { x: 680, y: 600 });

  world.apply(state(106, { updated: [{ id: 1, info: info("Mina", { emote: 3, flags: 1 }) }] }));
  assert.equal(world.avatars.get(1).emote, 3);
  assert.equal(world.avatars.get(1).spotlight, true);
  // An update does not touch motion.
  assert.deepEqual(world.positionAt(1, 110), { x: 680, y: 600 });

  const { left } = world.apply(state(107, { left: [2, 99] }));
  assert.deepEqual(left, [2]);
  assert.equal(world.avatars.has(2), false);
  assert.equal(world.tick, 107);
});

test("moves and updates of unknown avatars are ignored", () => {
  const world = new World();
  world.apply(state(1, { moved: [{ id: 5, motion: { x: 1, y: 1, vx: 0, vy: 0 } }], updated: [{ id: 5, info: info("x") }] }));
  assert.equal(world.avatars.size, 0);
});

test("a snapshot forgets every avatar it does not list", () => {
  const world = new World();
  world.apply(state(1, {
    entered: [1, 2, 3].map((id) => ({ id, motion: { x: id * 64, y: 64, vx: 0, vy: 0 }, info: info(`a${id}`) })),
  }));
  const { left } = world.apply(state(50, {
    snapshot: true,
    entered: [{ id: 3, motion: { x: 500, y: 500, vx: 0, vy: 0 }, info: info("a3") }],
    moved: [{ id: 2, motion: { x: 300, y: 64, vx: 0, vy: 0 } }],
  }));
  assert.deepEqual([...world.avatars.keys()].sort(), [2, 3]);
  assert.deepEqual(left, [1]);
  assert.deepEqual(world.positionAt(3, 50), { x: 500, y: 500 });
});

test("dead reckoning stops at the map edge", () => {
  const world = new World();
  world.setBounds(10, 10, 64);
  world.apply(state(0, { entered: [{ id: 1, motion: { x: 600, y: 10, vx: 8, vy: -8 }, info: info("a") }] }));
  assert.deepEqual(world.positionAt(1, 100), { x: 639, y: 0 });
});

test("a changed course fades out from where the avatar was drawn", () => {
  const world = new World();
  world.apply(state(0, { entered: [{ id: 1, motion: { x: 1000, y: 1000, vx: 8, vy: 0 }, info: info("a") }] }));
  // Drawn at tick 10 at x = 1080; the server says it stopped at 1060 on tick 8.
  world.apply(state(8, { moved: [{ id: 1, motion: { x: 1064, y: 1000, vx: 0, vy: 0 } }] }), { renderTick: 10, nowMs: 5000 });
  assert.deepEqual(world.displayPositionAt(1, 10, 5000), { x: 1080, y: 1000 });
  const later = world.displayPositionAt(1, 30, 6000);
  assert.ok(Math.abs(later.x - 1064) < 0.01, `faded out: ${later.x}`);
  // A jump of many tiles is shown at once.
  world.apply(state(40, { moved: [{ id: 1, motion: { x: 5000, y: 1000, vx: 0, vy: 0 } }] }), { renderTick: 40, nowMs: 7000 });
  assert.deepEqual(world.displayPositionAt(1, 40, 7000), { x: 5000, y: 1000 });
});

test("an emote change is timed for the bubble", () => {
  const world = new World();
  world.apply(state(0, { entered: [{ id: 1, motion: { x: 0, y: 0, vx: 0, vy: 0 }, info: info("a") }] }), { nowMs: 10 });
  world.apply(state(1, { updated: [{ id: 1, info: info("a", { emote: 1 }) }] }), { nowMs: 500 });
  assert.equal(world.avatars.get(1).emoteAt, 500);
  world.apply(state(2, { updated: [{ id: 1, info: info("a", { emote: 1, status: "hi" }) }] }), { nowMs: 900 });
  assert.equal(world.avatars.get(1).emoteAt, 500);
});

test("tick clock follows the least delayed messages and runs between them", () => {
  const clock = new TickClock(20); // 50 ms a tick
  clock.observe(100, 1000);
  assert.equal(clock.now(1000), 100);
  assert.equal(clock.now(1100), 102);
  // A message delayed by 40 ms barely moves the estimate; an early one moves it at once.
  clock.observe(102, 1140);
  assert.ok(Math.abs(clock.now(1100) - 102) < 0.05);
  clock.observe(103, 1130);
  assert.ok(Math.abs(clock.now(1130) - 103) < 1e-9);
  // A far-off tick (a restarted server) resynchronises.
  clock.observe(5, 1200);
  assert.ok(Math.abs(clock.now(1200) - 5) < 1e-9);
});

test("media flags from the shared vector: mic, camera, speaking, muted", () => {
  const vectors = JSON.parse(readFileSync(new URL("../../Protocol/vectors.json", import.meta.url), "utf8"));
  const vector = vectors.stateMessage.find((entry) => entry.name.startsWith("media flags"));
  const world = new World();
  world.apply(decodeStateMessage(Buffer.from(vector.hex, "hex")));
  const talker = world.avatars.get(5);
  assert.deepEqual([talker.mic, talker.camera, talker.speaking, talker.muted, talker.away], [true, true, true, false, false]);
  // The second avatar's block arrives as an update; shown once it is in view.
  const decoded = decodeStateMessage(Buffer.from(vector.hex, "hex"));
  world.apply(state(2049, { entered: [{ id: 6, motion: { x: 0, y: 0, vx: 0, vy: 0 }, info: decoded.updated[0].info }] }));
  const muted = world.avatars.get(6);
  assert.deepEqual([muted.mic, muted.camera, muted.speaking, muted.muted], [true, false, false, true]);
});
