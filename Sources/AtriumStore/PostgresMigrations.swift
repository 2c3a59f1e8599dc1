import AtriumPostgres

/// The PostgreSQL schema, as numbered steps of statements (pipeline mode takes one SQL
/// command per statement). `atrium_schema.version` records how many ran. Every step runs
/// in one transaction with its version bump, under an advisory lock, so nodes of a
/// cluster that start together migrate once, one after the other, and a failed step
/// leaves the previous version intact.
///
/// Timestamps are milliseconds since the Unix epoch in `bigint`, as in the SQLite schema.
enum PostgresMigrations {
    static let steps: [[String]] = [
        // 1: everything the SQLite store keeps: exhibits, chat, registration, moderation, the quiz.
        [
            """
            CREATE TABLE chat (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room text NOT NULL, message_id bigint NOT NULL,
                sender_id bigint NOT NULL, sender_name text NOT NULL, registration_id text, scope text NOT NULL,
                text text NOT NULL, recipients integer NOT NULL, time bigint NOT NULL)
            """,
            "CREATE INDEX chat_time ON chat (time)",
            """
            CREATE TABLE reactions (
                room text NOT NULL, exhibit text NOT NULL, person text NOT NULL, kind text NOT NULL, time bigint NOT NULL,
                PRIMARY KEY (room, exhibit, person, kind))
            """,
            """
            CREATE TABLE notes (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room text NOT NULL, exhibit text NOT NULL,
                author_id bigint NOT NULL, author_name text NOT NULL, person text NOT NULL, text text NOT NULL,
                time bigint NOT NULL, hidden_at bigint, hidden_by text)
            """,
            "CREATE INDEX notes_board ON notes (room, exhibit, id)",
            """
            CREATE TABLE registrations (
                id text PRIMARY KEY, name text NOT NULL, email text, role text NOT NULL,
                created_at bigint NOT NULL, revoked_at bigint)
            """,
            "CREATE INDEX registrations_email ON registrations (email)",
            """
            CREATE TABLE bans (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room text NOT NULL, registration_id text, address text,
                name text NOT NULL, reason text, moderator text NOT NULL, time bigint NOT NULL)
            """,
            "CREATE INDEX bans_registration ON bans (registration_id)",
            "CREATE INDEX bans_address ON bans (address)",
            """
            CREATE TABLE audit (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room text NOT NULL, moderator text NOT NULL,
                moderator_name text NOT NULL, action text NOT NULL, target text, detail text, time bigint NOT NULL)
            """,
            """
            CREATE TABLE quiz_answers (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room text NOT NULL, quiz text NOT NULL, title text NOT NULL,
                mode text NOT NULL, question_index integer NOT NULL, question text NOT NULL, answer text NOT NULL,
                player_id bigint NOT NULL, player_name text NOT NULL, person text NOT NULL, chose text NOT NULL,
                correct boolean NOT NULL, score integer NOT NULL, time bigint NOT NULL)
            """,
            """
            CREATE TABLE quiz_rankings (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, room text NOT NULL, quiz text NOT NULL, title text NOT NULL,
                mode text NOT NULL, rank integer NOT NULL, player_name text NOT NULL, person text NOT NULL,
                score integer NOT NULL, time bigint NOT NULL)
            """,
        ],
    ]

    static var latest: Int { steps.count }

    /// `pg_advisory_lock` key for migrations: "Atrium" in ASCII.
    static let lockKey: Int64 = 0x4174_7269_756D

    static let createVersionTable = [
        PostgresStatement("""
            CREATE TABLE IF NOT EXISTS atrium_schema (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version integer NOT NULL)
            """),
        PostgresStatement("INSERT INTO atrium_schema (singleton, version) VALUES (true, 0) ON CONFLICT DO NOTHING"),
        PostgresStatement("SELECT version FROM atrium_schema"),
    ]

    /// Brings the database up to ``latest``; `run` submits one transaction and waits for it.
    static func run(place: String, _ run: ([PostgresStatement]) throws(StorageError) -> [PostgresResult]) throws(StorageError) {
        _ = try run([PostgresStatement("SELECT pg_advisory_lock($1)", [.int(lockKey)])])
        defer { _ = try? run([PostgresStatement("SELECT pg_advisory_unlock($1)", [.int(lockKey)])]) }
        let version = Int(try run(createVersionTable)[2].rows.first?.int(0) ?? 0)
        guard version <= latest else { throw .tooNew(path: place, version: version, known: latest) }
        for index in version..<latest {
            do {
                _ = try run(steps[index].map { PostgresStatement($0) }
                            + [PostgresStatement("UPDATE atrium_schema SET version = $1", [.int(Int64(index + 1))])])
            } catch {
                throw .cannotOpen(path: place, detail: "migration to version \(index + 1) failed: \(error)")
            }
        }
    }
}
