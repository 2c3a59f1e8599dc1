// Playing the peers' voices with Web Audio, one gain per peer set by distance (gain.js).
// Chrome only lets a remote WebRTC stream into Web Audio while a media element also holds
// it, so each peer gets a muted <audio> as well. Without Web Audio (or before the page may
// play sound) the element itself plays, with its volume as the gain.

export class PeerAudio {
  constructor({ AudioContextClass = globalThis.AudioContext ?? globalThis.webkitAudioContext, documentRef = globalThis.document } = {}) {
    this.AudioContextClass = AudioContextClass;
    this.document = documentRef;
    this.context = null;
    /** @type {Map<number, {element: HTMLAudioElement, source: AudioNode|null, gain: GainNode|null, value: number}>} */
    this.peers = new Map();
  }

  /** Creates or wakes the audio context; call from a user gesture (autoplay rules). */
  resume() {
    if (!this.AudioContextClass) return;
    try {
      this.context ??= new this.AudioContextClass();
      if (this.context.state === "suspended") this.context.resume().catch(() => {});
      for (const [peerId, entry] of this.peers) if (!entry.gain) this.#route(peerId, entry);
    } catch {
      this.context = null;
    }
  }

  /** Plays `track` as the voice of `peerId` (replacing an earlier one) at `gain` (0…1). */
  attach(peerId, track, gain = 1) {
    this.detach(peerId);
    const element = this.document.createElement("audio");
    element.autoplay = true;
    element.dataset.peer = String(peerId);
    element.srcObject = new MediaStream([track]);
    const entry = { element, track, source: null, gain: null, value: gain };
    this.peers.set(peerId, entry);
    this.#route(peerId, entry);
    if (!entry.gain) this.#playDirectly(entry);
    element.play?.().catch(() => {});
  }

  /** Without Web Audio the element plays, at the gain as its volume; silent means muted. */
  #playDirectly(entry) {
    entry.element.volume = entry.value;
    entry.element.muted = entry.value === 0;
  }

  #route(peerId, entry) {
    if (!this.context || this.context.state === "closed") return;
    try {
      entry.source = this.context.createMediaStreamSource(entry.element.srcObject);
      entry.gain = this.context.createGain();
      entry.gain.gain.value = entry.value;
      entry.source.connect(entry.gain).connect(this.context.destination);
      entry.element.muted = true;
    } catch {
      entry.source = null;
      entry.gain = null;
      this.#playDirectly(entry);
    }
  }

  /**
   * Sets a peer's gain (0…1), eased over about 100 ms as the distance changes so it never
   * clicks; silence (a moderator's mute) is at once.
   */
  setGain(peerId, value) {
    const entry = this.peers.get(peerId);
    if (!entry || (Math.abs(entry.value - value) < 0.005 && (value === 0) === (entry.value === 0))) return;
    entry.value = value;
    if (entry.gain) {
      const param = entry.gain.gain;
      if (value === 0) {
        param.cancelScheduledValues(this.context.currentTime);
        param.setValueAtTime(0, this.context.currentTime);
      } else {
        param.setTargetAtTime(value, this.context.currentTime, 0.1);
      }
    } else {
      this.#playDirectly(entry);
    }
  }

  gainOf(peerId) {
    return this.peers.get(peerId)?.value;
  }

  detach(peerId) {
    const entry = this.peers.get(peerId);
    if (!entry) return;
    this.peers.delete(peerId);
    entry.source?.disconnect();
    entry.gain?.disconnect();
    entry.element.srcObject = null;
    entry.element.remove();
  }

  dispose() {
    for (const peerId of [...this.peers.keys()]) this.detach(peerId);
    this.context?.close?.().catch(() => {});
    this.context = null;
  }
}
