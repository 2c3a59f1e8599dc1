/// Signs bytes with the cluster's shared secret (HMAC-SHA256 in the server), so that what
/// one node signs every node can check. Kept abstract here so the rules around signed
/// values stay free of OpenSSL and testable with any signer.
public protocol MessageSigner: Sendable {
    func signature(of message: [UInt8]) -> [UInt8]
    /// Compares two signatures in constant time.
    func matches(_ a: [UInt8], _ b: [UInt8]) -> Bool
}
