// What the visitor sees of proximity media: the microphone, camera and device buttons in
// the toolbar over the map, and a strip of bubbles along the top (a camera preview of
// oneself, then one bubble per conversation peer: its video, or its initial, with a ring
// while it speaks and a crossed-out microphone when it is off or muted). Big enough to
// tap on a phone; the strip scrolls sideways when it is full.

import { el, listen } from "../dom.js";

const WORDS = {
  micOn: "마이크 끄기 · Turn microphone off",
  micOff: "마이크 켜기 · Turn microphone on",
  cameraOn: "카메라 끄기 · Turn camera off",
  cameraOff: "카메라 켜기 · Turn camera on",
  devices: "장치 선택 · Choose devices",
  strip: "함께 이야기하는 사람 · People you are talking with",
};

/**
 * @param {object} options
 * @param {{toolbar: HTMLElement, overlay: HTMLElement}} options.slots
 * @param {() => void} options.onMic toggles the microphone
 * @param {() => void} options.onCamera toggles the camera
 * @param {() => Promise<{audio: object[], video: object[]}>} options.listDevices
 * @param {(kind: string, id: string) => void} options.onDevice
 */
export function createMediaView({ slots, onMic, onCamera, listDevices, onDevice }) {
  const mic = el("button", { type: "button", class: "media-button", "aria-pressed": "false", "aria-label": WORDS.micOff, title: WORDS.micOff, dataset: { testid: "media-mic" }, onclick: onMic }, "🎤");
  const camera = el("button", { type: "button", class: "media-button", "aria-pressed": "false", "aria-label": WORDS.cameraOff, title: WORDS.cameraOff, dataset: { testid: "media-camera" }, onclick: onCamera }, "📷");
  const picker = el("div", { class: "media-devices", role: "group", "aria-label": WORDS.devices, hidden: true, dataset: { testid: "media-devices" } });
  const gear = el("button", { type: "button", class: "media-button", "aria-expanded": "false", "aria-label": WORDS.devices, title: WORDS.devices, onclick: togglePicker }, "⚙️");
  const count = el("span", { class: "media-count", "aria-live": "polite", dataset: { testid: "media-count" } });
  slots.toolbar.append(mic, camera, gear, picker, count);

  const strip = el("div", { class: "media-strip", role: "list", "aria-label": WORDS.strip, dataset: { testid: "media-strip" } });
  slots.overlay.append(strip);
  const self = bubble("self", "나 · You");
  self.root.classList.add("media-self");
  self.root.hidden = true;
  strip.append(self.root);
  /** @type {Map<number, ReturnType<typeof bubble>>} */
  const bubbles = new Map();

  function bubble(id, name) {
    const video = el("video", { autoplay: true, playsinline: true, muted: true });
    video.muted = true;
    const initial = el("span", { class: "media-initial", "aria-hidden": "true" });
    const label = el("figcaption", { class: "media-name" });
    const root = el("figure", { class: "media-bubble", role: "listitem", dataset: { peer: String(id), testid: "media-bubble" } }, video, initial, label);
    const entry = { root, video, initial, label };
    setName(entry, name);
    return entry;
  }

  function setName(entry, name) {
    entry.name = name;
    entry.initial.textContent = [...(name || "?")][0].toUpperCase();
  }

  async function togglePicker() {
    const open = picker.hidden;
    picker.hidden = !open;
    gear.setAttribute("aria-expanded", String(open));
    if (!open) return;
    const devices = await listDevices();
    picker.replaceChildren(
      select("audio", "마이크 · Microphone", devices.audio),
      select("video", "카메라 · Camera", devices.video),
    );
  }

  function select(kind, title, list) {
    const choice = el("select", { onchange: (event) => onDevice(kind, event.target.value) },
      el("option", { value: "", text: "기본 · Default" }),
      ...list.map((device) => el("option", { value: device.id, text: device.label })));
    return el("label", { class: "media-device" }, el("span", { text: title }), choice);
  }

  function setVideo(entry, track) {
    if (track) {
      if (entry.video.srcObject?.getVideoTracks?.()[0] !== track) entry.video.srcObject = new MediaStream([track]);
      entry.video.play?.().catch(() => {});
    } else {
      entry.video.srcObject = null;
    }
  }

  const disposers = [listen(slots.overlay, "keydown", (event) => {
    if (event.key === "Escape" && !picker.hidden) togglePicker();
  })];

  return {
    /** The toolbar's pressed states and the peer count. */
    setControls({ micOn, cameraOn, peers }) {
      mic.setAttribute("aria-pressed", String(micOn));
      mic.setAttribute("aria-label", micOn ? WORDS.micOn : WORDS.micOff);
      mic.title = mic.getAttribute("aria-label");
      camera.setAttribute("aria-pressed", String(cameraOn));
      camera.setAttribute("aria-label", cameraOn ? WORDS.cameraOn : WORDS.cameraOff);
      camera.title = camera.getAttribute("aria-label");
      count.textContent = peers > 0 ? `🗣 ${peers}` : "";
    },

    /** The visitor's own camera in the first bubble, mirrored like a mirror. */
    setPreview(track) {
      self.root.hidden = !track;
      setVideo(self, track);
    },

    /** Adds or updates a peer's bubble. */
    setPeer(id, { name, camera: cameraOn, mic: micOn, speaking, muted, video }) {
      let entry = bubbles.get(id);
      if (!entry) {
        entry = bubble(id, name);
        bubbles.set(id, entry);
        strip.append(entry.root);
      }
      if (name && name !== entry.name) setName(entry, name);
      const showVideo = Boolean(cameraOn && video);
      setVideo(entry, showVideo ? video : null);
      entry.root.classList.toggle("has-video", showVideo);
      entry.root.classList.toggle("speaking", Boolean(speaking));
      entry.label.textContent = `${entry.name}${muted ? " 🚫" : micOn ? "" : " 🔇"}`;
    },

    removePeer(id) {
      bubbles.get(id)?.root.remove();
      bubbles.delete(id);
    },

    dispose() {
      for (const dispose of disposers) dispose();
      for (const node of [mic, camera, gear, picker, count, strip]) node.remove();
    },
  };
}
