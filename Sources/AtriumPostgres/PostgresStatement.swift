/// One SQL statement with its parameters, always bound (`$1`, `$2`, …), never spliced
/// into the text. Parameters travel in PostgreSQL's text format with their type named,
/// so the server never has to guess and an integer is never compared as text.
public struct PostgresStatement: Sendable, Equatable {
    public var sql: String
    public var parameters: [PostgresValue]

    public init(_ sql: String, _ parameters: [PostgresValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

/// A parameter value.
public enum PostgresValue: Sendable, Equatable {
    case int(Int64)
    case text(String)
    case bool(Bool)
    case null

    /// Optional text as text or NULL.
    public static func text(_ value: String?) -> PostgresValue {
        value.map { .text($0) } ?? .null
    }

    /// The type OID sent with the value (`pg_type.oid`): int8, text, bool; 0 lets the
    /// server infer the type of a NULL from where it is used.
    var typeOID: UInt32 {
        switch self {
        case .int: return 20
        case .text: return 25
        case .bool: return 16
        case .null: return 0
        }
    }

    /// The value in PostgreSQL's text format, without the terminating NUL; nil for NULL.
    var textFormat: String? {
        switch self {
        case .int(let value): return String(value)
        case .text(let value): return value
        case .bool(let value): return value ? "t" : "f"
        case .null: return nil
        }
    }
}
