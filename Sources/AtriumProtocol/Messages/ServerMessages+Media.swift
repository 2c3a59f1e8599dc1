/// Proximity voice and video: who may connect with whom, the relayed signalling, and the
/// ICE servers to connect through.
extension ServerMessages {
    /// The avatar's conversation peers: the full current set, ascending ids (empty when it
    /// lost every peer), sent whenever it changes. Open a connection to each new peer and
    /// close the ones no longer listed.
    public struct AVPeers: ServerMessage {
        public static let type = "av_peers"

        public var peers: [UInt32]
        public init(peers: [UInt32]) { self.peers = peers }
    }

    /// A signal from a conversation peer, as it sent it.
    public struct RTCSignal: ServerMessage {
        public static let type = "rtc_signal"

        public var from: UInt32
        public var data: String

        public init(from: UInt32, data: String) {
            self.from = from
            self.data = data
        }
    }

    /// The ICE servers for WebRTC connections, shaped like the browser's `RTCIceServer`
    /// list; TURN entries carry a credential minted for this client. Sent after `welcome`
    /// and again before `expires` (server time, ms since epoch; absent without TURN).
    public struct IceServers: ServerMessage {
        public static let type = "ice_servers"

        public struct Server: Codable, Sendable, Equatable {
            public var urls: [String]
            public var username: String?
            public var credential: String?

            public init(urls: [String], username: String? = nil, credential: String? = nil) {
                self.urls = urls
                self.username = username
                self.credential = credential
            }
        }

        public var iceServers: [Server]
        public var expires: Int64?

        public init(iceServers: [Server], expires: Int64? = nil) {
            self.iceServers = iceServers
            self.expires = expires
        }
    }
}
