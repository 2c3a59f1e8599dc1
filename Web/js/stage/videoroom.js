// The two roles in Janus's VideoRoom (Janus 1.1, `janus_videoroom.c`), over our Janus
// client: a publisher joins as the feed Atrium granted and sends its microphone and
// camera (or screen), a subscriber receives one feed. One RTCPeerConnection per role and
// feed; candidates trickle both ways. The peer connection is made by the caller, with
// the same ICE servers as proximity media.

/** Sends local tracks to the room as `grant.feed`; `close()` unpublishes and leaves. */
export class Publisher {
  constructor({ session, grant, display, createPeerConnection, configuration }) {
    this.session = session;
    this.grant = grant;
    this.display = display;
    this.createPeerConnection = createPeerConnection;
    this.configuration = configuration;
    this.handle = null;
    this.pc = null;
    this.senders = { audio: null, video: null };
    this.closed = false;
    /** Called once when Janus ends the publication (a kick, a hang-up) rather than close(). */
    this.onEnded = null;
  }

  /** Joins and publishes `tracks` ({audio, video}, either may be null). */
  async start(tracks) {
    this.handle = await this.session.attach();
    this.handle.onEvent((event) => this.#event(event));
    const { data } = await this.handle.message({
      request: "join", ptype: "publisher", room: this.grant.room, id: this.grant.feed, display: this.display,
      token: this.grant.roomToken,
    });
    if (data.videoroom !== "joined") throw new Error(`VideoRoom answered the join with ${data.videoroom}`);
    const pc = this.createPeerConnection(this.configuration);
    this.pc = pc;
    // Both kinds always have a sender, so turning the camera on later is a track swap and
    // not a renegotiation.
    for (const kind of ["audio", "video"]) {
      this.senders[kind] = pc.addTransceiver(tracks[kind] ?? kind, { direction: "sendonly" }).sender;
    }
    const early = [];
    let offered = false;
    pc.onicecandidate = ({ candidate }) => {
      if (offered) this.handle.trickle(candidate);
      else early.push(candidate);
    };
    await pc.setLocalDescription();
    const reply = this.handle.message({ request: "publish", display: this.display }, pc.localDescription);
    offered = true;
    for (const candidate of early) this.handle.trickle(candidate);
    const { jsep } = await reply;
    if (!jsep) throw new Error("VideoRoom published without an answer");
    await pc.setRemoteDescription(jsep);
  }

  /** Swaps what a sender sends (camera ↔ screen, a device turned off): no renegotiation. */
  async replaceTrack(kind, track) {
    await this.senders[kind]?.replaceTrack(track ?? null);
  }

  #event(event) {
    const data = event.data ?? {};
    const kicked = data.leaving === "ok" || data.unpublished === "ok" || data.videoroom === "destroyed" || data.kicked !== undefined;
    if (event.janus === "hangup" || event.janus === "detached" || kicked) this.#end(true);
  }

  #end(byJanus) {
    if (this.closed) return;
    this.closed = true;
    hangUp(this.handle, this.pc, byJanus);
    if (byJanus) this.onEnded?.();
  }

  close() {
    this.#end(false);
  }
}

/** Receives one feed; `onTrack(track)` for each of its tracks, `onEnded()` when it stops. */
export class Subscriber {
  constructor({ session, grant, feed, createPeerConnection, configuration, onTrack = () => {}, onEnded = () => {} }) {
    this.session = session;
    this.grant = grant;
    this.feed = feed;
    this.createPeerConnection = createPeerConnection;
    this.configuration = configuration;
    this.onTrack = onTrack;
    this.onEnded = onEnded;
    this.handle = null;
    this.pc = null;
    this.closed = false;
    this.startedAt = null;
  }

  async start() {
    this.handle = await this.session.attach();
    this.handle.onEvent((event) => this.#event(event));
    const { data, jsep } = await this.handle.message({
      request: "join", ptype: "subscriber", room: this.grant.room, streams: [{ feed: this.feed }], token: this.grant.roomToken,
    });
    if (data.videoroom !== "attached" || !jsep) throw new Error(`VideoRoom answered the subscription with ${data.videoroom}`);
    if (this.closed) return;
    const pc = this.createPeerConnection(this.configuration);
    this.pc = pc;
    pc.ontrack = (event) => this.onTrack(event.track, event);
    pc.onicecandidate = ({ candidate }) => this.handle.trickle(candidate);
    await pc.setRemoteDescription(jsep);
    await pc.setLocalDescription();
    await this.handle.message({ request: "start" }, pc.localDescription);
    this.startedAt = Date.now();
  }

  #event(event) {
    const data = event.data ?? {};
    const gone = data.videoroom === "destroyed" || data.unpublished !== undefined || data.leaving !== undefined
      || (data.videoroom === "updated" && Array.isArray(data.streams) && data.streams.every((stream) => stream.active === false));
    if (event.janus === "hangup" || event.janus === "detached" || gone) this.#end(true);
  }

  #end(byJanus) {
    if (this.closed) return;
    this.closed = true;
    hangUp(this.handle, this.pc, byJanus);
    this.onEnded();
  }

  close() {
    this.#end(false);
  }
}

/** Closes a role's connection and its handle; leaves the room first unless Janus ended it. */
function hangUp(handle, pc, byJanus) {
  pc?.close();
  if (byJanus) handle?.detach();
  else handle?.message({ request: "leave" }).catch(() => {}).finally(() => handle.detach());
}
