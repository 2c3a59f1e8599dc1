/// One element of a `Sec-WebSocket-Extensions` header (RFC 6455 §9.1): an extension
/// name with its parameters, in the order the peer wrote them.
public struct WebSocketExtensionElement: Sendable, Equatable {
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var value: String?

        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    public var parameters: [Parameter]

    public init(name: String, parameters: [Parameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Parses every header line's elements in order; nil if any element is malformed,
    /// since a garbled offer is declined as a whole rather than guessed at.
    public static func parse(_ headerValues: [String]) -> [WebSocketExtensionElement]? {
        var elements: [WebSocketExtensionElement] = []
        for value in headerValues {
            for rawElement in splitOutsideQuotes(value, separator: ",") {
                let trimmed = rawElement.trimmingSpaces
                if trimmed.isEmpty { continue }
                let parts = splitOutsideQuotes(trimmed, separator: ";").map(\.trimmingSpaces)
                guard let name = parts.first, isToken(name) else { return nil }
                var parameters: [Parameter] = []
                for part in parts.dropFirst() {
                    if let equals = part.firstIndex(of: "=") {
                        let key = String(part[..<equals]).trimmingSpaces
                        var value = String(part[part.index(after: equals)...]).trimmingSpaces
                        if value.hasPrefix("\"") {
                            guard value.count >= 2, value.hasSuffix("\"") else { return nil }
                            value = String(value.dropFirst().dropLast())
                        }
                        guard isToken(key), isToken(value) else { return nil }
                        parameters.append(Parameter(name: key.lowercased(), value: value))
                    } else {
                        guard isToken(part) else { return nil }
                        parameters.append(Parameter(name: part.lowercased()))
                    }
                }
                elements.append(WebSocketExtensionElement(name: name.lowercased(), parameters: parameters))
            }
        }
        return elements
    }

    /// The element as it is written in a header.
    public var headerValue: String {
        var text = name
        for parameter in parameters {
            text += "; " + parameter.name
            if let value = parameter.value { text += "=" + value }
        }
        return text
    }

    private static func splitOutsideQuotes(_ text: String, separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == separator && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// RFC 7230 token characters.
    static func isToken(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
