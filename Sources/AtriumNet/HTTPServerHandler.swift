import AtriumWebSocket
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Serves HTTP/1.1 on one connection until it closes or upgrades to WebSocket.
///
/// Requests are parsed with ``HTTPHeadParser`` and answered in order (keep-alive and
/// pipelining); an error answer always closes the connection. A head must arrive
/// completely within `headTimeout` of its first byte, which ends slowloris attempts, and
/// an idle keep-alive connection closes after `keepAliveTimeout`. File bodies are read on
/// a separate queue and written as the socket drains, so a large video never blocks the
/// I/O queue or fills memory.
public final class HTTPServerHandler: ConnectionHandler {
    public struct Configuration: Sendable {
        public var maxHeadBytes: Int
        public var headTimeout: Duration
        public var keepAliveTimeout: Duration

        public init(maxHeadBytes: Int = 16 * 1024, headTimeout: Duration = .seconds(10),
                    keepAliveTimeout: Duration = .seconds(15)) {
            self.maxHeadBytes = maxHeadBytes
            self.headTimeout = headTimeout
            self.keepAliveTimeout = keepAliveTimeout
        }
    }

    private enum State {
        case reading
        /// A ``HTTPRoute/respondLater(_:)`` answer is on its way for this request.
        case waiting(HTTPRequest, number: UInt64)
        case streaming(FileStream)
        case closing
    }

    private final class FileStream {
        let fd: Int32
        var offset: Int
        var remaining: Int
        let keepAlive: Bool
        var readInFlight = false
        /// Set when the connection ended while a read was in flight; the read's completion
        /// then closes the descriptor, so it is never closed under a running `pread`.
        var closeRequested = false

        init(fd: Int32, offset: Int, remaining: Int, keepAlive: Bool) {
            self.fd = fd
            self.offset = offset
            self.remaining = remaining
            self.keepAlive = keepAlive
        }
    }

    private let router: any HTTPRouter
    private let configuration: Configuration
    private var parser: HTTPHeadParser
    private var state: State = .reading
    private var deadline: ContinuousClock.Instant
    private var idle = true
    /// Numbers deferred answers, so a late one for a request that timed out is dropped.
    private var deferredCount: UInt64 = 0

    /// File reads happen here, never on an I/O queue.
    private static let fileQueue = DispatchQueue(label: "atrium.files", attributes: .concurrent)
    static let fileChunk = 64 * 1024

    public init(router: any HTTPRouter, configuration: Configuration = .init()) {
        self.router = router
        self.configuration = configuration
        parser = HTTPHeadParser(maxHeadBytes: configuration.maxHeadBytes)
        deadline = .now + configuration.headTimeout
    }

    public func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        if idle {
            idle = false
            deadline = .now + configuration.headTimeout
        }
        parser.append(bytes)
        process(connection)
    }

    private func process(_ connection: Connection) {
        while case .reading = state, connection.isOpen {
            let request: HTTPRequest
            do {
                guard let next = try parser.nextRequest() else {
                    if parser.bufferedByteCount == 0 { idle = true; deadline = .now + configuration.keepAliveTimeout }
                    return
                }
                request = next
            } catch {
                respond(.error(error.status, code: "bad_request", message: "\(error)"), to: nil, on: connection)
                return
            }
            handle(request, on: connection)
        }
    }

    private func handle(_ request: HTTPRequest, on connection: Connection) {
        switch router.route(request, connection: connection) {
        case .respond(let response):
            respond(response, to: request, on: connection)
        case .respondLater(let start):
            deferredCount += 1
            let number = deferredCount
            state = .waiting(request, number: number)
            deadline = .now + configuration.headTimeout
            let queue = connection.ioQueue.queue
            // The handler and connection belong to the I/O queue; the answer only carries
            // them back there.
            let confined = QueueConfined((self, connection))
            start { response in
                queue.async {
                    let (handler, connection) = confined.value
                    guard case .waiting(let request, number) = handler.state, connection.isOpen else { return }
                    handler.state = .reading
                    handler.respond(response, to: request, on: connection)
                    handler.process(connection)
                }
            }
        case .webSocket(let upgrade):
            let agreement: WebSocketHandshake.ServerAgreement
            do {
                agreement = try WebSocketHandshake.acceptUpgrade(
                    method: request.method, httpVersion: request.version, headers: request.headers.entries,
                    subprotocols: upgrade.subprotocols, deflate: upgrade.configuration.compression)
            } catch {
                var headers: HTTPHeaders = [:]
                if error == .unsupportedVersion { headers.add("Sec-WebSocket-Version", "13") }
                respond(.error(error.httpStatus, code: "bad_handshake", message: error.message, headers: headers),
                        to: request, on: connection)
                return
            }
            let response = HTTPResponse(status: 101, headers: HTTPHeaders(agreement.responseHeaders))
            connection.write(response.head(keepAlive: true))
            let channel = WebSocketChannel(connection: connection, role: .server, configuration: upgrade.configuration,
                                           deflate: agreement.deflate, limits: upgrade.outboundLimits,
                                           subprotocol: agreement.subprotocol)
            connection.handler = channel
            state = .closing
            upgrade.onOpen(channel)
            let remainder = parser.takeRemainder()
            if !remainder.isEmpty {
                remainder.withUnsafeBytes { channel.connection(connection, didRead: $0) }
            }
        }
    }

    private func respond(_ response: HTTPResponse, to request: HTTPRequest?, on connection: Connection) {
        var response = response
        if request?.method == "HEAD" { response.omitsBody = true }
        let keepAlive = (request?.keepAlive ?? false) && response.status < 400
        connection.write(response.head(keepAlive: keepAlive))
        if response.omitsBody {
            finish(keepAlive: keepAlive, on: connection)
            return
        }
        switch response.body {
        case .bytes(let bytes):
            connection.write(bytes)
            finish(keepAlive: keepAlive, on: connection)
        case .file(let path, let offset, let length):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                // Headers are out already; the only honest thing left is to close.
                connection.close()
                state = .closing
                return
            }
            let stream = FileStream(fd: fd, offset: offset, remaining: length, keepAlive: keepAlive)
            state = .streaming(stream)
            pump(stream, on: connection)
        }
    }

    private func finish(keepAlive: Bool, on connection: Connection) {
        if keepAlive {
            state = .reading
        } else {
            state = .closing
            connection.close()
        }
    }

    /// Reads the next chunk off the I/O queue and writes it back on it.
    private func pump(_ stream: FileStream, on connection: Connection) {
        guard !stream.readInFlight, connection.isOpen else { return }
        if stream.remaining == 0 {
            close(stream)
            finish(keepAlive: stream.keepAlive, on: connection)
            if stream.keepAlive { process(connection) }
            return
        }
        stream.readInFlight = true
        let length = min(stream.remaining, Self.fileChunk)
        let fd = stream.fd
        let offset = stream.offset
        let queue = connection.ioQueue.queue
        // The handler, connection and stream belong to the I/O queue; the file queue only
        // carries them back there.
        let confined = QueueConfined((self, connection, stream))
        Self.fileQueue.async {
            let (chunk, count) = Self.readChunk(fd: fd, offset: offset, length: length)
            queue.async {
                let (handler, connection, stream) = confined.value
                stream.readInFlight = false
                if stream.closeRequested {
                    Glibc.close(stream.fd)
                    return
                }
                guard count > 0 else {
                    // The file shrank or failed under us; the promised length cannot be met.
                    handler.close(stream)
                    handler.state = .closing
                    connection.close()
                    return
                }
                stream.offset += count
                stream.remaining -= count
                chunk.withUnsafeBytes { connection.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                if connection.queuedBytes <= Connection.lowWaterMark { handler.pump(stream, on: connection) }
            }
        }
    }

    private static func readChunk(fd: Int32, offset: Int, length: Int) -> ([UInt8], Int) {
        var chunk = [UInt8](repeating: 0, count: length)
        let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(offset)) }
        return (chunk, count)
    }

    private func close(_ stream: FileStream) {
        if stream.readInFlight {
            stream.closeRequested = true
        } else {
            Glibc.close(stream.fd)
        }
    }

    public func connectionDidDrain(_ connection: Connection) {
        if case .streaming(let stream) = state { pump(stream, on: connection) }
    }

    public func connectionTick(_ connection: Connection, now: ContinuousClock.Instant) {
        if case .waiting(let request, _) = state, now >= deadline {
            state = .reading
            respond(.error(504, code: "timeout", message: "no answer in time; try again"), to: request, on: connection)
            return
        }
        guard case .reading = state, now >= deadline else { return }
        if idle {
            connection.close()
        } else {
            respond(.error(408, code: "timeout", message: "request head not received in time"), to: nil, on: connection)
        }
    }

    public func connectionDidClose(_ connection: Connection, error: SocketError?) {
        if case .streaming(let stream) = state { close(stream) }
        state = .closing
    }
}
