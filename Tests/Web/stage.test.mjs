// The pure parts of the stage in the browser (Web/js/stage/): the model of `stage`
// messages, our Janus client against a stand-in Janus, the VideoRoom roles on stand-in
// peer connections, and the panel's DOM. The real browsers and Janus are in Tests/Stage.

import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { StageModel, renewDelayMs, streamKind } from "../../Web/js/stage/model.js";
import { JanusError, JanusSession, SUBPROTOCOL } from "../../Web/js/stage/janus.js";
import { Publisher, Subscriber } from "../../Web/js/stage/videoroom.js";
import { createStageView } from "../../Web/js/stage/view.js";
import { FakePeerConnection, FakeTrack, settle } from "./fake-rtc.mjs";
import { domPerTest } from "./dom.mjs";

async function quiet(rounds = 40) {
  for (let i = 0; i < rounds; i++) await settle();
}

// ---- The model ----

test("the model shows only live feeds that are on air, and never watches its own", () => {
  const model = new StageModel(3);
  model.update({ onAir: [{ id: 3, name: "Me" }, { id: 7, name: "Pia" }, { id: "x", name: 1 }], live: [3, 7, 9, "7"], hands: [{ id: 4, name: "Gus" }] });
  assert.deepEqual(model.onAir.map((entry) => entry.id), [3, 7]);
  assert.deepEqual(model.live, [3, 7]);
  assert.deepEqual(model.feeds, [7]);
  assert.equal(model.mayPublish, true);
  assert.equal(model.handUp, false);
  assert.equal(model.nameOf(7), "Pia");
  assert.equal(model.busy, true);
  model.update({ onAir: [], live: [7], hands: [{ id: 3, name: "Me" }] });
  assert.deepEqual(model.feeds, []);
  assert.equal(model.mayPublish, false);
  assert.equal(model.handUp, true);
  model.reset(5);
  assert.equal(model.busy, false);
  assert.equal(model.selfId, 5);
});

test("a grant is renewed at four fifths of its life, never sooner than a second", () => {
  const now = 1_000_000;
  assert.equal(renewDelayMs({ expires: (now + 300_000) / 1000 }, now), 240_000);
  assert.equal(renewDelayMs({ expires: now / 1000 }, now), 1000);
});

test("a stream URL is a video for media files, a page otherwise, nothing when not http", () => {
  assert.equal(streamKind("https://cdn.example.org/live/stage.m3u8"), "video");
  assert.equal(streamKind("https://example.org/v.mp4?x=1"), "video");
  assert.equal(streamKind("https://www.youtube.com/embed/abc"), "page");
  assert.equal(streamKind("javascript:alert(1)"), null);
  assert.equal(streamKind(undefined), null);
});

// ---- A stand-in Janus behind a stand-in WebSocket ----

class FakeJanus {
  constructor() {
    this.sent = [];
    this.sockets = [];
    this.nextId = 100;
    this.refuse = new Set();
    this.publishers = new Map();
    const janus = this;
    this.WebSocket = class {
      constructor(url, protocol) {
        this.url = url;
        this.protocol = protocol;
        this.closed = false;
        janus.sockets.push(this);
        setTimeout(() => this.onopen?.(), 0);
      }
      send(text) {
        janus.receive(this, JSON.parse(text));
      }
      close() {
        this.closed = true;
      }
    };
  }

  reply(socket, message) {
    setTimeout(() => socket.onmessage?.({ data: JSON.stringify(message) }), 0);
  }

  receive(socket, message) {
    this.sent.push(message);
    const { janus, transaction } = message;
    if (this.refuse.has(janus)) return this.reply(socket, { janus: "error", transaction, error: { code: 403, reason: "Unauthorized request (wrong or missing secret/token)" } });
    switch (janus) {
      case "create":
      case "attach":
        return this.reply(socket, { janus: "success", transaction, data: { id: this.nextId++ } });
      case "keepalive":
      case "trickle":
        return this.reply(socket, { janus: "ack", transaction });
      case "detach":
      case "destroy":
        return this.reply(socket, { janus: "success", transaction });
      case "message":
        return this.plugin(socket, message);
      default:
        return undefined;
    }
  }

  plugin(socket, message) {
    const { transaction, body, handle_id: sender } = message;
    const event = (data, jsep) => {
      this.reply(socket, { janus: "ack", transaction });
      this.reply(socket, { janus: "event", transaction, sender, plugindata: { plugin: "janus.plugin.videoroom", data }, ...(jsep ? { jsep } : {}) });
    };
    switch (body.request) {
      case "join":
        if (body.ptype === "publisher") return event({ videoroom: "joined", room: body.room, id: body.id, publishers: [] });
        if (!this.publishers.has(body.streams[0].feed)) return event({ videoroom: "event", error_code: 428, error: "No such feed" });
        return event({ videoroom: "attached", room: body.room }, { type: "offer", sdp: "janus-offer" });
      case "publish":
        this.publishers.set(this.lastPublisher ?? 0, true);
        return event({ videoroom: "event", configured: "ok" }, { type: "answer", sdp: "janus-answer" });
      case "start":
        return event({ videoroom: "event", started: "ok" });
      case "leave":
        return event({ videoroom: "event", leaving: "ok" });
      default:
        return this.reply(socket, { janus: "success", transaction, sender, plugindata: { data: { videoroom: "success" } } });
    }
  }

  /** News Janus sends on a handle unasked. */
  push(handle, data) {
    this.reply(this.sockets.at(-1), { janus: "event", sender: handle, plugindata: { plugin: "janus.plugin.videoroom", data } });
  }
}

test("our Janus client opens a session, attaches, and matches answers by transaction with the token on each", async () => {
  const janus = new FakeJanus();
  const session = new JanusSession({ url: "ws://janus", token: "T1", WebSocketClass: janus.WebSocket, keepAliveMs: 60_000 });
  assert.equal(await session.open(), 100);
  assert.equal(janus.sockets[0].protocol, SUBPROTOCOL);
  const handle = await session.attach();
  assert.equal(handle.id, 101);
  session.setToken("T2");
  const { data } = await handle.message({ request: "join", ptype: "publisher", room: 5, id: 9, token: "R" });
  assert.equal(data.videoroom, "joined");
  const [create, attach, join] = janus.sent;
  assert.deepEqual([create.janus, create.token, create.session_id], ["create", "T1", undefined]);
  assert.deepEqual([attach.plugin, attach.session_id, attach.token], ["janus.plugin.videoroom", 100, "T1"]);
  assert.deepEqual([join.handle_id, join.token, join.body.room], [101, "T2", 5]);
  assert.notEqual(create.transaction, attach.transaction);
  session.close();
});

test("a refusal of Janus or of the plugin rejects with its code, and closing fails what waits", async () => {
  const janus = new FakeJanus();
  const session = new JanusSession({ url: "ws://janus", token: "T", WebSocketClass: janus.WebSocket, keepAliveMs: 60_000 });
  await session.open();
  const handle = await session.attach();
  await assert.rejects(handle.message({ request: "join", ptype: "subscriber", room: 5, streams: [{ feed: 4 }] }),
    (error) => error instanceof JanusError && error.code === 428);
  janus.refuse.add("attach");
  await assert.rejects(session.attach(), (error) => error.code === 403);
  let ended = null;
  session.onClose = (reason) => { ended = reason; };
  janus.refuse.clear();
  const waiting = session.request({ janus: "info-never-answered" });
  session.close();
  await assert.rejects(waiting, JanusError);
  assert.equal(ended, "closed");
  assert.equal(janus.sent.at(-1).janus, "destroy");
});

test("keep-alives go out on the timer, and Janus's timeout ends the session", async () => {
  const janus = new FakeJanus();
  const timers = [];
  const session = new JanusSession({ url: "ws://janus", token: "T", WebSocketClass: janus.WebSocket,
    setTimer: (fn, ms) => timers.push({ fn, ms }) - 1, clearTimer: () => {} });
  const opening = session.open();
  await quiet();
  // The create's own timeout timer is not answered by hand; it was answered by Janus.
  await opening;
  const keepAlive = timers.find((timer) => timer.ms === 25_000);
  keepAlive.fn();
  await quiet();
  assert.equal(janus.sent.filter((message) => message.janus === "keepalive").length, 1);
  let ended = null;
  session.onClose = (reason) => { ended = reason; };
  janus.reply(janus.sockets[0], { janus: "timeout", session_id: 100 });
  await quiet();
  assert.equal(ended, "Janus timed the session out");
  assert.equal(session.closed, true);
});

// ---- VideoRoom roles on stand-in peer connections ----

class TransceiverPeerConnection extends FakePeerConnection {
  constructor(configuration) {
    super(configuration, "stage");
    this.transceivers = [];
  }
  addTransceiver(trackOrKind, init) {
    const sender = this.addTrack(typeof trackOrKind === "string" ? null : trackOrKind);
    const transceiver = { kind: typeof trackOrKind === "string" ? trackOrKind : trackOrKind.kind, direction: init.direction, sender };
    this.transceivers.push(transceiver);
    return transceiver;
  }
}

test("a publisher joins as its feed with the room token, offers both kinds, trickles, and swaps tracks without renegotiating", async () => {
  const janus = new FakeJanus();
  const session = new JanusSession({ url: "ws://janus", token: "T", WebSocketClass: janus.WebSocket, keepAliveMs: 60_000 });
  await session.open();
  let pc = null;
  const grant = { room: 42, feed: 7, roomToken: "R7" };
  const publisher = new Publisher({ session, grant, display: "Pia", configuration: { iceServers: [] },
    createPeerConnection: (configuration) => (pc = new TransceiverPeerConnection(configuration)) });
  const mic = new FakeTrack("audio");
  const starting = publisher.start({ audio: mic, video: null });
  await quiet();
  pc.gather("early");
  await starting;
  pc.gather(null);
  await quiet();
  const bodies = janus.sent.filter((message) => message.janus === "message").map((message) => message.body);
  assert.deepEqual(bodies[0], { request: "join", ptype: "publisher", room: 42, id: 7, display: "Pia", token: "R7" });
  assert.equal(bodies[1].request, "publish");
  assert.equal(janus.sent.find((message) => message.body?.request === "publish").jsep.type, "offer");
  assert.deepEqual(pc.transceivers.map((t) => [t.kind, t.direction]), [["audio", "sendonly"], ["video", "sendonly"]]);
  assert.equal(pc.remoteDescription.sdp, "janus-answer");
  const trickles = janus.sent.filter((message) => message.janus === "trickle").map((message) => message.candidate);
  assert.deepEqual(trickles, ["early", { completed: true }]);
  const camera = new FakeTrack("video");
  await publisher.replaceTrack("video", camera);
  assert.deepEqual(pc.transceivers[1].sender.replaced, [camera]);
  let ended = false;
  publisher.onEnded = () => { ended = true; };
  // Atrium kicked the feed: Janus tells the publisher it is leaving.
  janus.push(publisher.handle.id, { videoroom: "event", leaving: "ok", reason: "kicked" });
  await quiet();
  assert.equal(ended, true);
  assert.equal(pc.closed, true);
  session.close();
});

test("a subscriber answers Janus's offer, starts, hands over tracks, and ends when the feed is unpublished", async () => {
  const janus = new FakeJanus();
  janus.publishers.set(7, true);
  const session = new JanusSession({ url: "ws://janus", token: "T", WebSocketClass: janus.WebSocket, keepAliveMs: 60_000 });
  await session.open();
  let pc = null;
  let ended = 0;
  const tracks = [];
  const subscriber = new Subscriber({ session, grant: { room: 42, roomToken: "V" }, feed: 7, configuration: {},
    createPeerConnection: (configuration) => (pc = new TransceiverPeerConnection(configuration)),
    onTrack: (track) => tracks.push(track), onEnded: () => { ended += 1; } });
  await subscriber.start();
  const bodies = janus.sent.filter((message) => message.janus === "message").map((message) => message.body);
  assert.deepEqual(bodies[0], { request: "join", ptype: "subscriber", room: 42, streams: [{ feed: 7 }], token: "V" });
  assert.equal(bodies[1].request, "start");
  assert.equal(janus.sent.find((message) => message.body?.request === "start").jsep.type, "answer");
  assert.equal(pc.remoteDescription.sdp, "janus-offer");
  const video = new FakeTrack("video");
  pc.ontrack({ track: video });
  assert.deepEqual(tracks, [video]);
  janus.push(subscriber.handle.id, { videoroom: "event", unpublished: 7 });
  await quiet();
  assert.equal(ended, 1);
  assert.equal(pc.closed, true);
  subscriber.close();
  assert.equal(ended, 1);
  session.close();
});

test("a subscription to a feed Janus does not have fails", async () => {
  const janus = new FakeJanus();
  const session = new JanusSession({ url: "ws://janus", token: "T", WebSocketClass: janus.WebSocket, keepAliveMs: 60_000 });
  await session.open();
  const subscriber = new Subscriber({ session, grant: { room: 1, roomToken: "V" }, feed: 9, configuration: {},
    createPeerConnection: () => new TransceiverPeerConnection({}) });
  await assert.rejects(subscriber.start(), (error) => error.code === 428);
  session.close();
});

// ---- The panel ----

const views = domPerTest({ beforeEach, afterEach });

function slots() {
  const toolbar = document.createElement("div");
  const panel = document.createElement("section");
  document.body.append(toolbar, panel);
  return { toolbar, panel };
}

function noActions(calls = []) {
  const record = (name) => (id) => calls.push([name, id]);
  return { onHand: record("hand"), onShare: record("share"), onStop: record("stop"), onStart: record("start"),
    onSpotlight: record("spotlight"), onDismiss: record("dismiss") };
}

test("the panel stays away while nothing is on, and shows a named live tile with a listener mute", () => {
  const where = slots();
  const view = createStageView({ slots: where, moderator: false, actions: noActions() });
  views.push(view);
  const model = new StageModel(1);
  const panel = () => where.panel.querySelector("[data-testid=stage-panel]");
  view.render({ model, video: true });
  assert.equal(panel(), null);
  model.update({ onAir: [{ id: 7, name: "Pia" }], live: [7], hands: [] });
  view.addFeed(7, "Pia");
  view.render({ model, video: true });
  assert.notEqual(panel(), null);
  const tile = where.panel.querySelector("[data-testid=stage-tile]");
  assert.equal(tile.dataset.feed, "7");
  assert.match(tile.textContent, /LIVE/);
  assert.match(tile.textContent, /Pia/);
  const mute = tile.querySelector("[data-testid=stage-mute]");
  mute.click();
  assert.equal(tile.querySelector("video").muted, true);
  assert.equal(mute.getAttribute("aria-pressed"), "true");
  view.removeFeed(7);
  assert.equal(where.panel.querySelector("[data-testid=stage-tile]"), null);
});

test("without video the panel shows the map's stream, and the hand button follows the queue", () => {
  const where = slots();
  const calls = [];
  const view = createStageView({ slots: where, moderator: false, actions: noActions(calls) });
  views.push(view);
  view.setStreamUrl("https://cdn.example.org/stage.m3u8");
  const model = new StageModel(1);
  view.render({ model, video: false });
  const stream = where.panel.querySelector("[data-testid=stage-stream]");
  assert.equal(stream.hidden, false);
  assert.equal(stream.querySelector("video").getAttribute("src"), "https://cdn.example.org/stage.m3u8");
  view.render({ model, video: true });
  assert.equal(stream.hidden, true);
  const hand = where.toolbar.querySelector("[data-testid=stage-hand]");
  hand.click();
  assert.deepEqual(calls, [["hand", undefined]]);
  model.update({ onAir: [], live: [], hands: [{ id: 1, name: "Me" }] });
  view.render({ model, video: true });
  assert.equal(hand.getAttribute("aria-pressed"), "true");
  assert.equal(where.toolbar.querySelector("[data-testid=stage-share]").hidden, true);
  view.render({ model, video: true, canShare: true });
  assert.equal(where.toolbar.querySelector("[data-testid=stage-share]").hidden, false);
});

test("a moderator sees who is on air, the raised hands and the stopped broadcasts, each with its action", () => {
  const where = slots();
  const calls = [];
  const view = createStageView({ slots: where, moderator: true, actions: noActions(calls) });
  views.push(view);
  const model = new StageModel(1);
  model.update({ onAir: [{ id: 7, name: "Pia" }], live: [7], hands: [{ id: 4, name: "Gus" }] });
  view.render({ model, video: true, stopped: [{ id: 9, name: "Old" }] });
  const click = (testid) => where.panel.querySelector(`[data-testid=${testid}]`).click();
  click("stage-stop");
  click("stage-answer");
  click("stage-dismiss");
  click("stage-start");
  assert.deepEqual(calls, [["stop", 7], ["spotlight", 4], ["dismiss", 4], ["start", 9]]);
  assert.match(where.panel.querySelector("[data-testid=stage-hands]").textContent, /Gus/);
});
