/// A schema kept as numbered steps of statements (pipeline mode takes one SQL command per
/// statement), with a one-row table recording how many ran. Every step runs in one
/// transaction with its version bump, under a session advisory lock, so processes that
/// start together migrate once, one after the other, and a failed step leaves the
/// previous version intact. The store and the cluster directory each keep their own.
public struct PostgresSchema: Sendable {
    /// The version table's name: a plain lower-case identifier, since it is spliced into SQL.
    public let versionTable: String
    /// The `pg_advisory_lock` key that serializes migrations of this schema.
    public let lockKey: Int64
    public let steps: [[String]]

    public enum Failure: Error, Sendable, Equatable {
        /// The database was migrated further by a newer version of Atrium.
        case tooNew(version: Int, known: Int)
        /// A statement failed; `step` is the version it was migrating to, nil while reading the version.
        case failed(step: Int?, PostgresError)
    }

    public init(versionTable: String, lockKey: Int64, steps: [[String]]) {
        precondition(PostgresNotification.isValidChannel(versionTable), "a version table is a plain lower-case identifier")
        self.versionTable = versionTable
        self.lockKey = lockKey
        self.steps = steps
    }

    public var latest: Int { steps.count }

    /// Creates the version table if needed and reads the version; the last result's first row.
    public var createVersionTable: [PostgresStatement] {
        [
            PostgresStatement("""
                CREATE TABLE IF NOT EXISTS \(versionTable) (
                    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version integer NOT NULL)
                """),
            PostgresStatement("INSERT INTO \(versionTable) (singleton, version) VALUES (true, 0) ON CONFLICT DO NOTHING"),
            PostgresStatement("SELECT version FROM \(versionTable)"),
        ]
    }

    /// Brings the database up to ``latest`` on `connection`, blocking the calling thread
    /// (start-up only); returns the version found before.
    public func migrate(on connection: PostgresConnection) throws(Failure) -> Int {
        func run(_ statements: [PostgresStatement], step: Int?) throws(Failure) -> [PostgresResult] {
            do {
                return try connection.waitForTransaction(statements).get()
            } catch {
                throw .failed(step: step, error)
            }
        }
        _ = try run([PostgresStatement("SELECT pg_advisory_lock($1)", [.int(lockKey)])], step: nil)
        defer { _ = try? run([PostgresStatement("SELECT pg_advisory_unlock($1)", [.int(lockKey)])], step: nil) }
        let version = Int(try run(createVersionTable, step: nil)[2].rows.first?.int(0) ?? 0)
        guard version <= latest else { throw .tooNew(version: version, known: latest) }
        for index in version..<latest {
            _ = try run(steps[index].map { PostgresStatement($0) }
                        + [PostgresStatement("UPDATE \(versionTable) SET version = $1", [.int(Int64(index + 1))])], step: index + 1)
        }
        return version
    }
}
