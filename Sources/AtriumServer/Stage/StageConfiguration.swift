import AtriumNet

/// How Atrium reaches Janus for the stage, and the VideoRoom it makes per room. With no
/// `janusURL` there is no stage video: the stage is text and the map's `streamUrl`, and
/// `/readyz` says the stage is degraded.
public struct StageConfiguration: Sendable, Equatable {
    /// Atrium's own connection to Janus's WebSocket API, e.g. `ws://127.0.0.1:8188`.
    public var janusURL: String?
    /// The Janus URL browsers are given (behind a TLS proxy: `wss://expo.example.org/janus`);
    /// `janusURL` when nil.
    public var janusPublicURL: String?
    /// Janus's `token_auth_secret`: Atrium signs every Janus token with it.
    public var janusSecret: String?
    /// The VideoRoom plugin's `admin_key`: only its holder creates rooms.
    public var janusAdminKey: String?
    /// How long a Janus token Atrium hands out stays valid. Janus checks the token on every
    /// request, keep-alives included, so clients fetch a fresh one before this runs out.
    public var tokenLifetime: Duration = .seconds(300)
    /// One Janus request's answer, and connecting.
    public var requestTimeout: Duration = .seconds(5)
    /// Janus ends a session after 60 s without a request; this is well inside it.
    public var keepAliveInterval: Duration = .seconds(25)
    /// The first wait before reconnecting to Janus; it doubles up to `maxReconnectDelay`.
    public var reconnectDelay: Duration = .seconds(1)
    public var maxReconnectDelay: Duration = .seconds(30)
    /// How often Atrium lists each VideoRoom's participants and kicks any publisher it did
    /// not put on stage: a backstop for events lost in a reconnect.
    public var reconcileInterval: Duration = .seconds(5)
    /// Requests waiting for the Janus session at most; more are refused at once.
    public var maxQueuedRequests = 256
    /// The largest message accepted from Janus.
    public var maxJanusMessageBytes = 256 * 1024
    /// Publishers at once in one VideoRoom (the presenters on stage plus spotlighted guests).
    public var maxPublishers = 6
    /// Each publisher's video bitrate cap, bits per second.
    public var videoBitrate = 1_000_000
    /// Most hands raised at once in one room's queue for questions; see
    /// ``RoomConfiguration/maxRaisedHands``. Applies with or without Janus.
    public var maxRaisedHands = 50

    public init() {}

    /// Configured: a URL, a secret and an admin key.
    public var isEnabled: Bool { janusURL != nil }

    /// What browsers are given.
    public var publicURL: String? { janusPublicURL ?? janusURL }

    static let settings: [Setting] = [
        Setting(key: "stage.janus_url", help: "Janus's WebSocket API as Atrium reaches it (ws://IP:PORT); empty: no stage video.",
                render: { "\"\($0.stage.janusURL ?? "")\"" }) { (configuration, text) throws(ConfigurationError) in
            configuration.stage.janusURL = try url(text, key: "stage.janus_url")
        },
        Setting(key: "stage.janus_public_url", help: "The Janus URL browsers get (ws:// or wss://); empty: stage.janus_url.",
                render: { "\"\($0.stage.janusPublicURL ?? "")\"" }) { (configuration, text) throws(ConfigurationError) in
            configuration.stage.janusPublicURL = try url(text, key: "stage.janus_public_url")
        },
        secret("stage.janus_secret", "Janus's token_auth_secret, which signs every Janus token (not printed here).",
               \.stage.janusSecret),
        secret("stage.janus_admin_key", "The VideoRoom plugin's admin_key, which creates rooms (not printed here).",
               \.stage.janusAdminKey),
        .seconds("stage.token_lifetime", "Seconds a Janus token handed to a browser stays valid.", 30...86_400,
                 \.stage.tokenLifetime),
        .seconds("stage.request_timeout", "Seconds to wait for Janus to answer a request or a connection.", 0.1...120,
                 \.stage.requestTimeout),
        .seconds("stage.keepalive_interval", "Seconds between keep-alives on Atrium's Janus session (Janus drops it after 60).",
                 1...55, \.stage.keepAliveInterval),
        .seconds("stage.reconnect_delay", "Seconds before the first reconnect to Janus; doubles up to stage.max_reconnect_delay.",
                 0.1...60, \.stage.reconnectDelay),
        .seconds("stage.max_reconnect_delay", "Longest wait between reconnects to Janus.", 0.1...3600, \.stage.maxReconnectDelay),
        .seconds("stage.reconcile_interval", "Seconds between checks that only Atrium's publishers are live in Janus.",
                 0.5...3600, \.stage.reconcileInterval),
        .int("stage.max_queued_requests", "Janus requests waiting for a session at most.", 1...100_000, \.stage.maxQueuedRequests),
        .int("stage.max_janus_message_bytes", "Largest message accepted from Janus.", 4096...(16 << 20),
             \.stage.maxJanusMessageBytes),
        .int("stage.max_publishers", "Publishers at once in one room's VideoRoom.", 1...64, \.stage.maxPublishers),
        .int("stage.video_bitrate", "Each publisher's video bitrate cap in bits per second.", 32_000...20_000_000,
             \.stage.videoBitrate),
        .int("stage.max_raised_hands", "Most hands raised at once in one room's queue for questions.", 1...1000,
             \.stage.maxRaisedHands),
    ]

    private static func url(_ text: String, key: String) throws(ConfigurationError) -> String? {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return nil }
        guard value.count <= 1024, WebSocketURL(value) != nil else {
            throw ConfigurationError("\(key) must be a ws:// or wss:// URL, not \"\(value.prefix(100))\"")
        }
        return value
    }

    /// A shared secret: long enough to resist guessing, and free of characters that Janus's
    /// configuration format would need escaped. Rendered empty, so `config check` does not
    /// print it.
    private static func secret(_ key: String, _ help: String,
                               _ path: any WritableKeyPath<ServerConfiguration, String?> & Sendable) -> Setting {
        Setting(key: key, help: help, render: { _ in "\"\"" }) { (configuration, text) throws(ConfigurationError) in
            let value = text.trimmingCharacters(in: .whitespaces)
            if value.isEmpty {
                configuration[keyPath: path] = nil
                return
            }
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~+/=-")
            guard (16...256).contains(value.count), value.allSatisfy(allowed.contains) else {
                throw ConfigurationError("\(key) needs 16 to 256 characters of A-Z a-z 0-9 _ . ~ + / = -")
            }
            configuration[keyPath: path] = value
        }
    }

    /// The rules between settings, checked once everything is loaded.
    func validate() throws(ConfigurationError) {
        guard janusURL != nil else { return }
        guard janusSecret != nil, janusAdminKey != nil else {
            throw ConfigurationError("stage.janus_url needs stage.janus_secret and stage.janus_admin_key (see tools/janus/run)")
        }
        guard reconnectDelay <= maxReconnectDelay else {
            throw ConfigurationError("stage.reconnect_delay must not exceed stage.max_reconnect_delay")
        }
    }
}
