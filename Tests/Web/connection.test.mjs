// The connection's life with a fake socket and fake timers: hello, welcome, a drop,
// the resume, a lost resume, and the errors that end a session.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Connection, backoffDelay } from "../../Web/js/connection.js";

class FakeSocket {
  static all = [];
  constructor(url, protocol) {
    Object.assign(this, { url, protocol, sent: [], closed: false });
    FakeSocket.all.push(this);
  }
  send(data) { this.sent.push(data); }
  close() { this.closed = true; }
  // Server side of the fake:
  accept() { this.onopen(); }
  say(message) { this.onmessage({ data: JSON.stringify(message) }); }
  drop(code = 1006) { this.onclose({ code }); }
  get hello() { return JSON.parse(this.sent[0]); }
}

function harness({ fetchAnswer = null } = {}) {
  FakeSocket.all = [];
  let nextTimer = 0;
  const timers = {
    pending: [],
    setTimeout(fn, ms) { const id = ++nextTimer; this.pending.push({ id, fn, ms }); return id; },
    clearTimeout(id) { this.pending = this.pending.filter((timer) => timer.id !== id); },
    setInterval() { return 0; },
    clearInterval() {},
    runNext() { const next = this.pending.shift(); next.fn(); return next.ms; },
  };
  let clock = 0;
  const connection = new Connection({
    url: "ws://host/ws?room=plaza",
    hello: () => ({ name: "Mina", appearance: 2 }),
    WebSocketImpl: FakeSocket,
    fetchImpl: async () => {
      if (!fetchAnswer) throw new TypeError("offline");
      return { ok: fetchAnswer.status < 300, status: fetchAnswer.status, json: async () => fetchAnswer.body };
    },
    timers,
    now: () => clock,
    random: () => 0.5,
  });
  const events = [];
  for (const type of ["state", "welcome", "terminal", "resume_lost", "message"]) connection.on(type, (value) => events.push([type, value]));
  return { connection, timers, events, advance: (ms) => { clock += ms; }, socket: () => FakeSocket.all.at(-1) };
}

const welcome = (resume, resumed = false) => ({ type: "welcome", protocol: 1, you: { id: 7, name: "Mina", role: "guest" }, room: {}, resume, resumed, tick: 1, serverTime: 0 });

test("backoff doubles up to a ceiling, with jitter", () => {
  assert.equal(backoffDelay(0, () => 0), 250);
  assert.equal(backoffDelay(0, () => 1), 500);
  assert.equal(backoffDelay(3, () => 0), 2000);
  assert.equal(backoffDelay(20, () => 1), 8000);
});

test("hello, welcome, drop, resume with the token", () => {
  const { connection, timers, events, socket } = harness();
  connection.start();
  assert.equal(socket().protocol, "atrium.v1");
  assert.equal(socket().binaryType, "arraybuffer");
  socket().accept();
  assert.deepEqual(socket().hello, { type: "hello", name: "Mina", appearance: 2 });
  socket().say(welcome("secret"));
  assert.equal(connection.state, "open");
  socket().say({ type: "chat", id: 1, text: "hi" });
  assert.deepEqual(events.filter(([type]) => type === "message").map(([, m]) => m.type), ["chat"]);

  socket().drop(1006);
  assert.equal(connection.state, "reconnecting");
  timers.runNext();
  socket().accept();
  assert.equal(socket().hello.resume, "secret");
  socket().say(welcome("secret", true));
  assert.equal(connection.state, "open");
});

test("a refused resume joins afresh", () => {
  const { connection, timers, events, socket } = harness();
  connection.start();
  socket().accept();
  socket().say(welcome("old"));
  socket().drop(1001);
  timers.runNext();
  socket().accept();
  socket().say({ type: "error", code: "bad_token", message: "unknown resume token" });
  socket().drop(4001);
  assert.ok(events.some(([type]) => type === "resume_lost"));
  timers.runNext();
  socket().accept();
  assert.equal(socket().hello.resume, undefined);
  assert.equal(connection.state, "reconnecting");
});

for (const [closeCode, code] of [[4002, "name_invalid"], [4003, "room_full"], [4005, "banned"], [4006, "kicked"]]) {
  test(`${code} ends the session`, () => {
    const { connection, events, socket } = harness();
    connection.start();
    socket().accept();
    socket().say({ type: "error", code, message: "no" });
    socket().drop(closeCode);
    assert.equal(connection.state, "closed");
    assert.deepEqual(events.at(-1), ["terminal", { code, message: "no" }]);
  });
}

test("an unknown room is told apart from an unreachable server", async () => {
  const { connection, events, socket } = harness({ fetchAnswer: { status: 404, body: { type: "error", code: "not_found" } } });
  connection.start();
  socket().drop(1006);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(events.at(-1), ["terminal", { code: "room_not_found", message: undefined }]);
});

test("an unreachable server is retried a few times, then reported", async () => {
  const { connection, timers, events, socket } = harness();
  connection.start();
  for (let i = 0; i < 4; i++) {
    socket().drop(1006);
    await new Promise((resolve) => setImmediate(resolve));
    if (connection.state === "reconnecting") timers.runNext();
  }
  assert.equal(connection.state, "closed");
  assert.equal(events.at(-1)[1].code, "server_gone");
});

test("reconnecting gives up after the grace", async () => {
  const { connection, timers, events, socket, advance } = harness({ fetchAnswer: { status: 400, body: { code: "bad_handshake" } } });
  connection.start();
  socket().accept();
  socket().say(welcome("t"));
  socket().drop(1006);
  for (let i = 0; i < 30 && connection.state !== "closed"; i++) {
    advance(timers.runNext());
    socket().drop(1006);
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(connection.state, "closed");
  assert.equal(events.at(-1)[1].code, "server_gone");
});

test("a handshake that never finishes is given up", () => {
  const { connection, timers, socket } = harness();
  connection.start();
  const first = socket();
  assert.equal(timers.runNext(), 10000);
  assert.equal(first.closed, true);
  assert.notEqual(connection.state, "open");
});

test("leave sends leave and does not reconnect", () => {
  const { connection, socket } = harness();
  connection.start();
  socket().accept();
  socket().say(welcome("t"));
  const s = socket();
  connection.leave();
  assert.deepEqual(JSON.parse(s.sent.at(-1)), { type: "leave" });
  assert.equal(s.closed, true);
  assert.equal(connection.state, "closed");
});

// ---- Seats: the room's node asked before every socket ----

function seatHarness(answers) {
  const base = harness();
  const asked = [];
  const connection = new Connection({
    url: "ws://host/ws?room=plaza",
    hello: () => ({ name: "Mina", token: "v1.t", appearance: 2 }),
    seats: true,
    WebSocketImpl: FakeSocket,
    fetchImpl: async (url) => {
      asked.push(url);
      const answer = answers.shift();
      if (!answer) throw new TypeError("offline");
      return { ok: answer.status < 300, status: answer.status, json: async () => answer.body,
               headers: { get: (name) => (name === "Retry-After" ? answer.retryAfter ?? null : null) } };
    },
    timers: base.timers,
    now: () => 0,
    random: () => 0.5,
  });
  const events = [];
  for (const type of ["state", "welcome", "terminal"]) connection.on(type, (value) => events.push([type, value]));
  return { connection, timers: base.timers, events, asked, socket: () => FakeSocket.all.at(-1) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const seat = (node, s) => ({ status: 200, body: { type: "seat", room: "plaza", instance: 1, node, path: `/node/${node}/ws?room=plaza&seat=${s}`, instances: [] } });

test("with seats the socket opens where the seat says, and follows a room that moves", async () => {
  const { connection, timers, asked, socket } = seatHarness([seat("a", "s1"), seat("b", "s2")]);
  connection.start();
  await settle();
  assert.deepEqual(asked, ["http://host/api/seat?room=plaza&token=v1.t"]);
  assert.equal(socket().url, "ws://host/node/a/ws?room=plaza&seat=s1");
  socket().accept();
  socket().say(welcome("ticket-1"));
  assert.equal(connection.state, "open");

  socket().say({ type: "error", code: "room_moved", message: "the room moved", retryAfter: 0 });
  socket().drop(4010);
  assert.equal(connection.state, "reconnecting");
  assert.equal(timers.runNext(), 0);
  await settle();
  assert.equal(asked.length, 2);
  assert.equal(socket().url, "ws://host/node/b/ws?room=plaza&seat=s2");
  socket().accept();
  assert.equal(socket().hello.resume, "ticket-1");
});

test("a seat for an unknown room ends the session; a room between nodes is asked for again", async () => {
  const unknown = seatHarness([{ status: 404, body: { type: "error", code: "not_found", message: "no room" } }]);
  unknown.connection.start();
  await settle();
  assert.deepEqual(unknown.events.at(-1), ["terminal", { code: "room_not_found", message: undefined }]);

  const moving = seatHarness([{ status: 503, body: { type: "error", code: "room_moved", message: "ask again" }, retryAfter: "2" }, seat("c", "s3")]);
  moving.connection.start();
  await settle();
  assert.equal(moving.connection.state, "reconnecting");
  assert.equal(moving.timers.runNext(), 2000);
  await settle();
  assert.equal(moving.socket().url, "ws://host/node/c/ws?room=plaza&seat=s3");
});
