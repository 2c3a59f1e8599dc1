// One RTCPeerConnection per conversation peer, opened and closed as the server's peer
// set changes (`av_peers`), negotiated with the perfect-negotiation pattern over
// `rtc_signal`, carrying the visitor's microphone and camera tracks. No DOM: the
// connection constructor and the sending are injected, so Node tests run it on stand-ins.

import { diffPeers, isPolite } from "./peers.js";
import { Negotiation } from "./negotiation.js";

export class Mesh {
  /**
   * @param {object} options
   * @param {number} options.selfId this visitor's avatar id
   * @param {(configuration: RTCConfiguration) => RTCPeerConnection} options.createPeerConnection
   * @param {() => RTCConfiguration} options.configuration the ICE configuration for a new connection
   * @param {(to: number, data: string) => boolean} options.send sends `rtc_signal`
   * @param {(peerId: number, kind: string, track: MediaStreamTrack) => void} [options.onTrack] a remote track arrived
   * @param {(peerId: number, link: Link|null) => void} [options.onLink] a link opened, changed state, or closed (null)
   * @param {(error: Error, peerId: number) => void} [options.onError]
   */
  constructor({ selfId, createPeerConnection, configuration, send, onTrack = () => {}, onLink = () => {}, onError = () => {} }) {
    Object.assign(this, { selfId, createPeerConnection, configuration, send, onTrack, onLink, onError });
    /** @type {Map<number, Link>} */
    this.links = new Map();
    this.peers = [];
    this.local = { audio: null, video: null };
  }

  /** Takes the server's new peer set; returns what changed. */
  update(peers) {
    const change = diffPeers(this.peers, peers);
    this.peers = [...peers].sort((a, b) => a - b);
    for (const id of change.removed) this.#close(id);
    for (const id of change.added) this.#open(id);
    return change;
  }

  /** A signal relayed from peer `from`; a signal from anyone else is dropped. */
  receive(from, data) {
    const link = this.links.get(from);
    if (!link) return false;
    let parsed;
    try {
      parsed = JSON.parse(data);
    } catch {
      return false;
    }
    link.negotiation.receive(parsed);
    return true;
  }

  /** The visitor's microphone (`audio`) or camera (`video`) track, or null when off. */
  setTrack(kind, track) {
    this.local[kind] = track;
    for (const link of this.links.values()) link.setTrack(kind, track);
  }

  /** New ICE servers (a renewed TURN credential) for the open connections. */
  refreshConfiguration() {
    for (const link of this.links.values()) {
      try {
        link.pc.setConfiguration?.(this.configuration());
      } catch (error) {
        this.onError(error, link.peerId);
      }
    }
  }

  /** Closes every connection, e.g. after a resume: the server sends the set again. */
  closeAll() {
    for (const id of [...this.links.keys()]) this.#close(id);
    this.peers = [];
  }

  #open(peerId) {
    const pc = this.createPeerConnection(this.configuration());
    const link = new Link({ peerId, pc, polite: isPolite(this.selfId, peerId), mesh: this });
    this.links.set(peerId, link);
    for (const kind of ["audio", "video"]) {
      if (this.local[kind]) link.setTrack(kind, this.local[kind]);
    }
    this.onLink(peerId, link);
  }

  #close(peerId) {
    const link = this.links.get(peerId);
    if (!link) return;
    this.links.delete(peerId);
    link.close();
    this.onLink(peerId, null);
  }
}

/** The connection with one peer. */
export class Link {
  constructor({ peerId, pc, polite, mesh }) {
    this.peerId = peerId;
    this.pc = pc;
    this.polite = polite;
    this.senders = { audio: null, video: null };
    this.remote = { audio: null, video: null };
    this.negotiation = new Negotiation({
      pc, polite,
      signal: (data) => mesh.send(peerId, JSON.stringify(data)),
      onError: (error) => mesh.onError(error, peerId),
    });
    pc.ontrack = ({ track }) => {
      this.remote[track.kind] = track;
      mesh.onTrack(peerId, track.kind, track);
    };
    pc.onconnectionstatechange = () => {
      // A path that failed (a network change, a phone waking up) is looked for again.
      if (pc.connectionState === "failed") pc.restartIce?.();
      mesh.onLink(peerId, this);
    };
  }

  get state() {
    return this.pc.connectionState ?? "new";
  }

  /**
   * Sends `track` as this link's audio or video. Turning a device off replaces the track
   * with nothing (no renegotiation, the peer just gets no frames); the first track of a
   * kind adds a sender, which renegotiates.
   */
  setTrack(kind, track) {
    const sender = this.senders[kind];
    if (sender) {
      sender.replaceTrack(track).catch(() => {});
    } else if (track) {
      this.senders[kind] = this.pc.addTrack(track);
    }
  }

  close() {
    this.negotiation.close();
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }
}
