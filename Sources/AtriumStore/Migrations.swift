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
