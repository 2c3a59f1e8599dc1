import AtriumTestSupport
import Testing
@testable import AtriumNet

@Suite struct HTTPHeadParserTests {
    private func parse(_ text: String, chunked: Bool = false, limit: Int = 16 * 1024) -> Result<[HTTPRequest], HTTPParseError> {
        var parser = HTTPHeadParser(maxHeadBytes: limit)
        var requests: [HTTPRequest] = []
        let bytes = Array(text.utf8)
        let chunks = chunked ? bytes.map { [$0] } : [bytes]
        do {
            for chunk in chunks {
                chunk.withUnsafeBytes { parser.append($0) }
                while let request = try parser.nextRequest() { requests.append(request) }
            }
        } catch {
            return .failure(error)
        }
        return .success(requests)
    }

    @Test(arguments: [false, true])
    func parsesARequestWholeOrDrippedByteByByte(chunked: Bool) throws {
        let requests = try parse("GET /ws?room=expo-hall&name=J%C3%BCrgen HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nUpgrade:  websocket \r\n\r\n",
                                 chunked: chunked).get()
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/ws")
        #expect(request.query("room") == "expo-hall")
        #expect(request.query("name") == "Jürgen")
        #expect(request.headers["upgrade"] == "websocket")
        #expect(request.headers["X-Empty"] == "")
        #expect(request.keepAlive)
    }

    @Test func parsesPipelinedRequestsInOrder() throws {
        let requests = try parse("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.0\r\n\r\n").get()
        #expect(requests.map(\.target) == ["/a", "/b"])
        #expect(requests[1].keepAlive == false)
    }

    @Test(arguments: [
        ("GET /a HTTP/1.1\r\nHost: x\r\n Folded: value\r\n\r\n", HTTPParseError.malformedHeader),
        ("GET /a HTTP/1.1\r\nHost : x\r\n\r\n", .malformedHeader),
        ("GET /a HTTP/1.1\r\nHo\rst: x\r\n\r\n", .malformedHeader),
        ("GET /a HTTP/1.1\nHost: x\r\n\r\n", .malformedHeader),
        ("GET /a HTTP/1.1\r\nHost: \u{1}\r\n\r\n", .malformedHeader),
        ("GET /a HTTP/2.0\r\n\r\n", .unsupportedVersion),
        ("GET /a\r\n\r\n", .malformedRequestLine),
        ("GET  /a HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("get /a HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("GET a HTTP/1.1\r\n\r\n", .malformedRequestLine),
        ("\u{16}\u{3}\u{1}\u{2}garbage\r\n\r\n", .malformedRequestLine),
        ("POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", .bodyNotAllowed),
        ("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", .bodyNotAllowed),
        ("GET /a HTTP/1.1\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
    ])
    func refusesMalformedHeads(text: String, error: HTTPParseError) {
        #expect(failure(parse(text)) == error)
    }

    private func failure(_ result: Result<[HTTPRequest], HTTPParseError>) -> HTTPParseError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    /// A TLS ClientHello on the plain port, or any bytes that cannot start a method, is
    /// refused on its first bytes rather than after the head timeout.
    @Test(arguments: [[0x16, 0x03, 0x01, 0x02, 0x00], Array("G\u{0}".utf8), Array(String(repeating: "A", count: 33).utf8)])
    func refusesWhatCannotStartARequestWithoutWaitingForTheBlankLine(bytes: [UInt8]) throws {
        var parser = HTTPHeadParser()
        bytes.withUnsafeBytes { parser.append($0) }
        #expect(throws: HTTPParseError.malformedRequestLine) { _ = try parser.nextRequest() }
        var partial = HTTPHeadParser()
        Array("GE".utf8).withUnsafeBytes { partial.append($0) }
        let pending = try partial.nextRequest()   // a method still arriving: wait for more
        #expect(pending == nil)
    }

    @Test func refusesAHeadOverTheLimitBeforeItEnds() {
        let huge = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 20_000)
        #expect(failure(parse(huge)) == .headTooLarge)
        #expect(HTTPParseError.headTooLarge.status == 431)
    }

    @Test func refusesTooManyHeaders() {
        let text = "GET / HTTP/1.1\r\n" + (0..<101).map { "X-\($0): 1\r\n" }.joined() + "\r\n"
        #expect(failure(parse(text)) == .tooManyHeaders)
    }

    @Test func keepsBytesAfterTheHeadForTheUpgradedProtocol() throws {
        var parser = HTTPHeadParser()
        Array("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n\u{81}\u{5}".utf8).withUnsafeBytes { parser.append($0) }
        _ = try parser.nextRequest()
        #expect(parser.takeRemainder() == [0xC2, 0x81, 0x05])
    }

    @Test func parsesAResponseHead() throws {
        var parser = HTTPHeadParser()
        Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\n{}".utf8).withUnsafeBytes { parser.append($0) }
        let response = try #require(try parser.nextResponse())
        #expect(response.status == 503)
        #expect(response.headers["content-length"] == "2")
    }

    @Test func percentDecodingRefusesBrokenEscapes() {
        #expect(PercentDecoding.decode("%2e%2E/x") == "../x")
        #expect(PercentDecoding.decode("%zz") == nil)
        #expect(PercentDecoding.decode("%C3") == nil)
        #expect(PercentDecoding.decode("a+b", plusAsSpace: true) == "a b")
    }
}

@Suite struct WebSocketURLTests {
    @Test func parsesTheFormsAClientMeets() throws {
        #expect(WebSocketURL("ws://127.0.0.1:8080/ws?room=expo-hall") ==
            WebSocketURL(isSecure: false, host: "127.0.0.1", port: 8080, target: "/ws?room=expo-hall"))
        #expect(WebSocketURL("wss://example.org") == WebSocketURL(isSecure: true, host: "example.org", port: 443, target: "/"))
        #expect(WebSocketURL("ws://[::1]:9/x")?.host == "::1")
        #expect(WebSocketURL("ws://[::1]:9/x")?.hostHeader == "[::1]:9")
        #expect(WebSocketURL("ws://h?room=a")?.target == "/?room=a")
        #expect(WebSocketURL("http://h/") == nil)
        #expect(WebSocketURL("ws://h:99999/") == nil)
        #expect(WebSocketURL("ws://user@h/") == nil)
    }
}
