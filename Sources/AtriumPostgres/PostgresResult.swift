/// What one statement returned: its rows in PostgreSQL's text format and, for INSERT,
/// UPDATE and DELETE, how many rows it touched.
public struct PostgresResult: Sendable, Equatable {
    public var columns: [String]
    public var rows: [PostgresRow]
    /// `PQcmdTuples`: rows inserted, updated, deleted or selected; 0 for other commands.
    public var affectedRows: Int

    public init(columns: [String] = [], rows: [PostgresRow] = [], affectedRows: Int = 0) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
    }
}

/// One row: each column's text, nil for NULL.
public struct PostgresRow: Sendable, Equatable {
    public var values: [String?]

    public init(_ values: [String?]) {
        self.values = values
    }

    public subscript(column: Int) -> String? { values[column] }

    public func text(_ column: Int) -> String? { values[column] }

    /// An integer column; nil for NULL or text that is not one.
    public func int(_ column: Int) -> Int64? { values[column].flatMap { Int64($0) } }

    /// A boolean column (`t` or `f`); nil for NULL.
    public func bool(_ column: Int) -> Bool? { values[column].map { $0 == "t" } }
}
