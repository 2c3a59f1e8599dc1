import FoundationEssentials

/// The one shape of every signed value Atrium hands out (join tokens, seats, resume
/// tickets): `<kind>.<payload>.<signature>`, the payload base64url JSON and the
/// signature the HMAC of `<kind>.<payload>` under the shared secret. The kind is signed
/// too, so a value of one kind is never accepted as another.
public enum SignedToken {
    /// The longest token read; anything longer is refused before any work.
    public static let maxLength = 2048

    public enum Refusal: Error, Sendable, Equatable {
        /// Not three parts, the wrong kind, not base64url, too long, or a payload that is
        /// not the expected JSON (the last only after the signature passed).
        case malformed
        /// The signature does not match: another secret, or a tampered payload.
        case forged
    }

    public static func sign(_ payload: some Encodable, kind: String, signer: some MessageSigner) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(payload)).map { [UInt8]($0) } ?? []
        let body = kind + "." + Base64URL.encode(json)
        return body + "." + Base64URL.encode(signer.signature(of: Array(body.utf8)))
    }

    /// Checks the signature first, in constant time; nothing in the payload is read
    /// before it passes.
    public static func verify<Payload: Decodable>(_ text: String, kind: String, as type: Payload.Type,
                                                  signer: some MessageSigner) throws(Refusal) -> Payload {
        guard text.utf8.count <= maxLength else { throw .malformed }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == kind, let signature = Base64URL.decode(String(parts[2])) else { throw .malformed }
        let body = Array("\(kind).\(parts[1])".utf8)
        guard signer.matches(signer.signature(of: body), signature) else { throw .forged }
        guard let json = Base64URL.decode(String(parts[1])),
              let payload = try? JSONDecoder().decode(Payload.self, from: Data(json)) else { throw .malformed }
        return payload
    }
}
