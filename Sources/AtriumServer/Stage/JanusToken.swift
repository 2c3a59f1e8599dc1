import Foundation

/// Janus's signed tokens (`token_auth_secret`, Janus 1.1 `src/auth.c`): comma-separated
/// fields — an expiry in Unix seconds, a realm, then descriptors — a colon, and the standard
/// base64 (with padding) of the HMAC-SHA1 of the fields under the shared secret. Janus
/// refuses a token whose signature does not match or whose expiry has passed; a field may
/// hold neither a comma nor a colon.
public enum JanusToken {
    public static let videoRoomPlugin = "janus.plugin.videoroom"

    /// `EXPIRY,janus,janus.plugin.videoroom:SIGNATURE`: lets its holder make Janus API requests
    /// and attach to the VideoRoom plugin (realm `janus`, the plugin as descriptor).
    public static func core(expires: Int64, secret: String) -> String {
        sign([String(expires), "janus", videoRoomPlugin], secret: secret)
    }

    /// `EXPIRY,janus.plugin.videoroom,room=ROOM[,EXTRA…]:SIGNATURE`: lets its holder join one
    /// VideoRoom created with `signed_tokens` (realm the plugin, descriptor `room=ROOM`). The
    /// extra descriptors make a token unique to its holder, so it can go on and come off the
    /// room's `allowed` list on its own.
    public static func room(_ room: UInt64, expires: Int64, secret: String, extra: [String] = []) -> String {
        sign([String(expires), videoRoomPlugin, "room=\(room)"] + extra, secret: secret)
    }

    static func sign(_ fields: [String], secret: String) -> String {
        precondition(fields.allSatisfy { !$0.contains(",") && !$0.contains(":") }, "a Janus token field holds a comma or colon")
        let data = fields.joined(separator: ",")
        return data + ":" + Data(KeyedDigest.sha1(key: Array(secret.utf8), message: Array(data.utf8))).base64EncodedString()
    }
}
