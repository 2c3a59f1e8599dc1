// What the browser knows of the stage, from the server's `stage` messages, and the
// decisions that follow from it without any I/O: which feeds to watch, whether to publish,
// whether the own hand is up, when to renew a grant. Pure, for `node --test`.

/** Renew a grant when this share of its lifetime has passed. */
export const RENEW_AT = 0.8;

export class StageModel {
  constructor(selfId = 0) {
    this.selfId = selfId;
    /** @type {{id: number, name: string}[]} */
    this.onAir = [];
    /** @type {number[]} */
    this.live = [];
    /** @type {{id: number, name: string}[]} */
    this.hands = [];
  }

  /** Takes a `stage` message; ignores malformed entries. */
  update(message) {
    const people = (list) => (Array.isArray(list) ? list : [])
      .filter((entry) => Number.isInteger(entry?.id) && typeof entry.name === "string")
      .map((entry) => ({ id: entry.id, name: entry.name }));
    this.onAir = people(message?.onAir);
    this.hands = people(message?.hands);
    const onAir = new Set(this.onAir.map((entry) => entry.id));
    this.live = (Array.isArray(message?.live) ? message.live : []).filter((id) => Number.isInteger(id) && onAir.has(id));
  }

  /** A new welcome (a reconnect): what the old room said no longer holds. */
  reset(selfId = this.selfId) {
    this.selfId = selfId;
    this.onAir = [];
    this.live = [];
    this.hands = [];
  }

  /** Whether the room put this visitor on air: time to publish. */
  get mayPublish() {
    return this.onAir.some((entry) => entry.id === this.selfId);
  }

  get handUp() {
    return this.hands.some((entry) => entry.id === this.selfId);
  }

  /** Feeds to watch: every live one but the own. */
  get feeds() {
    return this.live.filter((id) => id !== this.selfId);
  }

  /** The name of someone on air, for a video's caption. */
  nameOf(id) {
    return this.onAir.find((entry) => entry.id === id)?.name ?? `#${id}`;
  }

  /** Whether anything is happening on the stage that is worth a panel. */
  get busy() {
    return this.onAir.length > 0 || this.hands.length > 0;
  }
}

/**
 * When to ask for a fresh grant, in ms from `nowMs`: at RENEW_AT of the grant's lifetime
 * (its `expires` is Unix seconds), at least one second from now.
 */
export function renewDelayMs(grant, nowMs, issuedMs = nowMs) {
  const lifetime = grant.expires * 1000 - issuedMs;
  return Math.max(1000, issuedMs + lifetime * RENEW_AT - nowMs);
}

/** How the stage panel shows an external stream URL: a video for media files, else a page. */
export function streamKind(url) {
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) return null;
  return /\.(m3u8|mp4|webm|ogg)(\?|#|$)/i.test(url) ? "video" : "page";
}
