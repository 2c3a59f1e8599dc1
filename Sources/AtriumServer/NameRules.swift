import Foundation

/// The rules for display names, applied at the edge before a name reaches a room.
public enum NameRules {
    public static let maxCharacters = 32
    /// The wire carries a name in at most 255 bytes with room for a " 99" suffix; 32
    /// characters of combined emoji could exceed that, so bytes are bounded too.
    public static let maxBytes = 96

    public enum Violation: Error, Equatable, Sendable {
        case empty
        case tooLong
        case controlCharacters

        public var message: String {
            switch self {
            case .empty: return "a name needs at least one visible character"
            case .tooLong: return "a name has at most \(NameRules.maxCharacters) characters (\(NameRules.maxBytes) bytes of UTF-8)"
            case .controlCharacters: return "a name may not contain control characters"
            }
        }
    }

    /// NFC-normalizes and trims the name, then checks it: 1–32 characters with at least
    /// one visible, and no control characters or bidirectional overrides.
    public static func validate(_ raw: String) -> Result<String, Violation> {
        let name = raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        for scalar in name.unicodeScalars {
            if scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value) {
                return .failure(.controlCharacters)
            }
        }
        let visible = name.unicodeScalars.contains { !$0.properties.isWhitespace && $0.properties.generalCategory != .format }
        guard !name.isEmpty, visible else { return .failure(.empty) }
        guard name.count <= maxCharacters, name.utf8.count <= maxBytes else { return .failure(.tooLong) }
        return .success(name)
    }
}
