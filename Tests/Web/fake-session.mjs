// A stand-in for js/session.js in the view tests: the same events and sending calls,
// with every message sent kept in `sent` and positions set by the test.

import { parseMap } from "../../Web/js/tiled.js";
import { readFileSync } from "node:fs";

export const UNITS = 64;

/** The plaza of Maps/tests, parsed as the client parses it. */
export function plaza() {
  return parseMap(JSON.parse(readFileSync(new URL("../../Maps/tests/plaza.tmj", import.meta.url), "utf8")));
}

export class FakeSession {
  constructor({ role = "participant", map = null, selfId = 1, name = "Me" } = {}) {
    this.listeners = new Map();
    this.sent = [];
    this.map = map;
    this.counter = 0;
    this.open = true;
    this.connection = { get isOpen() { return true; } };
    this.serverClock = { known: false, offset: 0 };
    this.welcome = {
      you: { id: selfId, name, role },
      room: { id: "plaza", name: "Plaza", tickRate: 20, unitsPerTile: UNITS, chatRadius: 6, width: 48, height: 32 },
    };
    this.positions = new Map();
    const session = this;
    this.world = {
      selfId,
      avatars: new Map([[selfId, { id: selfId, name, role, away: false, spotlight: false }]]),
      get me() {
        return this.avatars.get(this.selfId);
      },
      positionAt: (id) => session.positions.get(id) ?? { x: 0, y: 0 },
      displayPositionAt: (id) => session.positions.get(id),
    };
  }

  get room() {
    return this.welcome.room;
  }

  get unitsPerTile() {
    return UNITS;
  }

  get role() {
    return this.welcome.you.role;
  }

  get me() {
    return this.world.me;
  }

  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
    return () => this.listeners.get(type).delete(listener);
  }

  emit(type, value) {
    for (const listener of this.listeners.get(type) ?? []) listener(value);
  }

  /** How many listeners are still subscribed (0 after dispose). */
  get listenerCount() {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  request(type, fields = {}, prefix = "r") {
    if (!this.open) return null;
    this.counter += 1;
    const ref = `${prefix}${this.counter}`;
    this.sent.push({ type, ...fields, ref });
    return ref;
  }

  send(type, fields = {}) {
    if (!this.open) return false;
    this.sent.push({ type, ...fields });
    return true;
  }

  chat({ scope, text, to }) {
    return this.request("chat", { scope, text, to }, "m");
  }

  move(intent) {
    this.sent.push({ type: "move", intent });
    this.emit("move", intent);
    return true;
  }

  who(limit) {
    this.sent.push({ type: "who", limit });
    return true;
  }

  emote() {
    return true;
  }

  status() {
    return true;
  }

  tickNow() {
    return 100;
  }

  serverNow() {
    return Date.now();
  }

  /** Puts avatar `id` (default: me) on tile (x, y), in the middle of the tile. */
  place(x, y, id = this.world.selfId, extra = {}) {
    this.positions.set(id, { x: (x + 0.5) * UNITS, y: (y + 0.5) * UNITS });
    if (!this.world.avatars.has(id)) this.world.avatars.set(id, { id, name: `Avatar ${id}`, role: "participant", away: false, ...extra });
  }

  myPosition() {
    return this.positions.get(this.world.selfId);
  }

  avatarPosition(id) {
    return this.positions.get(id);
  }

  /** The messages sent of `type`. */
  sentOf(type) {
    return this.sent.filter((message) => message.type === type);
  }
}

/** A renderer that keeps its layers so a test can count them. */
export function fakeRenderer() {
  const layers = new Set();
  return {
    layers,
    showHearing: false,
    said: [],
    say(id, text) {
      this.said.push([id, text]);
    },
    addLayer(draw) {
      layers.add(draw);
      return () => layers.delete(draw);
    },
    drawLabel() {
      return 0;
    },
    onFrame() {
      return () => {};
    },
  };
}

/** Collects toasts instead of showing them. */
export function fakeToaster() {
  const shown = [];
  return { shown, show: (text, { kind = "info" } = {}) => shown.push({ text, kind }), clear() {} };
}
