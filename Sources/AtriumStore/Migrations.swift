/// The schema, as numbered steps. `PRAGMA user_version` records how many ran; at start
/// the missing ones run in one transaction each, so a database from any earlier version
/// is brought up to date and a crash mid-migration leaves the previous version intact.
enum Migrations {
    static let steps: [String] = [
        // 1: exhibits and chat.
        """
        CREATE TABLE chat (
            id INTEGER PRIMARY KEY, room TEXT NOT NULL, message_id INTEGER NOT NULL, sender_id INTEGER NOT NULL,
            sender_name TEXT NOT NULL, registration_id TEXT, scope TEXT NOT NULL, text TEXT NOT NULL,
            recipients INTEGER NOT NULL, time INTEGER NOT NULL);
        CREATE INDEX chat_time ON chat(time);
        CREATE TABLE reactions (
            room TEXT NOT NULL, exhibit TEXT NOT NULL, person TEXT NOT NULL, kind TEXT NOT NULL, time INTEGER NOT NULL,
            PRIMARY KEY (room, exhibit, person, kind)) WITHOUT ROWID;
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY, room TEXT NOT NULL, exhibit TEXT NOT NULL, author_id INTEGER NOT NULL,
            author_name TEXT NOT NULL, person TEXT NOT NULL, text TEXT NOT NULL, time INTEGER NOT NULL,
            hidden_at INTEGER, hidden_by TEXT);
        CREATE INDEX notes_board ON notes(room, exhibit, id);
        """,
        // 2: registration, moderation and the quiz.
        """
        CREATE TABLE registrations (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT, role TEXT NOT NULL,
            created_at INTEGER NOT NULL, revoked_at INTEGER);
        CREATE INDEX registrations_email ON registrations(email);
        CREATE TABLE bans (
            id INTEGER PRIMARY KEY, room TEXT NOT NULL, registration_id TEXT, address TEXT, name TEXT NOT NULL,
            reason TEXT, moderator TEXT NOT NULL, time INTEGER NOT NULL);
        CREATE INDEX bans_registration ON bans(registration_id);
        CREATE INDEX bans_address ON bans(address);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY, room TEXT NOT NULL, moderator TEXT NOT NULL, moderator_name TEXT NOT NULL,
            action TEXT NOT NULL, target TEXT, detail TEXT, time INTEGER NOT NULL);
        CREATE TABLE quiz_answers (
            id INTEGER PRIMARY KEY, room TEXT NOT NULL, quiz TEXT NOT NULL, title TEXT NOT NULL, mode TEXT NOT NULL,
            question_index INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, player_id INTEGER NOT NULL,
            player_name TEXT NOT NULL, person TEXT NOT NULL, chose TEXT NOT NULL, correct INTEGER NOT NULL,
            score INTEGER NOT NULL, time INTEGER NOT NULL);
        CREATE TABLE quiz_rankings (
            id INTEGER PRIMARY KEY, room TEXT NOT NULL, quiz TEXT NOT NULL, title TEXT NOT NULL, mode TEXT NOT NULL,
            rank INTEGER NOT NULL, player_name TEXT NOT NULL, person TEXT NOT NULL, score INTEGER NOT NULL,
            time INTEGER NOT NULL);
        """,
    ]

    static var latest: Int { steps.count }

    static func run(on database: SQLiteDatabase) throws(StorageError) {
        let version: Int
        do {
            version = Int(try database.query("PRAGMA user_version").first?.first?.int ?? 0)
        } catch {
            throw .corrupt(path: database.path, detail: "\(error)")
        }
        guard version <= latest else { throw .tooNew(path: database.path, version: version, known: latest) }
        for index in version..<latest {
            do {
                try database.execute("BEGIN IMMEDIATE")
                try database.execute(steps[index])
                try database.execute("PRAGMA user_version = \(index + 1)")
                try database.execute("COMMIT")
            } catch {
                try? database.execute("ROLLBACK")
                throw .cannotOpen(path: database.path, detail: "migration to version \(index + 1) failed: \(error)")
            }
        }
    }
}
