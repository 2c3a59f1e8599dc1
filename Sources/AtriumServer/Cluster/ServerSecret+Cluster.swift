import AtriumCluster
import Foundation

/// The shared secret signs seats and resume tickets the same way it signs join tokens.
extension ServerSecret: MessageSigner {
    public func signature(of message: [UInt8]) -> [UInt8] { sign(message) }

    public func matches(_ a: [UInt8], _ b: [UInt8]) -> Bool { Self.constantTimeEqual(a, b) }

    /// Reads a cluster's shared secret: exactly 32 bytes, made once by the operator
    /// (`head -c 32 /dev/urandom > cluster.secret`) and copied to every node.
    public static func load(file path: String) throws(Failure) -> ServerSecret {
        guard let bytes = FileManager.default.contents(atPath: path) else { throw .unreadable("cannot read \(path)") }
        guard bytes.count == 32 else { throw .unreadable("\(path) must hold exactly 32 bytes, not \(bytes.count)") }
        return ServerSecret(bytes: [UInt8](bytes))
    }
}
