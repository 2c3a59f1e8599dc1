import COpenSSL
import Foundation

/// The key that signs join tokens: 32 random bytes in `server.secret` in the data folder,
/// made on first start with mode 0600 so only the server's user can read it.
public struct ServerSecret: Sendable {
    public static let fileName = "server.secret"
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case cannotCreate(String)

        public var description: String {
            switch self {
            case .unreadable(let detail), .cannotCreate(let detail): return detail
            }
        }
    }

    /// Loads the secret, creating it (exclusively, 0600) when it does not exist yet.
    public static func loadOrCreate(dataDirectory: String) throws(Failure) -> ServerSecret {
        let path = (dataDirectory as NSString).appendingPathComponent(fileName)
        if let existing = FileManager.default.contents(atPath: path) {
            guard existing.count == 32 else { throw .unreadable("\(path) is not a 32-byte secret; move it away to make a new one") }
            return ServerSecret(bytes: [UInt8](existing))
        }
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotCreate("cannot create \(dataDirectory): \(error.localizedDescription)")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard RAND_bytes(&bytes, 32) == 1 else { throw .cannotCreate("no random bytes from OpenSSL") }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            // Another process made it first: use theirs.
            if errno == EEXIST, let raced = FileManager.default.contents(atPath: path), raced.count == 32 {
                return ServerSecret(bytes: [UInt8](raced))
            }
            throw .cannotCreate("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        guard write(fd, bytes, 32) == 32, fsync(fd) == 0 else { throw .cannotCreate("cannot write \(path)") }
        return ServerSecret(bytes: bytes)
    }

    /// HMAC-SHA256 of `message`.
    func sign(_ message: [UInt8]) -> [UInt8] {
        KeyedDigest.sha256(key: bytes, message: message)
    }

    /// Compares in constant time, so a forger learns nothing from how long a refusal takes.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { left in b.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, a.count) == 0 } }
    }
}
