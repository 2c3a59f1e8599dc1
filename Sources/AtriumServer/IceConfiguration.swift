import Foundation

/// The ICE servers each client is told to use for its WebRTC connections: the STUN and
/// TURN URLs of the configuration, the TURN ones with a credential minted for that
/// client (``TurnCredential``). With nothing configured the list is empty and browsers
/// use host candidates only, which is enough on one network and for the tests.
public struct IceConfiguration: Sendable {
    /// One entry of the list, shaped like the browser's `RTCIceServer`.
    public struct Server: Sendable, Equatable {
        public var urls: [String]
        public var username: String?
        public var credential: String?
    }

    public var stunURLs: [String]
    public var turnURLs: [String]
    /// coturn's `static-auth-secret`; TURN URLs are offered only with it.
    public var turnSecret: [UInt8]?
    /// Seconds a TURN credential lives.
    public var ttl: Int64

    public init(stunURLs: [String] = [], turnURLs: [String] = [], turnSecret: [UInt8]? = nil, ttl: Int64 = 3600) {
        self.stunURLs = stunURLs
        self.turnURLs = turnURLs
        self.turnSecret = turnSecret
        self.ttl = ttl
    }

    /// The servers for one client at `now` (Unix seconds), and when its TURN credential
    /// expires (nil without TURN): the client must be given fresh ones before then.
    public func servers(for user: String, now: Int64) -> (servers: [Server], expires: Int64?) {
        var servers: [Server] = []
        if !stunURLs.isEmpty { servers.append(Server(urls: stunURLs)) }
        guard !turnURLs.isEmpty, let turnSecret else { return (servers, nil) }
        let credential = TurnCredential.mint(secret: turnSecret, user: user, now: now, ttl: ttl)
        servers.append(Server(urls: turnURLs, username: credential.username, credential: credential.password))
        return (servers, credential.expires)
    }

    /// The configuration's ICE settings, with the TURN secret read from its file (the
    /// first line, surrounding whitespace removed, at most 1 KiB).
    public static func load(_ configuration: ServerConfiguration) throws(ConfigurationError) -> IceConfiguration {
        var secret: [UInt8]?
        if let path = configuration.turnSecretFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError("av.turn_secret_file: cannot read \(path)")
            }
            let line = String(decoding: data.prefix(1024), as: UTF8.self).split(whereSeparator: \.isNewline).first
            guard let line, !line.allSatisfy(\.isWhitespace) else {
                throw ConfigurationError("av.turn_secret_file: \(path) holds no secret on its first line")
            }
            secret = Array(line.trimmingCharacters(in: .whitespaces).utf8)
        }
        return IceConfiguration(stunURLs: configuration.stunURLs, turnURLs: configuration.turnURLs, turnSecret: secret,
                                ttl: Int64(configuration.turnCredentialTTL.components.seconds))
    }
}
