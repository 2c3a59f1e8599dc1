import AtriumWebSocket

/// A short-lived TURN credential in the REST scheme that coturn checks with
/// `use-auth-secret` (draft-uberti-behave-turn-rest): the username is `expiry:user`, the
/// expiry in Unix seconds, and the password is base64(HMAC-SHA1(secret, username)).
///
/// Atrium and coturn share only the secret. coturn recomputes the password from the
/// username and refuses an expiry in the past, so a credential cannot outlive its time to
/// live or be moved to another name, and nothing has to be stored or revoked.
public struct TurnCredential: Sendable, Equatable {
    public var username: String
    public var password: String
    /// Unix seconds after which coturn refuses it.
    public var expires: Int64

    public init(username: String, password: String, expires: Int64) {
        self.username = username
        self.password = password
        self.expires = expires
    }

    /// Mints the credential of `user` (an avatar, for coturn's logs), valid `ttl` seconds
    /// from `now` (Unix seconds).
    public static func mint(secret: [UInt8], user: String, now: Int64, ttl: Int64) -> TurnCredential {
        let expires = now + max(1, ttl)
        let username = "\(expires):\(user)"
        return TurnCredential(username: username, password: Base64.encode(KeyedDigest.sha1(key: secret, message: Array(username.utf8))),
                              expires: expires)
    }
}
