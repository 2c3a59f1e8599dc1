// The mirror of what the server shows this client: the avatars in view, each with its
// dead-reckoned motion and its name block. Pure, so Node tests drive it directly.

import {
  AVATAR_FLAG_AWAY, AVATAR_FLAG_CAMERA, AVATAR_FLAG_MIC, AVATAR_FLAG_MUTED, AVATAR_FLAG_SPEAKING, AVATAR_FLAG_SPOTLIGHT, ROLES,
} from "./protocol.js";

/** How long a course correction of another avatar takes to fade out. */
const CORRECTION_MS = 150;
/** A correction larger than this (units, 3 tiles) is a jump, shown at once. */
const SNAP_UNITS = 192;

/** Ticks from `from` to `to`, across the u32 wrap of tick numbers. */
export function tickDelta(to, from) {
  let delta = to - from;
  if (delta > 2 ** 31) delta -= 2 ** 32;
  else if (delta < -(2 ** 31)) delta += 2 ** 32;
  return delta;
}

/** Where motion `(x, y, vx, vy)` told at `since` puts an avatar at `tick`: x + vx·(T − t). */
export function deadReckon(motion, since, tick) {
  const elapsed = tickDelta(tick, since);
  return { x: motion.x + motion.vx * elapsed, y: motion.y + motion.vy * elapsed };
}

/** What is left at `nowMs` of a correction `{x, y, at}`: an exponential fade, gone after six time constants. */
export function decay(correction, nowMs) {
  if (!correction || nowMs - correction.at > 6 * CORRECTION_MS) return { x: 0, y: 0 };
  const factor = Math.exp(-(nowMs - correction.at) / CORRECTION_MS);
  return { x: correction.x * factor, y: correction.y * factor };
}

export class World {
  constructor() {
    /** @type {Map<number, object>} */
    this.avatars = new Map();
    this.tick = 0;
    this.ack = 0;
    this.selfId = null;
    // Bounds in units; dead reckoning never runs past the map's edge.
    this.maxX = Infinity;
    this.maxY = Infinity;
  }

  setBounds(widthTiles, heightTiles, unitsPerTile) {
    this.maxX = widthTiles * unitsPerTile - 1;
    this.maxY = heightTiles * unitsPerTile - 1;
  }

  clear() {
    this.avatars.clear();
  }

  get me() {
    return this.selfId === null ? undefined : this.avatars.get(this.selfId);
  }

  /**
   * Applies a decoded state message. With `renderTick` and `nowMs`, a changed course
   * keeps the avatar where it was drawn and fades the difference out, instead of
   * jumping. Returns the ids that entered and left, for the UI.
   */
  apply(message, { renderTick, nowMs } = {}) {
    const entered = [];
    const left = [];
    if (message.snapshot) {
      // Forget every avatar not listed anywhere in this message.
      const listed = new Set([...message.entered, ...message.moved, ...message.updated].map((entry) => entry.id));
      for (const id of this.avatars.keys()) {
        if (!listed.has(id)) {
          this.avatars.delete(id);
          left.push(id);
        }
      }
    }
    this.tick = message.tick;
    this.ack = message.ack;
    for (const { id, motion, info } of message.entered) {
      const previous = this.avatars.get(id);
      const avatar = { id, ...motion, since: message.tick, correction: null, emoteAt: 0 };
      Object.assign(avatar, this.#describe(info, previous, nowMs));
      if (previous) this.#smooth(previous, avatar, renderTick, nowMs);
      else entered.push(id);
      this.avatars.set(id, avatar);
    }
    for (const { id, motion } of message.moved) {
      const avatar = this.avatars.get(id);
      if (!avatar) continue;
      const before = { ...avatar };
      Object.assign(avatar, motion, { since: message.tick });
      this.#smooth(before, avatar, renderTick, nowMs);
    }
    for (const { id, info } of message.updated) {
      const avatar = this.avatars.get(id);
      if (avatar) Object.assign(avatar, this.#describe(info, avatar, nowMs));
    }
    for (const id of message.left) {
      if (this.avatars.delete(id)) left.push(id);
    }
    return { entered, left };
  }

  #describe(info, previous, nowMs) {
    const emoteChanged = info.emote !== 0 && info.emote !== previous?.emote;
    return {
      name: info.name,
      status: info.status,
      role: ROLES[info.role] ?? "guest",
      appearance: info.appearance,
      emote: info.emote,
      // When the emote appeared, so the bubble can pop in; unchanged emotes keep theirs.
      emoteAt: emoteChanged ? (nowMs ?? 0) : (previous?.emoteAt ?? 0),
      spotlight: (info.flags & AVATAR_FLAG_SPOTLIGHT) !== 0,
      away: (info.flags & AVATAR_FLAG_AWAY) !== 0,
      mic: (info.flags & AVATAR_FLAG_MIC) !== 0,
      camera: (info.flags & AVATAR_FLAG_CAMERA) !== 0,
      speaking: (info.flags & AVATAR_FLAG_SPEAKING) !== 0,
      muted: (info.flags & AVATAR_FLAG_MUTED) !== 0,
    };
  }

  #smooth(before, after, renderTick, nowMs) {
    if (renderTick === undefined || nowMs === undefined || after.id === this.selfId) return;
    const shown = this.#displayOf(before, renderTick, nowMs);
    const target = this.positionOf(after, renderTick);
    const dx = shown.x - target.x;
    const dy = shown.y - target.y;
    after.correction = Math.hypot(dx, dy) > SNAP_UNITS ? null : { x: dx, y: dy, at: nowMs };
  }

  /** Dead-reckoned position of an avatar record at a (fractional) tick, inside the map. */
  positionOf(avatar, tick) {
    const p = deadReckon(avatar, avatar.since, tick);
    return { x: Math.min(Math.max(p.x, 0), this.maxX), y: Math.min(Math.max(p.y, 0), this.maxY) };
  }

  #displayOf(avatar, tick, nowMs) {
    const p = this.positionOf(avatar, tick);
    const c = decay(avatar.correction, nowMs);
    return { x: p.x + c.x, y: p.y + c.y };
  }

  /** The server's position of avatar `id` at `tick`, or undefined if not in view. */
  positionAt(id, tick) {
    const avatar = this.avatars.get(id);
    return avatar && this.positionOf(avatar, tick);
  }

  /** Where to draw avatar `id`: dead reckoning plus the fading course correction. */
  displayPositionAt(id, tick, nowMs) {
    const avatar = this.avatars.get(id);
    return avatar && this.#displayOf(avatar, tick, nowMs);
  }
}
