import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Accepts TCP connections on one or more addresses (IPv4 and IPv6 on separate sockets)
/// and hands each to an ``IOQueue`` of the group with a handler from `makeHandler`.
///
/// Caps are applied at accept time: beyond `maxConnections`, or beyond
/// `maxConnectionsPerIP` for one address, the peer gets a short 503 and is closed before
/// any parser or buffer exists for it.
///
/// `@unchecked Sendable`: sources and descriptors are touched only on `acceptQueue`;
/// counts are atomic or behind a mutex.
public final class Listener: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var addresses: [SocketAddress]
        public var backlog: Int32
        public var maxConnections: Int
        public var maxConnectionsPerIP: Int
        public var tls: TLSContext?

        public init(addresses: [SocketAddress], backlog: Int32 = 1024, maxConnections: Int = 20_000,
                    maxConnectionsPerIP: Int = 20_000, tls: TLSContext? = nil) {
            self.addresses = addresses
            self.backlog = backlog
            self.maxConnections = maxConnections
            self.maxConnectionsPerIP = maxConnectionsPerIP
            self.tls = tls
        }
    }

    public enum Refusal: Sendable, Equatable {
        case serverFull
        case tooManyFromAddress
    }

    public let configuration: Configuration
    private let group: IOQueueGroup
    private let makeHandler: @Sendable (Connection) -> any ConnectionHandler
    private let acceptQueue = DispatchQueue(label: "atrium.accept")
    private var sources: [Int32: any DispatchSourceRead] = [:]
    private var descriptors: [Int32] = []
    private let open = Atomic<Int>(0)
    private let perAddress = Mutex<[String: Int]>([:])
    private let ids = AtomicCounter(1)
    /// Told about each refused connection, for metrics and logs.
    public var onRefusal: (@Sendable (Refusal, SocketAddress?) -> Void)?
    /// Told about each accepted connection before its handler runs.
    public var onAccept: (@Sendable (Connection) -> Void)?

    public init(configuration: Configuration, group: IOQueueGroup,
                makeHandler: @escaping @Sendable (Connection) -> any ConnectionHandler) {
        self.configuration = configuration
        self.group = group
        self.makeHandler = makeHandler
    }

    /// Currently open accepted connections.
    public var openConnections: Int { open.load(ordering: .relaxed) }

    /// Binds every address and starts accepting; returns the bound addresses (with the
    /// kernel's port when 0 was asked). Fails as a whole if any address cannot be bound.
    @discardableResult
    public func start() throws(SocketError) -> [SocketAddress] {
        Socket.ignoreSIGPIPE()
        var bound: [SocketAddress] = []
        var port: UInt16?
        for address in configuration.addresses {
            // Every family listens on the same port, including a kernel-chosen one.
            let wanted = SocketAddress(bytes: address.addressBytes, family: address.family, port: port ?? address.port)
            let fd: Int32
            do {
                fd = try Socket.makeListener(wanted, backlog: configuration.backlog)
            } catch {
                descriptors.forEach { _ = Glibc.close($0) }
                descriptors = []
                throw error
            }
            descriptors.append(fd)
            let actualPort = Socket.localPort(fd) ?? wanted.port
            port = actualPort
            bound.append(SocketAddress(bytes: address.addressBytes, family: address.family, port: actualPort))
        }
        for fd in descriptors {
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: acceptQueue)
            source.setEventHandler { [weak self] in self?.acceptPending(fd) }
            source.setCancelHandler { _ = Glibc.close(fd) }
            sources[fd] = source
            source.activate()
        }
        return bound
    }

    /// Stops accepting and closes the listening sockets; open connections stay.
    public func stopAccepting() {
        acceptQueue.sync {
            sources.values.forEach { $0.cancel() }
            sources = [:]
            descriptors = []
        }
    }

    private func acceptPending(_ listener: Int32) {
        // Bounded so one listener cannot starve the other family's.
        for _ in 0..<256 {
            let accepted: (fd: Int32, address: SocketAddress?)?
            do {
                accepted = try Socket.accept(listener)
            } catch {
                if error.errno == EMFILE || error.errno == ENFILE, let source = sources[listener] {
                    // Out of descriptors: pause accepting briefly instead of spinning.
                    source.suspend()
                    acceptQueue.asyncAfter(deadline: .now() + .milliseconds(100)) { [weak self] in
                        self?.sources[listener]?.resume()
                    }
                }
                return
            }
            guard let (fd, address) = accepted else { return }
            admit(fd, address: address)
        }
    }

    private func admit(_ fd: Int32, address: SocketAddress?) {
        let ip = address?.ipString ?? "unknown"
        if open.load(ordering: .relaxed) >= configuration.maxConnections {
            refuse(fd, .serverFull, address: address)
            return
        }
        let allowed = perAddress.withLock { counts -> Bool in
            let current = counts[ip, default: 0]
            guard current < configuration.maxConnectionsPerIP else { return false }
            counts[ip] = current + 1
            return true
        }
        guard allowed else {
            refuse(fd, .tooManyFromAddress, address: address)
            return
        }
        open.add(1, ordering: .relaxed)
        try? Socket.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)

        let ioQueue = group.next()
        var tlsSession: TLSSession?
        if let tls = configuration.tls {
            tlsSession = TLSSession(context: tls)
            if tlsSession == nil {
                Glibc.close(fd)
                release(ip)
                return
            }
        }
        let connection = Connection(fd: fd, id: ids.increment(), ioQueue: ioQueue, remoteAddress: address, tls: tlsSession)
        connection.onClose = { [weak self] _ in self?.release(ip) }
        let makeHandler = self.makeHandler
        let onAccept = self.onAccept
        ioQueue.queue.async {
            connection.handler = makeHandler(connection)
            onAccept?(connection)
            connection.start()
        }
    }

    private func release(_ ip: String) {
        open.subtract(1, ordering: .relaxed)
        perAddress.withLock { counts in
            let remaining = counts[ip, default: 1] - 1
            counts[ip] = remaining > 0 ? remaining : nil
        }
    }

    private func refuse(_ fd: Int32, _ refusal: Refusal, address: SocketAddress?) {
        onRefusal?(refusal, address)
        let body = refusal == .serverFull
            ? #"{"type":"error","code":"server_full","message":"the server is at its connection limit"}"#
            : #"{"type":"error","code":"too_many_connections","message":"too many connections from your address"}"#
        let response = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\n"
            + "Connection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        // Best effort on a fresh socket whose send buffer is empty; then close.
        _ = response.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        Glibc.close(fd)
    }
}

extension SocketAddress {
    init(bytes: [UInt8], family: Family, port: UInt16) {
        self.init(family: family, addressBytes: bytes, port: port)
    }
}
