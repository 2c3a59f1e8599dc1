// Stand-ins for the browser's RTCPeerConnection and getUserMedia, with the signalling
// state machine of JSEP (stable → have-local-offer → stable, implicit rollback of a local
// offer when a remote one arrives) and negotiationneeded fired the way browsers do: when
// a sender is added, and again after a rollback while it is still not negotiated. Enough
// to drive Atrium's perfect negotiation and mesh in Node. MediaStream and a Web Audio
// context that records what the page set its gains to complete what the media feature uses.

let counter = 0;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

export class FakeTrack {
  constructor(kind, label = kind) {
    this.kind = kind;
    this.label = label;
    this.id = `${kind}-${++counter}`;
    this.stopped = false;
    this.listeners = new Map();
  }

  stop() {
    this.stopped = true;
  }

  addEventListener(type, listener) {
    this.listeners.set(type, listener);
  }
}

export class FakePeerConnection {
  constructor(configuration = {}, name = "pc") {
    this.configuration = configuration;
    this.name = name;
    this.signalingState = "stable";
    this.connectionState = "new";
    this.localDescription = null;
    this.remoteDescription = null;
    this.candidates = [];
    this.senders = [];
    this.closed = false;
    this.rollbacks = 0;
    /** Senders added since the last completed negotiation. */
    this.unnegotiated = 0;
    this.onnegotiationneeded = null;
    this.onicecandidate = null;
    this.ontrack = null;
    this.onconnectionstatechange = null;
  }

  addTrack(track) {
    const sender = { track, replaced: [], replaceTrack: async (next) => { sender.replaced.push(next); sender.track = next; } };
    this.senders.push(sender);
    this.unnegotiated += 1;
    this.#needNegotiation();
    return sender;
  }

  #needNegotiation() {
    if (this.signalingState !== "stable") return;
    queueMicrotask(() => {
      if (this.unnegotiated > 0 && this.signalingState === "stable" && !this.closed) this.onnegotiationneeded?.();
    });
  }

  async setLocalDescription(description) {
    await settle();
    if (this.closed) throw new Error("InvalidStateError: closed");
    const type = description?.type ?? (this.signalingState === "have-remote-offer" ? "answer" : "offer");
    if (type === "offer") {
      if (this.signalingState !== "stable" && this.signalingState !== "have-local-offer") {
        throw new Error(`InvalidStateError: offer in ${this.signalingState}`);
      }
      this.offered = this.unnegotiated;
      this.signalingState = "have-local-offer";
    } else {
      if (this.signalingState !== "have-remote-offer") throw new Error(`InvalidStateError: answer in ${this.signalingState}`);
      this.signalingState = "stable";
      // Answering an offer negotiates the senders the answer carries too.
      this.unnegotiated = 0;
      this.#established();
    }
    this.localDescription = { type, sdp: `${this.name}:${type}:${++counter}` };
  }

  async setRemoteDescription(description) {
    await settle();
    if (this.closed) throw new Error("InvalidStateError: closed");
    if (description.type === "offer") {
      if (this.signalingState === "have-local-offer") {
        this.signalingState = "stable";
        this.rollbacks += 1;
      }
      if (this.signalingState !== "stable") throw new Error(`InvalidStateError: remote offer in ${this.signalingState}`);
      this.signalingState = "have-remote-offer";
    } else {
      if (this.signalingState !== "have-local-offer") throw new Error(`InvalidStateError: remote answer in ${this.signalingState}`);
      this.signalingState = "stable";
      this.unnegotiated -= this.offered;
      this.#established();
      this.#needNegotiation();
    }
    this.remoteDescription = description;
  }

  async addIceCandidate(candidate) {
    await settle();
    if (!this.remoteDescription) throw new Error("InvalidStateError: no remote description");
    this.candidates.push(candidate);
  }

  /** Pretends a local candidate was gathered. */
  gather(candidate) {
    this.onicecandidate?.({ candidate });
  }

  #established() {
    if (this.connectionState !== "connected") {
      this.connectionState = "connected";
      this.onconnectionstatechange?.();
    }
  }

  setConfiguration(configuration) {
    this.configuration = configuration;
  }

  restartIce() {
    this.restarted = (this.restarted ?? 0) + 1;
  }

  close() {
    this.closed = true;
    this.connectionState = "closed";
  }
}

/** A `navigator.mediaDevices` that grants every request and counts them. */
export class FakeMediaDevices {
  constructor({ deny = false } = {}) {
    this.requests = [];
    this.deny = deny;
  }

  async getUserMedia(constraints) {
    this.requests.push(constraints);
    await settle();
    if (this.deny) throw Object.assign(new Error("denied"), { name: "NotAllowedError" });
    const tracks = Object.keys(constraints).map((kind) => new FakeTrack(kind, constraints[kind].deviceId?.exact ?? "default"));
    return { getTracks: () => tracks };
  }

  async enumerateDevices() {
    return [
      { kind: "audioinput", deviceId: "mic-1", label: "Built-in microphone" },
      { kind: "videoinput", deviceId: "cam-1", label: "" },
      { kind: "audiooutput", deviceId: "out-1", label: "Speakers" },
    ];
  }
}

/** A MediaStream of the tracks given. */
export class FakeMediaStream {
  constructor(tracks = []) {
    this.tracks = [...tracks];
  }

  getTracks() {
    return [...this.tracks];
  }

  getAudioTracks() {
    return this.tracks.filter((track) => track.kind === "audio");
  }

  getVideoTracks() {
    return this.tracks.filter((track) => track.kind === "video");
  }
}

class FakeAudioNode {
  constructor(context, kind) {
    this.context = context;
    this.kind = kind;
    this.outputs = new Set();
  }

  connect(node) {
    this.outputs.add(node);
    return node;
  }

  disconnect() {
    this.outputs.clear();
  }
}

/**
 * An AudioParam that applies what is scheduled on it at once and keeps the calls, so a
 * test sees both the value and whether it was set outright or eased towards.
 */
class FakeAudioParam {
  constructor(value) {
    this.value = value;
    this.calls = [];
  }

  setTargetAtTime(value, time, constant) {
    this.calls.push({ kind: "target", value, constant });
    this.value = value;
  }

  setValueAtTime(value) {
    this.calls.push({ kind: "set", value });
    this.value = value;
  }

  cancelScheduledValues() {
    this.calls.push({ kind: "cancel" });
  }
}

/**
 * `AudioContext`: sources from streams, gains, an analyser whose time-domain samples are
 * `FakeAudioContext.level` (an amplitude, 0 silent) — the microphone's loudness.
 */
export class FakeAudioContext {
  static level = 0;
  static made = [];

  constructor() {
    this.state = "running";
    this.currentTime = 0;
    this.destination = new FakeAudioNode(this, "destination");
    this.sources = [];
    this.gains = [];
    FakeAudioContext.made.push(this);
  }

  createMediaStreamSource(stream) {
    const source = new FakeAudioNode(this, "source");
    source.stream = stream;
    this.sources.push(source);
    return source;
  }

  createGain() {
    const gain = new FakeAudioNode(this, "gain");
    gain.gain = new FakeAudioParam(1);
    this.gains.push(gain);
    return gain;
  }

  createAnalyser() {
    const analyser = new FakeAudioNode(this, "analyser");
    analyser.fftSize = 2048;
    analyser.getFloatTimeDomainData = (samples) => {
      for (let i = 0; i < samples.length; i++) samples[i] = i % 2 === 0 ? FakeAudioContext.level : -FakeAudioContext.level;
    };
    return analyser;
  }

  async resume() {
    this.state = "running";
  }

  async close() {
    this.state = "closed";
  }
}

export { settle };
