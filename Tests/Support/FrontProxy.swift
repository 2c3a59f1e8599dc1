import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What nginx does in front of a cluster, in-process for tests: `/node/NAME/…` goes to
/// that node with the prefix stripped, everything else to the node the test names as
/// `front` (nginx would pick any live one). Bytes are spliced both ways after the request
/// head, so WebSocket upgrades pass through. Blocking sockets on threads: a few clients.
public final class FrontProxy: Sendable {
    public let port: UInt16
    private let listener: Int32
    private let state: Mutex<(front: String, open: Set<Int32>)>
    private let nodes: [String: UInt16]

    /// Listens on a free loopback port; `front` takes what names no node.
    public init(nodes: [String: UInt16], front: String) throws {
        self.nodes = nodes
        state = Mutex((front, []))
        let bound = try listenOnLoopback()
        listener = bound.fd
        port = bound.port
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Where requests that name no node go from now on.
    public func route(anyTo node: String) {
        state.withLock { $0.front = node }
    }

    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in state.withLock({ $0.open }) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func drop(_ fd: Int32) {
        close(fd)
    }

    private func serve(_ client: Int32) {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while headEnd(head) == nil && head.count < 16 * 1024 {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { return drop(client) }
            head.append(contentsOf: buffer[0..<count])
        }
        let line = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count == 3 else { return drop(client) }
        var target = String(parts[1])
        var node = state.withLock { $0.front }
        if target.hasPrefix("/node/") {
            let rest = target.dropFirst("/node/".count)
            node = String(rest.prefix { $0 != "/" })
            target = String(rest.dropFirst(node.count))
        }
        guard let port = nodes[node] else { return drop(client) }
        let rewritten = Array("\(parts[0]) \(target) \(parts[2])".utf8) + head.drop { $0 != 13 }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            _ = Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8).withUnsafeBytes {
                write(client, $0.baseAddress, $0.count)
            }
            drop(upstream)
            return drop(client)
        }
        state.withLock { $0.open.formUnion([client, upstream]) }
        _ = rewritten.withUnsafeBytes { write(upstream, $0.baseAddress, $0.count) }
        let done = DispatchGroup()
        for (from, to) in [(client, upstream), (upstream, client)] {
            done.enter()
            Thread {
                var chunk = [UInt8](repeating: 0, count: 64 * 1024)
                while true {
                    let count = read(from, &chunk, chunk.count)
                    if count <= 0 { break }
                    var sent = 0
                    while sent < count {
                        let wrote = chunk[sent..<count].withUnsafeBytes { write(to, $0.baseAddress, $0.count) }
                        if wrote <= 0 { break }
                        sent += wrote
                    }
                    if sent < count { break }
                }
                shutdown(to, Int32(SHUT_WR))
                done.leave()
            }.start()
        }
        done.wait()
        state.withLock { $0.open.subtract([client, upstream]) }
        close(client)
        close(upstream)
    }
}

/// A blocking IPv4 listening socket on a free loopback port: its descriptor and port.
public func listenOnLoopback(backlog: Int32 = 64) throws -> (fd: Int32, port: UInt16) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && listen(fd, backlog) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else {
        close(fd)
        throw POSIXError(.EADDRINUSE)
    }
    return (fd, UInt16(bigEndian: address.sin_port))
}
