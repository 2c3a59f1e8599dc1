import AtriumPostgres
import Foundation
import Synchronization

/// One real PostgreSQL server for the whole test process, started on first use by
/// `tools/lib/postgres-server` (initdb as the postgres user in a temporary folder, a free
/// loopback port) and stopped by pid when the process exits; the script's watchdog stops
/// it too if the process dies without exiting. Each test takes its own fresh database, so
/// tests run in parallel without seeing each other's rows.
///
/// `ATRIUM_TEST_POSTGRES_URL` (a server where the URL's user may create databases) is used
/// instead of starting one, for machines that already run PostgreSQL.
public final class PostgresTestServer: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// The administrative URL (database "postgres").
    public let url: String
    private let counter = Atomic<Int>(0)

    private init(url: String) {
        self.url = url
    }

    private static let started = Mutex<Result<PostgresTestServer, Failure>?>(nil)
    nonisolated(unsafe) private static var stopCommand: (pid: String, folder: String)?

    /// The server, started if this is the first call in the process.
    public static func shared() throws(Failure) -> PostgresTestServer {
        let result = started.withLock { started -> Result<PostgresTestServer, Failure> in
            if let started { return started }
            let result = start()
            started = result
            return result
        }
        return try result.get()
    }

    private static func start() -> Result<PostgresTestServer, Failure> {
        if let url = ProcessInfo.processInfo.environment["ATRIUM_TEST_POSTGRES_URL"], !url.isEmpty {
            return .success(PostgresTestServer(url: url))
        }
        let output: String
        do {
            output = try run(["start", "--watch", String(getpid())])
        } catch {
            return .failure(error)
        }
        let fields = output.split(separator: " ").map(String.init)
        guard fields.count == 3 else { return .failure(Failure(description: "postgres-server said: \(output)")) }
        stopCommand = (fields[1], fields[2])
        atexit {
            guard let stop = PostgresTestServer.stopCommand else { return }
            _ = try? PostgresTestServer.run(["stop", stop.pid, stop.folder])
        }
        return .success(PostgresTestServer(url: fields[0]))
    }

    /// A new, empty database on the server; its URL.
    public func makeDatabase(prefix: String = "atrium_test") async throws -> String {
        let name = "\(prefix)_\(getpid())_\(counter.add(1, ordering: .relaxed).newValue)"
        let admin = PostgresConnection(configuration: PostgresConfiguration(url: url))
        admin.start()
        defer { admin.close() }
        // CREATE DATABASE takes no parameters; the name is built from digits and a fixed prefix.
        _ = try await admin.query(PostgresStatement("CREATE DATABASE \(name)"))
        return Self.url(url, database: name)
    }

    /// `url` with its database replaced.
    public static func url(_ url: String, database: String) -> String {
        let query = url.firstIndex(of: "?").map { String(url[$0...]) } ?? ""
        let base = url.dropLast(query.count)
        guard let scheme = base.firstRange(of: "://") else { return url }
        let rest = base[scheme.upperBound...]
        let authority = rest.firstIndex(of: "/").map { rest[..<$0] } ?? rest
        return String(base[..<scheme.upperBound]) + authority + "/" + database + query
    }

    /// A loopback port nobody listens on (bound, read and closed again), for "unreachable" cases.
    public static func unusedPort() throws(Failure) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static let script: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)   // Tests/PostgresSupport/PostgresTestServer.swift
        return parts.joined(separator: "/") + "/tools/lib/postgres-server"
    }()

    /// Runs the script and returns what it printed. posix_spawn and waitpid rather than
    /// Foundation's Process, whose exit detection needs a run loop and was seen to miss the
    /// exit of a child under the parallel test runner.
    private static func run(_ arguments: [String]) throws(Failure) -> String {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw Failure(description: "no pipe") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        let argv = ([script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, script, &actions, nil, argv, environ)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard spawned == 0 else { throw Failure(description: "cannot run \(script): error \(spawned)") }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, $0.count) }
            if count > 0 { output += buffer[..<count] } else if count == 0 || errno != EINTR { break }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // Exited normally with status 0 (the script's own errors went to our stderr).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw Failure(description: "\(script) \(arguments.joined(separator: " ")) failed (status \(status)); see the output above")
        }
        return text
    }
}
