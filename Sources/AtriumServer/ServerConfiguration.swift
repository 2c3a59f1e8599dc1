import AtriumNet
import AtriumProtocol
import AtriumWebSocket

/// Every setting of a server, each with a documented default. The executable fills it
/// from the configuration file, the environment and flags, in that order.
public struct ServerConfiguration: Sendable {
    // Listening
    /// Addresses to listen on; IPv4 and IPv6 loopback by default.
    public var hosts: [String] = ["127.0.0.1", "::1"]
    public var port: UInt16 = 8080
    public var tlsCertificate: String?
    public var tlsKey: String?

    // Content
    public var mapsDirectory = "Maps"
    public var dataDirectory = "./atrium-data"
    /// The browser client; not served when nil or missing.
    public var webDirectory: String? = "Web"
    /// Room id → map file name (without `.tmj`); empty means one room per map.
    public var rooms: [(id: String, map: String)] = []
    /// The room `GET /ws` joins without `?room=`; the first room when nil.
    public var defaultRoom: String?
    /// Serves `/echo`, a WebSocket that returns every message, for transport tests and
    /// benchmarks. Off in production.
    public var echoEndpoint = false
    public var logLevel = "info"

    // Connection limits
    public var maxConnections = 20_000
    public var maxConnectionsPerIP = 200
    /// WebSocket upgrades per IP address: reconnect storms and handshake floods slow down.
    public var handshakeRate = RateLimit(perSecond: 20, burst: 60)
    public var maxMessageBytes = 1 << 20
    /// JSON control messages are small; anything larger is refused with `message_too_large`.
    public var maxJSONMessageBytes = 16 * 1024
    /// Reliable bytes (chat, news, replies) that may wait per connection before it is
    /// closed with 4011 `too_slow`; room state is coalesced apart (see ``OutboundLimits``).
    public var outboundBudgetBytes = OutboundLimits().reliableBudget
    public var pingInterval: Duration = .seconds(20)
    public var deadPeerTimeout: Duration = .seconds(60)
    public var closeTimeout: Duration = .seconds(5)
    public var httpHeadTimeout: Duration = .seconds(10)
    public var httpKeepAliveTimeout: Duration = .seconds(15)
    public var helloTimeout: Duration = .seconds(10)
    public var compression = PerMessageDeflateConfiguration()
    public var compressionEnabled: Bool {
        get { compression.isEnabled }
        set { compression.isEnabled = newValue }
    }
    /// Browser origins allowed to open WebSockets; empty means same origin only (the
    /// Host header), and requests without Origin (native clients) are always allowed.
    public var allowedOrigins: [String] = []
    /// Who may read `/metrics`: address prefixes, or "*". Loopback by default, since the
    /// figures describe the event (rooms, occupancy) and a scraper usually runs beside
    /// the server or behind the same proxy.
    public var metricsFrom: [String] = ["127.", "::1", "::ffff:127."]

    // Rooms
    public var reconnectGrace: Duration = .seconds(30)
    /// How long a "come find me" link works after it is made.
    public var findMeLifetime: Duration = .seconds(900)
    public var walkSpeed = 4.0
    public var gridCellTiles = 4
    public var maxVisible = 200
    /// See ``RoomConfiguration/nearStateCells``.
    public var nearStateCells = 1
    /// See ``RoomConfiguration/farStateInterval``.
    public var farStateInterval = 2
    /// See ``RoomConfiguration/stateBudgetBytes``.
    public var stateBudgetBytes = 1200
    /// See ``RoomConfiguration/pathNodesPerTick``.
    public var pathNodesPerTick = 50_000
    public var maxChatLength = 500
    public var maxNoteLength = 300
    /// How long chat is kept for moderation.
    public var chatRetention: Duration = .seconds(30 * 86_400)
    /// Sync the database on every commit (survives power loss), not only process crashes.
    public var durableCommits = true
    /// A cap on the database size in 4 KiB pages; nil for none.
    public var maxDatabasePages: Int?
    /// PostgreSQL instead of SQLite, as a `postgres://` URL; nil for the SQLite database
    /// in the data folder.
    public var storeURL: String?
    /// With PostgreSQL: connections for reads, besides the one that writes.
    public var storeReaders = 2
    /// With PostgreSQL: how long a request may wait, queued or in flight, before it fails.
    public var storeTimeout: Duration = .seconds(15)
    /// Between telling clients the server is restarting and closing them.
    public var drainDelay: Duration = .seconds(5)
    /// What draining clients are told to wait after the close before reconnecting.
    public var restartRetryAfter: Duration = .seconds(5)

    /// `server_restarting` with the retry hint, for everyone a drain turns away.
    var restartNotice: ServerMessages.ErrorMessage {
        let seconds = Int(restartRetryAfter.components.seconds)
        return .init(code: .serverRestarting, message: "the server is restarting; reconnect in about \(seconds) s",
                     retryAfter: seconds)
    }

    // Voice and video (media goes browser to browser; the server only decides and relays).
    /// Most conversation peers one avatar has; see ``RoomConfiguration/maxConversationPeers``.
    public var maxConversationPeers = 8
    /// STUN server URLs handed to browsers, e.g. `stun:turn.example.org:3478`.
    public var stunURLs: [String] = []
    /// TURN server URLs, e.g. `turn:turn.example.org:3478?transport=udp`; each client gets
    /// its own short-lived credential for them.
    public var turnURLs: [String] = []
    /// A file holding coturn's `static-auth-secret` (its first line); needed with TURN URLs.
    public var turnSecretFile: String?
    /// How long a minted TURN credential lives; clients get fresh ones before it ends.
    public var turnCredentialTTL: Duration = .seconds(3600)

    // Rates, per connection: sustained per second and burst.
    public var moveRate = RateLimit(perSecond: 30, burst: 60)
    public var chatRate = RateLimit(perSecond: 1, burst: 5)
    public var noteRate = RateLimit(perSecond: 0.2, burst: 3)
    public var actionRate = RateLimit(perSecond: 5, burst: 20)
    /// `media` reports (microphone, camera, speaking).
    public var mediaRate = RateLimit(perSecond: 5, burst: 20)
    /// WebRTC signals; exceeding it closes the connection.
    public var signalRate = RateLimit(perSecond: 50, burst: 200)
    /// Signals each new conversation peer adds on top of `signalRate` (a negotiation with it).
    public var signalsPerNewPeer = 40
    /// Largest `rtc_signal` data in bytes; a larger one closes the connection.
    public var maxSignalBytes = 16 * 1024
    /// Protocol violations (bad messages, rate limits) tolerated within 10 s before the
    /// connection is closed with 1008.
    public var maxStrikes = 20

    /// Janus for the stage's video; see ``StageConfiguration``.
    public var stage = StageConfiguration()
    /// One node of several; see ``ClusterConfiguration``. Off by default.
    public var cluster = ClusterConfiguration()

    public init() {}

    public var webSocket: WebSocketConfiguration {
        WebSocketConfiguration(maxMessageBytes: maxMessageBytes, pingInterval: pingInterval,
                               deadPeerTimeout: deadPeerTimeout, closeTimeout: closeTimeout, compression: compression)
    }

    public var outboundLimits: OutboundLimits {
        OutboundLimits(reliableBudget: outboundBudgetBytes, closeCode: WebSocketCloseCode(ErrorCode.tooSlow.closeCode ?? 4011),
                       closeReason: ErrorCode.tooSlow.rawValue)
    }
}

/// A token-bucket rate: `perSecond` sustained, `burst` at once.
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Double

    public init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }
}
