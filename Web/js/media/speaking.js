// Voice activity from the microphone's level, so the server can show a speaking ring on
// the avatar (`media` {speaking}). Pure: fed levels and times, it answers when the state
// changes. Hysteresis in level and time keeps it from chattering, which would also cost
// a state update to everyone in view each time.

export class SpeakingDetector {
  /**
   * @param {object} [options]
   * @param {number} [options.onDb] level (dBFS) above which speech may start
   * @param {number} [options.offDb] level below which speech may end
   * @param {number} [options.attackMs] how long above `onDb` before speaking starts
   * @param {number} [options.releaseMs] how long below `offDb` before it ends (the pauses between words)
   */
  constructor({ onDb = -45, offDb = -55, attackMs = 120, releaseMs = 700 } = {}) {
    Object.assign(this, { onDb, offDb, attackMs, releaseMs });
    this.speaking = false;
    this.since = null;
  }

  /** Feeds one level reading; returns true or false when the state changes, else null. */
  feed(levelDb, nowMs) {
    const crossing = this.speaking ? levelDb < this.offDb : levelDb > this.onDb;
    if (!crossing) {
      this.since = null;
      return null;
    }
    this.since ??= nowMs;
    if (nowMs - this.since < (this.speaking ? this.releaseMs : this.attackMs)) return null;
    this.speaking = !this.speaking;
    this.since = null;
    return this.speaking;
  }

  reset() {
    this.speaking = false;
    this.since = null;
  }
}

/** The RMS level in dBFS of time-domain samples (−1…1); −Infinity for silence. */
export function levelDb(samples) {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / Math.max(samples.length, 1));
  return 20 * Math.log10(rms);
}
