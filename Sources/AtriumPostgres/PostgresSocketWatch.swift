import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Read and write readiness of libpq's socket, as two Dispatch sources on a duplicate of
/// the descriptor.
///
/// The duplicate is what makes this safe: libpq closes its socket when it likes (a failed
/// attempt, a second address, `PQfinish`), and a Dispatch source must never outlive its
/// descriptor or watch a number the kernel has handed to someone else. The duplicate is
/// ours alone and is closed only in the sources' cancel handlers, after Dispatch has let
/// go of it. libpq may also move to a new socket while connecting (TLS or GSS refused, the
/// next host): ``isWatching(_:)`` compares the socket itself, not its number, which the
/// new socket may well reuse.
///
/// Used only on the connection's queue, which is also the sources' queue.
final class PostgresSocketWatch {
    private let fd: Int32
    private let identity: (device: UInt64, inode: UInt64)
    private let read: any DispatchSourceRead
    private let write: any DispatchSourceWrite
    private(set) var readArmed = false
    private(set) var writeArmed = false
    private var cancelled = false

    /// Nil when the descriptor cannot be duplicated (out of descriptors).
    init?(libpqSocket: Int32, queue: DispatchQueue, onReadable: @escaping () -> Void, onWritable: @escaping () -> Void) {
        guard libpqSocket >= 0, let identity = Self.identity(of: libpqSocket) else { return nil }
        let fd = fcntl(libpqSocket, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.identity = identity
        read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        write = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        read.setEventHandler(handler: onReadable)
        write.setEventHandler(handler: onWritable)
        // Both cancel handlers run on the queue; the second one closes the duplicate.
        var remaining = 2
        let release = {
            remaining -= 1
            if remaining == 0 { _ = close(fd) }
        }
        read.setCancelHandler(handler: release)
        write.setCancelHandler(handler: release)
    }

    /// Whether `socket` is the socket being watched (the same kernel object).
    func isWatching(_ socket: Int32) -> Bool {
        guard let other = Self.identity(of: socket) else { return false }
        return other == identity
    }

    /// Which readiness to be told about.
    func arm(read wantsRead: Bool, write wantsWrite: Bool) {
        guard !cancelled else { return }
        if wantsRead != readArmed {
            wantsRead ? read.resume() : read.suspend()
            readArmed = wantsRead
        }
        if wantsWrite != writeArmed {
            wantsWrite ? write.resume() : write.suspend()
            writeArmed = wantsWrite
        }
    }

    /// Stops watching; the duplicate closes once Dispatch is done with it.
    func cancel() {
        guard !cancelled else { return }
        cancelled = true
        read.cancel()
        write.cancel()
        // A suspended (or never activated) source runs its cancel handler only once resumed.
        if !readArmed { read.resume() }
        if !writeArmed { write.resume() }
    }

    private static func identity(of fd: Int32) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }
}
