// One WebSocket to the room, kept alive: hello and welcome, pings, and reconnection with
// the resume token after a drop (exponential backoff with jitter), until the server's
// reconnect grace is surely over. With `seats`, every attempt first asks `/api/seat` where
// the room runs (in a cluster, one node's path with a signed seat) and opens that; a room
// that moves away (`room_moved`, close 4010) is asked for again at once. Errors that end a session end it here too, with a code
// the UI turns into words. The socket, timers and fetch are passed in, so Node tests
// drive it with fakes; nothing touches the DOM.

import { SUBPROTOCOL, decodeJSONMessage, messages } from "./protocol.js";

/** The session-ending errors and their close codes (Protocol/README.md, "Errors"). */
const CLOSE_CODES = { 4001: "bad_token", 4002: "name_invalid", 4003: "room_full", 4004: "room_locked", 4005: "banned", 4006: "kicked" };
const TERMINAL = new Set(Object.values(CLOSE_CODES));
const POLICY_VIOLATION = 1008;
/** The room stopped on this node and runs on another: ask for a seat again, at once. */
const ROOM_MOVED = 4010;
/** Seat refusals that a later request may not get: the room is between nodes, the node drains. */
const SEAT_TRANSIENT = new Set(["room_moved", "store_unavailable", "server_restarting", "rate_limited"]);

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;
const PING_EVERY_MS = 10000;
/** Silence this long means the connection is dead even if the browser has not noticed. */
const SILENCE_MS = 25000;
/** A handshake not done by then is given up (a proxy or network that swallows it). */
const OPEN_TIMEOUT_MS = 10000;
/** Tries for a first join before saying the server cannot be reached. */
const FIRST_JOIN_ATTEMPTS = 4;

/**
 * Delay before reconnection attempt `attempt` (0-based): doubling up to a ceiling, and
 * "equal jitter" (half fixed, half random) so that a server restart does not bring every
 * client back in the same instant.
 */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

export class Connection {
  /**
   * @param {object} options
   * @param {string} options.url the WebSocket URL (`…/ws?room=…`)
   * @param {() => object} options.hello fields of `hello` but `resume`: {name, token, appearance}
   * @param {string} [options.resumeToken] from an earlier welcome (a reloaded page)
   * @param {number} [options.giveUpMs] how long to keep reconnecting; past the server's grace the avatar is gone anyway
   * @param {boolean} [options.seats] ask `/api/seat` before every socket and open the path it names
   */
  constructor({
    url,
    hello,
    resumeToken = null,
    giveUpMs = 60000,
    seats = false,
    WebSocketImpl = globalThis.WebSocket,
    fetchImpl = globalThis.fetch?.bind(globalThis),
    timers = globalThis,
    now = () => Date.now(),
    random = Math.random,
  }) {
    Object.assign(this, { url, hello, resumeToken, giveUpMs, seats, WebSocketImpl, fetchImpl, timers, now, random });
    /** The URL of the last socket opened: the configured one, or a seat's. */
    this.socketUrl = url;
    this.state = "idle";
    this.listeners = new Map();
    this.socket = null;
    this.attempt = 0;
    this.welcomed = false; // ever, on any socket
    this.droppedAt = null;
    this.retryTimer = null;
    this.watchdog = null;
  }

  /**
   * Subscribes to an event: "state", "welcome", "binary" (an ArrayBuffer), "message" (any
   * other JSON message), "error" (one refused before the welcome), "terminal",
   * "resume_lost".
   */
  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
    return () => this.listeners.get(type).delete(listener);
  }

  emit(type, value) {
    for (const listener of this.listeners.get(type) ?? []) listener(value);
  }

  setState(state, detail = {}) {
    this.state = state;
    this.emit("state", { state, ...detail });
  }

  start() {
    this.open();
  }

  get isOpen() {
    return this.state === "open";
  }

  /** Sends a JSON text frame; false when not joined (the caller decides whether to retry). */
  send(text) {
    if (!this.isOpen) return false;
    this.socket.send(text);
    return true;
  }

  sendBinary(bytes) {
    if (!this.isOpen) return false;
    this.socket.send(bytes);
    return true;
  }

  /** Leaves for good: the avatar leaves at once instead of waiting for a resume. */
  leave() {
    if (this.isOpen) this.socket.send(messages.leave());
    this.stop("closed", { reason: "left" });
  }

  /**
   * Moves to instance `number` of this room (the instance picker): says `leave` here, asks
   * `/api/seat` for that instance and joins there with the resume ticket, as the same
   * person. False when not joined.
   */
  switchInstance(number) {
    if (!this.isOpen || !this.seats) return false;
    const url = new URL(this.url);
    // `room=plaza~2` (a friend's link) names an instance; the room is what stays.
    const room = url.searchParams.get("room");
    if (room) url.searchParams.set("room", room.split("~")[0]);
    url.searchParams.set("instance", String(number));
    const socket = this.socket;
    this.socket = null;
    this.timers.clearInterval(this.watchdog);
    this.watchdog = null;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.send(messages.leave());
      socket.close(1000, "switching instance");
    } catch {
      // Already closing: the old avatar leaves after the grace instead.
    }
    this.url = url.toString();
    this.attempt = 0;
    this.open();
    return true;
  }

  /** Tries again now (the browser came back online), skipping the backoff wait. */
  retryNow() {
    if (this.state !== "reconnecting" || !this.retryTimer) return;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.open();
  }

  stop(state, detail) {
    this.timers.clearTimeout(this.retryTimer);
    this.timers.clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(1000, "bye");
      } catch {
        // Already closing.
      }
    }
    this.setState(state, detail);
  }

  open() {
    this.setState(this.welcomed || this.attempt > 0 ? "reconnecting" : "connecting", { attempt: this.attempt });
    if (this.seats) this.openSeat();
    else this.openSocket(this.url);
  }

  /** `/api/seat` beside the WebSocket's path, with its room and instance and the join token. */
  seatUrl() {
    const url = new URL(this.url);
    url.protocol = url.protocol === "wss:" ? "https:" : "http:";
    url.pathname = url.pathname.replace(/ws$/, "") + "api/seat";
    const query = new URLSearchParams();
    for (const key of ["room", "instance"]) if (url.searchParams.has(key)) query.set(key, url.searchParams.get(key));
    const token = this.hello().token;
    if (token) query.set("token", token);
    url.search = query.toString();
    return url.toString();
  }

  async openSeat() {
    const opening = this.openings = (this.openings ?? 0) + 1;
    let answer = null;
    let body = {};
    try {
      answer = await this.fetchImpl(this.seatUrl(), { cache: "no-store" });
      body = await answer.json().catch(() => ({}));
    } catch {
      answer = null;
    }
    // Closed, or superseded by a retry, while the seat was asked for.
    if (this.state === "closed" || opening !== this.openings) return;
    if (answer?.ok && typeof body.path === "string" && body.path.startsWith("/")) {
      this.openSocket(new URL(body.path, this.url).toString());
      return;
    }
    if (this.droppedAt === null) this.droppedAt = this.now();
    const code = answer ? (body.code ?? `http_${answer.status}`) : null;
    if (code === "not_found") return this.terminal("room_not_found");
    if (code === "room_full" && !this.welcomed) return this.terminal("room_full");
    if (!SEAT_TRANSIENT.has(code) && !this.welcomed && this.attempt + 1 >= FIRST_JOIN_ATTEMPTS) return this.terminal("server_gone");
    if (this.now() - this.droppedAt > this.giveUpMs) return this.terminal("server_gone");
    const retryAfter = Number(answer?.headers?.get?.("Retry-After")) || undefined;
    this.reconnect(this.attempt + 1, retryAfter);
  }

  openSocket(url) {
    this.socketUrl = url;
    const socket = new this.WebSocketImpl(url, SUBPROTOCOL);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    const session = { opened: false, joined: false, error: null, usedResume: false, heard: this.now() };

    const openTimer = this.timers.setTimeout(() => {
      if (!session.opened) this.abandon(socket, session);
    }, OPEN_TIMEOUT_MS);
    socket.onopen = () => {
      this.timers.clearTimeout(openTimer);
      session.opened = true;
      session.usedResume = Boolean(this.resumeToken);
      socket.send(messages.hello({ ...this.hello(), resume: this.resumeToken ?? undefined }));
      this.watchdog = this.timers.setInterval(() => this.checkAlive(socket, session), PING_EVERY_MS);
    };
    socket.onmessage = (event) => {
      session.heard = this.now();
      if (typeof event.data !== "string") {
        if (session.joined) this.emit("binary", event.data);
        return;
      }
      let message;
      try {
        message = decodeJSONMessage(event.data);
      } catch {
        return; // Not ours to answer: the server speaks JSON objects only.
      }
      if (message.type === "welcome") {
        session.joined = true;
        this.welcomed = true;
        this.attempt = 0;
        this.droppedAt = null;
        this.resumeToken = message.resume;
        this.setState("open");
        this.emit("welcome", message);
        return;
      }
      if (message.type === "error" && (!session.joined || TERMINAL.has(message.code) || message.code === "server_restarting")) {
        // Before the welcome, or one that ends the session: the close that follows acts on it.
        session.error = message;
        if (!TERMINAL.has(message.code) && message.code !== "server_restarting") this.emit("error", message);
        return;
      }
      this.emit("message", message);
    };
    socket.onclose = (event) => {
      this.timers.clearTimeout(openTimer);
      if (this.socket !== socket) return;
      this.closed(socket, session, event.code);
    };
    // The close event follows every error event; it carries what there is to know.
    socket.onerror = () => {};
  }

  checkAlive(socket, session) {
    if (this.socket !== socket) return;
    if (this.now() - session.heard > SILENCE_MS) this.abandon(socket, session);
    else if (session.joined) socket.send(messages.ping(this.now()));
  }

  /** Gives up on a socket that went silent: the browser may take minutes to notice a dead path. */
  abandon(socket, session) {
    if (this.socket !== socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close();
    } catch {
      // Closing anyway.
    }
    this.closed(socket, session, 1006);
  }

  async closed(socket, session, closeCode) {
    this.timers.clearInterval(this.watchdog);
    this.watchdog = null;
    this.socket = null;
    if (this.droppedAt === null) this.droppedAt = this.now();
    const code = session.error?.code ?? CLOSE_CODES[closeCode];

    if (code === "bad_token" && session.usedResume) {
      // The avatar is gone (the grace ran out, or the server restarted): join afresh.
      this.resumeToken = null;
      this.emit("resume_lost");
      this.reconnect(0);
      return;
    }
    if (TERMINAL.has(code)) return this.terminal(code, session.error?.message);
    if (closeCode === POLICY_VIOLATION) return this.terminal("policy", session.error?.message);
    if (closeCode === ROOM_MOVED && this.seats) {
      // The room runs elsewhere now: ask where, and resume there.
      this.reconnect(0);
      return;
    }

    if (!session.opened) {
      // Refused before the upgrade: the HTTP answer says why, but a browser's WebSocket
      // cannot see it, so ask again with a plain request.
      const refusal = await this.diagnose();
      if (this.state === "closed") return;
      if (refusal === "not_found") return this.terminal("room_not_found");
      if (refusal === "forbidden") return this.terminal("origin_forbidden");
      if (refusal === "room_full" && !this.welcomed) return this.terminal("room_full");
      if (refusal === null && !this.welcomed && this.attempt + 1 >= FIRST_JOIN_ATTEMPTS) return this.terminal("server_gone");
    }
    if (this.now() - this.droppedAt > this.giveUpMs) return this.terminal(this.welcomed ? "server_gone" : code ?? "server_gone");
    this.reconnect(this.attempt + 1, session.error?.retryAfter);
  }

  reconnect(attempt, retryAfterSeconds) {
    this.attempt = attempt;
    const delay = Math.max(attempt === 0 ? 0 : backoffDelay(attempt - 1, this.random), (retryAfterSeconds ?? 0) * 1000);
    this.setState("reconnecting", { attempt, retryInMs: delay });
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  /** The code of the HTTP refusal of the WebSocket URL, or null when the server cannot be reached. */
  async diagnose() {
    if (!this.fetchImpl) return null;
    try {
      const response = await this.fetchImpl(this.socketUrl.replace(/^ws/, "http"), { cache: "no-store" });
      const body = await response.json().catch(() => ({}));
      return response.ok ? "ok" : (body.code ?? `http_${response.status}`);
    } catch {
      return null;
    }
  }

  terminal(code, message) {
    this.stop("closed", { reason: code });
    this.emit("terminal", { code, message });
  }
}
