#if canImport(Glibc)
import Glibc
#endif

/// Thin wrappers over the socket calls this layer needs. Every socket is non-blocking and
/// close-on-exec from the moment it exists.
enum Socket {
    /// Ignores SIGPIPE for the process: a peer that vanishes mid-write must produce EPIPE,
    /// not kill the server. Sends also pass MSG_NOSIGNAL, this covers everything else.
    static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }

    static func makeListener(_ address: SocketAddress, backlog: Int32) throws(SocketError) -> Int32 {
        let domain = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .last("socket") }
        do throws(SocketError) {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if address.family == .ipv6 {
                // Keep the IPv6 socket to IPv6 so the IPv4 one can bind the same port.
                try setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1)
            }
            let bound = address.withSockAddr { bind(fd, $0, $1) }
            guard bound == 0 else { throw .last("bind \(address)") }
            guard listen(fd, backlog) == 0 else { throw .last("listen") }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// The port the kernel chose when binding port 0.
    static func localPort(_ fd: Int32) -> UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return SocketAddress(storage: storage)?.port
    }

    /// Accepts one pending connection; nil when none is waiting (EAGAIN).
    static func accept(_ listener: Int32) throws(SocketError) -> (fd: Int32, address: SocketAddress?)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
        }
        if fd < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED { return nil }
            throw .last("accept")
        }
        // Glibc's module does not export accept4, so the flags are set afterwards.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return (fd, SocketAddress(storage: storage))
    }

    /// Starts a non-blocking connect; completion is signalled by writability. With a
    /// `source`, the socket is bound to that local address first (port 0: any port).
    static func connect(to address: SocketAddress, from source: SocketAddress? = nil) throws(SocketError) -> Int32 {
        let domain = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .last("socket") }
        if let source, source.withSockAddr({ Glibc.bind(fd, $0, $1) }) != 0 {
            let error = SocketError.last("bind \(source)")
            close(fd)
            throw error
        }
        let result = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if result != 0 && errno != EINPROGRESS {
            let error = SocketError.last("connect \(address)")
            close(fd)
            throw error
        }
        try? setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        return fd
    }

    /// The outcome of a non-blocking connect once the socket became writable.
    static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length)
        return value
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(SocketError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .last("setsockopt")
        }
    }
}
