/// Incremental parser for HTTP/1.1 message heads (RFC 9112), for requests on the server
/// and responses on the client. Bytes accumulate until the blank line; the whole head,
/// request line included, is capped (`maxHeadBytes`, 16 KiB by default) and refused with
/// 431 beyond it. Strict where leniency has bitten others: CRLF only, no obs-fold, no
/// whitespace before a colon, token header names.
public struct HTTPHeadParser: Sendable {
    public let maxHeadBytes: Int
    public let maxHeaderCount: Int

    private var buffer: [UInt8] = []
    /// Where the search for the blank line resumes, so a head dripped byte by byte is
    /// scanned once, not once per byte.
    private var scanned = 0

    public init(maxHeadBytes: Int = 16 * 1024, maxHeaderCount: Int = 100) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// Bytes received and not yet consumed by a parsed head.
    public var bufferedByteCount: Int { buffer.count }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// Removes and returns bytes after the last parsed head, e.g. WebSocket frames sent
    /// right behind the upgrade request.
    public mutating func takeRemainder() -> [UInt8] {
        defer {
            buffer = []
            scanned = 0
        }
        return buffer
    }

    public mutating func nextRequest() throws(HTTPParseError) -> HTTPRequest? {
        try refuseANonMethodStart()
        guard let lines = try nextHeadLines() else { return nil }
        let requestLine = lines[0].split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, !requestLine[0].isEmpty, requestLine[0].allSatisfy(\.isUppercaseLetterOrDigit),
              let target = requestLine.dropFirst().first, !target.isEmpty,
              target.first == "/" || target == "*" else {
            throw .malformedRequestLine
        }
        let version = try Self.version(requestLine[2])
        let headers = try Self.headers(lines.dropFirst())
        let request = HTTPRequest(method: String(requestLine[0]), target: String(target), version: version, headers: headers)
        if request.headers["Transfer-Encoding"] != nil { throw .bodyNotAllowed }
        if let length = request.headers["Content-Length"] {
            guard let value = Int(length), value >= 0 else { throw .invalidContentLength }
            if value > 0 { throw .bodyNotAllowed }
        }
        return request
    }

    public mutating func nextResponse() throws(HTTPParseError) -> (status: Int, headers: HTTPHeaders)? {
        guard let lines = try nextHeadLines() else { return nil }
        let statusLine = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard statusLine.count >= 2, let status = Int(statusLine[1]), (100...599).contains(status) else {
            throw .malformedStatusLine
        }
        _ = try Self.version(statusLine[0])
        return (status, try Self.headers(lines.dropFirst()))
    }

    /// Refuses at once what cannot begin a request: a byte that is no method character
    /// before the first space (a TLS ClientHello on the plain port, random bytes). Waiting
    /// for a blank line that never comes would hold the connection for the whole head
    /// timeout. Methods are short, so one longer than 32 characters is refused too, which
    /// keeps this scan to a few bytes however the head is dripped in. It skips exactly the
    /// empty lines the full parse skips, leaves any other line break to it, and looks no
    /// further than the head limit, so that a head refused here is refused with the same
    /// error whether it arrives whole or in pieces.
    private func refuseANonMethodStart() throws(HTTPParseError) {
        var index = 0
        while index + 1 < buffer.count && buffer[index] == 13 && buffer[index + 1] == 10 { index += 2 }
        let start = index
        while index < buffer.count && index < maxHeadBytes {
            let byte = buffer[index]
            if byte == 32 || byte == 13 || byte == 10 { return }
            guard index - start < 32, (65...90).contains(byte) || (48...57).contains(byte) else { throw .malformedRequestLine }
            index += 1
        }
    }

    /// Splits off one complete head as lines, or nil if the blank line has not arrived.
    private mutating func nextHeadLines() throws(HTTPParseError) -> [Substring]? {
        // Tolerate the empty lines RFC 9112 §2.2 allows before a request line.
        while buffer.count >= 2 && buffer[0] == 13 && buffer[1] == 10 {
            buffer.removeFirst(2)
            scanned = max(0, scanned - 2)
        }
        guard let end = findBlankLine() else {
            // The blank line may still begin in the last three bytes, so the head is too
            // large only once even that would end it beyond the limit; refusing sooner
            // would refuse a head dripped in that it accepts whole.
            if buffer.count - 3 > maxHeadBytes { throw .headTooLarge }
            return nil
        }
        guard end <= maxHeadBytes else { throw .headTooLarge }
        let head = buffer[0..<end]
        buffer.removeSubrange(0..<(end + 4))
        scanned = 0
        guard !head.contains(0) else { throw .malformedHeader }
        guard let text = String(validating: head, as: UTF8.self) else { throw .malformedHeader }
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard lines.count - 1 <= maxHeaderCount else { throw .tooManyHeaders }
        // A bare CR or LF inside a line is a smuggling vector; refuse it.
        for line in lines where line.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
            throw .malformedHeader
        }
        return lines
    }

    private mutating func findBlankLine() -> Int? {
        let count = buffer.count
        var index = max(0, scanned - 3)
        while index + 3 < count {
            if buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                return index
            }
            index += 1
        }
        scanned = count
        return nil
    }

    private static func version(_ text: Substring) throws(HTTPParseError) -> (major: Int, minor: Int) {
        guard text.hasPrefix("HTTP/"), text.count == 8 else { throw .malformedRequestLine }
        let digits = Array(text.utf8.suffix(3))
        guard digits[1] == UInt8(ascii: "."), let major = Int(String(UnicodeScalar(digits[0]))),
              let minor = Int(String(UnicodeScalar(digits[2]))) else { throw .malformedRequestLine }
        guard major == 1 else { throw .unsupportedVersion }
        return (major, minor)
    }

    private static func headers(_ lines: ArraySlice<Substring>) throws(HTTPParseError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedHeader }
            let name = line[..<colon]
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else { throw .malformedHeader }
            let value = line[line.index(after: colon)...]
            guard value.utf8.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else { throw .malformedHeader }
            headers.add(String(name), String(value).trimmedOWS)
        }
        return headers
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension Character {
    fileprivate var isUppercaseLetterOrDigit: Bool {
        ("A"..."Z").contains(self) || ("0"..."9").contains(self) || self == "-" || self == "_"
    }
}

extension String {
    fileprivate var trimmedOWS: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
