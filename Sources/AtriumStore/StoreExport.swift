import Foundation

/// Everything organizers take home after the event: notes (hidden ones marked), reactions
/// and, once the quiz has run, its results. Read through the store's reader connections,
/// so it can run while the server serves.
public struct StoreExport: Sendable, Codable {
    public var notes: [NoteRecord]
    public var reactions: [ReactionRecord]
    public var quizAnswers: [QuizAnswerRecord]
    public var quizRankings: [QuizRankingRecord]

    public init(notes: [NoteRecord], reactions: [ReactionRecord], quizAnswers: [QuizAnswerRecord] = [],
                quizRankings: [QuizRankingRecord] = []) {
        self.notes = notes
        self.reactions = reactions
        self.quizAnswers = quizAnswers
        self.quizRankings = quizRankings
    }

    public static func read(from storage: any Storage, room: String? = nil) throws(StorageError) -> StoreExport {
        try storage.export(room: room)
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
        files.merge(quizCSV()) { first, _ in first }
        return files
    }

    /// The quiz's tables alone, for `quiz export`.
    public func quizCSV() -> [String: String] {
        [
            "quiz-answers.csv": CSV.document(
                header: ["room", "quiz", "title", "mode", "question", "question_text", "answer", "player_id", "player", "chose",
                         "correct", "score", "time_ms"],
                rows: quizAnswers.map { [$0.room, $0.quiz, $0.title, $0.mode, String($0.questionIndex + 1), $0.question, $0.answer,
                                         String($0.playerID), $0.playerName, $0.chose, $0.correct ? "yes" : "no", String($0.score),
                                         String($0.time)] }),
            "quiz-rankings.csv": CSV.document(
                header: ["room", "quiz", "title", "mode", "rank", "player", "score", "time_ms"],
                rows: quizRankings.map { [$0.room, $0.quiz, $0.title, $0.mode, String($0.rank), $0.playerName, String($0.score),
                                          String($0.time)] }),
        ]
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
