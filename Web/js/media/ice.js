// The ICE servers (STUN, TURN) WebRTC connections use, as the server hands them out in
// `ice_servers`: its configured URLs, TURN with a short-lived credential minted for this
// visitor and renewed by the server before it expires. Shared by proximity media and the
// stage. Pure apart from reading the page's URL in `icePolicyFromUrl`.

export class IceServers {
  constructor({ relayOnly = false } = {}) {
    /** @type {RTCIceServer[]} */
    this.servers = [];
    /** When the TURN credential expires (server ms since epoch), or null. */
    this.expires = null;
    this.relayOnly = relayOnly;
    this.listeners = new Set();
  }

  /** Takes an `ice_servers` message; keeps only well-formed entries. */
  update(message) {
    const list = Array.isArray(message?.iceServers) ? message.iceServers : [];
    this.servers = list
      .filter((entry) => entry && (typeof entry.urls === "string" || Array.isArray(entry.urls)))
      .map((entry) => {
        const server = { urls: entry.urls };
        if (typeof entry.username === "string") server.username = entry.username;
        if (typeof entry.credential === "string") server.credential = entry.credential;
        return server;
      });
    this.expires = typeof message?.expires === "number" ? message.expires : null;
    for (const listener of this.listeners) listener(this);
  }

  /** Calls `listener` after every update; returns its remover. */
  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The RTCConfiguration for a new connection. Relay-only (every path through TURN) is
   * for tests and for networks where direct paths leak addresses; without TURN servers
   * it cannot connect, so it is then ignored.
   */
  configuration() {
    const hasTurn = this.servers.some((server) => [server.urls].flat().some((url) => /^turns?:/.test(url)));
    const configuration = { iceServers: this.servers.map((server) => ({ ...server })) };
    if (this.relayOnly && hasTurn) configuration.iceTransportPolicy = "relay";
    return configuration;
  }
}

/** `?ice=relay` in the page's URL forces relay-only ICE (every path through TURN). */
export function icePolicyFromUrl(search) {
  return new URLSearchParams(search).get("ice") === "relay";
}
