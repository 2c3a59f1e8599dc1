import AtriumPostgres

/// Which store to open and how: the SQLite database in the data folder (the default, one
/// process and no other service), or PostgreSQL when a `postgres://` URL is given. The
/// server and every command that touches the store (`invite`, `export`, `quiz`) open it
/// through this one place, so they agree.
public struct StoreOpener: Sendable {
    /// A `postgres://` or `postgresql://` URL; nil for SQLite.
    public var url: String?
    /// The data folder, where the SQLite database lives.
    public var dataDirectory: String
    /// SQLite: sync every commit (survives power loss). PostgreSQL: `synchronous_commit`.
    public var durableCommits: Bool
    /// SQLite: a cap on the database size in 4 KiB pages.
    public var maxDatabasePages: Int?
    /// PostgreSQL: connections for reads, besides the writer.
    public var postgresReaders: Int
    /// PostgreSQL: how long a request may wait, queued or in flight.
    public var postgresTimeout: Duration

    public init(url: String?, dataDirectory: String, durableCommits: Bool = true, maxDatabasePages: Int? = nil,
                postgresReaders: Int = 2, postgresTimeout: Duration = .seconds(15)) {
        self.url = url.flatMap { $0.isEmpty ? nil : $0 }
        self.dataDirectory = dataDirectory
        self.durableCommits = durableCommits
        self.maxDatabasePages = maxDatabasePages
        self.postgresReaders = postgresReaders
        self.postgresTimeout = postgresTimeout
    }

    /// Why `url` cannot name a store, or nil.
    public static func problem(url: String) -> String? {
        url.isEmpty ? nil : PostgresConfiguration(url: url).problem
    }

    /// `url` with any password masked, for messages and `config check`.
    public static func redacted(_ url: String) -> String {
        PostgresConfiguration.redact(url)
    }

    /// Where the store is, for messages (passwords masked).
    public var place: String {
        url.map(Self.redacted) ?? dataDirectory + "/" + SQLiteStorage.fileName
    }

    /// The PostgreSQL store's settings, when a URL is given.
    public var postgresConfiguration: PostgresStorage.Configuration? {
        url.map { url in
            let statementTimeout = postgresTimeout * 2 / 3
            return PostgresStorage.Configuration(connection: PostgresConfiguration(
                url: url, requestTimeout: postgresTimeout, statementTimeout: statementTimeout, synchronousCommit: durableCommits),
                readers: postgresReaders)
        }
    }

    /// Opens (creating or migrating as needed) the store.
    /// - Parameter onCommit: told each committed write's time from submit to commit, and its batch's size.
    public func open(onCommit: (@Sendable (Duration, Int) -> Void)? = nil) throws(StorageError) -> any Storage {
        if let postgres = postgresConfiguration {
            return try PostgresStorage(configuration: postgres, onCommit: onCommit)
        }
        return try SQLiteStorage(directory: dataDirectory,
                                 configuration: .init(synchronousFull: durableCommits, maxPageCount: maxDatabasePages),
                                 onCommit: onCommit)
    }
}
