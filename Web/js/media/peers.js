// Who this visitor is connected to for voice and video, as the server decides it: the
// server sends the full current set in `av_peers` whenever it changes, and the browser
// opens and closes one RTCPeerConnection per peer to match. Pure; Node tests drive it.

/** What changed from one peer set to the next (arrays of avatar ids): {added, removed}, ascending. */
export function diffPeers(before, after) {
  const old = new Set(before);
  const now = new Set(after);
  return {
    added: [...now].filter((id) => !old.has(id)).sort((a, b) => a - b),
    removed: [...old].filter((id) => !now.has(id)).sort((a, b) => a - b),
  };
}

/**
 * The perfect-negotiation roles: of two peers the one with the lower avatar id is polite
 * (it gives way when offers cross), the other impolite. Both sides compute the same answer.
 */
export function isPolite(selfId, peerId) {
  return selfId < peerId;
}
