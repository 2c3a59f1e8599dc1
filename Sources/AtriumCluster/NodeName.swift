/// The rules for a node's name: it appears in nginx locations (`/node/NAME/`), in seats
/// and in the directory, so it is short and made of characters that need no escaping
/// anywhere: lower-case letters, digits and `-`, starting with a letter, at most 32.
public enum NodeName {
    public static let maxLength = 32

    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= maxLength, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        return name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "-")
        }
    }

    /// The path prefix nginx routes to this node, and under which the node also answers.
    public static func pathPrefix(_ name: String) -> String { "/node/\(name)" }
}
