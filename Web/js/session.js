// One visitor's session in a room: the connection, the mirror of the world, the tick
// clock and the prediction of the own avatar, kept consistent with each other. Feature
// modules (chat, people, and later exhibits and the quiz) subscribe to its events and
// send through it; none of them talks to the socket. No DOM here.

import { ServerClock, TickClock } from "./clock.js";
import { World } from "./world.js";
import { Prediction, sequenceAfter } from "./prediction.js";
import { PROTOCOL_VERSION, UNITS_PER_TILE, decodeStateMessage, encodeMoveInput, messages } from "./protocol.js";

export class Session {
  constructor(connection, { now = () => performance.now(), wallNow = () => Date.now() } = {}) {
    this.connection = connection;
    this.now = now;
    this.wallNow = wallNow;
    /** The server's wall clock (deadlines of the quiz are in server time). */
    this.serverClock = new ServerClock();
    this.requestCounter = 0;
    this.world = new World();
    this.clock = new TickClock(20);
    this.prediction = null;
    this.welcome = null;
    this.map = null;
    this.sequence = 0;
    this.chatCounter = 0;
    this.roundTripMs = null;
    this.listeners = new Map();

    connection.on("welcome", (welcome) => this.#welcomed(welcome));
    connection.on("binary", (data) => this.#state(data));
    connection.on("message", (message) => {
      if (message.type === "pong") this.#pong(message);
      this.emit(message.type, message);
    });
    for (const type of ["state", "terminal", "resume_lost", "error"]) {
      connection.on(type, (value) => this.emit(type === "state" ? "connection" : type, value));
    }
  }

  /**
   * Events: "welcome" ({welcome, first}), "world" (after each state message: {entered,
   * left}), "connection" ({state, …}), "terminal", "resume_lost", "move" (an intent this
   * client sent), and every server JSON message by its type ("chat", "people", "error",
   * "pong", "exhibit", "quiz", …).
   */
  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
    return () => this.listeners.get(type).delete(listener);
  }

  emit(type, value) {
    for (const listener of this.listeners.get(type) ?? []) listener(value);
  }

  get room() {
    return this.welcome?.room;
  }

  get unitsPerTile() {
    return this.room?.unitsPerTile ?? UNITS_PER_TILE;
  }

  get me() {
    return this.world.me;
  }

  /** The role the server gave this visitor: guest, participant, presenter or moderator. */
  get role() {
    return this.welcome?.you.role ?? "guest";
  }

  /** The estimated server wall time now (ms since epoch). */
  serverNow(wallMs = this.wallNow()) {
    return this.serverClock.now(wallMs);
  }

  /** The estimated server tick now. */
  tickNow(nowMs = this.now()) {
    return this.clock.now(nowMs);
  }

  setMap(map) {
    this.map = map;
    if (this.prediction) this.prediction.isBlocked = (x, y) => map.isBlocked(x, y);
  }

  // ---- Sending ----

  /** Sends a movement intent ({mode: "stop"} | {mode: "direction", dx, dy} | {mode: "target", x, y}). */
  move(intent) {
    if (!this.connection.isOpen) return false;
    this.sequence = (this.sequence + 1) >>> 0;
    const sequence = this.sequence;
    if (!this.connection.sendBinary(encodeMoveInput({ sequence, intent }))) return false;
    this.prediction?.sent(sequence, intent, this.tickNow());
    this.emit("move", intent);
    return true;
  }

  /** Sends a chat message; returns its `ref` (the server echoes it in our copy), or null when not connected. */
  chat({ scope, text, to }) {
    this.chatCounter += 1;
    const ref = `m${this.chatCounter}-${Math.floor(Math.random() * 1e9).toString(36)}`;
    return this.connection.send(messages.chat({ scope, text, to, ref })) ? ref : null;
  }

  /**
   * Sends a JSON request with a fresh `ref` (answers and errors carry it back); returns
   * the ref, or null when not connected. `prefix` tells the features' refs apart.
   */
  request(type, fields = {}, prefix = "r") {
    this.requestCounter += 1;
    const ref = `${prefix}${this.requestCounter}-${Math.floor(Math.random() * 1e9).toString(36)}`;
    return this.connection.send(messages.request(type, { ...fields, ref })) ? ref : null;
  }

  /** Sends a JSON message that needs no answer (`exhibit_close`). */
  send(type, fields = {}) {
    return this.connection.send(messages.request(type, fields));
  }

  emote(name) {
    return this.connection.send(messages.emote(name));
  }

  status(text) {
    return this.connection.send(messages.status(text));
  }

  who(limit) {
    return this.connection.send(messages.who(limit));
  }

  leave() {
    this.connection.leave();
  }

  // ---- Where things are ----

  /** Where to draw the own avatar now: predicted, smoothed. */
  myPosition(nowMs = this.now()) {
    const me = this.me;
    if (!me || !this.prediction) return undefined;
    return this.prediction.display(me, this.tickNow(nowMs), nowMs);
  }

  /** Where to draw avatar `id` now: dead reckoning with smoothed course changes. */
  avatarPosition(id, nowMs = this.now()) {
    if (id === this.world.selfId) return this.myPosition(nowMs);
    return this.world.displayPositionAt(id, this.tickNow(nowMs), nowMs);
  }

  // ---- Receiving ----

  #welcomed(welcome) {
    if (welcome.protocol !== PROTOCOL_VERSION) console.warn(`Atrium: the server speaks protocol ${welcome.protocol}, this client ${PROTOCOL_VERSION}`);
    // Another instance of the same room (`plaza~2`) is the same place: like a failover, not a new room.
    const roomOf = (id) => id.split("~")[0];
    const first = !this.welcome || roomOf(this.welcome.room.id) !== roomOf(welcome.room.id) || this.welcome.room.map !== welcome.room.map;
    const room = welcome.room;
    if (!this.welcome || this.welcome.room.tickRate !== room.tickRate) this.clock.setRate(room.tickRate);
    this.clock.observe(welcome.tick, this.now());
    this.serverClock.observe(welcome.serverTime, this.wallNow());
    this.welcome = welcome;
    this.world.selfId = welcome.you.id;
    this.world.setBounds(room.width, room.height, room.unitsPerTile);
    // A fresh avatar shares nothing with what was shown before; a resumed one gets a snapshot.
    if (!welcome.resumed) this.world.clear();
    if (first || !this.prediction) {
      this.prediction = new Prediction({
        step: room.step,
        diagonalStep: room.diagonalStep,
        widthTiles: room.width,
        heightTiles: room.height,
        unitsPerTile: room.unitsPerTile,
        maxDelay: room.tickRate * 2,
      });
      if (this.map && !first) this.setMap(this.map);
    } else {
      // Inputs on the old connection are gone with it; the server's avatar stands still.
      this.prediction.reset();
    }
    this.emit("welcome", { welcome, first });
    // A first round trip at once, so the server clock is known before the first deadline.
    this.connection.send(messages.ping(this.wallNow()));
  }

  #state(data) {
    let message;
    try {
      message = decodeStateMessage(data);
    } catch (error) {
      console.warn("Atrium: unreadable state message", error);
      return;
    }
    const nowMs = this.now();
    const shown = this.myPosition(nowMs);
    this.clock.observe(message.tick, nowMs);
    const tick = this.tickNow(nowMs);
    const changes = this.world.apply(message, { renderTick: tick, nowMs });
    // An ack newer than anything sent here belongs to this avatar's earlier page (a
    // reload that resumed it): continue numbering after it.
    if (sequenceAfter(message.ack, this.sequence)) this.sequence = message.ack;
    if (this.prediction) {
      this.prediction.acknowledge(message.ack, message.tick);
      const me = this.me;
      if (me && shown) this.prediction.reconcile(shown, me, tick, nowMs);
    }
    this.emit("world", changes);
  }

  #pong(pong) {
    const wall = this.wallNow();
    if (typeof pong.t === "number") this.roundTripMs = wall - pong.t;
    if (typeof pong.tick === "number") this.clock.observe(pong.tick, this.now());
    if (typeof pong.serverTime === "number") this.serverClock.observe(pong.serverTime, wall, typeof pong.t === "number" ? pong.t : null);
  }
}
