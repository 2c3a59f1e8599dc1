import AtriumClient
import AtriumNet
import AtriumProtocol
import AtriumServer
import AtriumStore
import Foundation
import Logging

/// The repository's root folder, found from this file's path.
public let repositoryRoot: String = {
    var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)   // Tests/Support/ServerHarness.swift
    return parts.joined(separator: "/")
}()

/// A logger that prints nothing, so test output stays readable.
public let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// A whole Atrium server in-process on a loopback port chosen by the kernel, with the
/// test maps, and clients that record their events.
public final class ServerHarness: Sendable {
    public let server: Server
    public let port: UInt16
    /// The queues of the clients it makes; fine-grained timeouts keep the tests quick.
    public let clientQueues = ClientQueues(count: 2, timeoutResolution: .milliseconds(20))

    public let storage: any Storage
    /// A fresh data folder (server secret, database when SQLite is used).
    public let dataDirectory: String

    public init(maps: String = repositoryRoot + "/Maps/tests", storage: any Storage = InMemoryStorage(),
                dataDirectory: String? = nil, port: UInt16 = 0, cluster: ClusterServices? = nil,
                configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configuration.hosts = ["127.0.0.1"]
        configuration.port = port
        configuration.mapsDirectory = maps
        configuration.webDirectory = nil
        self.dataDirectory = dataDirectory ?? NSTemporaryDirectory() + "atrium-test-\(UUID().uuidString)"
        configuration.dataDirectory = self.dataDirectory
        configure(&configuration)
        self.storage = storage
        server = try Server(configuration: configuration, logger: quietLogger, storage: storage, cluster: cluster)
        self.port = try server.start()[0].port
    }

    public func url(room: String? = nil) -> String {
        "ws://127.0.0.1:\(port)/ws" + (room.map { "?room=\($0)" } ?? "")
    }

    /// A client (not yet connected) whose events are recorded.
    public func client(_ name: String, room: String? = nil, token: String? = nil,
                       reconnect: ReconnectPolicy = .disabled) throws -> RecordedClient {
        let configuration = ClientConfiguration(url: url(room: room), name: name, token: token, reconnect: reconnect,
                                                queues: clientQueues, logger: quietLogger)
        return RecordedClient(try AtriumClient(configuration: configuration))
    }

    /// Connects a client and returns it once welcomed.
    public func joined(_ name: String, room: String? = nil, token: String? = nil,
                       reconnect: ReconnectPolicy = .disabled) async throws -> RecordedClient {
        let recorded = try client(name, room: room, token: token, reconnect: reconnect)
        _ = try await recorded.client.connect()
        return recorded
    }

    public func stop() async {
        await server.shutdown(grace: .seconds(1))
    }

    /// Registers someone and returns their join token for `rooms`.
    public func register(_ name: String, role: String, rooms: [String] = ["*"], validFor: Duration = .seconds(3600)) async throws
        -> (token: String, registration: Registration)
    {
        let registration = Registration(id: Invitations.newRegistrationID(), name: name, email: nil, role: role,
                                        createdAt: Int64(Date().timeIntervalSince1970 * 1000))
        _ = try await storage.write(.register([registration])).get()
        return (Invitations.token(for: registration.id, rooms: rooms, validFor: validFor, secret: server.secret), registration)
    }
}

/// A client plus the queue of everything it observed.
public struct RecordedClient: Sendable {
    public let client: AtriumClient
    public let events = EventQueue<ClientEvent>()

    public init(_ client: AtriumClient) {
        self.client = client
        let events = self.events
        client.onEvent = { events.push($0) }
    }

    public var id: UInt32 { client.welcome?.you.id ?? 0 }

    /// Waits until the client's mirror satisfies `condition`, checking after each event.
    public func waitUntil(_ what: String, within timeout: Duration = .seconds(10),
                          _ condition: @escaping (WorldMirror) -> Bool) async throws {
        if condition(client.world) { return }
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw TimedOut(what: what) }
            _ = try await events.next(within: remaining, what)
            if condition(client.world) { return }
        }
    }

    /// The next chat event.
    public func nextChat(within timeout: Duration = .seconds(10)) async throws -> ServerMessages.Chat {
        let event = try await events.first(within: timeout, "a chat message") {
            if case .chat = $0 { return true }
            return false
        }
        guard case .chat(let message) = event else { fatalError("filtered above") }
        return message
    }
}
