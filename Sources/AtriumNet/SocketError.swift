#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call, with the call's name and `errno`, for logs and start-up errors.
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    public var call: String
    public var errno: Int32

    public init(_ call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The error of the call that just failed.
    static func last(_ call: String) -> SocketError {
        SocketError(call, errno: Glibc.errno)
    }

    public var description: String {
        "\(call): \(String(cString: strerror(errno)))"
    }
}
