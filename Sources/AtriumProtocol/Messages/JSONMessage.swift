import FoundationEssentials

/// The `{"type": …, fields…}` shape shared by every JSON message.
public enum JSONMessage {
    private struct Envelope: Decodable {
        var type: String
    }

    /// Encodes `value`'s fields with `type` added, keys sorted for stable bytes.
    public static func encode(_ type: String, _ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var bytes = Array(#"{"type":"\#(type)""#.utf8)
        if body.count > 2 {
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: body.dropFirst())
        } else {
            bytes.append(UInt8(ascii: "}"))
        }
        return bytes
    }

    /// The `type` of a JSON object, or nil when `bytes` are not one with a `type` string.
    public static func type(of bytes: [UInt8]) -> String? {
        try? JSONDecoder().decode(Envelope.self, from: Data(bytes)).type
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }

    /// Reads the `type`, then decodes the whole object with `decode`, which returns nil
    /// for a type this side does not know.
    static func decode<Message>(_ bytes: [UInt8], _ decode: (String, Data, JSONDecoder) throws -> Message?)
        throws(MessageDecodingError) -> Message
    {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        let type: String
        do {
            type = try decoder.decode(Envelope.self, from: data).type
        } catch {
            throw .malformed("expected a JSON object with a \"type\" string")
        }
        let message: Message?
        do {
            message = try decode(type, data, decoder)
        } catch {
            throw .malformed("fields of \"\(type)\" are missing or of the wrong type")
        }
        guard let message else { throw .unknownType(type) }
        return message
    }

    /// A registry list as a table keyed by `type`. Two messages of one direction with
    /// the same `type` are a programming error, caught when the table is first used.
    static func table<Entry>(_ types: [Entry], name: (Entry) -> String) -> [String: Entry] {
        var table: [String: Entry] = [:]
        for type in types {
            let key = name(type)
            precondition(table[key] == nil, "two messages are called \"\(key)\"")
            table[key] = type
        }
        return table
    }
}

extension WireMessage {
    static func decoded(from data: Data, by decoder: JSONDecoder) throws -> Self {
        try decoder.decode(Self.self, from: data)
    }
}

/// Why a JSON message could not be decoded. The server answers with ``code``; the
/// ``message`` says what was wrong without echoing much of the input.
public enum MessageDecodingError: Error, Sendable, Equatable {
    case malformed(String)
    case unknownType(String)

    /// How much of an unknown `type` the error message quotes back: enough to recognize
    /// a typo, never a whole hostile payload.
    public static let maxQuotedTypeLength = 40

    public var code: ErrorCode {
        switch self {
        case .malformed: return .badMessage
        case .unknownType: return .unknownType
        }
    }

    public var message: String {
        switch self {
        case .malformed(let detail): return "malformed message: \(detail)"
        case .unknownType(let type): return "unknown message type \"\(type.prefix(Self.maxQuotedTypeLength))\""
        }
    }
}
