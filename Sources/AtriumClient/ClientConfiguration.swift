import AtriumNet
import AtriumWebSocket
import Logging

/// How an ``AtriumClient`` connects. Defaults suit a person's client; bots lower the
/// timeouts.
public struct ClientConfiguration: Sendable {
    /// `ws://` or `wss://` URL of the room, e.g. `ws://127.0.0.1:8080/ws?room=expo-hall`.
    public var url: String
    public var name: String
    /// A personal join token, for rooms that need registration.
    public var token: String?
    public var appearance: UInt8
    /// For `wss://` with a private CA or self-signed certificate; system roots otherwise.
    public var tls: TLSContext?
    public var compression: PerMessageDeflateConfiguration
    public var connectTimeout: Duration
    /// How long a request (`say`, `who`, `ping`) waits for its answer.
    public var requestTimeout: Duration
    public var reconnect: ReconnectPolicy
    /// The largest message accepted from the server, reassembled and decompressed; a
    /// larger one closes the connection (1009). Room-sized answers (a roster, a page of
    /// notes) stay far below the default of 16 MiB.
    public var maxMessageBytes: Int
    /// Counts this client's traffic; share one among many clients to total them.
    public var traffic: TrafficCounters?
    public var logger: Logger

    public init(url: String, name: String, token: String? = nil, appearance: UInt8 = 0, tls: TLSContext? = nil,
                compression: PerMessageDeflateConfiguration = .init(), connectTimeout: Duration = .seconds(10),
                requestTimeout: Duration = .seconds(10), reconnect: ReconnectPolicy = .init(), maxMessageBytes: Int = 16 << 20,
                traffic: TrafficCounters? = nil, logger: Logger = Logger(label: "atrium.client")) {
        self.url = url
        self.name = name
        self.token = token
        self.appearance = appearance
        self.tls = tls
        self.compression = compression
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.reconnect = reconnect
        self.maxMessageBytes = maxMessageBytes
        self.traffic = traffic
        self.logger = logger
    }
}

/// Automatic reconnection after a dropped connection, with the resume token so the same
/// avatar comes back. Delays grow exponentially with jitter; it gives up when the
/// server's reconnect grace must have passed.
public struct ReconnectPolicy: Sendable {
    public var isEnabled: Bool
    public var initialDelay: Duration
    public var maximumDelay: Duration
    /// Stop trying after this long; the server forgets the avatar after its grace (30 s).
    public var giveUpAfter: Duration
    /// The longest wait a restarting server's `retryAfter` can impose; a larger value is
    /// cut to this, so a wrong server cannot park its clients for hours.
    public var maximumRetryAfter: Duration

    public init(isEnabled: Bool = true, initialDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(5),
                giveUpAfter: Duration = .seconds(30), maximumRetryAfter: Duration = .seconds(300)) {
        self.isEnabled = isEnabled
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.giveUpAfter = giveUpAfter
        self.maximumRetryAfter = maximumRetryAfter
    }

    public static let disabled = ReconnectPolicy(isEnabled: false)

    /// The delay before attempt `attempt` (1-based): doubling from `initialDelay` up to
    /// `maximumDelay`, times `jitter` (0.5…1, drawn by the caller), so that a restart does
    /// not bring every client back in the same instant.
    public func delay(attempt: Int, jitter: Double) -> Duration {
        let base = initialDelay * Int(1 << min(attempt - 1, 16))
        return min(base, maximumDelay) * jitter
    }
}
