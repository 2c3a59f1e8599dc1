// Our own small client for Janus's JSON API over its WebSocket transport (Janus 1.1,
// `janus.c`, subprotocol "janus-protocol"): one session, plugin handles, requests
// matched to their answers by transaction, plugin events per handle, keep-alives, and the
// signed token Atrium hands out on every request. The socket class and timers are
// injected, so the protocol runs under `node --test` against a stand-in Janus.

export const SUBPROTOCOL = "janus-protocol";
export const VIDEOROOM = "janus.plugin.videoroom";

/** A refusal from Janus's core (`error`) or from the plugin (`error_code`). */
export class JanusError extends Error {
  constructor(code, reason) {
    super(`Janus ${code}: ${reason}`);
    this.code = code;
    this.reason = reason;
  }
}

export class JanusSession {
  /**
   * @param {{url: string, token: string, WebSocketClass?: any, keepAliveMs?: number, timeoutMs?: number,
   *          setTimer?: Function, clearTimer?: Function}} options
   */
  constructor({ url, token, WebSocketClass = globalThis.WebSocket, keepAliveMs = 25_000, timeoutMs = 10_000,
    setTimer = (fn, ms) => setTimeout(fn, ms), clearTimer = (id) => clearTimeout(id) }) {
    this.url = url;
    this.token = token;
    this.WebSocketClass = WebSocketClass;
    this.keepAliveMs = keepAliveMs;
    this.timeoutMs = timeoutMs;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.id = null;
    this.socket = null;
    this.closed = false;
    this.pending = new Map();
    this.handles = new Map();
    this.nextTransaction = 1;
    this.keepAlive = null;
    /** Called once when the session ends (socket closed, Janus timed it out, close()). */
    this.onClose = null;
  }

  /** Connects and creates the session; resolves with its id. */
  async open() {
    await new Promise((resolve, reject) => {
      const socket = new this.WebSocketClass(this.url, SUBPROTOCOL);
      this.socket = socket;
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new JanusError(0, `cannot reach Janus at ${this.url}`));
      socket.onclose = () => this.#ended("the connection to Janus closed");
      socket.onmessage = (event) => this.#receive(event.data);
    });
    const reply = await this.request({ janus: "create" });
    this.id = reply.data.id;
    this.#scheduleKeepAlive();
    return this.id;
  }

  /** A fresh token (Atrium's grants expire): used from the next request on. */
  setToken(token) {
    this.token = token;
  }

  /**
   * Sends one request; resolves with its final answer: `success`, or the `event` that an
   * asynchronous plugin request answers with after its `ack`. Janus's `error` rejects.
   */
  request(message) {
    if (this.closed || !this.socket) return Promise.reject(new JanusError(0, "the Janus session is closed"));
    const transaction = `t${this.nextTransaction++}`;
    const full = { ...message, transaction, token: this.token };
    if (this.id !== null && full.session_id === undefined) full.session_id = this.id;
    return new Promise((resolve, reject) => {
      const timer = this.setTimer(() => {
        this.pending.delete(transaction);
        reject(new JanusError(0, `no answer from Janus to ${message.janus}`));
      }, this.timeoutMs);
      this.pending.set(transaction, { resolve, reject, timer, ackEnds: message.janus === "keepalive" || message.janus === "trickle" });
      this.socket.send(JSON.stringify(full));
    });
  }

  /** Attaches to a plugin; resolves with its handle. */
  async attach(plugin = VIDEOROOM) {
    const reply = await this.request({ janus: "attach", plugin });
    const handle = new JanusHandle(this, reply.data.id);
    this.handles.set(handle.id, handle);
    return handle;
  }

  /** Ends the session: Janus detaches every handle, and hangs up their media. */
  close() {
    if (this.closed) return;
    if (this.socket && this.id !== null) {
      try {
        this.socket.send(JSON.stringify({ janus: "destroy", session_id: this.id, transaction: "bye", token: this.token }));
      } catch {
        // The socket is already gone.
      }
    }
    this.socket?.close();
    this.#ended("closed");
  }

  #scheduleKeepAlive() {
    this.clearTimer(this.keepAlive);
    this.keepAlive = this.setTimer(() => {
      if (this.closed) return;
      this.request({ janus: "keepalive" }).catch(() => {});
      this.#scheduleKeepAlive();
    }, this.keepAliveMs);
  }

  #receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const pending = message.transaction ? this.pending.get(message.transaction) : undefined;
    if (pending) {
      if (message.janus === "ack" && !pending.ackEnds) return;
      this.pending.delete(message.transaction);
      this.clearTimer(pending.timer);
      if (message.janus === "error") {
        pending.reject(new JanusError(message.error?.code ?? 0, message.error?.reason ?? ""));
        return;
      }
      const data = message.plugindata?.data;
      if (data && data.error_code !== undefined) {
        pending.reject(new JanusError(data.error_code, data.error ?? ""));
        return;
      }
      pending.resolve(message);
      return;
    }
    if (message.janus === "timeout") {
      this.#ended("Janus timed the session out");
      return;
    }
    const handle = this.handles.get(message.sender);
    if (handle) handle.deliver(message);
  }

  #ended(reason) {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer(this.keepAlive);
    for (const pending of this.pending.values()) {
      this.clearTimer(pending.timer);
      pending.reject(new JanusError(0, reason));
    }
    this.pending.clear();
    for (const handle of this.handles.values()) handle.deliver({ janus: "detached", sender: handle.id });
    this.onClose?.(reason);
  }
}

/** One plugin handle: messages with an optional JSEP, trickled candidates, and its events. */
export class JanusHandle {
  constructor(session, id) {
    this.session = session;
    this.id = id;
    this.listeners = new Set();
  }

  /** A plugin message; resolves with `{data, jsep}` of its answer. */
  async message(body, jsep) {
    const request = { janus: "message", handle_id: this.id, body };
    if (jsep) request.jsep = { type: jsep.type, sdp: jsep.sdp };
    const reply = await this.session.request(request);
    return { data: reply.plugindata?.data ?? {}, jsep: reply.jsep ?? null };
  }

  /** A local ICE candidate, or null when gathering completed. */
  trickle(candidate) {
    const body = candidate ? { candidate: candidate.toJSON?.() ?? candidate } : { candidate: { completed: true } };
    return this.session.request({ janus: "trickle", handle_id: this.id, ...body }).catch(() => {});
  }

  /**
   * Everything Janus says on this handle unasked: plugin `event`s (`{janus, data, jsep}`),
   * `webrtcup`, `hangup`, `detached`. Returns the remover.
   */
  onEvent(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  deliver(message) {
    const event = { janus: message.janus, data: message.plugindata?.data ?? null, jsep: message.jsep ?? null, reason: message.reason };
    for (const listener of [...this.listeners]) listener(event);
  }

  detach() {
    this.session.handles.delete(this.id);
    if (this.session.closed) return Promise.resolve();
    return this.session.request({ janus: "detach", handle_id: this.id }).catch(() => {});
  }
}
