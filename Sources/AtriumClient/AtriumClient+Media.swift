import AtriumProtocol

/// Proximity voice and video, as far as a headless client takes part: it reports its
/// media state and exchanges WebRTC signals with the conversation peers the server gives
/// it (``ClientEvent/conversationPeers(_:)``, ``ClientEvent/signal(from:data:)``). The
/// media itself is the caller's business.
extension AtriumClient {
    /// Says what is switched on; a nil part stays as it was. Others see it in the
    /// avatar's state flags, and an avatar with its microphone or camera on gets
    /// conversation peers.
    public func setMedia(mic: Bool? = nil, camera: Bool? = nil, speaking: Bool? = nil) {
        sendJSON(ClientMessages.Media(mic: mic, camera: camera, speaking: speaking))
    }

    /// Sends a WebRTC signal (an offer, answer or ICE candidate, as text of at most
    /// 16 KiB) to a conversation peer. The server relays it with this client's id, or
    /// answers `error` `not_a_peer` when `peer` is not among this client's peers.
    public func sendSignal(to peer: UInt32, data: String) {
        sendJSON(ClientMessages.RTCSignal(to: peer, data: data))
    }
}
