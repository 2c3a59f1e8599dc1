// The pure parts of proximity voice and video (Web/js/media/): peer-set diffing, the
// perfect-negotiation pattern on crossing offers, the mesh of connections, the gain
// curve, voice activity, devices and ICE configuration. WebRTC itself is stood in by
// fake-rtc.mjs; the real browsers are in Tests/Media.

import { test } from "node:test";
import assert from "node:assert/strict";
import { diffPeers, isPolite } from "../../Web/js/media/peers.js";
import { Negotiation, offerCollides } from "../../Web/js/media/negotiation.js";
import { Mesh } from "../../Web/js/media/mesh.js";
import { EDGE_GAIN, gainFor } from "../../Web/js/media/gain.js";
import { SpeakingDetector, levelDb } from "../../Web/js/media/speaking.js";
import { LocalMedia, deviceErrorText } from "../../Web/js/media/devices.js";
import { IceServers, icePolicyFromUrl } from "../../Web/js/media/ice.js";
import { FakeMediaDevices, FakePeerConnection, FakeTrack, settle } from "./fake-rtc.mjs";

/** Lets every pending promise and timer of the fakes run. */
async function quiet(rounds = 40) {
  for (let i = 0; i < rounds; i++) await settle();
}

test("peer sets: what was added and removed, in order", () => {
  assert.deepEqual(diffPeers([], [5, 2]), { added: [2, 5], removed: [] });
  assert.deepEqual(diffPeers([2, 5, 9], [9, 3]), { added: [3], removed: [2, 5] });
  assert.deepEqual(diffPeers([4], [4]), { added: [], removed: [] });
});

test("the lower id is polite, and both sides agree", () => {
  assert.equal(isPolite(3, 8), true);
  assert.equal(isPolite(8, 3), false);
  for (const [a, b] of [[1, 2], [40, 7]]) assert.notEqual(isPolite(a, b), isPolite(b, a));
});

test("an offer collides while we make one or are not stable", () => {
  const base = { type: "offer", makingOffer: false, signalingState: "stable", settingRemoteAnswer: false };
  assert.equal(offerCollides(base), false);
  assert.equal(offerCollides({ ...base, makingOffer: true }), true);
  assert.equal(offerCollides({ ...base, signalingState: "have-local-offer" }), true);
  assert.equal(offerCollides({ ...base, signalingState: "have-local-offer", settingRemoteAnswer: true }), false);
  assert.equal(offerCollides({ ...base, type: "answer", makingOffer: true }), false);
});

/** Two negotiations wired to each other through an asynchronous channel, like the relay. */
function pair() {
  const a = new FakePeerConnection({}, "a");
  const b = new FakePeerConnection({}, "b");
  const log = [];
  const deliver = (to, from) => (data) => {
    log.push({ from: from.polite ? "polite" : "impolite", ...data });
    setTimeout(() => to.receive(JSON.parse(JSON.stringify(data))), 0);
  };
  const errors = [];
  const polite = new Negotiation({ pc: a, polite: true, signal: (data) => deliver(impolite, polite)(data), onError: (e) => errors.push(e) });
  const impolite = new Negotiation({ pc: b, polite: false, signal: (data) => deliver(polite, impolite)(data), onError: (e) => errors.push(e) });
  return { a, b, polite, impolite, log, errors };
}

test("perfect negotiation: crossing offers settle, the polite side gives way", async () => {
  const { a, b, polite, impolite, log, errors } = pair();
  // Both turn their microphone on at the same moment: both offer.
  a.addTrack(new FakeTrack("audio"));
  b.addTrack(new FakeTrack("audio"));
  await quiet();
  assert.deepEqual(errors, []);
  assert.equal(log.filter((entry) => entry.description?.type === "offer").length >= 2, true);
  assert.equal(impolite.ignored, 1, "the impolite side ignored the offer that crossed its own");
  assert.equal(a.rollbacks, 1, "the polite side rolled its offer back");
  assert.equal(polite.ignored, 0);
  for (const pc of [a, b]) {
    assert.equal(pc.signalingState, "stable");
    assert.equal(pc.unnegotiated, 0, `${pc.name} negotiated its track`);
    assert.equal(pc.connectionState, "connected");
  }
});

test("perfect negotiation: one side alone negotiates, candidates follow the description", async () => {
  const { a, b, errors } = pair();
  b.addTrack(new FakeTrack("video"));
  await quiet();
  b.gather({ candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host", sdpMid: "0" });
  await quiet();
  assert.deepEqual(errors, []);
  assert.equal(a.remoteDescription.type, "offer");
  assert.equal(b.remoteDescription.type, "answer");
  assert.equal(a.candidates.length, 1);
});

function mesh(selfId, sent, extra = {}) {
  const created = [];
  const instance = new Mesh({
    selfId,
    configuration: () => ({ iceServers: [] }),
    createPeerConnection: (configuration) => {
      const pc = new FakePeerConnection(configuration, `${selfId}`);
      created.push(pc);
      return pc;
    },
    send: (to, data) => {
      sent.push({ from: selfId, to, data });
      return true;
    },
    ...extra,
  });
  return { mesh: instance, created };
}

test("the mesh opens and closes one connection per peer as the set changes", () => {
  const sent = [];
  const events = [];
  const { mesh: m, created } = mesh(5, sent, { onLink: (id, link) => events.push([id, link ? "open" : "closed"]) });
  m.update([9, 2]);
  assert.deepEqual([...m.links.keys()].sort(), [2, 9]);
  assert.equal(m.links.get(9).polite, true);
  assert.equal(m.links.get(2).polite, false);
  m.update([9]);
  assert.equal(created.find((pc) => !m.links.has(2) && pc.closed) !== undefined, true);
  assert.deepEqual([...m.links.keys()], [9]);
  // A signal from someone who is not a peer is dropped.
  assert.equal(m.receive(2, JSON.stringify({ description: { type: "offer", sdp: "x" } })), false);
  assert.equal(m.receive(9, "not json"), false);
  m.closeAll();
  assert.equal(m.links.size, 0);
  assert.deepEqual(events, [[2, "open"], [9, "open"], [2, "closed"], [9, "closed"]]);
});

test("the mesh sends the microphone to every peer, and turning it off sends nothing without renegotiating", async () => {
  const { mesh: m, created } = mesh(1, []);
  const mic = new FakeTrack("audio");
  m.setTrack("audio", mic);
  m.update([2, 3]);
  assert.deepEqual(created.map((pc) => pc.senders.map((sender) => sender.track)), [[mic], [mic]]);
  m.setTrack("audio", null);
  await quiet(2);
  for (const pc of created) {
    assert.equal(pc.senders.length, 1);
    assert.deepEqual(pc.senders[0].replaced, [null]);
  }
  const camera = new FakeTrack("video");
  m.setTrack("video", camera);
  assert.deepEqual(created.map((pc) => pc.senders.length), [2, 2]);
});

test("two meshes connect through a relay that only passes signals between peers", async () => {
  const sent = [];
  const one = mesh(1, sent).mesh;
  const two = mesh(2, sent).mesh;
  const byId = { 1: one, 2: two };
  let relayed = 0;
  const pump = async () => {
    while (sent.length > 0) {
      const { from, to, data } = sent.shift();
      if (byId[to].peers.includes(from)) {
        relayed += 1;
        byId[to].receive(from, data);
      }
      await quiet(4);
    }
  };
  one.setTrack("audio", new FakeTrack("audio"));
  two.setTrack("video", new FakeTrack("video"));
  one.update([2]);
  two.update([1]);
  await quiet();
  await pump();
  await quiet();
  await pump();
  assert.ok(relayed >= 2);
  assert.equal(one.links.get(2).state, "connected");
  assert.equal(two.links.get(1).state, "connected");
  assert.equal(one.links.get(2).pc.signalingState, "stable");
  assert.equal(two.links.get(1).pc.signalingState, "stable");
});

test("gain falls evenly in decibels from one tile to the edge of hearing", () => {
  const radius = 4;
  assert.equal(gainFor({ distanceTiles: 0, radius }), 1);
  assert.equal(gainFor({ distanceTiles: 1, radius }), 1);
  assert.ok(Math.abs(gainFor({ distanceTiles: 5, radius }) - EDGE_GAIN) < 1e-12);
  assert.ok(Math.abs(gainFor({ distanceTiles: 3, radius }) - Math.sqrt(EDGE_GAIN)) < 1e-12, "halfway is −10 dB");
  let previous = 2;
  for (let d = 0; d <= 7; d += 0.25) {
    const gain = gainFor({ distanceTiles: d, radius });
    assert.ok(gain <= previous && gain >= EDGE_GAIN);
    previous = gain;
  }
  assert.equal(gainFor({ distanceTiles: 9, radius, sameArea: true }), 1);
  assert.equal(gainFor({ distanceTiles: 0, radius, muted: true }), 0);
});

test("speaking starts after the attack and ends only after a pause", () => {
  const detector = new SpeakingDetector({ onDb: -45, offDb: -55, attackMs: 100, releaseMs: 600 });
  assert.equal(detector.feed(-30, 0), null);
  assert.equal(detector.feed(-30, 50), null);
  assert.equal(detector.feed(-30, 100), true);
  // A short gap between words (and a level between the thresholds) keeps it on.
  assert.equal(detector.feed(-70, 200), null);
  assert.equal(detector.feed(-70, 500), null);
  assert.equal(detector.feed(-50, 700), null);
  assert.equal(detector.feed(-70, 800), null);
  assert.equal(detector.feed(-70, 1399), null);
  assert.equal(detector.feed(-70, 1400), false);
  // A click shorter than the attack does not count.
  assert.equal(detector.feed(-20, 2000), null);
  assert.equal(detector.feed(-70, 2050), null);
  assert.equal(detector.feed(-20, 2100), null);
  assert.equal(detector.speaking, false);
});

test("the level of samples in dBFS", () => {
  assert.ok(Math.abs(levelDb([1, -1, 1, -1])) < 1e-9);
  assert.ok(Math.abs(levelDb([0.1, -0.1]) + 20) < 1e-9);
  assert.equal(levelDb([0, 0]), -Infinity);
});

test("devices open only when turned on, once for two clicks, and stop when turned off", async () => {
  const devices = new FakeMediaDevices();
  const media = new LocalMedia(devices);
  const heard = [];
  media.onTrack(({ kind, track }) => heard.push([kind, track ? track.label : null]));
  assert.equal(devices.requests.length, 0);
  await Promise.all([media.setMic(true), media.setMic(true)]);
  assert.equal(devices.requests.length, 1);
  assert.equal(devices.requests[0].audio.echoCancellation, true);
  const first = media.tracks.audio;
  await media.useDevice("audio", "mic-2");
  assert.equal(first.stopped, true);
  assert.deepEqual(devices.requests[1].audio.deviceId, { exact: "mic-2" });
  await media.setMic(false);
  assert.equal(media.mic, false);
  assert.deepEqual(heard, [["audio", "default"], ["audio", "mic-2"], ["audio", null]]);
  // Choosing a camera while it is off only remembers it.
  await media.useDevice("video", "cam-1");
  assert.equal(devices.requests.length, 2);
  assert.deepEqual(await media.devices(), {
    audio: [{ id: "mic-1", label: "Built-in microphone" }], video: [{ id: "cam-1", label: "1" }],
  });
});

test("a refused permission is an error in words", async () => {
  const media = new LocalMedia(new FakeMediaDevices({ deny: true }));
  await assert.rejects(media.setCamera(true), (error) => error.name === "NotAllowedError");
  assert.equal(media.camera, false);
  assert.match(deviceErrorText({ name: "NotAllowedError" }, "camera"), /카메라 · camera: 권한/);
  assert.match(deviceErrorText({ name: "NotFoundError" }, "mic"), /no such device/);
});

test("ICE servers from the server, relay-only only when TURN is there", () => {
  const ice = new IceServers({ relayOnly: true });
  let changes = 0;
  ice.onChange(() => changes++);
  ice.update({ iceServers: [{ urls: ["stun:127.0.0.1:3478"] }, { urls: "x" }, null, { nope: 1 }] });
  assert.deepEqual(ice.configuration(), { iceServers: [{ urls: ["stun:127.0.0.1:3478"] }, { urls: "x" }] });
  ice.update({
    iceServers: [{ urls: ["turn:127.0.0.1:3478?transport=udp"], username: "1600:7", credential: "c2VjcmV0" }], expires: 1600000,
  });
  assert.deepEqual(ice.configuration(), {
    iceServers: [{ urls: ["turn:127.0.0.1:3478?transport=udp"], username: "1600:7", credential: "c2VjcmV0" }],
    iceTransportPolicy: "relay",
  });
  assert.equal(ice.expires, 1600000);
  assert.equal(changes, 2);
  assert.equal(icePolicyFromUrl("?room=a&ice=relay"), true);
  assert.equal(icePolicyFromUrl("?room=a"), false);
});
