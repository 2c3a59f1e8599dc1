import AtriumNet
import AtriumServer
import AtriumTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Without a Janus, or with one that does not answer, the server is ready and its rooms
/// run; `/readyz` says the stage is degraded and why.
@Suite(.serialized) struct StageReadinessTests {
    private func readyz(port: UInt16) throws -> (status: String, body: [String: String]) {
        let socket = try RawSocket(port: port)
        socket.send("GET /readyz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let response = String(decoding: socket.readToEnd(), as: UTF8.self)
        let body = response.components(separatedBy: "\r\n\r\n").last ?? ""
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: String] ?? [:]
        return (String(response.prefix(12)), object)
    }

    @Test func withoutJanusTheServerIsReadyAndTheStageDegraded() async throws {
        let harness = try ServerHarness()
        let answer = try readyz(port: harness.port)
        #expect(answer.status == "HTTP/1.1 200")
        #expect(answer.body["status"] == "ready")
        #expect(answer.body["stage"] == "degraded")
        #expect(answer.body["stageReason"]?.contains("stage.janus_url") == true)
        #expect(harness.server.stage == nil)
        await harness.stop()
    }

    @Test func anUnreachableJanusDegradesTheStageAndNothingElse() async throws {
        let closedPort = try unusedPort()
        let harness = try ServerHarness {
            $0.stage.janusURL = "ws://127.0.0.1:\(closedPort)"
            $0.stage.janusSecret = "a-secret-of-enough-length"
            $0.stage.janusAdminKey = "an-admin-key-of-enough-length"
            $0.stage.reconnectDelay = .milliseconds(50)
        }
        let deadline = ContinuousClock.now + .seconds(10)
        var reason = ""
        while ContinuousClock.now < deadline {
            reason = try readyz(port: harness.port).body["stageReason"] ?? ""
            if reason.contains("cannot reach Janus") { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(reason.contains("cannot reach Janus at ws://127.0.0.1:\(closedPort)"))
        #expect(try readyz(port: harness.port).status == "HTTP/1.1 200")
        // The room runs: a visitor joins and talks.
        let visitor = try await harness.joined("Visitor", room: "plaza")
        _ = try await visitor.client.say("hello without a stage")
        await harness.stop()
    }

    /// A loopback port nobody listens on: bound, read, and closed again.
    private func unusedPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(bound)
        return UInt16(bigEndian: address.sin_port)
    }
}
