/// A small HTTP/1.1 GET client on the same sockets and TLS as the rest of the transport,
/// for the few requests a client makes besides its WebSocket (the seat of a room). One
/// request per connection (`Connection: close`), a deadline over everything, and limits
/// on the head and the body.
public enum HTTPClient {
    public struct Options: Sendable {
        /// For `https://`; a default verifying context is made when nil.
        public var tls: TLSContext?
        /// Covers resolving, connecting, TLS, the request and the whole response (10 s).
        public var timeout: Duration
        /// The largest response head (16 KiB).
        public var maxHeadBytes: Int
        /// The largest response body (64 KiB); a larger one fails the request.
        public var maxBodyBytes: Int
        public var headers: [(name: String, value: String)]
        /// The local address to connect from; the system's choice when nil.
        public var localAddress: SocketAddress?

        public init(tls: TLSContext? = nil, timeout: Duration = .seconds(10), maxHeadBytes: Int = 16 * 1024,
                    maxBodyBytes: Int = 64 * 1024, headers: [(name: String, value: String)] = [], localAddress: SocketAddress? = nil) {
            self.tls = tls
            self.timeout = timeout
            self.maxHeadBytes = maxHeadBytes
            self.maxBodyBytes = maxBodyBytes
            self.headers = headers
            self.localAddress = localAddress
        }
    }

    public typealias Response = HTTPResponseReader.Response

    /// GETs `target` (path and query) from the origin `url` names (`ws`/`http` plain,
    /// `wss`/`https` over TLS) and calls `completion` once, on `ioQueue`'s queue when a
    /// connection was made. Any status is a response; only transport failures are errors.
    public static func get(_ url: WebSocketURL, group: IOQueueGroup, on ioQueue: IOQueue? = nil, options: Options = .init(),
                           completion: @escaping @Sendable (Result<Response, HTTPClientError>) -> Void) {
        var request = "GET \(url.target) HTTP/1.1\r\nHost: \(url.hostHeader)\r\nConnection: close\r\nAccept: application/json\r\n"
        for header in options.headers { request += "\(header.name): \(header.value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        ClientDialer.dial(host: url.host, port: url.port, secure: url.isSecure, tls: options.tls, localAddress: options.localAddress,
                          ioQueue: ioQueue ?? group.next(),
                          makeHandler: { HTTPClientHandler(options: options, completion: completion) }) {
            switch $0 {
            case .success(let connection): connection.write(bytes)
            case .failure(.unresolvableHost(let host)): completion(.failure(.unresolvableHost(host)))
            case .failure(.connectionFailed(let error)): completion(.failure(.connectionFailed(error)))
            case .failure(.tls(let message)): completion(.failure(.tls(message)))
            }
        }
    }
}

/// Feeds a connection's bytes to an ``HTTPResponseReader`` and reports once.
final class HTTPClientHandler: ConnectionHandler {
    private var reader: HTTPResponseReader
    private var completion: (@Sendable (Result<HTTPClient.Response, HTTPClientError>) -> Void)?
    private let deadline: ContinuousClock.Instant

    init(options: HTTPClient.Options, completion: @escaping @Sendable (Result<HTTPClient.Response, HTTPClientError>) -> Void) {
        reader = HTTPResponseReader(maxHeadBytes: options.maxHeadBytes, maxBodyBytes: options.maxBodyBytes)
        self.completion = completion
        deadline = .now + options.timeout
    }

    private func finish(_ result: Result<HTTPClient.Response, HTTPClientError>, _ connection: Connection) {
        guard let completion else { return }
        self.completion = nil
        completion(result)
        connection.abort()
    }

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        guard completion != nil else { return }
        do {
            if let response = try reader.read(bytes) { finish(.success(response), connection) }
        } catch {
            finish(.failure(error), connection)
        }
    }

    func connectionDidReadEOF(_ connection: Connection) {
        guard completion != nil else { return connection.abort() }
        do {
            finish(.success(try reader.end()), connection)
        } catch {
            finish(.failure(error), connection)
        }
    }

    func connectionTick(_ connection: Connection, now: ContinuousClock.Instant) {
        if now >= deadline { finish(.failure(.timedOut), connection) }
    }

    func connectionDidClose(_ connection: Connection, error: SocketError?) {
        guard let completion else { return }
        self.completion = nil
        if let error {
            completion(.failure(error.call == "TLS" ? .tls("handshake failed") : .connectionFailed(error)))
        } else {
            completion(.failure(.closedEarly))
        }
    }
}
