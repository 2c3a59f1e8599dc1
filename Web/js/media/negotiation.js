// The perfect-negotiation pattern (W3C WebRTC §10.7, MDN "Perfect negotiation") for one
// RTCPeerConnection: either side may start (re)negotiating whenever its tracks change, and
// when both offer at once the polite side rolls its own offer back and answers, while the
// impolite side ignores the offer it did not expect. So crossing offers never deadlock
// and neither side needs to know who "called". The signalling channel is Atrium's
// `rtc_signal`, which the server relays only between conversation peers.

/**
 * Whether a remote offer collides with our own negotiation: we are making an offer, or
 * are not in a state to take one. The impolite side ignores such an offer.
 */
export function offerCollides({ type, makingOffer, signalingState, settingRemoteAnswer }) {
  const readyForOffer = !makingOffer && (signalingState === "stable" || settingRemoteAnswer);
  return type === "offer" && !readyForOffer;
}

export class Negotiation {
  /**
   * @param {object} options
   * @param {RTCPeerConnection} options.pc
   * @param {boolean} options.polite
   * @param {(data: object) => void} options.signal sends `{description}` or `{candidate}` to the peer
   * @param {(error: Error) => void} [options.onError]
   */
  constructor({ pc, polite, signal, onError = () => {} }) {
    this.pc = pc;
    this.polite = polite;
    this.signal = signal;
    this.onError = onError;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.settingRemoteAnswer = false;
    this.closed = false;
    /** Offers ignored and rollbacks done, for tests and the debug snapshot. */
    this.ignored = 0;
    pc.onnegotiationneeded = () => this.#negotiate();
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && !this.closed) this.signal({ candidate: candidate.toJSON ? candidate.toJSON() : candidate });
    };
  }

  async #negotiate() {
    if (this.closed) return;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      if (!this.closed) this.signal({ description: plain(this.pc.localDescription) });
    } catch (error) {
      // A connection hung up mid-negotiation fails its pending calls; that is no error.
      if (!this.closed) this.onError(error);
    } finally {
      this.makingOffer = false;
    }
  }

  /** Handles a signal from the peer: a description (offer or answer) or an ICE candidate. */
  async receive({ description, candidate }) {
    if (this.closed) return;
    try {
      if (description) {
        const collides = offerCollides({
          type: description.type, makingOffer: this.makingOffer, signalingState: this.pc.signalingState,
          settingRemoteAnswer: this.settingRemoteAnswer,
        });
        this.ignoreOffer = !this.polite && collides;
        if (this.ignoreOffer) {
          this.ignored += 1;
          return;
        }
        this.settingRemoteAnswer = description.type === "answer";
        // On the polite side a colliding offer rolls ours back implicitly.
        await this.pc.setRemoteDescription(description);
        this.settingRemoteAnswer = false;
        if (description.type === "offer" && !this.closed) {
          await this.pc.setLocalDescription();
          this.signal({ description: plain(this.pc.localDescription) });
        }
      } else if (candidate) {
        try {
          await this.pc.addIceCandidate(candidate);
        } catch (error) {
          // Candidates of an offer we ignored fail to apply; that is expected.
          if (!this.ignoreOffer) throw error;
        }
      }
    } catch (error) {
      this.settingRemoteAnswer = false;
      if (!this.closed) this.onError(error);
    }
  }

  close() {
    this.closed = true;
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
  }
}

function plain(description) {
  return { type: description.type, sdp: description.sdp };
}
