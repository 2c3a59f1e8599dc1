import AtriumPostgres

/// The store's PostgreSQL schema, as numbered steps run by ``PostgresSchema``;
/// `atrium_schema.version` records how many ran.
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

    /// `pg_advisory_lock` key for migrations: "Atrium" in ASCII.
    static let schema = PostgresSchema(versionTable: "atrium_schema", lockKey: 0x4174_7269_756D, steps: steps)

    static var latest: Int { schema.latest }

    static var createVersionTable: [PostgresStatement] { schema.createVersionTable }

    /// Brings the database up to ``latest``, blocking the calling thread (start-up).
    static func run(place: String, on connection: PostgresConnection) throws(StorageError) {
        do {
            _ = try schema.migrate(on: connection)
        } catch {
            switch error {
            case .tooNew(let version, let known): throw .tooNew(path: place, version: version, known: known)
            case .failed(let step?, let error): throw .cannotOpen(path: place, detail: "migration to version \(step) failed: \(error)")
            case .failed(nil, let error): throw .cannotOpen(path: place, detail: error.description)
            }
        }
    }
}
