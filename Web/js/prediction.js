// Prediction of the client's own avatar, so it answers the keys at once instead of a
// round trip later, reconciled with the server on every state message.
//
// The server moves avatars by the rules in Room+Movement.swift, which this module
// repeats: each tick the intent gives a step (`step` along one axis, `diagonalStep` on
// each axis diagonally), x moves first, then y, each stopping on the last unit before a
// blocked tile or the map edge.
//
// Timelines: an input sent when the client's clock reads tick s is applied by the server
// at about tick s + D, where D (learnt from acknowledgements) is the round trip in ticks.
// The own avatar is drawn where the server will have it D ticks from now, so a key press
// moves it immediately and the server later agrees. Each state message restarts the
// prediction from the server's position of the avatar and replays the inputs it has not
// acknowledged (Protocol/README.md, "Reconciliation").

import { deadReckon, decay } from "./world.js";

/** Round trip assumed before the first acknowledgement, in ticks. */
const INITIAL_DELAY = 2;
/** Weight of a new round-trip sample. */
const DELAY_LEARNING = 0.25;
/** A reconciliation that moves the avatar further than this (units, 2 tiles) snaps. */
const SNAP_UNITS = 128;
/** Most ticks replayed per prediction; bounds the work when the clock jumps. */
const MAX_REPLAY = 200;
/** Inputs kept unacknowledged at most (a server that never answers must not grow this). */
const MAX_PENDING = 256;

/** True when sequence `a` comes after `b`, across the u32 wrap. */
export function sequenceAfter(a, b) {
  return ((a - b) | 0) > 0;
}

export class Prediction {
  /**
   * @param {object} options
   * @param {number} options.step units per tick along one axis
   * @param {number} options.diagonalStep units per tick along each axis, diagonally
   * @param {number} options.widthTiles map width
   * @param {number} options.heightTiles map height
   * @param {number} [options.unitsPerTile]
   * @param {(tileX: number, tileY: number) => boolean} [options.isBlocked] collisions, once the map is loaded
   * @param {number} [options.maxDelay] largest round trip believed, in ticks
   */
  constructor({ step, diagonalStep, widthTiles, heightTiles, unitsPerTile = 64, isBlocked = () => false, maxDelay = 40 }) {
    this.step = step;
    this.diagonalStep = diagonalStep;
    this.unitsPerTile = unitsPerTile;
    this.widthTiles = widthTiles;
    this.heightTiles = heightTiles;
    this.isBlocked = isBlocked;
    this.maxDelay = maxDelay;
    this.delay = INITIAL_DELAY;
    this.reset();
  }

  /** Forgets inputs and corrections: a new connection starts from what the server says. */
  reset() {
    this.pending = [];
    // The intent the server last acknowledged; null means "keep the server's velocity".
    this.acknowledged = null;
    this.correction = null;
  }

  get unacknowledged() {
    return this.pending.length;
  }

  /** Records an input sent when the client's clock read `tick`. */
  sent(sequence, intent, tick) {
    this.pending.push({ sequence, intent, tick });
    if (this.pending.length > MAX_PENDING) this.pending.shift();
  }

  /**
   * Drops the inputs the server applied by `stateTick` and learns the round trip from
   * the newest. Inputs unanswered for longer than the largest believable round trip were
   * lost (the server drops excess movement quietly) and are dropped too.
   */
  acknowledge(ack, stateTick) {
    let newest = null;
    while (this.pending.length > 0 && !sequenceAfter(this.pending[0].sequence, ack)) {
      newest = this.pending.shift();
    }
    this.pending = this.pending.filter((input) => stateTick - input.tick <= this.maxDelay);
    if (!newest) return;
    this.acknowledged = newest.intent;
    if (newest.sequence === ack) {
      const sample = Math.min(Math.max(stateTick - newest.tick, 0), this.maxDelay);
      this.delay += (sample - this.delay) * DELAY_LEARNING;
    }
  }

  /**
   * Where the server will have the avatar D ticks after `tick`, from its last motion
   * `server` ({x, y, vx, vy, since}) and the inputs not yet acknowledged.
   */
  raw(server, tick) {
    const horizon = tick + this.delay;
    // The server's motion is exact up to the present (it would have said otherwise), but
    // not past the tick where the first unacknowledged input takes effect.
    let base = Math.floor(tick);
    const first = this.pending.find((input) => input.intent.mode !== "target");
    if (first) base = Math.min(base, Math.ceil(first.tick + this.delay) - 1);
    base = Math.max(base, server.since);
    let position = this.#clamp(deadReckon(server, server.since, base));
    if (horizon <= base) return this.#clamp(deadReckon(server, server.since, horizon));
    const last = Math.min(Math.floor(horizon), base + MAX_REPLAY);
    const fraction = Math.floor(horizon) > last ? 0 : horizon - Math.floor(horizon);
    let previous = position;
    for (let k = base + 1; k <= last + 1; k++) {
      previous = position;
      position = this.#advance(position, this.#intentAt(k), server);
    }
    return {
      x: previous.x + (position.x - previous.x) * fraction,
      y: previous.y + (position.y - previous.y) * fraction,
    };
  }

  /** What to draw at `tick`: the prediction plus the fading correction of the last reconciliation. */
  display(server, tick, nowMs) {
    const p = this.raw(server, tick);
    const c = decay(this.correction, nowMs);
    return { x: p.x + c.x, y: p.y + c.y };
  }

  /**
   * After a state message changed the basis of the prediction: keeps the avatar where it
   * was drawn (`shown`) and fades the difference to the new prediction out, unless the
   * difference is a jump (a resume, a teleport), which is shown at once.
   */
  reconcile(shown, server, tick, nowMs) {
    const now = this.raw(server, tick);
    const dx = shown.x - now.x;
    const dy = shown.y - now.y;
    this.correction = Math.hypot(dx, dy) > SNAP_UNITS ? null : { x: dx, y: dy, at: nowMs };
  }

  // The intent in force at server tick k: the newest pending input the server will have
  // applied by then, else the acknowledged one.
  #intentAt(k) {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const input = this.pending[i];
      // Targets are the server's to path-find; until acknowledged, the avatar keeps on.
      if (input.intent.mode !== "target" && input.tick + this.delay <= k) return input.intent;
    }
    return this.acknowledged;
  }

  #advance(position, intent, server) {
    let vx;
    let vy;
    if (intent && intent.mode === "stop") return position;
    if (intent && intent.mode === "direction") {
      const size = intent.dx !== 0 && intent.dy !== 0 ? this.diagonalStep : this.step;
      vx = intent.dx * size;
      vy = intent.dy * size;
    } else {
      // A path (or an unknown intent): keep the server's velocity, and do not walk past
      // a target the avatar is heading for.
      vx = server.vx;
      vy = server.vy;
      if (intent && intent.mode === "target") {
        vx = towards(position.x, intent.x, vx);
        vy = towards(position.y, intent.y, vy);
      }
    }
    return this.#move(position, vx, vy);
  }

  #move(position, vx, vy) {
    const result = { x: position.x, y: position.y };
    if (vx !== 0) result.x = this.#movedCoordinate(result, vx, true);
    if (vy !== 0) result.y = this.#movedCoordinate(result, vy, false);
    return result;
  }

  // Steps are under a tile long, so checking the destination tile is enough.
  #movedCoordinate(position, delta, horizontal) {
    const unit = this.unitsPerTile;
    const limit = (horizontal ? this.widthTiles : this.heightTiles) * unit - 1;
    const current = horizontal ? position.x : position.y;
    const target = Math.min(Math.max(current + delta, 0), limit);
    const tile = Math.floor(target / unit);
    const blocked = horizontal
      ? this.isBlocked(tile, Math.floor(position.y / unit))
      : this.isBlocked(Math.floor(position.x / unit), tile);
    if (!blocked) return target;
    return delta > 0 ? tile * unit - 1 : (tile + 1) * unit;
  }

  #clamp(p) {
    const maxX = this.widthTiles * this.unitsPerTile - 1;
    const maxY = this.heightTiles * this.unitsPerTile - 1;
    return { x: Math.min(Math.max(p.x, 0), maxX), y: Math.min(Math.max(p.y, 0), maxY) };
  }
}

/** A velocity component shortened so it does not carry `from` past `goal`. */
function towards(from, goal, velocity) {
  if (velocity > 0 && from <= goal) return Math.min(velocity, goal - from);
  if (velocity < 0 && from >= goal) return Math.max(velocity, goal - from);
  return velocity;
}
