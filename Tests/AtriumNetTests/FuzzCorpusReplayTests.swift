import AtriumFuzzInput
import AtriumNet
import AtriumWebSocket
import FoundationEssentials
import Testing

/// Replays the seed corpus of `tools/fuzz`'s `fuzz-http` (Tests/Fuzz/Corpus/fuzz-http)
/// through the same checks the fuzzer makes: `HTTPHeadParser` reads every input as
/// requests and as responses to the same heads, the same typed error and the same
/// remainder, whether the bytes arrive whole, in pieces or one at a time.
@Suite struct FuzzCorpusReplayTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/fuzz-http")
    static let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []

    /// The limits the fuzzer uses: the server's defaults, and small ones short inputs reach.
    static let limits = [(maxHeadBytes: 16 * 1024, maxHeaderCount: 100), (maxHeadBytes: 256, maxHeaderCount: 8)]
    static let handshake = WebSocketClientHandshake(
        host: "127.0.0.1", target: "/ws", keyBytes: Array("the sample nonce".utf8), subprotocols: ["atrium.v1"])

    @Test func theCorpusIsThere() {
        #expect(Self.files.count >= 20, "no fuzz-http seeds in \(Self.folder.path)")
    }

    @Test(arguments: files)
    func requestsParseAlikeHoweverTheyArrive(file: String) throws {
        let bytes = try Self.read(file)
        for limit in Self.limits {
            let outcomes = Self.feeds(bytes).map { feed in
                Self.parse(feed, limit: limit) { parser throws(HTTPParseError) in
                    guard let request = try parser.nextRequest() else { return nil }
                    Self.use(request)
                    return "\(request.method) \(request.target) \(request.version) \(request.headers.map { "\($0.name): \($0.value)" })"
                }
            }
            #expect(outcomes.allSatisfy { $0 == outcomes[0] }, "limit \(limit.maxHeadBytes)")
            if let error = outcomes[0].error { #expect([400, 413, 431, 505].contains(error.status)) }
        }
    }

    @Test(arguments: files)
    func responsesParseAlikeHoweverTheyArrive(file: String) throws {
        let bytes = try Self.read(file)
        for limit in Self.limits {
            let outcomes = Self.feeds(bytes).map { feed in
                Self.parse(feed, limit: limit) { parser throws(HTTPParseError) in
                    guard let response = try parser.nextResponse() else { return nil }
                    #expect((100...599).contains(response.status))
                    Self.checkExtensions(response.headers.values("Sec-WebSocket-Extensions"))
                    _ = try? Self.handshake.validate(status: response.status, headers: response.headers.entries)
                    return "\(response.status) \(response.headers.map { "\($0.name): \($0.value)" })"
                }
            }
            #expect(outcomes.allSatisfy { $0 == outcomes[0] }, "limit \(limit.maxHeadBytes)")
        }
    }

    // MARK: Regressions found by fuzz-http

    /// A head ending exactly at the limit was accepted whole but refused dripped: the
    /// parser gave up while the blank line's last three bytes were still on their way.
    @Test(arguments: [255, 256, 257])
    func aHeadNearTheLimitGetsOneAnswerWholeOrDripped(length: Int) {
        let start = "GET / HTTP/1.1\r\nX: "
        let bytes = Array((start + String(repeating: "c", count: length - start.utf8.count) + "\r\n\r\n").utf8)
        let limit = (maxHeadBytes: 256, maxHeaderCount: 8)
        let outcomes = Self.feeds(bytes).map { feed in
            Self.parse(feed, limit: limit) { parser throws(HTTPParseError) in try parser.nextRequest()?.target }
        }
        #expect(outcomes.allSatisfy { $0 == outcomes[0] })
        #expect(outcomes[0].error == (length > 256 ? .headTooLarge : nil))
    }

    // MARK: The fuzzer's operations

    struct Outcome: Equatable {
        var heads: [String] = []
        var error: HTTPParseError?
        var remainder: [UInt8] = []
    }

    static func read(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
    }

    static func feeds(_ bytes: [UInt8]) -> [[[UInt8]]] {
        [[bytes], Chunking.split(bytes), Chunking.drip(bytes)]
    }

    static func parse(
        _ chunks: [[UInt8]], limit: (maxHeadBytes: Int, maxHeaderCount: Int),
        next: (inout HTTPHeadParser) throws(HTTPParseError) -> String?
    ) -> Outcome {
        var parser = HTTPHeadParser(maxHeadBytes: limit.maxHeadBytes, maxHeaderCount: limit.maxHeaderCount)
        var outcome = Outcome()
        do {
            for chunk in chunks {
                chunk.withUnsafeBytes { parser.append($0) }
                while let head = try next(&parser) { outcome.heads.append(head) }
            }
            outcome.remainder = parser.takeRemainder()
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// What the server does next with a request: its path and query, keep-alive, and the
    /// upgrade decision, whose extension answer must parse back to itself.
    static func use(_ request: HTTPRequest) {
        _ = (request.path, request.queryItems, request.query("room"), request.keepAlive, PercentDecoding.decode(request.path))
        checkExtensions(request.headers.values("Sec-WebSocket-Extensions"))
        if let agreement = try? WebSocketHandshake.acceptUpgrade(
            method: request.method, httpVersion: request.version, headers: request.headers.entries,
            subprotocols: ["atrium.v1"], deflate: PerMessageDeflateConfiguration()) {
            #expect(agreement.accept.utf8.count == 28)
            if let deflate = agreement.deflate { checkExtensions([deflate.responseElement.headerValue]) }
        }
    }

    static func checkExtensions(_ values: [String]) {
        guard let elements = WebSocketExtensionElement.parse(values) else { return }
        for element in elements {
            #expect(WebSocketExtensionElement.parse([element.headerValue]) == [element], "\(element.headerValue)")
        }
    }
}
