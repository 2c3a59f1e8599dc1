#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address with a port, as the socket calls want it.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable {
        case ipv4
        case ipv6
    }

    public let family: Family
    /// The address bytes in network order: 4 for IPv4, 16 for IPv6.
    public let addressBytes: [UInt8]
    public let port: UInt16

    init(family: Family, addressBytes: [UInt8], port: UInt16) {
        self.family = family
        self.addressBytes = addressBytes
        self.port = port
    }

    /// Parses a numeric address ("127.0.0.1", "::1"); host names are not resolved here.
    public init?(ip: String, port: UInt16) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 {
            family = .ipv4
            addressBytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, ip, &v6) == 1 {
            family = .ipv6
            addressBytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
        self.port = port
    }

    init?(storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self) }
            family = .ipv4
            addressBytes = withUnsafeBytes(of: address.sin_addr) { Array($0) }
            port = UInt16(bigEndian: address.sin_port)
        case AF_INET6:
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self) }
            family = .ipv6
            addressBytes = withUnsafeBytes(of: address.sin6_addr) { Array($0) }
            port = UInt16(bigEndian: address.sin6_port)
        default:
            return nil
        }
    }

    /// The address without the port, e.g. for per-IP limits. An IPv4-mapped IPv6 address
    /// is shown as IPv4 so that one client is counted once whichever socket it used.
    public var ipString: String {
        switch family {
        case .ipv4:
            return addressBytes.map(String.init).joined(separator: ".")
        case .ipv6:
            if addressBytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] {
                return addressBytes.suffix(4).map(String.init).joined(separator: ".")
            }
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: addressBytes) }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
            return String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
        }
    }

    public var description: String {
        family == .ipv6 && !ipString.contains(".") ? "[\(ipString)]:\(port)" : "\(ipString):\(port)"
    }

    /// Calls `body` with this address as a `sockaddr` pointer and its length.
    public func withSocketAddress<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withSockAddr(body)
    }

    /// Calls `body` with this address as a `sockaddr` pointer and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch family {
        case .ipv4:
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: addressBytes) }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6:
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: addressBytes) }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}
