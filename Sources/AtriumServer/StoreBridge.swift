import AtriumProtocol
import AtriumStore
import AtriumWorld
import Logging

/// Between a room and its store: the room's durable requests become writes and the
/// store's answers become outcomes, both pure and tested on their own; ``store`` runs
/// the write and hands the outcome to `complete`, which applies it on the room's queue.
struct StoreBridge: Sendable {
    let room: String
    let storage: any Storage
    let logger: Logger
    let complete: @Sendable (StoreTicket, StoreOutcome) -> Void

    /// Hands a durable write to the store. `address` is the requester's, for a guest's ban.
    func store(_ request: StoreRequest, ticket: StoreTicket, time: Int64, address: String?) {
        let write = Self.write(for: request, room: room, time: time, address: address)
        if case .audit(let record) = write {
            logger.notice("moderator action", metadata: ["moderator": "\(record.moderatorName)", "action": "\(record.action)",
                                                         "target": "\(record.target ?? "-")"])
        }
        storage.write(write) { [logger, complete] result in
            if case .failure(let error) = result { logger.error("store write failed", metadata: ["error": "\(error)"]) }
            if let outcome = Self.outcome(of: request, result, time: time) { complete(ticket, outcome) }
        }
    }

    static func write(for request: StoreRequest, room: String, time: Int64, address: String?) -> StorageWrite {
        switch request {
        case .reaction(let exhibit, let person, let kind, let on):
            return .reaction(ReactionRecord(room: room, exhibit: exhibit, person: person, kind: kind.rawValue, time: time), on: on)
        case .note(let exhibit, let authorID, let authorName, let person, let text):
            return .note(NoteRecord(id: 0, room: room, exhibit: exhibit, authorID: authorID, authorName: authorName,
                                    person: person, text: text, time: time))
        case .hideNote(let exhibit, let noteID, let moderator):
            return .hideNote(room: room, exhibit: exhibit, noteID: noteID, moderator: moderator, time: time)
        case .ban(_, let registrationID, let name, let reason, let moderator):
            // A guest has no registration; its address is what a later join can be known by.
            return .ban(BanRecord(room: room, registrationID: registrationID, address: registrationID == nil ? address : nil,
                                  name: name, reason: reason, moderator: moderator, time: time))
        case .audit(let moderator, let moderatorName, let action, let target, let detail):
            return .audit(AuditRecord(room: room, moderator: moderator, moderatorName: moderatorName, action: action,
                                      target: target, detail: detail, time: time))
        case .quizAnswers(let quiz, let title, let mode, let index, let question, let answer, let answers):
            return .quizAnswers(answers.map {
                QuizAnswerRecord(room: room, quiz: quiz, title: title, mode: mode.rawValue, questionIndex: index,
                                 question: question, answer: RoomEventMessages.side(answer), playerID: $0.playerID,
                                 playerName: $0.name, person: $0.person, chose: $0.chose.map(RoomEventMessages.side) ?? "none",
                                 correct: $0.correct, score: $0.score, time: time)
            })
        case .quizRanking(let quiz, let title, let mode, let ranking):
            return .quizRanking(ranking.map {
                QuizRankingRecord(room: room, quiz: quiz, title: title, mode: mode.rawValue, rank: $0.rank,
                                  playerName: $0.name, person: $0.person, score: $0.score, time: time)
            })
        }
    }

    /// What the room learns from the store's answer; nil when it waits for nothing
    /// (bans, audit and quiz records are written and forgotten).
    static func outcome(of request: StoreRequest, _ result: Result<StorageWriteResult, StorageError>, time: Int64) -> StoreOutcome? {
        switch (request, result) {
        case (_, .failure):
            return .failed("the server could not save it")
        case (.reaction(let exhibit, let person, let kind, let on), .success(.reaction(let changed))):
            return .reaction(exhibitID: exhibit, person: person, kind: kind, on: on, changed: changed)
        case (.note(let exhibit, let authorID, let authorName, _, let text), .success(.note(let id))):
            return .note(Note(id: id, exhibitID: exhibit, authorID: authorID, authorName: authorName, text: text, time: time))
        case (.hideNote(let exhibit, let noteID, _), .success(.hidden(let found))):
            return .noteHidden(exhibitID: exhibit, noteID: noteID, found: found)
        case (.ban, .success), (.audit, .success), (.quizAnswers, .success), (.quizRanking, .success):
            return nil
        case (.reaction, .success), (.note, .success), (.hideNote, .success):
            return .failed("unexpected store result")
        }
    }
}
