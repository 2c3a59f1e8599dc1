import AtriumStore
import Foundation
import TOMLKit

/// Builds a ``ServerConfiguration`` from, in rising precedence: the defaults, a TOML file,
/// `ATRIUM_…` environment variables and command-line overrides. Every setting is listed
/// in ``settings`` with its documentation; an unknown key anywhere is an error rather
/// than a silently ignored typo.
public enum ConfigurationLoader {
    public static let settings: [Setting] = [
        Setting(key: "server.hosts", help: "Addresses to listen on (IPv4 and IPv6); localhost means both loopbacks.",
                render: { "[" + $0.hosts.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }) {
            (configuration, text) throws(ConfigurationError) in
            let hosts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !hosts.isEmpty else { throw ConfigurationError("server.hosts needs at least one address") }
            configuration.hosts = hosts
        },
        Setting(key: "server.port", help: "TCP port; 0 lets the system choose.", render: { String($0.port) }) {
            (configuration, text) throws(ConfigurationError) in
            guard let port = UInt16(text.trimmingCharacters(in: .whitespaces)) else {
                throw ConfigurationError("server.port must be 0 to 65535, not \"\(text)\"")
            }
            configuration.port = port
        },
        .string("server.maps", "Folder of .tmj maps and their content.", \.mapsDirectory),
        .string("server.data", "Data folder: the database and the server secret.", \.dataDirectory),
        .optionalString("server.web", "Folder of the browser client; empty to serve none.", \.webDirectory),
        .optionalString("server.default_room", "Room /ws joins without ?room=; empty for the first room.", \.defaultRoom),
        Setting(key: "server.rooms", help: "Rooms as id=map pairs; empty for one room per map.",
                render: { "[" + $0.rooms.map { "\"\($0.id)=\($0.map)\"" }.joined(separator: ", ") + "]" }) {
            (configuration, text) throws(ConfigurationError) in
            configuration.rooms = try text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.map { (pair: String) throws(ConfigurationError) -> (id: String, map: String) in
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                        throw ConfigurationError("server.rooms takes id=map pairs, not \"\(pair)\"")
                    }
                    return (parts[0], parts[1].hasSuffix(".tmj") ? String(parts[1].dropLast(4)) : parts[1])
                }
        },
        .bool("server.echo", "Serve /echo and /fanout for transport tests and benchmarks.", \.echoEndpoint),
        .string("server.log_level", "trace, debug, info, notice, warning, error or critical.", \.logLevel),
        .optionalString("tls.certificate", "PEM certificate chain; with tls.key, serves https and wss.", \.tlsCertificate),
        .optionalString("tls.key", "PEM private key (never logged).", \.tlsKey),
        .list("security.allowed_origins", "Browser origins allowed to open WebSockets; empty for same origin.", \.allowedOrigins),
        .list("security.metrics_from", "Address prefixes that may read /metrics (\"*\" for anyone).", \.metricsFrom),

        .int("limits.max_connections", "Open connections at most.", 1...1_000_000, \.maxConnections),
        .int("limits.max_connections_per_ip", "Open connections from one IP address at most.", 1...1_000_000, \.maxConnectionsPerIP),
        .rate("limits.handshake_rate_per_ip", "WebSocket upgrades per IP address.", \.handshakeRate),
        .int("limits.max_message_bytes", "Largest WebSocket message, after reassembly and decompression.",
             1024...(64 << 20), \.maxMessageBytes),
        .int("limits.max_json_message_bytes", "Largest JSON control message.", 256...(1 << 20), \.maxJSONMessageBytes),
        .int("limits.outbound_budget_bytes",
             "Unsent chat, news and replies per connection above which it is closed with 4011 too_slow (state is coalesced apart).",
             4096...(64 << 20), \.outboundBudgetBytes),
        .seconds("limits.http_head_timeout", "Seconds to receive a request head (slowloris guard).", 0.1...300, \.httpHeadTimeout),
        .seconds("limits.http_keep_alive_timeout", "Seconds an idle HTTP connection stays open.", 0.1...3600, \.httpKeepAliveTimeout),
        .seconds("limits.hello_timeout", "Seconds a new WebSocket has to say hello.", 0.1...300, \.helloTimeout),
        .seconds("limits.ping_interval", "Seconds of silence before the server pings.", 1...3600, \.pingInterval),
        .seconds("limits.dead_peer_timeout", "Seconds of silence before a connection is dropped.", 1...3600, \.deadPeerTimeout),
        .seconds("limits.close_timeout", "Seconds to wait for the peer's close frame.", 0.1...60, \.closeTimeout),
        .int("limits.max_strikes", "Invalid messages within 10 s before a connection is closed.", 1...10_000, \.maxStrikes),
        .bool("limits.compression", "Offer permessage-deflate.", \.compressionEnabled),

        .rate("rates.move", "Movement inputs per connection.", \.moveRate),
        .rate("rates.chat", "Chat messages per connection.", \.chatRate),
        .rate("rates.note", "Board notes per connection.", \.noteRate),
        .rate("rates.action", "Other requests (reactions, emotes, exhibits, moderation) per connection.", \.actionRate),
        .rate("rates.media", "Media reports (microphone, camera, speaking) per connection.", \.mediaRate),
        .rate("rates.signal", "WebRTC signals per connection; a client past it is closed.", \.signalRate),

        .seconds("rooms.reconnect_grace", "Seconds a dropped avatar waits for its owner to resume.", 0...86_400, \.reconnectGrace),
        .seconds("rooms.find_me_ttl", "Seconds a \"come find me\" link works after it is made.", 10...86_400, \.findMeLifetime),
        .double("rooms.walk_speed", "Tiles per second.", 0.5...20, \.walkSpeed),
        .int("rooms.grid_cell_tiles", "Side of a visibility grid cell in tiles.", 1...64, \.gridCellTiles),
        .int("rooms.max_visible", "Most avatars one client is told about; in a denser crowd its view shrinks to the nearest.",
             1...10_000, \.maxVisible),
        .int("rooms.near_state_cells", "Grid cells around a client (0 its own, 1 the ring around it) whose avatars' changes it gets every tick.",
             0...64, \.nearStateCells),
        .int("rooms.far_state_interval", "Ticks between two motion updates about one avatar farther away than rooms.near_state_cells.",
             1...100, \.farStateInterval),
        .int("rooms.state_budget_bytes", "Most bytes of one client's state message per tick; the rest waits, nearest first.",
             64...(1 << 20), \.stateBudgetBytes),
        .int("rooms.path_nodes_per_tick", "Tiles all walk-to-point path searches may visit in one tick; the rest wait for the next.",
             1...10_000_000, \.pathNodesPerTick),
        .int("rooms.max_chat_length", "Characters in a chat message.", 1...5000, \.maxChatLength),
        .int("rooms.max_note_length", "Characters in a board note.", 1...5000, \.maxNoteLength),

        .int("av.max_peers", "Most conversation peers (WebRTC connections) one avatar has; the nearest win.", 1...32,
             \.maxConversationPeers),
        .list("av.stun_urls", "STUN URLs for browsers, e.g. stun:turn.example.org:3478; empty for none.", \.stunURLs),
        .list("av.turn_urls", "TURN URLs for browsers, e.g. turn:turn.example.org:3478; empty for none.", \.turnURLs),
        .optionalString("av.turn_secret_file", "File whose first line is coturn's static-auth-secret (use-auth-secret).",
                        \.turnSecretFile),
        .int("av.signals_per_new_peer", "rtc_signals each new conversation peer allows on top of rates.signal (a negotiation with it).",
             0...1000, \.signalsPerNewPeer),
        .int("av.max_signal_bytes", "Largest rtc_signal data (an SDP offer is a few KiB); larger closes the connection.",
             1024...(256 * 1024), \.maxSignalBytes),
        .seconds("av.turn_ttl", "Seconds a TURN credential minted for a client lives.", 60...86_400, \.turnCredentialTTL),

        .seconds("store.chat_retention", "Seconds chat is kept for moderation (default 30 days).", 60...(10 * 365 * 86_400),
                 \.chatRetention),
        .bool("store.durable_commits", "Sync every commit to disk (survives power loss), not only process crashes.",
              \.durableCommits),
        .optionalInt("store.max_database_pages", "Cap on the database size in 4 KiB pages; 0 for none.", 16...Int(Int32.max),
                     \.maxDatabasePages),
        Setting(key: "store.url",
                help: "PostgreSQL instead of SQLite: postgres://user@host:port/database (password in PGPASSWORD or ~/.pgpass, shown masked); empty for SQLite in the data folder.",
                render: { "\"\(($0.storeURL).map(StoreOpener.redacted) ?? "")\"" }) { (configuration, text) throws(ConfigurationError) in
            let value = text.trimmingCharacters(in: .whitespaces)
            if let problem = StoreOpener.problem(url: value) { throw ConfigurationError("store.url: \(problem)") }
            configuration.storeURL = value.isEmpty ? nil : value
        },
        .int("store.postgres_readers", "With PostgreSQL: connections for reads, besides the one that writes.", 1...64, \.storeReaders),
        .seconds("store.postgres_timeout", "With PostgreSQL: seconds a request may wait, queued or in flight, before it fails.", 1...600,
                 \.storeTimeout),
        .seconds("shutdown.drain_delay", "Seconds between telling clients the server restarts and closing them.", 0...600,
                 \.drainDelay),
        .seconds("shutdown.retry_after", "Seconds draining clients are told to wait after the close before reconnecting.",
                 0...3600, \.restartRetryAfter),
    ] + StageConfiguration.settings + ClusterConfiguration.settings

    public static func setting(_ key: String) -> Setting? {
        settings.first { $0.key == key }
    }

    private static let byEnvironment = Dictionary(uniqueKeysWithValues: settings.map { ($0.environmentName, $0) })

    /// `ATRIUM_…` variables that name no setting. They are warned about, not refused: the prefix is
    /// shared with scripts and test harnesses (`ATRIUM_SERVER`, `ATRIUM_URL`), and a server that
    /// will not start because of a neighbour's variable is worse than a logged typo.
    public static func unknownEnvironmentNames(in environment: [String: String]) -> [String] {
        environment.keys.filter { $0.hasPrefix("ATRIUM_") && byEnvironment[$0] == nil }.sorted()
    }

    /// The effective configuration.
    /// - Parameters:
    ///   - file: a TOML file, when one is given.
    ///   - environment: usually `ProcessInfo.processInfo.environment`; only `ATRIUM_` names count.
    ///   - overrides: `key=value` pairs from the command line, applied last.
    public static func load(file: String?, environment: [String: String], overrides: [(key: String, value: String)] = [],
                            base: ServerConfiguration = ServerConfiguration()) throws(ConfigurationError) -> ServerConfiguration {
        var configuration = base
        if let file {
            for (key, value) in try values(fromTOMLFile: file) {
                guard let setting = setting(key) else { throw unknown(key, in: file) }
                try apply(setting, value, source: file, to: &configuration)
            }
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            guard let setting = byEnvironment[name] else { continue }
            try apply(setting, value, source: "environment variable \(name)", to: &configuration)
        }
        for (key, value) in overrides {
            guard let setting = setting(key) else { throw unknown(key, in: "--set") }
            try apply(setting, value, source: "--set", to: &configuration)
        }
        guard (configuration.tlsCertificate == nil) == (configuration.tlsKey == nil) else {
            throw ConfigurationError("tls.certificate and tls.key go together")
        }
        guard configuration.turnURLs.isEmpty || configuration.turnSecretFile != nil else {
            throw ConfigurationError("av.turn_urls needs av.turn_secret_file, the secret coturn shares")
        }
        try configuration.stage.validate()
        return configuration
    }

    private static func apply(_ setting: Setting, _ value: String, source: String,
                              to configuration: inout ServerConfiguration) throws(ConfigurationError) {
        do {
            try setting.apply(&configuration, value)
        } catch {
            throw ConfigurationError("\(source): \(error.message)")
        }
    }

    private static func unknown(_ key: String, in source: String) -> ConfigurationError {
        let section = key.split(separator: ".").first.map(String.init) ?? ""
        let near = settings.filter { $0.key.hasPrefix(section + ".") }.map(\.key)
        let hint = near.isEmpty ? "" : " (known in [\(section)]: \(near.joined(separator: ", ")))"
        return ConfigurationError("\(source): unknown setting \(key)\(hint)")
    }

    /// Flattens a TOML file into `section.key = text` pairs; arrays become comma lists.
    static func values(fromTOMLFile path: String) throws(ConfigurationError) -> [(String, String)] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigurationError("cannot read \(path)") }
        guard data.count <= 1 << 20 else { throw ConfigurationError("\(path) is over 1 MiB") }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigurationError("\(path) is not UTF-8") }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError("\(path):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        } catch {
            throw ConfigurationError("\(path): not valid TOML")
        }
        var result: [(String, String)] = []
        for (section, value) in table {
            guard let inner = value.table else {
                throw ConfigurationError("\(path): \"\(section)\" must be a [section]; settings live in sections such as [limits]")
            }
            for (key, entry) in inner {
                result.append(("\(section).\(key)", try tomlText(of: entry, key: "\(section).\(key)", path: path)))
            }
        }
        return result
    }

    private static func tomlText(of value: any TOMLValueConvertible, key: String, path: String) throws(ConfigurationError) -> String {
        if let string = value.string { return string }
        if let int = value.int { return String(int) }
        if let double = value.double { return String(double) }
        if let bool = value.bool { return String(bool) }
        if let array = value.array {
            var items: [String] = []
            for item in array { items.append(try tomlText(of: item, key: key, path: path)) }
            return items.joined(separator: ",")
        }
        throw ConfigurationError("\(path): \(key) has a value of a type Atrium does not read")
    }

    /// The configuration as a TOML file with every setting and its documentation.
    public static func render(_ configuration: ServerConfiguration) -> String {
        var lines = ["# Atrium configuration: every setting with its effective value.", ""]
        var section = ""
        for setting in settings {
            let parts = setting.key.split(separator: ".", maxSplits: 1).map(String.init)
            if parts[0] != section {
                section = parts[0]
                lines.append("")
                lines.append("[\(section)]")
            }
            lines.append("# \(setting.help)  (env \(setting.environmentName))")
            lines.append("\(parts[1]) = \(setting.render(configuration))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
