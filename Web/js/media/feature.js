// Proximity voice and video, plugged into the room (features.js). The server decides
// who talks with whom (`av_peers`) and relays the WebRTC signalling between them
// (`rtc_signal`); the browser opens one RTCPeerConnection per peer and plays each voice
// at a volume that falls with distance. Media never passes through the server.

import { Mesh } from "./mesh.js";
import { LocalMedia, deviceErrorText } from "./devices.js";
import { IceServers, icePolicyFromUrl } from "./ice.js";
import { PeerAudio } from "./audio.js";
import { SpeakingDetector, levelDb } from "./speaking.js";
import { gainFor } from "./gain.js";
import { createMediaView } from "./view.js";
import { listen } from "../dom.js";

/** How often peer volumes follow the avatars' distances. */
const GAIN_MS = 200;
/** How often the microphone's level is read for the speaking ring. */
const LEVEL_MS = 100;
/** The map property's default, for a server that does not say (welcome.room.avRadius). */
const DEFAULT_AV_RADIUS = 4;

export const mediaFeature = { name: "media", attach };

function attach({ session, renderer, toaster, slots }) {
  if (typeof RTCPeerConnection === "undefined") return { dispose() {}, snapshot: () => ({ supported: false }) };
  const ice = new IceServers({ relayOnly: icePolicyFromUrl(location.search) });
  const local = new LocalMedia(navigator.mediaDevices);
  const audio = new PeerAudio();
  const remoteVideo = new Map();
  /** Peers whose voice this visitor hears through the stage (set by the stage feature). */
  let fromStage = new Set();
  let refusedSignals = 0;
  let speaking = null;

  const mesh = new Mesh({
    selfId: session.welcome.you.id,
    configuration: () => ice.configuration(),
    createPeerConnection: (configuration) => new RTCPeerConnection(configuration),
    send: (to, data) => session.send("rtc_signal", { to, data }),
    onTrack: (peerId, kind, track) => {
      // The gain is right from the first sample: a muted peer is never heard.
      if (kind === "audio") audio.attach(peerId, track, gainOf(peerId) ?? 1);
      else remoteVideo.set(peerId, track);
      refreshPeer(peerId);
    },
    onLink: (peerId, link) => {
      if (!link) {
        audio.detach(peerId);
        remoteVideo.delete(peerId);
        view.removePeer(peerId);
      } else {
        refreshPeer(peerId);
      }
      refreshControls();
    },
    onError: (error, peerId) => console.warn(`Atrium media: peer ${peerId}`, error),
  });

  const view = createMediaView({
    slots,
    onMic: () => toggle("audio"),
    onCamera: () => toggle("video"),
    listDevices: () => local.devices(),
    onDevice: (kind, id) => local.useDevice(kind, id).catch((error) => toaster.show(deviceErrorText(error, kind === "audio" ? "mic" : "camera"), { kind: "error" })),
  });

  function toggle(kind) {
    audio.resume();
    const turnOn = !local.tracks[kind];
    const action = kind === "audio" ? local.setMic(turnOn) : local.setCamera(turnOn);
    action.catch((error) => toaster.show(deviceErrorText(error, kind === "audio" ? "mic" : "camera"), { kind: "error" }));
  }

  function refreshControls() {
    view.setControls({ micOn: local.mic, cameraOn: local.camera, peers: mesh.links.size });
  }

  function refreshPeer(peerId) {
    if (!mesh.links.has(peerId)) return;
    const avatar = session.world.avatars.get(peerId);
    view.setPeer(peerId, {
      name: avatar?.name ?? `#${peerId}`, camera: avatar?.camera ?? false, mic: avatar?.mic ?? false,
      speaking: avatar?.speaking ?? false, muted: avatar?.muted ?? false, video: remoteVideo.get(peerId),
    });
  }

  /** Tells the server what is on, so others see it without a connection. */
  function announce() {
    session.send("media", { mic: local.mic, camera: local.camera });
  }

  // ---- The microphone's level, for the speaking ring ----

  function watchLevel(track) {
    speaking?.stop();
    speaking = null;
    if (!track || !audio.AudioContextClass) return;
    try {
      audio.resume();
      const context = audio.context;
      const source = context.createMediaStreamSource(new MediaStream([track]));
      const analyser = context.createAnalyser();
      analyser.fftSize = 1024;
      source.connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      const detector = new SpeakingDetector();
      const timer = setInterval(() => {
        analyser.getFloatTimeDomainData(samples);
        const change = detector.feed(levelDb(samples), performance.now());
        if (change !== null) session.send("media", { speaking: change });
      }, LEVEL_MS);
      speaking = {
        stop() {
          clearInterval(timer);
          source.disconnect();
          if (detector.speaking) session.send("media", { speaking: false });
        },
      };
    } catch (error) {
      console.warn("Atrium media: no level meter", error);
    }
  }

  // ---- Volume by distance ----

  /**
   * The gain for a peer's voice now, or null while a position is unknown (a moderator's
   * mute is 0 regardless, and so is a voice heard from the stage: never twice).
   */
  function gainOf(peerId) {
    const muted = session.world.avatars.get(peerId)?.muted ?? false;
    if (muted || fromStage.has(peerId)) return 0;
    const me = session.myPosition();
    const other = session.avatarPosition(peerId);
    if (!me || !other) return null;
    const map = session.map;
    const unitsPerTile = session.unitsPerTile;
    const areaOf = (p) => (map ? map.areaIndex(Math.floor(p.x / unitsPerTile), Math.floor(p.y / unitsPerTile)) : -1);
    const myArea = areaOf(me);
    return gainFor({
      distanceTiles: Math.hypot(other.x - me.x, other.y - me.y) / unitsPerTile,
      radius: session.room?.avRadius ?? DEFAULT_AV_RADIUS, sameArea: myArea >= 0 && myArea === areaOf(other), muted,
    });
  }

  function updateGains() {
    for (const peerId of mesh.links.keys()) {
      const gain = gainOf(peerId);
      if (gain !== null) audio.setGain(peerId, gain);
    }
  }

  // ---- Speaking rings on the map ----

  const offLayer = renderer.addLayer((ctx, { ppu, zoom, now }) => {
    for (const peerId of [...mesh.links.keys(), session.world.selfId]) {
      const avatar = session.world.avatars.get(peerId);
      if (!avatar?.speaking) continue;
      const p = session.avatarPosition(peerId, now);
      if (!p) continue;
      const pulse = 0.6 + 0.3 * Math.sin(now / 180);
      ctx.strokeStyle = `rgba(40,180,90,${pulse})`;
      ctx.lineWidth = 3 / zoom;
      ctx.beginPath();
      ctx.arc(p.x * ppu, p.y * ppu, session.unitsPerTile * ppu * 0.62, 0, Math.PI * 2);
      ctx.stroke();
    }
  });

  const gainTimer = setInterval(updateGains, GAIN_MS);
  const disposers = [
    offLayer,
    () => clearInterval(gainTimer),
    local.onTrack(({ kind, track }) => {
      mesh.setTrack(kind, track);
      if (kind === "video") view.setPreview(track);
      else watchLevel(track);
      announce();
      refreshControls();
    }),
    session.on("av_peers", (message) => {
      if (Array.isArray(message.peers)) mesh.update(message.peers.filter(Number.isInteger));
    }),
    session.on("rtc_signal", (message) => {
      if (Number.isInteger(message.from) && typeof message.data === "string") mesh.receive(message.from, message.data);
    }),
    session.on("ice_servers", (message) => {
      ice.update(message);
      mesh.refreshConfiguration();
    }),
    session.on("error", (error) => {
      // A signal that crossed a change of the peer set; the next av_peers settles it.
      if (error.code === "not_a_peer") refusedSignals += 1;
    }),
    session.on("welcome", ({ welcome, first }) => {
      if (first) return;
      // After a resume (or a fresh join) the old connections are dead: the server takes
      // the avatar out of every set and sends the new set; what is on is said again.
      mesh.closeAll();
      mesh.selfId = welcome.you.id;
      if (local.mic || local.camera) announce();
    }),
    session.on("world", () => {
      // A moderator's mute silences the peer with this state message, not a timer later.
      updateGains();
      for (const peerId of mesh.links.keys()) refreshPeer(peerId);
    }),
    listen(document, "pointerdown", () => audio.resume(), { once: true }),
  ];
  refreshControls();

  return {
    /** The devices and ICE servers, shared with the stage (one microphone for both). */
    local,
    ice,
    /** The avatars heard through the stage: their voice in the mesh goes silent meanwhile. */
    setStageVoices(ids) {
      fromStage = new Set(ids);
      updateGains();
    },
    dispose() {
      for (const dispose of disposers) dispose();
      speaking?.stop();
      mesh.closeAll();
      local.stop();
      audio.dispose();
      view.dispose();
    },
    /** For tests and the debug hook: what is on, who is connected, and `stats()` (a promise). */
    snapshot() {
      return {
        supported: true,
        mic: local.mic,
        camera: local.camera,
        relayOnly: ice.relayOnly,
        iceServers: ice.servers.length,
        peers: [...mesh.peers],
        refusedSignals,
        links: [...mesh.links.values()].map((link) => ({
          id: link.peerId, polite: link.polite, state: link.state, signaling: link.pc.signalingState,
          ignoredOffers: link.negotiation.ignored, gain: audio.gainOf(link.peerId) ?? null,
        })),
        stats: () => collectStats(mesh),
      };
    },
  };
}

/** Per peer: inbound audio and video bytes, and the candidate types of the path in use. */
async function collectStats(mesh) {
  const result = [];
  for (const link of mesh.links.values()) {
    const report = await link.pc.getStats();
    const entry = { id: link.peerId, state: link.state, audioBytesIn: 0, videoBytesIn: 0, audioBytesOut: 0, videoBytesOut: 0, local: null, remote: null };
    const byId = new Map();
    report.forEach((stat) => byId.set(stat.id, stat));
    for (const stat of byId.values()) {
      if (stat.type === "inbound-rtp") entry[stat.kind === "video" ? "videoBytesIn" : "audioBytesIn"] += stat.bytesReceived ?? 0;
      if (stat.type === "outbound-rtp") entry[stat.kind === "video" ? "videoBytesOut" : "audioBytesOut"] += stat.bytesSent ?? 0;
      if (stat.type === "transport" && stat.selectedCandidatePairId) {
        const pair = byId.get(stat.selectedCandidatePairId);
        entry.local = byId.get(pair?.localCandidateId)?.candidateType ?? null;
        entry.remote = byId.get(pair?.remoteCandidateId)?.candidateType ?? null;
      }
    }
    result.push(entry);
  }
  return result;
}
