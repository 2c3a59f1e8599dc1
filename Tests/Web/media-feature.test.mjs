// The media feature as a visitor meets it, on the DOM stand-in with fake WebRTC, devices
// and Web Audio (fake-rtc.mjs): nothing asked on arrival, one connection per peer the
// server names and none after it takes a peer out, a voice that falls with distance and
// goes silent at once when a moderator mutes it, a new negotiation after a resume,
// speaking rings, the device picker, and nothing left behind. The real browsers are in
// Tests/Media.

import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { domPerTest } from "./dom.mjs";
import { FakeSession, fakeRenderer, fakeToaster, plaza, UNITS } from "./fake-session.mjs";
import { el } from "../../Web/js/dom.js";
import { mediaFeature } from "../../Web/js/media/feature.js";
import { PeerAudio } from "../../Web/js/media/audio.js";
import { EDGE_GAIN, gainFor } from "../../Web/js/media/gain.js";
import { FakeAudioContext, FakeMediaDevices, FakeMediaStream, FakePeerConnection, FakeTrack, settle } from "./fake-rtc.mjs";

const attached = domPerTest({ beforeEach, afterEach });

/** The browser globals the feature reads, replaced for one test and put back after it. */
let restoreGlobals = null;
afterEach(() => {
  restoreGlobals?.();
  restoreGlobals = null;
  FakeAudioContext.level = 0;
  FakeAudioContext.made = [];
});

function installGlobals(values) {
  const saved = {};
  for (const [key, value] of Object.entries(values)) {
    saved[key] = Object.getOwnPropertyDescriptor(globalThis, key);
    Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  restoreGlobals = () => {
    for (const [key, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(globalThis, key, descriptor);
      else delete globalThis[key];
    }
  };
}

async function quiet(rounds = 40) {
  for (let i = 0; i < rounds; i++) await settle();
}

/** Waits until `condition()` holds, failing after `ms` (real timers: the level meter's). */
async function until(condition, ms, what) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Attaches the media feature to a fake session on the plaza, the visitor (id 1 unless
 * told) on tile (10, 10). Returns the parts a test looks at.
 */
function setUp({ selfId = 1, audioContext = true } = {}) {
  const devices = new FakeMediaDevices();
  const connections = [];
  class RecordedPeerConnection extends FakePeerConnection {
    constructor(configuration) {
      super(configuration, `pc${connections.length + 1}`);
      connections.push(this);
    }
  }
  installGlobals({
    RTCPeerConnection: RecordedPeerConnection,
    navigator: { mediaDevices: devices },
    location: { search: "?room=plaza" },
    MediaStream: FakeMediaStream,
    AudioContext: audioContext ? FakeAudioContext : undefined,
  });
  const audioElements = [];
  const createElement = document.createElement.bind(document);
  document.createElement = (tag) => {
    const element = createElement(tag);
    if (tag === "audio") audioElements.push(element);
    return element;
  };
  const session = new FakeSession({ map: plaza(), selfId });
  session.place(10, 10);
  const renderer = fakeRenderer();
  const toaster = fakeToaster();
  const slots = { toolbar: el("div"), overlay: el("div"), panel: el("div") };
  document.body.append(slots.toolbar, slots.overlay, slots.panel);
  const feature = mediaFeature.attach({ session, renderer, toaster, slots });
  attached.push(feature);
  const button = (testid) => document.querySelector(`[data-testid="${testid}"]`);
  const bubbles = () => [...document.querySelectorAll('[data-testid="media-bubble"]')].filter((b) => b.dataset.peer !== "self");
  /** The <audio> element playing a peer's voice (it lives outside the document). */
  const audioOf = (peerId) => audioElements.find((element) => element.dataset.peer === String(peerId) && element.srcObject) ?? null;
  const link = (peerId) => feature.snapshot().links.find((entry) => entry.id === peerId);
  return { session, renderer, toaster, slots, feature, devices, connections, button, bubbles, audioOf, link };
}

/** Peers `ids` on the tiles given, as the server's state shows them. */
function peersAt(session, places) {
  for (const [id, x, y, extra = {}] of places) session.place(x, y, id, extra);
}

const offersTo = (session, to) => session.sentOf("rtc_signal")
  .filter((message) => message.to === to && JSON.parse(message.data).description?.type === "offer").length;

test("nothing is asked on arrival; a device is asked for when turned on, and the server hears what is on", async () => {
  const { session, devices, button, feature } = setUp();
  await quiet();
  assert.equal(devices.requests.length, 0, "no permission prompt on arrival");
  assert.deepEqual(session.sentOf("media"), []);
  assert.equal(button("media-mic").getAttribute("aria-pressed"), "false");

  button("media-mic").click();
  await quiet();
  assert.deepEqual(devices.requests.map((request) => Object.keys(request)), [["audio"]], "the microphone only");
  assert.deepEqual(session.sentOf("media").at(-1), { type: "media", mic: true, camera: false });
  assert.equal(button("media-mic").getAttribute("aria-pressed"), "true");

  button("media-camera").click();
  await quiet();
  assert.deepEqual(devices.requests.map((request) => Object.keys(request)), [["audio"], ["video"]]);
  const preview = document.querySelector('[data-peer="self"]');
  assert.equal(preview.hidden, false, "the camera preview shows");

  button("media-mic").click();
  await quiet();
  assert.deepEqual(session.sentOf("media").at(-1), { type: "media", mic: false, camera: true });
  assert.equal(feature.snapshot().mic, false);
});

test("the server's peer set opens one connection per peer, and a peer it takes out is hung up at once", async () => {
  const { session, connections, button, bubbles, audioOf, feature, slots } = setUp();
  peersAt(session, [[2, 11, 10, { name: "Bo" }], [3, 12, 10, { name: "Cy" }]]);
  button("media-mic").click();
  await quiet();
  session.emit("av_peers", { type: "av_peers", peers: [3, 2] });
  await quiet();
  assert.equal(connections.length, 2);
  assert.deepEqual(feature.snapshot().peers, [2, 3]);
  assert.deepEqual(bubbles().map((bubble) => bubble.dataset.peer), ["2", "3"]);
  assert.match(slots.toolbar.textContent, /🗣 2/);
  // Our microphone goes to both; each connection offers it to its peer.
  assert.equal(offersTo(session, 2), 1);
  assert.equal(offersTo(session, 3), 1);
  connections[0].ontrack({ track: new FakeTrack("audio") });
  assert.ok(audioOf(2), "Bo's voice plays");

  // Bo is kicked (or walks away): the next set leaves him out.
  session.emit("av_peers", { type: "av_peers", peers: [3] });
  assert.equal(connections[0].closed, true, "Bo's connection closed with the message, not later");
  assert.equal(audioOf(2), null, "and his voice with it");
  assert.deepEqual(bubbles().map((bubble) => bubble.dataset.peer), ["3"]);
  assert.deepEqual(feature.snapshot().links.map((entry) => entry.id), [3]);
  // Whatever Bo's page still sends is dropped, and opens nothing.
  session.emit("rtc_signal", { type: "rtc_signal", from: 2, data: JSON.stringify({ description: { type: "offer", sdp: "x" } }) });
  await quiet();
  assert.equal(connections.length, 2);

  session.emit("av_peers", { type: "av_peers", peers: [] });
  assert.equal(connections[1].closed, true);
  assert.deepEqual(bubbles(), []);
  assert.equal(slots.toolbar.textContent.includes("🗣"), false);
});

test("a signal from a peer reaches its connection and the answer goes back through the server", async () => {
  const { session, connections, toaster, feature } = setUp({ selfId: 5 });
  peersAt(session, [[2, 11, 10]]);
  session.emit("av_peers", { type: "av_peers", peers: [2] });
  session.emit("rtc_signal", { type: "rtc_signal", from: 2, data: JSON.stringify({ description: { type: "offer", sdp: "v=0" } }) });
  await quiet();
  assert.equal(connections[0].remoteDescription.type, "offer");
  const answers = session.sentOf("rtc_signal").filter((message) => JSON.parse(message.data).description?.type === "answer");
  assert.deepEqual(answers.map((message) => message.to), [2]);
  // A refusal (the set changed under a signal) is counted, not shown.
  session.emit("error", { type: "error", code: "not_a_peer", message: "" });
  assert.equal(feature.snapshot().refusedSignals, 1);
  assert.deepEqual(toaster.shown, []);
  assert.equal(connections.length, 1);
});

test("a voice falls with distance, is whole inside a shared area, and a moderator's mute silences it at once", async () => {
  const { session, connections, button, link, audioOf } = setUp();
  peersAt(session, [[2, 13, 10, { name: "Bo", mic: true }]]);
  button("media-mic").click(); // a user gesture: the audio context starts
  await quiet();
  session.emit("av_peers", { type: "av_peers", peers: [2] });
  connections[0].ontrack({ track: new FakeTrack("audio") });
  const [context] = FakeAudioContext.made;
  const gainNode = context.gains[0];
  const at = (tiles) => gainFor({ distanceTiles: tiles, radius: 4 });
  assert.ok(Math.abs(link(2).gain - at(3)) < 1e-9, "three tiles away: −10 dB from the first sample");
  assert.ok(Math.abs(gainNode.gain.value - at(3)) < 1e-9);
  assert.equal(audioOf(2).muted, true, "Web Audio plays it, the element only holds the stream");

  peersAt(session, [[2, 11, 10]]);
  session.emit("world", { entered: [], left: [] });
  assert.equal(link(2).gain, 1, "a tile away: full");
  assert.equal(gainNode.gain.calls.at(-1).kind, "target", "eased, never a click");
  peersAt(session, [[2, 14, 10]]);
  session.emit("world", { entered: [], left: [] });
  assert.ok(link(2).gain < at(3) && link(2).gain > EDGE_GAIN);

  // The moderator mutes Bo; his page keeps sending audio and claims to speak.
  session.world.avatars.get(2).muted = true;
  session.world.avatars.get(2).speaking = true;
  session.emit("world", { entered: [], left: [] });
  assert.equal(link(2).gain, 0);
  assert.equal(gainNode.gain.value, 0);
  assert.equal(gainNode.gain.calls.at(-1).kind, "set", "silent at once, not eased");
  // A new track from him (a renegotiation) starts silent too.
  connections[0].ontrack({ track: new FakeTrack("audio") });
  assert.equal(context.gains.at(-1).gain.value, 0);
  assert.match(document.querySelector('[data-peer="2"] .media-name').textContent, /🚫/);

  session.world.avatars.get(2).muted = false;
  session.emit("world", { entered: [], left: [] });
  assert.ok(link(2).gain > 0);

  // The plaza's private table (an area): whole volume whatever the distance inside it.
  const table = session.map.areas[0].rect;
  session.place(table.x, table.y);
  peersAt(session, [[2, table.x + table.width - 1, table.y + table.height - 1]]);
  session.emit("world", { entered: [], left: [] });
  assert.ok(at(Math.hypot(table.width - 1, table.height - 1)) < 0.5, "this far apart outside an area would be faint");
  assert.equal(link(2).gain, 1);
});

test("without Web Audio a peer plays from its element, at the gain as volume, muted when silenced", () => {
  installGlobals({ MediaStream: FakeMediaStream });
  const audio = new PeerAudio({ AudioContextClass: undefined, documentRef: document });
  audio.attach(4, new FakeTrack("audio"), 0);
  const element = audio.peers.get(4).element;
  assert.equal(element.muted, true, "a muted peer starts silent");
  audio.setGain(4, 0.5);
  assert.equal(element.muted, false);
  assert.equal(element.volume, 0.5);
  audio.setGain(4, 0);
  assert.equal(element.muted, true);
  audio.detach(4);
  assert.equal(element.srcObject, null);
});

test("after a resume the old connections close, what is on is said again, and the new set negotiates afresh", async () => {
  const { session, connections, button, feature } = setUp();
  peersAt(session, [[2, 11, 10]]);
  button("media-mic").click();
  await quiet();
  session.emit("av_peers", { type: "av_peers", peers: [2] });
  await quiet();
  assert.equal(offersTo(session, 2), 1);
  const mediaBefore = session.sentOf("media").length;

  session.emit("welcome", { welcome: { you: { id: 1, name: "Me", role: "participant" }, room: session.room }, first: false });
  assert.equal(connections[0].closed, true, "the dead page's connection is gone");
  assert.deepEqual(feature.snapshot().peers, []);
  assert.deepEqual(session.sentOf("media").slice(mediaBefore), [{ type: "media", mic: true, camera: false }]);

  session.emit("av_peers", { type: "av_peers", peers: [2] });
  await quiet();
  assert.equal(connections.length, 2, "a new connection");
  assert.deepEqual(connections[1].senders.map((sender) => sender.track?.kind), ["audio"], "with the microphone on it");
  assert.equal(offersTo(session, 2), 2, "offered again");

  // A fresh join with a new id flips who is polite.
  session.emit("welcome", { welcome: { you: { id: 9, name: "Me", role: "participant" }, room: session.room }, first: false });
  session.emit("av_peers", { type: "av_peers", peers: [2] });
  assert.equal(feature.snapshot().links[0].polite, false);
});

test("speaking: the microphone's level tells the server, and speakers get a ring on the map and in their bubble", async () => {
  const { session, button, renderer, connections } = setUp();
  peersAt(session, [[2, 11, 10, { name: "Bo", speaking: true }], [3, 12, 10, { name: "Cy" }], [4, 20, 20, { speaking: true }]]);
  button("media-mic").click();
  await quiet();
  FakeAudioContext.level = 0.5; // about −6 dBFS: talking
  await until(() => session.sentOf("media").some((message) => message.speaking === true), 3000, "speaking was not reported");
  FakeAudioContext.level = 0;
  await until(() => session.sentOf("media").some((message) => message.speaking === false), 5000, "the pause was not reported");

  session.emit("av_peers", { type: "av_peers", peers: [2, 3] });
  session.emit("world", { entered: [], left: [] });
  assert.equal(document.querySelector('[data-peer="2"]').classList.contains("speaking"), true);
  assert.equal(document.querySelector('[data-peer="3"]').classList.contains("speaking"), false);

  const arcs = [];
  const context = new Proxy({}, {
    get: (target, key) => (key === "arc" ? (x, y) => arcs.push({ x, y }) : key in target ? target[key] : () => {}),
    set: (target, key, value) => {
      target[key] = value;
      return true;
    },
  });
  for (const draw of renderer.layers) draw(context, { ppu: 1, zoom: 1, now: 0 });
  assert.deepEqual(arcs, [{ x: 11.5 * UNITS, y: 10.5 * UNITS }], "Bo's ring only: Cy is quiet, #4 is no peer of ours");
  assert.equal(connections.length, 2);
});

test("the device picker lists microphones and cameras and switches the one that is on", async () => {
  const { devices, button } = setUp();
  button("media-mic").click();
  await quiet();
  const gear = document.querySelector('[aria-label="장치 선택 · Choose devices"]');
  gear.click();
  await quiet();
  const picker = button("media-devices");
  assert.equal(picker.hidden, false);
  const [micChoice, cameraChoice] = picker.querySelectorAll("select");
  assert.deepEqual([...micChoice.querySelectorAll("option")].map((option) => option.getAttribute("value")), ["", "mic-1"]);
  assert.deepEqual([...cameraChoice.querySelectorAll("option")].map((option) => option.textContent), ["기본 · Default", "1"]);
  micChoice.value = "mic-1";
  micChoice.dispatchEvent(new Event("change", { bubbles: true }));
  await quiet();
  assert.deepEqual(devices.requests.at(-1).audio.deviceId, { exact: "mic-1" });
  cameraChoice.value = "cam-1";
  cameraChoice.dispatchEvent(new Event("change", { bubbles: true }));
  await quiet();
  assert.equal(devices.requests.length, 2, "a camera that is off is only remembered");
  gear.click();
  assert.equal(picker.hidden, true);
});

test("a peer's bubble shows its video only while its camera is on, and its initial otherwise", () => {
  const { session, connections, bubbles } = setUp();
  peersAt(session, [[2, 11, 10, { name: "bo", camera: true }]]);
  session.emit("av_peers", { type: "av_peers", peers: [2] });
  const [bubble] = bubbles();
  assert.equal(bubble.querySelector(".media-initial").textContent, "B");
  assert.equal(bubble.classList.contains("has-video"), false, "no track yet");
  const camera = new FakeTrack("video");
  connections[0].ontrack({ track: camera });
  assert.equal(bubble.classList.contains("has-video"), true);
  assert.deepEqual(bubble.querySelector("video").srcObject.getVideoTracks(), [camera]);
  session.world.avatars.get(2).camera = false;
  session.emit("world", { entered: [], left: [] });
  assert.equal(bubble.classList.contains("has-video"), false);
  assert.equal(bubble.querySelector("video").srcObject, null);
  assert.match(bubble.querySelector(".media-name").textContent, /bo 🔇/);
});

test("leaving stops the devices, hangs up every connection and leaves nothing behind", async () => {
  const { session, connections, button, feature, devices, slots, renderer } = setUp();
  peersAt(session, [[2, 11, 10]]);
  button("media-mic").click();
  button("media-camera").click();
  await quiet();
  session.emit("av_peers", { type: "av_peers", peers: [2] });
  const tracks = connections[0].senders.map((sender) => sender.track);
  assert.equal(tracks.length, 2);
  assert.equal(devices.requests.length, 2);
  attached.splice(attached.indexOf(feature), 1);
  feature.dispose();
  assert.ok(tracks.every((track) => track.stopped), "the recording light goes out");
  assert.equal(connections[0].closed, true);
  assert.equal(session.listenerCount, 0);
  assert.equal(renderer.layers.size, 0);
  assert.equal(slots.toolbar.children.length + slots.overlay.children.length, 0);
  assert.equal(FakeAudioContext.made[0].state, "closed");
});
