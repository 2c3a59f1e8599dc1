/// Cleaning of user text that others will see: chat, status lines, notes.
public enum TextRules {
    /// The most UTF-8 a length-prefixed (`u8`) field of the state message holds: status lines.
    public static let maxFieldBytes = 255

    /// Removes control characters (Unicode Cc) and the bidirectional overrides that can
    /// make text display reversed, then trims surrounding whitespace. Fails when nothing
    /// is left or more than `maxCharacters` characters (or `maxBytes` of UTF-8) remain.
    /// `maxBytes` is for text that travels in a length-prefixed binary field.
    public static func clean(_ text: String, maxCharacters: Int, maxBytes: Int = .max) -> Result<String, RoomError> {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isRemoved(scalar) {
            cleaned.append(scalar)
        }
        let result = String(cleaned).trimmingWhitespace
        guard !result.isEmpty else { return .failure(.textInvalid) }
        guard result.count <= maxCharacters, result.utf8.count <= maxBytes else {
            return .failure(.textTooLong(limit: maxCharacters))
        }
        return .success(result)
    }

    static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.generalCategory == .control { return true }
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }
}
