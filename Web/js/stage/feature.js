// The stage, plugged into the room (features.js): the server decides who is on air and
// hands out Janus grants; this feature watches every live feed through Janus's VideoRoom,
// publishes the visitor's microphone and camera (or screen) while the room has them on
// air, and falls back to the map's external stream when the stage has no video. It uses
// the media feature's devices and ICE servers, so one microphone serves both.

import { JanusSession } from "./janus.js";
import { Publisher, Subscriber } from "./videoroom.js";
import { StageModel, renewDelayMs } from "./model.js";
import { diffPeers } from "../media/peers.js";
import { createStageView } from "./view.js";
import { IceServers, icePolicyFromUrl } from "../media/ice.js";

/** Without video, ask again this often: Janus may come back. */
const RETRY_MS = 15_000;

export const stageFeature = { name: "stage", attach };

function attach({ session, toaster, slots, features }) {
  const supported = typeof RTCPeerConnection !== "undefined";
  const media = features?.get("media");
  const ice = media?.ice ?? new IceServers({ relayOnly: icePolicyFromUrl(location.search) });
  const local = media?.local ?? null;
  const model = new StageModel(session.welcome.you.id);
  const moderator = session.role === "moderator";
  /** @type {Map<number, Subscriber>} */
  const subscribers = new Map();
  /** @type {Map<number, MediaStream>} */
  const streams = new Map();
  /** Broadcasts this moderator stopped, to start again: [{id, name}]. */
  let stopped = [];
  let janus = null;
  let opening = null;
  let video = null; // null: not known yet; false: no Janus; true: grants come
  let watchGrant = null;
  let publisher = null;
  let publishing = "off"; // off | asking | starting | on
  let screen = null;
  let renewTimer = null;
  let retryTimer = null;
  let disposed = false;
  const refs = new Set();

  const view = createStageView({
    slots, moderator,
    actions: {
      onHand: () => session.request("stage_hand", { up: !model.handUp }, "stage"),
      onShare: () => toggleScreen(),
      onStop: (id) => {
        const name = model.nameOf(id);
        stopped = [...stopped.filter((entry) => entry.id !== id), { id, name }];
        session.request("stage_air", { avatar: id, on: false }, "stage");
        render();
      },
      onStart: (id) => {
        stopped = stopped.filter((entry) => entry.id !== id);
        session.request("stage_air", { avatar: id, on: true }, "stage");
        render();
      },
      onSpotlight: (id) => session.request("spotlight", { avatar: id, on: true }, "stage"),
      onDismiss: (id) => session.request("stage_dismiss", { avatar: id }, "stage"),
    },
  });
  view.setStreamUrl(session.room?.streamUrl);

  function render() {
    view.render({ model, video: video === true, stopped, sharing: screen !== null, canShare: publishing === "on" });
  }

  function ask(type) {
    const ref = session.request(type, {}, "stage");
    if (ref) refs.add(ref);
    return ref;
  }

  function watch() {
    clearTimeout(retryTimer);
    if (supported && !disposed) ask("stage_watch");
  }

  // ---- Janus ----

  function ensureJanus(grant) {
    if (janus && !janus.closed && janus.url === grant.url) {
      janus.setToken(grant.token);
      return opening;
    }
    janus?.close();
    const created = new JanusSession({ url: grant.url, token: grant.token });
    janus = created;
    created.onClose = () => {
      if (janus !== created || disposed) return;
      lost();
    };
    opening = created.open().catch((error) => {
      console.warn("Atrium stage: Janus", error);
      if (janus === created) lost();
      throw error;
    });
    return opening;
  }

  /** Janus went away: everything through it ended; ask again later. */
  function lost() {
    janus = null;
    opening = null;
    video = false;
    for (const feed of [...subscribers.keys()]) drop(feed);
    endPublishing();
    render();
    clearTimeout(retryTimer);
    retryTimer = setTimeout(watch, RETRY_MS);
  }

  function configuration() {
    return ice.configuration();
  }

  // ---- Watching ----

  function sync() {
    render();
    if (video === true && watchGrant && janus && !janus.closed) {
      // The same diff as the mesh's peer sets: the feeds to subscribe to and to drop.
      const { added: add, removed: remove } = diffPeers([...subscribers.keys()], model.feeds);
      for (const feed of remove) drop(feed);
      for (const feed of add) subscribe(feed);
      for (const feed of subscribers.keys()) view.setName(feed, model.nameOf(feed));
      if (add.length > 0 || remove.length > 0) tellMedia();
    }
    if (model.mayPublish && publishing === "off" && video === true) {
      publishing = "asking";
      ask("stage_publish");
    } else if (!model.mayPublish && publishing !== "off") {
      endPublishing();
    }
  }

  /** What the mesh must not play twice: the voices arriving through the stage. */
  function tellMedia() {
    media?.setStageVoices?.([...subscribers.keys()]);
  }

  function subscribe(feed) {
    const stream = new MediaStream();
    streams.set(feed, stream);
    view.addFeed(feed, model.nameOf(feed));
    const subscriber = new Subscriber({
      session: janus, grant: watchGrant, feed, createPeerConnection: (c) => new RTCPeerConnection(c), configuration: configuration(),
      onTrack: (track) => {
        stream.addTrack(track);
        view.setStream(feed, stream);
      },
      onEnded: () => {
        if (subscribers.get(feed) !== subscriber) return;
        subscribers.delete(feed);
        streams.delete(feed);
        view.removeFeed(feed);
        tellMedia();
        // Still live by the server's word (a Janus hiccup): the next stage message or sync re-subscribes.
        render();
      },
    });
    subscribers.set(feed, subscriber);
    subscriber.start().catch((error) => {
      console.warn(`Atrium stage: watching feed ${feed}`, error);
      if (subscribers.get(feed) === subscriber) drop(feed);
    });
  }

  function drop(feed) {
    const subscriber = subscribers.get(feed);
    subscribers.delete(feed);
    streams.delete(feed);
    subscriber?.close();
    view.removeFeed(feed);
    tellMedia();
  }

  // ---- Publishing ----

  async function publish(grant) {
    if (!model.mayPublish || publishing !== "asking") return;
    publishing = "starting";
    try {
      await ensureJanus(grant);
      const next = new Publisher({
        session: janus, grant, display: session.me?.name ?? "", createPeerConnection: (c) => new RTCPeerConnection(c),
        configuration: configuration(),
      });
      publisher = next;
      next.onEnded = () => {
        if (publisher !== next) return;
        publisher = null;
        publishing = "off";
        stopScreen();
        render();
      };
      await next.start({ audio: local?.tracks.audio ?? null, video: screen ?? local?.tracks.video ?? null });
      if (publisher === next) publishing = "on";
    } catch (error) {
      console.warn("Atrium stage: publishing", error);
      publisher?.close();
      publisher = null;
      publishing = "off";
    }
    render();
  }

  function endPublishing() {
    publisher?.close();
    publisher = null;
    publishing = "off";
    stopScreen();
    render();
  }

  async function toggleScreen() {
    if (screen) {
      stopScreen();
      return;
    }
    if (!navigator.mediaDevices?.getDisplayMedia) return;
    try {
      const capture = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      const track = capture.getVideoTracks()[0];
      if (!track || !publisher) {
        track?.stop();
        return;
      }
      screen = track;
      track.addEventListener("ended", () => {
        if (screen === track) stopScreen();
      });
      await publisher.replaceTrack("video", track);
    } catch (error) {
      console.warn("Atrium stage: screen sharing", error);
    }
    render();
  }

  function stopScreen() {
    if (!screen) return;
    const track = screen;
    screen = null;
    track.stop();
    publisher?.replaceTrack("video", local?.tracks.video ?? null);
    render();
  }

  // ---- The server ----

  function granted(message) {
    if (typeof message.url !== "string" || !Number.isFinite(message.room)) return;
    if (Number.isInteger(message.feed)) {
      publish(message);
      return;
    }
    watchGrant = message;
    video = true;
    clearTimeout(renewTimer);
    renewTimer = setTimeout(watch, renewDelayMs(message, Date.now()));
    ensureJanus(message).then(sync, () => {});
    render();
  }

  const disposers = [
    session.on("stage", (message) => {
      model.update(message);
      sync();
    }),
    session.on("stage_grant", (message) => granted(message)),
    session.on("error", (error) => {
      if (!refs.has(error.ref)) return;
      refs.delete(error.ref);
      if (error.code === "stage_unavailable") {
        video = false;
        if (publishing === "asking") publishing = "off";
        render();
        clearTimeout(retryTimer);
        retryTimer = setTimeout(watch, RETRY_MS);
      } else if (error.code === "stage_refused" && publishing === "asking") {
        // Off air again before the grant: the next stage message decides.
        publishing = "off";
      }
    }),
    session.on("stage_grant", (message) => refs.delete(message.ref)),
    () => media?.setStageVoices?.([]),
    session.on("welcome", ({ welcome, first }) => {
      if (first) return;
      // A reconnection: the server sends the running stage again; Janus connections stay.
      model.reset(welcome.you.id);
      endPublishing();
      watch();
    }),
    session.on("mod_ok", () => render()),
    local ? local.onTrack(({ kind, track }) => {
      if (publisher && !(kind === "video" && screen)) publisher.replaceTrack(kind, track);
    }) : () => {},
  ];
  render();
  watch();

  return {
    dispose() {
      disposed = true;
      for (const dispose of disposers) dispose();
      clearTimeout(renewTimer);
      clearTimeout(retryTimer);
      for (const feed of [...subscribers.keys()]) drop(feed);
      endPublishing();
      janus?.close();
      view.dispose();
    },
    /** For tests: who is on air, what is watched and published, and `stats()` (a promise). */
    snapshot() {
      return {
        supported,
        video,
        onAir: model.onAir.map((entry) => entry.id),
        live: [...model.live],
        hands: model.hands.map((entry) => entry.id),
        publishing,
        sharing: screen !== null,
        watching: [...subscribers.keys()],
        stats: () => collectStats(subscribers, publisher),
      };
    },
  };
}

/** Inbound bytes per watched feed, and the publisher's outbound bytes. */
async function collectStats(subscribers, publisher) {
  const sum = async (pc, type) => {
    const totals = { audio: 0, video: 0 };
    if (!pc || pc.connectionState === "closed") return totals;
    const report = await pc.getStats();
    report.forEach((stat) => {
      if (stat.type !== type) return;
      const bytes = type === "inbound-rtp" ? stat.bytesReceived : stat.bytesSent;
      totals[stat.kind === "video" ? "video" : "audio"] += bytes ?? 0;
    });
    return totals;
  };
  const feeds = [];
  for (const [feed, subscriber] of subscribers) {
    const totals = await sum(subscriber.pc, "inbound-rtp");
    feeds.push({ feed, state: subscriber.pc?.connectionState ?? "new", audioBytesIn: totals.audio, videoBytesIn: totals.video });
  }
  const out = await sum(publisher?.pc, "outbound-rtp");
  return { feeds, published: publisher ? { state: publisher.pc?.connectionState ?? "new", audioBytesOut: out.audio, videoBytesOut: out.video } : null };
}
