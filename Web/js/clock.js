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
