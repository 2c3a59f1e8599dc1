/// Reads one HTTP/1.1 response from bytes fed in any pieces: the head through
/// ``HTTPHeadParser``, then a body framed by `Content-Length` or by the end of the
/// connection, never longer than `maxBodyBytes`. No I/O; ``HTTPClient`` feeds it.
public struct HTTPResponseReader: Sendable {
    /// A complete response.
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]

        public static func == (lhs: Response, rhs: Response) -> Bool {
            lhs.status == rhs.status && lhs.body == rhs.body
                && lhs.headers.map { "\($0.name.lowercased()):\($0.value)" } == rhs.headers.map { "\($0.name.lowercased()):\($0.value)" }
        }
    }

    private enum State: Sendable {
        case head
        /// `length` nil: the body runs to the end of the connection.
        case body(status: Int, headers: HTTPHeaders, length: Int?)
        case done
    }

    public let maxBodyBytes: Int
    private var parser: HTTPHeadParser
    private var state = State.head
    private var body: [UInt8] = []

    public init(maxHeadBytes: Int = 16 * 1024, maxBodyBytes: Int = 64 * 1024) {
        self.maxBodyBytes = maxBodyBytes
        parser = HTTPHeadParser(maxHeadBytes: maxHeadBytes)
    }

    /// Feeds bytes; returns the response once it is complete, nil while more must come.
    /// Bytes after a complete response are ignored (the request asked for a close).
    public mutating func read(_ bytes: UnsafeRawBufferPointer) throws(HTTPClientError) -> Response? {
        switch state {
        case .done:
            return nil
        case .body:
            return try append(bytes)
        case .head:
            parser.append(bytes)
            let head: (status: Int, headers: HTTPHeaders)
            do {
                guard let parsed = try parser.nextResponse() else { return nil }
                head = parsed
            } catch {
                throw .malformedHead(error)
            }
            if let framing = head.headers["Transfer-Encoding"] { throw .unsupportedFraming(framing) }
            var length: Int?
            if let text = head.headers["Content-Length"] {
                guard let value = Int(text), value >= 0 else { throw .malformedHead(.invalidContentLength) }
                guard value <= maxBodyBytes else { throw .bodyTooLarge(limit: maxBodyBytes) }
                length = value
            }
            if head.status == 204 || head.status == 304 { length = 0 }
            state = .body(status: head.status, headers: head.headers, length: length)
            return try append(parser.takeRemainder())
        }
    }

    /// The connection ended: the response if its body was framed by the end, else why not.
    public mutating func end() throws(HTTPClientError) -> Response {
        guard case .body(let status, let headers, nil) = state else { throw .closedEarly }
        state = .done
        return Response(status: status, headers: headers, body: body)
    }

    private mutating func append(_ bytes: some Collection<UInt8>) throws(HTTPClientError) -> Response? {
        guard case .body(let status, let headers, let length) = state else { return nil }
        let wanted = (length ?? maxBodyBytes + 1) - body.count
        body.append(contentsOf: bytes.prefix(wanted))
        if length == nil && body.count > maxBodyBytes { throw .bodyTooLarge(limit: maxBodyBytes) }
        guard let length, body.count == length else { return nil }
        state = .done
        return Response(status: status, headers: headers, body: body)
    }
}
