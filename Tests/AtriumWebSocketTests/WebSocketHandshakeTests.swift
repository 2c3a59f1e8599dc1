import Testing
@testable import AtriumWebSocket

@Suite struct WebSocketHandshakeTests {
    let validHeaders: WebSocketHandshake.Headers = [
        ("Host", "server.example.com"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
    ]

    private func accept(_ headers: WebSocketHandshake.Headers, method: String = "GET", minor: Int = 1,
                        subprotocols: [String] = [], deflate: PerMessageDeflateConfiguration = .disabled)
        throws(WebSocketHandshakeError) -> WebSocketHandshake.ServerAgreement
    {
        try WebSocketHandshake.acceptUpgrade(method: method, httpVersion: (1, minor), headers: headers,
                                             subprotocols: subprotocols, deflate: deflate)
    }

    /// RFC 6455 §1.3's worked example.
    @Test func computesTheRFCsAcceptValue() throws {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(try accept(validHeaders).accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func matchesUpgradeAndConnectionTokensCaseInsensitively() throws {
        let headers: WebSocketHandshake.Headers = [
            ("upgrade", "WebSocket"), ("CONNECTION", "keep-alive, UPGRADE"),
            ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="), ("SEC-WEBSOCKET-VERSION", "13"),
        ]
        #expect(throws: Never.self) { try accept(headers) }
    }

    @Test(arguments: [
        ("Sec-WebSocket-Key", "c2hvcnQ=", WebSocketHandshakeError.invalidKey),
        ("Sec-WebSocket-Key", "not base64 at all!!!!!!!", .invalidKey),
        ("Sec-WebSocket-Version", "8", .unsupportedVersion),
        ("Upgrade", "h2c", .missingUpgradeHeader),
        ("Connection", "keep-alive", .missingConnectionUpgrade),
    ])
    func refusesABadHeader(name: String, value: String, error: WebSocketHandshakeError) {
        let headers = validHeaders.map { $0.name == name ? (name, value) : $0 }
        #expect(throws: error) { try accept(headers) }
    }

    @Test func answers426ForAnotherVersionAnd405ForAnotherMethod() {
        #expect(WebSocketHandshakeError.unsupportedVersion.httpStatus == 426)
        #expect(throws: WebSocketHandshakeError.methodNotGet) { try accept(validHeaders, method: "POST") }
        #expect(throws: WebSocketHandshakeError.httpVersionTooOld) { try accept(validHeaders, minor: 0) }
        #expect(throws: WebSocketHandshakeError.missingKey) { try accept(validHeaders.filter { $0.name != "Sec-WebSocket-Key" }) }
    }

    @Test func choosesTheFirstOfferedSubprotocolWeSpeak() throws {
        let headers = validHeaders + [("Sec-WebSocket-Protocol", "chat, atrium.v1")]
        #expect(try accept(headers, subprotocols: ["atrium.v1"]).subprotocol == "atrium.v1")
        #expect(try accept(headers).subprotocol == nil)
    }

    @Test func clientAndServerHandshakesAgree() throws {
        let client = WebSocketClientHandshake(host: "127.0.0.1:8080", target: "/ws?room=expo-hall",
                                              keyBytes: Array(0..<16), subprotocols: ["atrium.v1"])
        let request = String(decoding: client.requestBytes, as: UTF8.self)
        let lines = request.split(separator: "\r\n").dropFirst()
        let headers: WebSocketHandshake.Headers = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces)
        }
        let agreement = try accept(headers, subprotocols: ["atrium.v1"], deflate: .init())
        let response = agreement.responseHeaders
        let checked = try client.validate(status: 101, headers: response)
        #expect(checked.subprotocol == "atrium.v1")
        #expect(checked.deflate == agreement.deflate)
        #expect(agreement.deflate?.serverNoContextTakeover == true)
    }

    @Test func clientRejectsAWrongAcceptOrStatus() {
        let client = WebSocketClientHandshake(host: "h", target: "/", keyBytes: Array(0..<16))
        #expect(throws: WebSocketHandshakeError.unexpectedStatus(404)) { try client.validate(status: 404, headers: []) }
        let wrong: WebSocketHandshake.Headers = [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "nope")]
        #expect(throws: WebSocketHandshakeError.invalidAccept) { try client.validate(status: 101, headers: wrong) }
    }

    @Test func base64RoundTripsAndRejectsBadPadding() {
        for length in 0..<20 {
            let bytes = (0..<length).map { UInt8($0 * 37 & 0xFF) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.decode("ab=c") == nil)
        #expect(Base64.decode("abc") == nil)
    }

    @Test func sha1MatchesKnownDigests() {
        #expect(SHA1.hash([]) == hex("da39a3ee5e6b4b0d3255bfef95601890afd80709"))
        #expect(SHA1.hash(Array("abc".utf8)) == hex("a9993e364706816aba3e25717850c26c9cd0d89d"))
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA1.hash(long) == hex("84983e441c3bd26ebaae4aa1f95129e5e54670f1"))
    }
}
