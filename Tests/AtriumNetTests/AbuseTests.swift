import AtriumNet
import AtriumWebSocket
import AtriumTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Hostile or broken peers: each gets its close code or error answer, and the server
/// keeps serving a well-behaved client afterwards.
@Suite(.serialized) struct AbuseTests {
    private func expectStillServing(_ server: TestServer) async throws {
        let (channel, client) = try await connectClient(server.url("/echo"), group: server.group)
        channel.send(text: "still here")
        #expect(try await client.events.next() == .message(.text("still here")))
        channel.close()
    }

    /// Upgrades a raw socket on /record, sends `bytes`, and returns the close code the
    /// server answered with and the server's own report.
    private func closeCodeAfterSending(_ bytes: [UInt8], server: TestServer) async throws -> (UInt16?, WebSocketCloseReport?) {
        let socket = try RawSocket(port: server.port)
        let upgrade = socket.upgrade("/record")
        #expect(upgrade.statusLine == "HTTP/1.1 101 Switching Protocols")
        socket.send(bytes)
        let frames = serverFrames(upgrade.rest + socket.readToEnd())
        let report = try await server.serverEvents.first { $0.closeReport != nil }.closeReport
        return (closeCode(of: frames.last), report)
    }

    @Test func anUnmaskedFrameIsAProtocolError() async throws {
        let server = try TestServer()
        var unmasked: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: .text, payload: Array("hi".utf8), into: &unmasked)
        let (code, report) = try await closeCodeAfterSending(unmasked, server: server)
        #expect(code == 1002)
        #expect(report?.code == .protocolError)
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func aGigabyteDeclaredLengthIsRefusedAt1009() async throws {
        let server = try TestServer(configuration: WebSocketConfiguration(maxMessageBytes: 1 << 20))
        let header: [UInt8] = [0x82, 0xFF, 0, 0, 0, 0, 0x40, 0, 0, 0, 1, 2, 3, 4]
        let (code, _) = try await closeCodeAfterSending(header, server: server)
        #expect(code == 1009)
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func invalidUTF8TextIsRefusedAt1007() async throws {
        let server = try TestServer()
        let (code, _) = try await closeCodeAfterSending(maskedFrame(.text, [0xED, 0xA0, 0x80]), server: server)
        #expect(code == 1007)
        await server.stop()
    }

    @Test func garbageInsteadOfHTTPGets400AndAClose() async throws {
        let server = try TestServer()
        let socket = try RawSocket(port: server.port)
        socket.send([0x16, 0x03, 0x01, 0x02, 0x00] + Array("\r\n\r\n".utf8))
        let text = String(decoding: socket.readToEnd(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(text.contains("Connection: close"))
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func halfSentHeadersTimeOutWith408() async throws {
        let server = try TestServer(http: HTTPServerHandler.Configuration(headTimeout: .milliseconds(200)))
        let socket = try RawSocket(port: server.port)
        socket.send("GET /echo HTTP/1.1\r\nHost: t\r\nUpgrade: web")
        let text = String(decoding: socket.readToEnd(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        try await expectStillServing(server)
        await server.stop()
    }

    @Test func aHeadOverSixteenKiBGets431() throws {
        let server = try TestServer()
        let socket = try RawSocket(port: server.port)
        socket.send("GET /echo HTTP/1.1\r\nX-Padding: " + String(repeating: "a", count: 17_000) + "\r\n\r\n")
        #expect(String(decoding: socket.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 431 "))
    }

    @Test func aResetInTheMiddleOfAFragmentedMessageEndsOnlyThatConnection() async throws {
        let server = try TestServer()
        let socket = try RawSocket(port: server.port)
        _ = socket.upgrade("/record")
        socket.send(maskedFrame(.text, Array("part one".utf8), fin: false))
        socket.reset()
        let report = try await server.serverEvents.first { $0.closeReport != nil }.closeReport
        #expect(report?.code == .abnormalClosure)
        #expect(report?.origin == .transport)
        try await expectStillServing(server)
        await server.stop()
    }

    @Test(arguments: [
        ("Sec-WebSocket-Version: 8", "HTTP/1.1 426 ", "Sec-WebSocket-Version: 13"),
        ("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short", "HTTP/1.1 400 ", "bad_handshake"),
    ])
    func refusesABadHandshakeBeforeAnyFrame(header: String, status: String, mustContain: String) throws {
        let server = try TestServer()
        let socket = try RawSocket(port: server.port)
        let key = header.contains("Key") ? "" : "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        socket.send("GET /echo HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\(key)\(header)\r\n\r\n")
        let text = String(decoding: socket.readToEnd(), as: UTF8.self)
        #expect(text.hasPrefix(status))
        #expect(text.contains(mustContain))
    }

    @Test func anUpgradeWithPOSTGets405() throws {
        let server = try TestServer()
        let socket = try RawSocket(port: server.port)
        socket.send("POST /echo HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        #expect(String(decoding: socket.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 405 "))
    }

    @Test func aPeerThatNeverAnswersOurCloseIsDroppedAfterTheTimeout() async throws {
        let server = try TestServer(configuration: WebSocketConfiguration(closeTimeout: .milliseconds(200)))
        let socket = try RawSocket(port: server.port)
        let upgrade = socket.upgrade("/record")
        await server.stop()
        // The server sent its 1001 and, hearing nothing back, closed the TCP connection.
        let frames = serverFrames(upgrade.rest + socket.readToEnd())
        #expect(closeCode(of: frames.last) == 1001)
    }
}

@Suite(.serialized) struct TLSTests {
    @Test func servesWSSWithAThrowAwayCertificate() async throws {
        let directory = "/tmp/atrium-tls-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(directory, 0o700)
        defer {
            unlink(directory + "/cert.pem")
            unlink(directory + "/key.pem")
            rmdir(directory)
        }
        try SelfSignedCertificate.write(certificatePath: directory + "/cert.pem", keyPath: directory + "/key.pem")
        var status = stat()
        stat(directory + "/key.pem", &status)
        #expect(status.st_mode & 0o777 == 0o600)

        let tls = try TLSContext(certificateChainFile: directory + "/cert.pem", privateKeyFile: directory + "/key.pem")
        let server = try TestServer(tls: tls)
        let trusting = try TLSContext(clientVerifyingPeer: true, trustedCertificateFile: directory + "/cert.pem")
        let (channel, client) = try await connectClient(server.url("/echo", host: "localhost", secure: true),
                                                        group: server.group, options: .init(tls: trusting))
        let large = [UInt8](repeating: 7, count: 200_000)
        channel.send(text: "over TLS")
        channel.send(binary: large)
        #expect(try await client.events.next() == .message(.text("over TLS")))
        #expect(try await client.events.next() == .message(.binary(large)))

        // A client that does not trust the certificate is refused during TLS.
        let strict = try TLSContext(clientVerifyingPeer: true)
        await #expect(throws: WebSocketConnectError.self) {
            _ = try await connectClient(server.url("/echo", host: "localhost", secure: true),
                                        group: server.group, options: .init(tls: strict))
        }
        // Plain HTTP on the TLS port is not answered as HTTP.
        let plain = try RawSocket(port: server.port)
        plain.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(!String(decoding: plain.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        await server.stop()
    }

    @Test func refusesAKeyThatDoesNotMatchTheCertificate() throws {
        let directory = "/tmp/atrium-tls-mismatch-\(getpid())"
        mkdir(directory, 0o700)
        defer {
            for file in ["a.pem", "a.key", "b.pem", "b.key"] { unlink(directory + "/" + file) }
            rmdir(directory)
        }
        try SelfSignedCertificate.write(certificatePath: directory + "/a.pem", keyPath: directory + "/a.key")
        try SelfSignedCertificate.write(certificatePath: directory + "/b.pem", keyPath: directory + "/b.key")
        #expect(throws: TLSError.self) {
            _ = try TLSContext(certificateChainFile: directory + "/a.pem", privateKeyFile: directory + "/b.key")
        }
    }
}
