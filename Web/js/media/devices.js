// Microphone and camera: opened only when the visitor turns one on (the browser asks
// for permission then, never on arrival), switched between devices, stopped when turned
// off so the browser's recording indicator goes out. Shared by proximity media and the
// stage. `mediaDevices` is injected, so Node tests use a stand-in.

/** Voice for talking, not music: the browser's echo cancellation and noise suppression on. */
export const AUDIO_CONSTRAINTS = Object.freeze({ echoCancellation: true, noiseSuppression: true, autoGainControl: true });
/** Small, light video: bubbles are small and phones are on mobile networks. */
export const VIDEO_CONSTRAINTS = Object.freeze({
  width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15, max: 24 }, facingMode: "user",
});

/** Why a device could not be opened, in words (Korean · English). */
export function deviceErrorText(error, kind) {
  const what = kind === "camera" ? "카메라 · camera" : "마이크 · microphone";
  switch (error?.name) {
    case "NotAllowedError":
    case "SecurityError":
      return `${what}: 권한이 거부되었어요. 주소창에서 허용해 주세요 · permission denied; allow it in the address bar`;
    case "NotFoundError":
    case "OverconstrainedError":
      return `${what}: 장치를 찾을 수 없어요 · no such device`;
    case "NotReadableError":
    case "AbortError":
      return `${what}: 다른 앱이 사용 중이에요 · in use by another application`;
    case "TypeError":
      return `${what}: 이 페이지에서는 쓸 수 없어요 (https 필요) · not available on this page (needs https)`;
    default:
      return `${what}: 열 수 없어요 · could not be opened (${error?.message ?? error})`;
  }
}

/**
 * The visitor's own microphone and camera. `setMic(true)` / `setCamera(true)` open the
 * device (asking permission the first time); `false` stops it. Listeners hear
 * `{kind, track}` whenever a track starts, changes device, or stops (`track` null).
 */
export class LocalMedia {
  constructor(mediaDevices) {
    this.mediaDevices = mediaDevices;
    /** @type {{audio: MediaStreamTrack|null, video: MediaStreamTrack|null}} */
    this.tracks = { audio: null, video: null };
    this.deviceIds = { audio: null, video: null };
    this.listeners = new Set();
    this.pending = { audio: null, video: null };
  }

  get available() {
    return typeof this.mediaDevices?.getUserMedia === "function";
  }

  get mic() {
    return this.tracks.audio !== null;
  }

  get camera() {
    return this.tracks.video !== null;
  }

  onTrack(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setMic(on) {
    return this.#set("audio", on);
  }

  setCamera(on) {
    return this.#set("video", on);
  }

  /** Switches to another device; reopens it if it is on. */
  async useDevice(kind, deviceId) {
    this.deviceIds[kind] = deviceId || null;
    if (this.tracks[kind]) {
      await this.#open(kind);
    }
  }

  /** Microphones and cameras; labels are empty until permission was given once. */
  async devices() {
    if (typeof this.mediaDevices?.enumerateDevices !== "function") return { audio: [], video: [] };
    const all = await this.mediaDevices.enumerateDevices();
    const pick = (kind) => all.filter((device) => device.kind === kind)
      .map((device, index) => ({ id: device.deviceId, label: device.label || `${index + 1}` }));
    return { audio: pick("audioinput"), video: pick("videoinput") };
  }

  /** Stops both devices. */
  stop() {
    this.#stop("audio");
    this.#stop("video");
  }

  async #set(kind, on) {
    if (!on) {
      this.#stop(kind);
      return;
    }
    if (this.tracks[kind]) return;
    await this.#open(kind);
  }

  async #open(kind) {
    // Two quick clicks ask the browser once.
    if (this.pending[kind]) return this.pending[kind];
    const base = kind === "audio" ? AUDIO_CONSTRAINTS : VIDEO_CONSTRAINTS;
    const constraints = { ...base };
    if (this.deviceIds[kind]) {
      constraints.deviceId = { exact: this.deviceIds[kind] };
      delete constraints.facingMode;
    }
    this.pending[kind] = (async () => {
      try {
        const stream = await this.mediaDevices.getUserMedia({ [kind]: constraints });
        const track = stream.getTracks().find((candidate) => candidate.kind === kind);
        const previous = this.tracks[kind];
        this.tracks[kind] = track;
        previous?.stop();
        // The device went away (unplugged, revoked): the same as turning it off.
        track.addEventListener?.("ended", () => {
          if (this.tracks[kind] === track) this.#stop(kind);
        });
        this.#emit(kind, track);
      } finally {
        this.pending[kind] = null;
      }
    })();
    return this.pending[kind];
  }

  #stop(kind) {
    const track = this.tracks[kind];
    if (!track) return;
    this.tracks[kind] = null;
    track.stop();
    this.#emit(kind, null);
  }

  #emit(kind, track) {
    for (const listener of this.listeners) listener({ kind, track });
  }
}
