import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// Statements into libpq and results out of it: the only place that builds libpq's
/// parameter arrays or reads a `PGresult`. Called on a connection's queue.
enum PostgresWire {
    /// Why a transaction cannot be sent, or nil.
    static func problem(in statements: [PostgresStatement]) -> PostgresError? {
        guard !statements.isEmpty else { return PostgresError(.invalidParameter, "a transaction needs at least one statement") }
        for (index, statement) in statements.enumerated() {
            guard statement.parameters.count <= Int(UInt16.max) else {
                return PostgresError(.invalidParameter, "more than 65535 parameters", statementIndex: index)
            }
            for case .text(let text) in statement.parameters where text.utf8.contains(0) {
                return PostgresError(.invalidParameter, "a text parameter contains a NUL character", statementIndex: index)
            }
        }
        return nil
    }

    /// Queues one statement in libpq's output buffer, parameters in text format with their types.
    static func send(_ statement: PostgresStatement, on connection: OpaquePointer) -> Bool {
        var bytes: [UInt8] = []
        var offsets: [Int?] = []
        for value in statement.parameters {
            guard let text = value.textFormat else {
                offsets.append(nil)
                continue
            }
            offsets.append(bytes.count)
            bytes.append(contentsOf: text.utf8)
            bytes.append(0)
        }
        let types = statement.parameters.map(\.typeOID)
        return bytes.withUnsafeBufferPointer { buffer in
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset.map { UnsafeRawPointer(buffer.baseAddress! + $0).assumingMemoryBound(to: CChar.self) }
            }
            return PQsendQueryParams(connection, statement.sql, Int32(types.count), types, values, nil, nil, 0) == 1
        }
    }

    static func event(_ result: OpaquePointer?) -> PostgresPipeline<UInt64>.Event {
        guard let result else { return .endOfStatement }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            let columns = (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) }
            let rows = (0..<PQntuples(result)).map { row in
                PostgresRow((0..<Int32(columns.count)).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
            }
            return .result(PostgresResult(columns: columns, rows: rows, affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0))
        case PGRES_PIPELINE_SYNC:
            return .sync
        case PGRES_PIPELINE_ABORTED:
            return .aborted
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            func field(_ code: Character) -> String? {
                PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
            }
            let message = field("M") ?? String(cString: PQresultErrorMessage(result))
            return .failure(PostgresError(.server, message, sqlState: field("C"), detail: field("D")))
        default:
            return .failure(PostgresError(.protocolViolation, "unexpected result status \(PQresultStatus(result).rawValue)"))
        }
    }


    /// A NULL-terminated array of C strings for libpq's keyword/value interface.
    static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        var storage: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { storage.forEach { free($0) } }
        storage.append(nil)
        return storage.map { UnsafePointer($0) }.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
