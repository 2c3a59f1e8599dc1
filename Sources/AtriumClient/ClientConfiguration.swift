import AtriumWebSocket
import Logging

/// How an ``AtriumClient`` connects, who it is, and its limits. Defaults suit a person's
/// client; bots lower the timeouts and bring their own ``queues``.
public struct ClientConfiguration: Sendable {
    /// `ws://` or `wss://` URL of the room, e.g. `ws://127.0.0.1:8080/ws?room=expo-hall`.
    public var url: String
    /// The name to show (1–32 visible characters); the server makes it unique.
    public var name: String
    /// A personal join token, for rooms that need registration.
    public var token: String?
    /// The avatar's look, 0–255.
    public var appearance: UInt8
    /// A friend's "come find me" token (``AtriumClient/findMe()``): a new avatar starts
    /// next to them. Sent with every `hello` that does not resume; an expired or foreign
    /// token is no error, the avatar starts at a spawn point and the welcome has no `near`.
    public var near: String? = nil
    /// How a `wss://` URL's certificate is checked; the system's roots by default.
    public var tls: ClientTLS
    /// permessage-deflate, offered by default; the server compresses large messages only.
    public var compression: PerMessageDeflateConfiguration
    /// Covers resolving, connecting, TLS and the WebSocket handshake (10 s).
    public var connectTimeout: Duration
    /// How long a request (`say`, `who`, `ping`, exhibits, moderation) waits for its
    /// answer, and a `hello` for its `welcome` (10 s).
    public var requestTimeout: Duration
    /// Whether and how to come back after a dropped connection.
    public var reconnect: ReconnectPolicy
    /// When to ask `/api/seat` where the room runs (``SeatLookup/onRoomMoved``), so a
    /// client follows its room between the nodes of a cluster by itself.
    public var seatLookup: SeatLookup
    /// The largest message accepted from the server, reassembled and decompressed; a
    /// larger one closes the connection (1009). Room-sized answers (a roster, a page of
    /// notes) stay far below the default of 16 MiB.
    public var maxMessageBytes: Int
    /// The serial queues the client runs on; ``ClientQueues/shared`` unless given.
    public var queues: ClientQueues
    /// Counts this client's traffic; share one among many clients to total them.
    public var traffic: TrafficCounters?
    /// How much of each state message to read: all of it by default.
    public var stateDecoding: StateDecoding = .full
    /// The local IP address to connect from, e.g. one of several loopback addresses so
    /// that a load test stays within the server's per-address limits; the system's
    /// choice when nil.
    public var sourceAddress: String?
    /// A resume token from an earlier session, sent with the first `hello`: a visitor who
    /// switches to another instance of the room comes back there as the same person.
    public var resume: String?
    /// Where the client reports what it did not expect (unreadable messages) and, at
    /// debug level, its connections and reconnections.
    public var logger: Logger

    /// A configuration with the defaults documented on each property.
    public init(url: String, name: String, token: String? = nil, appearance: UInt8 = 0, tls: ClientTLS = .system,
                compression: PerMessageDeflateConfiguration = .init(), connectTimeout: Duration = .seconds(10),
                requestTimeout: Duration = .seconds(10), reconnect: ReconnectPolicy = .init(),
                seatLookup: SeatLookup = .onRoomMoved, maxMessageBytes: Int = 16 << 20,
                queues: ClientQueues = .shared, traffic: TrafficCounters? = nil,
                logger: Logger = Logger(label: "atrium.client")) {
        self.url = url
        self.name = name
        self.token = token
        self.appearance = appearance
        self.tls = tls
        self.compression = compression
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.reconnect = reconnect
        self.seatLookup = seatLookup
        self.maxMessageBytes = maxMessageBytes
        self.queues = queues
        self.traffic = traffic
        self.logger = logger
    }
}
