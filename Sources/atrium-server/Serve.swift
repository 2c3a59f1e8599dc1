import ArgumentParser
import AtriumNet
import AtriumServer
import Dispatch
import Foundation
import Logging

/// `atrium-server [serve]`: runs the server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default).")

    @Option(help: "TOML configuration file; environment variables (ATRIUM_…) and flags override it.") var config: String?
    @Option(name: .customLong("host"), help: "Address to listen on; repeat for several. (default: 127.0.0.1 and ::1)")
    var hosts: [String] = []
    @Option(help: "TCP port. (default: 8080)") var port: UInt16?
    @Option(help: "Folder of .tmj maps and their content. (default: Maps)") var maps: String?
    @Option(help: "Data folder: database and server secret. (default: ./atrium-data)") var data: String?
    @Option(help: "PostgreSQL instead of the SQLite database in the data folder: postgres://user@host:port/database. (default: none)")
    var store: String?
    @Option(help: "Folder of the browser client. (default: Web)") var web: String?
    @Option(name: .customLong("room"), help: "A room as id=map; repeat for several. (default: one room per map)")
    var rooms: [String] = []
    @Option(help: "Room joined by /ws without ?room=. (default: the first room)") var defaultRoom: String?
    @Option(help: "PEM certificate chain for TLS.") var tlsCert: String?
    @Option(help: "PEM private key for TLS.") var tlsKey: String?
    @Option(help: "Most open connections. (default: 20000)") var maxConnections: Int?
    @Option(help: "Most open connections from one IP address. (default: 200)") var maxConnectionsPerIp: Int?
    @Option(help: "Largest WebSocket message in bytes. (default: 1048576)") var maxMessageBytes: Int?
    @Flag(help: "Serve /echo and /fanout, WebSockets for transport tests and benchmarks.") var echo = false
    @Option(help: "Chat messages per connection, RATE/s:BURST. (default: 1/s:5)") var chatRate: String?
    @Option(help: "Notes per connection. (default: 0.2/s:3)") var noteRate: String?
    @Option(help: "Movement inputs per connection. (default: 30/s:60)") var moveRate: String?
    @Option(help: "Other requests per connection. (default: 5/s:20)") var actionRate: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. (default: info)") var logLevel: String?
    @Option(name: .customLong("set"), help: "Any setting as key=value, e.g. limits.max_strikes=50; see `config check`.")
    var settings: [String] = []

    /// The flags as overrides of the configuration, in the same key=value form as --set.
    var overrides: [(key: String, value: String)] {
        get throws {
            var pairs: [(key: String, value: String)] = []
            if !hosts.isEmpty { pairs.append(("server.hosts", hosts.joined(separator: ","))) }
            if let port { pairs.append(("server.port", String(port))) }
            if let maps { pairs.append(("server.maps", maps)) }
            if let data { pairs.append(("server.data", data)) }
            if let store { pairs.append(("store.url", store)) }
            if let web { pairs.append(("server.web", web)) }
            if !rooms.isEmpty { pairs.append(("server.rooms", rooms.joined(separator: ","))) }
            if let defaultRoom { pairs.append(("server.default_room", defaultRoom)) }
            if let tlsCert { pairs.append(("tls.certificate", tlsCert)) }
            if let tlsKey { pairs.append(("tls.key", tlsKey)) }
            if let maxConnections { pairs.append(("limits.max_connections", String(maxConnections))) }
            if let maxConnectionsPerIp { pairs.append(("limits.max_connections_per_ip", String(maxConnectionsPerIp))) }
            if let maxMessageBytes { pairs.append(("limits.max_message_bytes", String(maxMessageBytes))) }
            if echo { pairs.append(("server.echo", "true")) }
            if let chatRate { pairs.append(("rates.chat", chatRate)) }
            if let noteRate { pairs.append(("rates.note", noteRate)) }
            if let moveRate { pairs.append(("rates.move", moveRate)) }
            if let actionRate { pairs.append(("rates.action", actionRate)) }
            if let logLevel { pairs.append(("server.log_level", logLevel)) }
            for setting in settings {
                let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ValidationError("--set takes key=value, got \(setting)") }
                pairs.append((parts[0], parts[1]))
            }
            return pairs
        }
    }

    func run() async throws {
        let configuration: ServerConfiguration
        do {
            configuration = try ConfigurationLoader.load(file: config, environment: ProcessInfo.processInfo.environment,
                                                         overrides: try overrides)
        } catch let error as ConfigurationError {
            printError("atrium-server: \(error.message)")
            throw ExitCode(2)
        } catch {
            throw error
        }
        guard let level = Logger.Level(rawValue: configuration.logLevel) else {
            printError("atrium-server: unknown log level \(configuration.logLevel)")
            throw ExitCode(2)
        }

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "atrium")
        for name in ConfigurationLoader.unknownEnvironmentNames(in: ProcessInfo.processInfo.environment) {
            logger.warning("ignoring environment variable that names no setting", metadata: ["name": "\(name)"])
        }
        ResourceLimits.raiseOpenFileLimit()

        let server: Server
        do {
            server = try Server(configuration: configuration, logger: logger)
        } catch {
            printError("atrium-server: \(error.description)")
            throw ExitCode(2)
        }
        let bound: [SocketAddress]
        do {
            bound = try server.start()
        } catch {
            printError("atrium-server: \(error.description)")
            throw ExitCode(2)
        }
        let scheme = configuration.tlsCertificate == nil ? "http" : "https"
        let shown = bound.first { $0.family == .ipv4 } ?? bound[0]
        let origin = "\(scheme)://\(shown.description)"
        print("Atrium is running with \(server.rooms.count) room(s): \(server.rooms.keys.sorted().joined(separator: ", "))")
        print("Open \(origin)/ in a browser. WebSocket: \(scheme == "https" ? "wss" : "ws")://\(shown.description)/ws?room=\(server.defaultRoomID)")
        if let link = await server.operatorLink(baseURL: origin) {
            print("Moderator link for the default room (valid 24 h): \(link)")
        }
        print("Listening on \(bound.map(\.description).joined(separator: ", ")). Stop with Ctrl-C.")
        fflush(nil)

        await waitForTerminationSignal()
        print("Draining: telling clients, then closing in \(configuration.drainDelay)…")
        fflush(nil)
        await server.drain()
        print("Stopped.")
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Waits for SIGINT or SIGTERM, which are then handled here instead of killing the process.
func waitForTerminationSignal() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let queue = DispatchQueue(label: "atrium.signals")
        let resumed = ResumeOnce(continuation)
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { resumed.resume() }
            source.activate()
            SignalSources.keep(source)
        }
    }
}

/// Keeps signal sources alive for the life of the process.
enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    static func keep(_ source: any DispatchSourceSignal) { sources.append(source) }
}

final class ResumeOnce: @unchecked Sendable {
    private var continuation: CheckedContinuation<Void, Never>?
    private let lock = NSLock()

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = continuation
    }

    func resume() {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume()
    }
}
