import AtriumWebSocket

/// Opens client-side WebSockets on the same transport and codec as the server: a
/// non-blocking connect on an ``IOQueue``, optional TLS, the opening handshake, then a
/// ``WebSocketChannel`` in the client role.
public enum WebSocketClient {
    public struct Options: Sendable {
        public var configuration: WebSocketConfiguration
        public var limits: OutboundLimits
        public var subprotocols: [String]
        public var headers: [(name: String, value: String)]
        /// For `wss://`; a default verifying context is made when nil.
        public var tls: TLSContext?
        /// Covers resolving, connecting, TLS and the handshake.
        public var timeout: Duration
        /// The largest refusal body kept for the error.
        public var maxResponseHeadBytes: Int
        /// The local address to connect from (e.g. one of several loopback addresses); the
        /// system's choice when nil.
        public var localAddress: SocketAddress?

        public init(configuration: WebSocketConfiguration = .init(), limits: OutboundLimits = .client,
                    subprotocols: [String] = [], headers: [(name: String, value: String)] = [],
                    tls: TLSContext? = nil, timeout: Duration = .seconds(10), maxResponseHeadBytes: Int = 16 * 1024) {
            self.configuration = configuration
            self.limits = limits
            self.subprotocols = subprotocols
            self.headers = headers
            self.tls = tls
            self.timeout = timeout
            self.maxResponseHeadBytes = maxResponseHeadBytes
        }
    }

    /// Connects and calls `completion` once, on the channel's I/O queue on success.
    /// Attach the delegate inside `completion`; messages arrive only after it returns.
    /// - Parameter ioQueue: the queue to run on; the group's next one when nil.
    public static func connect(
        to url: WebSocketURL, group: IOQueueGroup, on ioQueue: IOQueue? = nil, options: Options = .init(),
        completion: @escaping @Sendable (Result<WebSocketChannel, WebSocketConnectError>) -> Void
    ) {
        var keyBytes = [UInt8](repeating: 0, count: 16)
        for index in keyBytes.indices { keyBytes[index] = UInt8.random(in: 0...255) }
        let handshake = WebSocketClientHandshake(
            host: url.hostHeader, target: url.target, keyBytes: keyBytes, subprotocols: options.subprotocols,
            deflate: options.configuration.compression, extraHeaders: options.headers)
        ClientDialer.dial(host: url.host, port: url.port, secure: url.isSecure, tls: options.tls, localAddress: options.localAddress,
                          ioQueue: ioQueue ?? group.next(),
                          makeHandler: { ClientHandshakeHandler(handshake: handshake, options: options, completion: completion) }) {
            switch $0 {
            case .success(let connection): connection.write(handshake.requestBytes)
            case .failure(.unresolvableHost(let host)): completion(.failure(.unresolvableHost(host)))
            case .failure(.connectionFailed(let error)): completion(.failure(.connectionFailed(error)))
            case .failure(.tls(let message)): completion(.failure(.tls(message)))
            }
        }
    }
}

/// Reads the server's answer to the upgrade request and swaps itself for the channel.
final class ClientHandshakeHandler: ConnectionHandler {
    private let handshake: WebSocketClientHandshake
    private let options: WebSocketClient.Options
    private var completion: (@Sendable (Result<WebSocketChannel, WebSocketConnectError>) -> Void)?
    private var parser: HTTPHeadParser
    private let deadline: ContinuousClock.Instant
    /// A refusal's body, e.g. `{"type":"error","code":"room_full",…}`.
    private var refusal: (status: Int, expected: Int, body: [UInt8])?

    init(handshake: WebSocketClientHandshake, options: WebSocketClient.Options,
         completion: @escaping @Sendable (Result<WebSocketChannel, WebSocketConnectError>) -> Void) {
        self.handshake = handshake
        self.options = options
        self.completion = completion
        parser = HTTPHeadParser(maxHeadBytes: options.maxResponseHeadBytes)
        deadline = .now + options.timeout
    }

    private func finish(_ result: Result<WebSocketChannel, WebSocketConnectError>) {
        guard let completion else { return }
        self.completion = nil
        completion(result)
    }

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        if var refusal {
            refusal.body.append(contentsOf: bytes.prefix(max(0, refusal.expected - refusal.body.count)))
            self.refusal = refusal
            if refusal.body.count >= refusal.expected { refuse(connection) }
            return
        }
        parser.append(bytes)
        let head: (status: Int, headers: HTTPHeaders)
        do {
            guard let parsed = try parser.nextResponse() else { return }
            head = parsed
        } catch {
            finish(.failure(.handshake(.unexpectedStatus(0))))
            connection.abort()
            return
        }
        guard head.status == 101 else {
            let expected = min(Int(head.headers["Content-Length"] ?? "") ?? 4096, 4096)
            refusal = (head.status, expected, parser.takeRemainder().prefix(expected).map { $0 })
            if refusal!.body.count >= expected { refuse(connection) }
            return
        }
        let agreement: WebSocketClientHandshake.Agreement
        do {
            agreement = try handshake.validate(status: head.status, headers: head.headers.entries)
        } catch {
            finish(.failure(.handshake(error)))
            connection.abort()
            return
        }
        let channel = WebSocketChannel(connection: connection, role: .client, configuration: options.configuration,
                                       deflate: agreement.deflate, limits: options.limits, subprotocol: agreement.subprotocol)
        connection.handler = channel
        finish(.success(channel))
        let remainder = parser.takeRemainder()
        if !remainder.isEmpty {
            remainder.withUnsafeBytes { channel.connection(connection, didRead: $0) }
        }
    }

    private func refuse(_ connection: Connection) {
        guard let refusal else { return }
        finish(.failure(.refused(status: refusal.status, body: String(decoding: refusal.body, as: UTF8.self))))
        connection.abort()
    }

    func connectionDidReadEOF(_ connection: Connection) {
        if refusal != nil { refuse(connection) }
        connection.abort()
    }

    func connectionTick(_ connection: Connection, now: ContinuousClock.Instant) {
        if now >= deadline {
            finish(.failure(.timedOut))
            connection.abort()
        }
    }

    func connectionDidClose(_ connection: Connection, error: SocketError?) {
        if refusal != nil { refuse(connection) }
        if let error {
            finish(.failure(error.call == "TLS" ? .tls("handshake failed") : .connectionFailed(error)))
        } else {
            finish(.failure(.closedDuringHandshake))
        }
    }
}
