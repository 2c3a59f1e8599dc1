// The client's estimate of the server tick, from the ticks it hears (state messages,
// welcome, pong). Dead reckoning needs "which tick is it now" between messages, and the
// server sends nothing while nothing changes, so the estimate runs on the local clock.

/** Fraction of the gap closed per observation that arrived later than expected. */
const SETTLE = 0.02;
/** Further off than this (ticks), the estimate jumps: a new server or a long sleep. */
const RESYNC_TICKS = 40;

export class TickClock {
  constructor(tickRate = 20) {
    this.setRate(tickRate);
  }

  setRate(tickRate) {
    this.ticksPerMs = tickRate / 1000;
    this.offset = null;
  }

  /**
   * Records that `tick` was current when a message arrived at `nowMs`. Messages delayed
   * by the network arrive "late", so the estimate follows the earliest arrivals at once
   * (fast attack) and drifts down only slowly (slow release), which keeps it near the
   * least-delayed path and steady under jitter.
   */
  observe(tick, nowMs) {
    const offset = tick - nowMs * this.ticksPerMs;
    if (this.offset === null || Math.abs(offset - this.offset) > RESYNC_TICKS || offset > this.offset) {
      this.offset = offset;
    } else {
      this.offset += (offset - this.offset) * SETTLE;
    }
  }

  /** The estimated server tick at `nowMs`, fractional. */
  now(nowMs) {
    return this.offset === null ? 0 : nowMs * this.ticksPerMs + this.offset;
  }
}

/** Samples of the server's wall clock kept; the one with the shortest round trip wins. */
const WALL_SAMPLES = 8;

/**
 * The client's estimate of the server's wall clock (ms since epoch), from `serverTime`
 * in `welcome` and `pong`. A pong answers a ping sent at local time `t`, so the server
 * read its clock about half a round trip before the pong arrived; the sample with the
 * shortest round trip of the last few is the least disturbed by queueing. A welcome has
 * no round trip and counts as a sample with an unknown (large) one. Deadlines such as
 * the quiz's are compared with `now()`, so a wrong local clock does not matter.
 */
export class ServerClock {
  constructor() {
    this.samples = [];
  }

  /**
   * Records that the server's clock read `serverTime` for a message that arrived at
   * local time `receivedAt`, answering one sent at `sentAt` (omit it when unknown).
   */
  observe(serverTime, receivedAt, sentAt = null) {
    if (!Number.isFinite(serverTime) || !Number.isFinite(receivedAt)) return;
    const roundTrip = Number.isFinite(sentAt) && sentAt <= receivedAt ? receivedAt - sentAt : Infinity;
    const localMid = roundTrip === Infinity ? receivedAt : sentAt + roundTrip / 2;
    this.samples.push({ offset: serverTime - localMid, roundTrip });
    if (this.samples.length > WALL_SAMPLES) this.samples.shift();
  }

  get known() {
    return this.samples.length > 0;
  }

  /** Server time minus local time (ms), from the best sample; 0 before any. */
  get offset() {
    let best = null;
    for (const sample of this.samples) if (!best || sample.roundTrip <= best.roundTrip) best = sample;
    return best ? best.offset : 0;
  }

  /** The estimated server time (ms since epoch) at local time `localNow`. */
  now(localNow) {
    return localNow + this.offset;
  }
}
