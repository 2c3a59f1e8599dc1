import Foundation

/// Everything organizers take home after the event: notes (hidden ones marked), reactions
/// and, once the quiz has run, its results. Read through the store's reader connection,
/// so it can run while the server serves.
public struct StoreExport: Sendable, Codable {
    public var notes: [NoteRecord]
    public var reactions: [ReactionRecord]

    public init(notes: [NoteRecord], reactions: [ReactionRecord]) {
        self.notes = notes
        self.reactions = reactions
    }

    public static func read(from storage: SQLiteStorage, room: String? = nil) throws(StorageError) -> StoreExport {
        try storage.read { database in
            let filter = room.map { SQLiteDatabase.Value.text($0) }
            let roomClause = filter == nil ? "" : " WHERE room = ?"
            let noteRows = try database.query("""
                SELECT id, room, exhibit, author_id, author_name, person, text, time, hidden_at FROM notes\(roomClause) ORDER BY id
                """, filter.map { [$0] } ?? [])
            let notes = noteRows.map { row in
                NoteRecord(id: row[0].int ?? 0, room: row[1].text ?? "", exhibit: row[2].text ?? "",
                           authorID: UInt32(truncatingIfNeeded: row[3].int ?? 0), authorName: row[4].text ?? "",
                           person: row[5].text ?? "", text: row[6].text ?? "", time: row[7].int ?? 0, hidden: row[8].int != nil)
            }
            let reactionRows = try database.query("""
                SELECT room, exhibit, person, kind, time FROM reactions\(roomClause) ORDER BY room, exhibit, kind, time
                """, filter.map { [$0] } ?? [])
            let reactions = reactionRows.map { row in
                ReactionRecord(room: row[0].text ?? "", exhibit: row[1].text ?? "", person: row[2].text ?? "",
                               kind: row[3].text ?? "", time: row[4].int ?? 0)
            }
            return StoreExport(notes: notes, reactions: reactions)
        }
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// One CSV document per table (RFC 4180: quoted fields, doubled quotes, CRLF lines).
    public func csv() -> [String: String] {
        var files: [String: String] = [:]
        files["notes.csv"] = CSV.document(
            header: ["id", "room", "exhibit", "author_id", "author_name", "text", "time_ms", "hidden"],
            rows: notes.map { [String($0.id), $0.room, $0.exhibit, String($0.authorID), $0.authorName, $0.text, String($0.time),
                               $0.hidden ? "yes" : "no"] })
        files["reactions.csv"] = CSV.document(
            header: ["room", "exhibit", "person", "reaction", "time_ms"],
            rows: reactions.map { [$0.room, $0.exhibit, $0.person, $0.kind, String($0.time)] })
        return files
    }
}

/// Writing CSV the way spreadsheets read it.
public enum CSV {
    public static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
