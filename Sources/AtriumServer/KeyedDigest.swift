import COpenSSL

/// HMAC (RFC 2104) through OpenSSL: SHA-1 where a peer checks it (Janus 1.1's tokens, coturn's
/// TURN REST credentials), SHA-256 where Atrium chooses (join tokens, stage room names).
enum KeyedDigest {
    static func sha1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        hmac(EVP_sha1(), length: 20, key: key, message: message)
    }

    static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        hmac(EVP_sha256(), length: 32, key: key, message: message)
    }

    private static func hmac(_ function: OpaquePointer?, length: Int, key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: length)
        var written = UInt32(length)
        _ = key.withUnsafeBytes { key in
            message.withUnsafeBytes { data in
                HMAC(function, key.baseAddress, Int32(key.count), data.baseAddress?.assumingMemoryBound(to: UInt8.self),
                     data.count, &digest, &written)
            }
        }
        return digest
    }
}
