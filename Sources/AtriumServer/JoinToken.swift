import Foundation

/// A personal join token: `v1.<payload>.<signature>`, the payload base64url JSON
/// {`reg`, `rooms`, `exp`} and the signature its HMAC-SHA256 under the server's secret.
/// It says who (the registration) and where and until when; what the person may do (the
/// role) and whether they may still come (revocation, bans) is looked up at join time.
public struct JoinToken: Sendable, Equatable, Codable {
    public var registration: String
    /// Room ids, or ["*"] for every room.
    public var rooms: [String]
    /// Unix seconds.
    public var expires: Int64

    enum CodingKeys: String, CodingKey {
        case registration = "reg"
        case rooms
        case expires = "exp"
    }

    public init(registration: String, rooms: [String], expires: Int64) {
        self.registration = registration
        self.rooms = rooms
        self.expires = expires
    }

    /// Why a token was refused; all of them reach the client as `bad_token`.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed
        case forged
        case expired
        case wrongRoom

        public var description: String {
            switch self {
            case .malformed: return "the join token is not a valid token"
            case .forged: return "the join token was not issued by this server"
            case .expired: return "the join token has expired"
            case .wrongRoom: return "the join token is not for this room"
            }
        }
    }

    public func signed(with secret: ServerSecret) -> String {
        let payload = (try? JSONEncoder().encode(self)).map { [UInt8]($0) } ?? []
        let body = "v1." + Base64URL.encode(payload)
        return body + "." + Base64URL.encode(secret.sign(Array(body.utf8)))
    }

    /// Checks signature, expiry and room. The signature is checked first and in constant
    /// time; nothing in the payload is trusted before it passes.
    public static func verify(_ text: String, secret: ServerSecret, room: String, now: Int64) throws(Refusal) -> JoinToken {
        guard text.utf8.count <= 1024 else { throw .malformed }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let signature = Base64URL.decode(String(parts[2])) else { throw .malformed }
        let body = Array("v1.\(parts[1])".utf8)
        guard ServerSecret.constantTimeEqual(secret.sign(body), signature) else { throw .forged }
        guard let payload = Base64URL.decode(String(parts[1])),
              let token = try? JSONDecoder().decode(JoinToken.self, from: Data(payload)) else { throw .malformed }
        guard token.expires > now else { throw .expired }
        guard token.rooms.contains("*") || token.rooms.contains(room) else { throw .wrongRoom }
        return token
    }
}

/// Base64 with the URL alphabet and no padding (RFC 4648 §5), for links.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), text.allSatisfy(\.isASCII) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }
}
