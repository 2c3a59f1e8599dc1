import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The first steps of every outgoing connection, shared by ``WebSocketClient`` and
/// ``HTTPClient``: resolve the host off the I/O queues, connect without blocking, and wrap
/// the socket in TLS when asked.
enum ClientDialer {
    enum Failure: Error, Sendable, Equatable {
        case unresolvableHost(String)
        case connectionFailed(SocketError)
        case tls(String)
    }

    private static let resolverQueue = DispatchQueue(label: "atrium.resolver", attributes: .concurrent)
    private static let ids = AtomicCounter(1 << 40)

    /// Calls `completion` once, on `ioQueue`, with a started ``Connection`` whose handler
    /// `makeHandler` made, or why there is none. `tls` is used for secure URLs; a default
    /// verifying context is made when it is nil. `localAddress` is the address to connect
    /// from; the system's choice when nil.
    static func dial(host: String, port: UInt16, secure: Bool, tls: TLSContext?, localAddress: SocketAddress? = nil, ioQueue: IOQueue,
                     makeHandler: @escaping @Sendable () -> any ConnectionHandler,
                     completion: @escaping @Sendable (Result<Connection, Failure>) -> Void) {
        let open: @Sendable (SocketAddress) -> Void = { address in
            ioQueue.queue.async {
                completion(connect(host: host, address: address, secure: secure, tls: tls, localAddress: localAddress,
                                   ioQueue: ioQueue, handler: makeHandler()))
            }
        }
        if let address = resolveNumeric(host, port: port) { return open(address) }
        // Name resolution blocks, so it never runs on an I/O queue.
        resolverQueue.async {
            guard let address = resolve(host, port: port) else { return completion(.failure(.unresolvableHost(host))) }
            open(address)
        }
    }

    private static func connect(host: String, address: SocketAddress, secure: Bool, tls: TLSContext?, localAddress: SocketAddress?,
                                ioQueue: IOQueue, handler: any ConnectionHandler) -> Result<Connection, Failure> {
        var session: TLSSession?
        if secure {
            let context: TLSContext
            if let tls {
                context = tls
            } else {
                do {
                    context = try TLSContext(clientVerifyingPeer: true)
                } catch {
                    return .failure(.tls(error.message))
                }
            }
            guard let made = TLSSession(context: context, serverName: host) else {
                return .failure(.tls("cannot create a TLS session"))
            }
            session = made
        }
        let fd: Int32
        do {
            fd = try Socket.connect(to: address, from: localAddress)
        } catch {
            return .failure(.connectionFailed(error))
        }
        let connection = Connection(fd: fd, id: ids.increment(), ioQueue: ioQueue, remoteAddress: address, tls: session)
        connection.handler = handler
        connection.start()
        return .success(connection)
    }

    static func resolveNumeric(_ host: String, port: UInt16) -> SocketAddress? {
        if host == "localhost" { return SocketAddress(ip: "127.0.0.1", port: port) }
        return SocketAddress(ip: host, port: port)
    }

    static func resolve(_ host: String, port: UInt16) -> SocketAddress? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        return SocketAddress(storage: storage)
    }
}
