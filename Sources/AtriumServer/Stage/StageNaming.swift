/// The VideoRoom number and secret of an Atrium room, derived from the room id and the
/// Janus secret. Derived rather than stored, so a restarted Atrium finds and manages the
/// rooms it made before, and two Atriums with different secrets on one Janus never meet.
enum StageNaming {
    /// A positive number below 2^53, so browsers hold it exactly as a JavaScript number.
    static func roomNumber(for roomID: String, secret: String) -> UInt64 {
        let digest = KeyedDigest.sha256(key: Array(secret.utf8), message: Array(("atrium-stage-room:" + roomID).utf8))
        let number = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & ((1 << 53) - 1)
        return max(number, 1)
    }

    /// The room's own secret (kicks, edits, its allowed list): known only to Atrium.
    static func roomSecret(for room: UInt64, secret: String) -> String {
        let digest = KeyedDigest.sha256(key: Array(secret.utf8), message: Array("atrium-stage-room-secret:\(room)".utf8))
        return digest.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
