import ArgumentParser
import AtriumNet
import AtriumServer
import Dispatch
import Foundation
import Logging

/// `atrium-server [serve]`: runs the server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default).")

    @Option(name: .customLong("host"), help: "Address to listen on; repeat for several. (default: 127.0.0.1 and ::1)")
    var hosts: [String] = []
    @Option(help: "TCP port.") var port: UInt16 = 8080
    @Option(help: "Folder of .tmj maps and their content.") var maps = "Maps"
    @Option(help: "Data folder (database, server secret).") var data = "./atrium-data"
    @Option(help: "Folder of the browser client.") var web = "Web"
    @Option(name: .customLong("room"), help: "A room as id=map; repeat for several. (default: one room per map)")
    var rooms: [String] = []
    @Option(help: "Room joined by /ws without ?room=. (default: the first room)") var defaultRoom: String?
    @Option(help: "PEM certificate chain for TLS.") var tlsCert: String?
    @Option(help: "PEM private key for TLS.") var tlsKey: String?
    @Option(help: "Most open connections.") var maxConnections = ServerConfiguration().maxConnections
    @Option(help: "Most open connections from one IP address.") var maxConnectionsPerIp = ServerConfiguration().maxConnectionsPerIP
    @Option(help: "Largest WebSocket message in bytes.") var maxMessageBytes = ServerConfiguration().maxMessageBytes
    @Flag(help: "Serve /echo and /fanout, WebSockets for transport tests and benchmarks.") var echo = false
    @Option(help: "Chat messages per connection: per second and burst, e.g. 1/s:5.") var chatRate = "1/s:5"
    @Option(help: "Notes per connection: per second and burst.") var noteRate = "0.2/s:3"
    @Option(help: "Movement inputs per connection: per second and burst.") var moveRate = "30/s:60"
    @Option(help: "Other requests per connection: per second and burst.") var actionRate = "5/s:20"
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    func run() async throws {
        var configuration = ServerConfiguration()
        if !hosts.isEmpty { configuration.hosts = hosts }
        configuration.port = port
        configuration.mapsDirectory = maps
        configuration.dataDirectory = data
        configuration.webDirectory = web
        configuration.defaultRoom = defaultRoom
        configuration.tlsCertificate = tlsCert
        configuration.tlsKey = tlsKey
        configuration.maxConnections = maxConnections
        configuration.maxConnectionsPerIP = maxConnectionsPerIp
        configuration.maxMessageBytes = maxMessageBytes
        configuration.echoEndpoint = echo
        configuration.chatRate = try Self.rate(chatRate, "--chat-rate")
        configuration.noteRate = try Self.rate(noteRate, "--note-rate")
        configuration.moveRate = try Self.rate(moveRate, "--move-rate")
        configuration.actionRate = try Self.rate(actionRate, "--action-rate")
        configuration.rooms = try rooms.map { spec in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--room takes id=map, got \(spec)")
            }
            return (parts[0], parts[1].hasSuffix(".tmj") ? String(parts[1].dropLast(4)) : parts[1])
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown log level \(logLevel)") }

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "atrium")
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
        print("Shutting down…")
        await server.shutdown(grace: .seconds(5))
        print("Stopped.")
    }
}

extension Serve {
    /// Parses "N/s:BURST".
    static func rate(_ text: String, _ option: String) throws -> RateLimit {
        let parts = text.split(separator: ":")
        let perSecond = parts.first.map { $0.hasSuffix("/s") ? $0.dropLast(2) : $0 }.flatMap { Double($0) }
        let burst = parts.count == 2 ? Double(parts[1]) : nil
        guard let perSecond, let burst, perSecond > 0, burst >= 1 else {
            throw ValidationError("\(option) takes RATE/s:BURST, e.g. 1/s:5, got \(text)")
        }
        return RateLimit(perSecond: perSecond, burst: burst)
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
