/// Where a connection goes and every limit it keeps, each with a documented default.
public struct PostgresConfiguration: Sendable, Equatable {
    /// A libpq URI, `postgres://[user[:password]@]host[:port]/database[?param=value…]`.
    /// Passwords are better kept out of it, in `PGPASSWORD` or `~/.pgpass`, which libpq
    /// reads itself; the URI is shown in logs and by `config check` with any password masked.
    public var url: String
    /// `application_name`, as `pg_stat_activity` shows it (the URI may override it).
    public var applicationName: String
    /// How long a connection attempt may take, DNS to authentication. libpq's own
    /// `connect_timeout` only governs its blocking calls, so this one is kept here.
    public var connectTimeout: Duration
    /// How long a request may wait in total, queued or in flight. A request in flight past
    /// it means the connection stalled: it is dropped and its requests fail.
    public var requestTimeout: Duration
    /// `statement_timeout` for the session: the server gives up on a statement after it.
    /// Shorter than ``requestTimeout``, so a slow statement fails with its SQLSTATE
    /// (57014) before the connection is judged stalled.
    public var statementTimeout: Duration
    /// The first wait before reconnecting; doubled after each failure up to ``maxReconnectDelay``.
    public var reconnectDelay: Duration
    public var maxReconnectDelay: Duration
    /// Transactions sent ahead on the connection before the first one's result is back.
    public var maxInFlight: Int
    /// Transactions waiting (queued and in flight together); beyond it a request fails
    /// at once with ``PostgresError/Kind/overloaded``.
    public var maxQueued: Int
    /// How often deadlines are checked while requests wait.
    public var sweepInterval: Duration
    /// `synchronous_commit`: on means a commit is on the server's disk before it is
    /// reported, so what Atrium acknowledges survives a crash of PostgreSQL's machine.
    public var synchronousCommit: Bool
    /// TCP keepalive idle time, so a dead peer is noticed on an idle connection.
    public var keepaliveIdle: Duration

    public static let maxURLLength = 4096

    public init(url: String, applicationName: String = "atrium", connectTimeout: Duration = .seconds(5),
                requestTimeout: Duration = .seconds(15), statementTimeout: Duration = .seconds(10),
                reconnectDelay: Duration = .milliseconds(100), maxReconnectDelay: Duration = .seconds(5),
                maxInFlight: Int = 64, maxQueued: Int = 20_000, sweepInterval: Duration = .milliseconds(100),
                synchronousCommit: Bool = true, keepaliveIdle: Duration = .seconds(10)) {
        self.url = url
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.statementTimeout = statementTimeout
        self.reconnectDelay = reconnectDelay
        self.maxReconnectDelay = maxReconnectDelay
        self.maxInFlight = maxInFlight
        self.maxQueued = maxQueued
        self.sweepInterval = sweepInterval
        self.synchronousCommit = synchronousCommit
        self.keepaliveIdle = keepaliveIdle
    }

    /// True for the URIs this client takes: `postgres://…` or `postgresql://…`.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Why the URI cannot be used, or nil.
    public var problem: String? {
        guard Self.isPostgresURL(url) else { return "the store URL must start with postgres:// or postgresql://" }
        guard url.utf8.count <= Self.maxURLLength else { return "the store URL is longer than \(Self.maxURLLength) bytes" }
        guard !url.contains("\0") else { return "the store URL contains a NUL character" }
        return nil
    }

    /// The URI with any password replaced by `***`, for logs and messages.
    public var redactedURL: String { Self.redact(url) }

    public static func redact(_ url: String) -> String {
        var text = url
        if let scheme = text.firstRange(of: "://") {
            let authorityEnd = text[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
            if let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
               let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        if let query = text.firstIndex(of: "?") {
            let pairs = text[text.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
                pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
            }
            text = String(text[...query]) + pairs.joined(separator: "&")
        }
        return text
    }

    /// libpq's keyword/value pairs. Ours come first and the URI last, so that whatever
    /// the URI says wins (`expand_dbname`: the `dbname` value is parsed as a URI in place).
    var connectionParameters: [(String, String)] {
        [
            ("application_name", applicationName),
            ("keepalives", "1"),
            ("keepalives_idle", String(max(1, keepaliveIdle.components.seconds))),
            ("keepalives_interval", "5"),
            ("keepalives_count", "3"),
            ("dbname", url),
        ]
    }
}
