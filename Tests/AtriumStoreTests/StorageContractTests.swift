import AtriumPostgres
import AtriumPostgresTestSupport
import Foundation
import Testing
@testable import AtriumStore

/// The stores the contract runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }
}

/// A store under test, with a way to reopen it (a restart) and to look at its tables
/// where the protocol has no read (chat, bans, the audit log).
final class StoreFixture: @unchecked Sendable {
    let kind: StoreKind
    private(set) var storage: any Storage
    private let folder: TemporaryFolder?
    private let url: String?

    init(_ kind: StoreKind) async throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            let folder = TemporaryFolder()
            self.folder = folder
            url = nil
            storage = try SQLiteStorage(directory: folder.path, configuration: .init(synchronousFull: false))
        case .postgres:
            let url = try await PostgresTestServer.shared().makeDatabase()
            self.url = url
            folder = nil
            storage = try PostgresStorage(configuration: .init(url: url))
        }
    }

    deinit {
        (storage as? PostgresStorage)?.close()
    }

    /// Closes the store and opens it again on the same data.
    func reopen() throws {
        (storage as? PostgresStorage)?.close()
        switch kind {
        case .sqlite: storage = try SQLiteStorage(directory: folder!.path, configuration: .init(synchronousFull: false))
        case .postgres: storage = try PostgresStorage(configuration: .init(url: url!))
        }
    }

    /// Rows of a plain SELECT (the same SQL in both dialects), every value as text.
    func rows(_ sql: String) async throws -> [[String?]] {
        switch kind {
        case .sqlite:
            let sqlite = storage as! SQLiteStorage
            return try sqlite.read { database in
                try database.query(sql).map { row in
                    row.map { value -> String? in
                        switch value {
                        case .int(let number): return String(number)
                        case .text(let text): return text
                        case .null: return nil
                        }
                    }
                }
            }
        case .postgres:
            let connection = PostgresConnection(configuration: PostgresConfiguration(url: url!))
            connection.start()
            defer { connection.close() }
            return try await connection.query(PostgresStatement(sql)).rows.map(\.values)
        }
    }
}

/// One contract, both stores: every operation of ``Storage``, its ordering and paging
/// rules, export, atomicity and durability across a reopen.
@Suite struct StorageContractTests {
    private func write(_ fixture: StoreFixture, _ write: StorageWrite) async throws -> StorageWriteResult {
        try await fixture.storage.write(write).get()
    }

    private func notes(_ fixture: StoreFixture, room: String = "hall", exhibit: String = "wall", before: Int64? = nil,
                       limit: Int = 50) async throws -> [NoteRecord] {
        try await withCheckedThrowingContinuation { continuation in
            fixture.storage.notes(room: room, exhibit: exhibit, before: before, limit: limit) { continuation.resume(with: $0) }
        }
    }

    private func admission(_ fixture: StoreFixture, _ registration: String?, _ address: String?) async throws -> Admission {
        try await withCheckedThrowingContinuation { continuation in
            fixture.storage.admission(registrationID: registration, address: address) { continuation.resume(with: $0) }
        }
    }

    static func note(_ text: String, room: String = "hall", exhibit: String = "wall", time: Int64 = 1000) -> StorageWrite {
        .note(NoteRecord(id: 0, room: room, exhibit: exhibit, authorID: 7, authorName: "Mina", person: "reg-1", text: text, time: time))
    }

    @Test(arguments: StoreKind.allCases)
    func storesAndPagesNotesNewestFirstWithoutHiddenOnes(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        var ids: [Int64] = []
        for index in 1...25 {
            guard case .note(let id) = try await write(fixture, Self.note("note \(index)")) else { Issue.record("no id"); return }
            ids.append(id)
        }
        #expect(ids == ids.sorted() && Set(ids).count == 25)
        #expect(try await write(fixture, .hideNote(room: "hall", exhibit: "wall", noteID: ids[24], moderator: "mod", time: 2))
            == .hidden(found: true))
        #expect(try await write(fixture, .hideNote(room: "hall", exhibit: "wall", noteID: ids[24], moderator: "mod", time: 2))
            == .hidden(found: false))
        // A note is hidden only on its own board.
        #expect(try await write(fixture, .hideNote(room: "hall", exhibit: "other", noteID: ids[23], moderator: "mod", time: 2))
            == .hidden(found: false))
        let first = try await notes(fixture, limit: 10)
        #expect(first.map(\.text) == (15...24).reversed().map { "note \($0)" })
        #expect(first.first == NoteRecord(id: ids[23], room: "hall", exhibit: "wall", authorID: 7, authorName: "Mina", person: "reg-1",
                                          text: "note 24", time: 1000))
        let second = try await notes(fixture, before: first.last?.id, limit: 10)
        #expect(second.map(\.text) == (5...14).reversed().map { "note \($0)" })
        let last = try await notes(fixture, before: second.last?.id, limit: 10)
        #expect(last.map(\.text) == (1...4).reversed().map { "note \($0)" })
        #expect(try await notes(fixture, limit: 0).isEmpty)
        #expect(try await notes(fixture, limit: -3).isEmpty)
        #expect(try await notes(fixture, exhibit: "elsewhere").isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func loadsEachBoardsNewestVisibleNotesAndTheReactionsOfOneRoom(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        for index in 1...5 { _ = try await write(fixture, Self.note("wall \(index)")) }
        for index in 1...2 { _ = try await write(fixture, Self.note("desk \(index)", exhibit: "desk")) }
        _ = try await write(fixture, Self.note("elsewhere", room: "annex"))
        guard case .note(let hidden) = try await write(fixture, Self.note("gone", exhibit: "secret")) else { return }
        _ = try await write(fixture, .hideNote(room: "hall", exhibit: "secret", noteID: hidden, moderator: "m", time: 1))
        _ = try await write(fixture, .reaction(ReactionRecord(room: "hall", exhibit: "photo", person: "p1", kind: "cheer", time: 1), on: true))
        _ = try await write(fixture, .reaction(ReactionRecord(room: "annex", exhibit: "photo", person: "p2", kind: "cheer", time: 1), on: true))
        let loaded = try fixture.storage.loadExhibits(room: "hall", recentNotes: 3)
        #expect(loaded.recentNotes.mapValues { $0.map(\.text) } == ["wall": ["wall 5", "wall 4", "wall 3"], "desk": ["desk 2", "desk 1"]])
        #expect(loaded.reactions == ["photo": ["cheer": ["p1"]]])
        #expect(try fixture.storage.loadExhibits(room: "hall", recentNotes: 0).recentNotes.isEmpty)
        #expect(try fixture.storage.loadExhibits(room: "nowhere", recentNotes: 3) == StoredExhibits())
    }

    @Test(arguments: StoreKind.allCases)
    func keepsOneReactionPerPersonAndKind(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let cheer = ReactionRecord(room: "hall", exhibit: "photo", person: "reg-1", kind: "cheer", time: 1)
        #expect(try await write(fixture, .reaction(cheer, on: true)) == .reaction(changed: true))
        #expect(try await write(fixture, .reaction(cheer, on: true)) == .reaction(changed: false))
        var other = cheer
        other.person = "reg-2"
        _ = try await write(fixture, .reaction(other, on: true))
        var like = cheer
        like.kind = "like"
        _ = try await write(fixture, .reaction(like, on: true))
        #expect(try fixture.storage.loadExhibits(room: "hall", recentNotes: 0).reactions["photo"] == ["cheer": ["reg-1", "reg-2"], "like": ["reg-1"]])
        #expect(try await write(fixture, .reaction(cheer, on: false)) == .reaction(changed: true))
        #expect(try await write(fixture, .reaction(cheer, on: false)) == .reaction(changed: false))
        #expect(try fixture.storage.loadExhibits(room: "hall", recentNotes: 0).reactions["photo"]?["cheer"] == ["reg-2"])
    }

    @Test(arguments: StoreKind.allCases)
    func keepsChatUntilItIsPruned(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        for time in [100, 200, 300] as [Int64] {
            _ = try await write(fixture, .chat(ChatRecord(room: "hall", messageID: UInt64.max - UInt64(time), senderID: 1, senderName: "A",
                                                          registrationID: time == 100 ? "r1" : nil, scope: "nearby", text: "t\(time)",
                                                          recipients: 2, time: time)))
        }
        #expect(try await fixture.rows("SELECT text, registration_id, message_id FROM chat ORDER BY time")
            == [["t100", "r1", String(Int64(bitPattern: UInt64.max - 100))], ["t200", nil, String(Int64(bitPattern: UInt64.max - 200))],
                ["t300", nil, String(Int64(bitPattern: UInt64.max - 300))]])
        #expect(try await write(fixture, .pruneChat(before: 250)) == .done)
        #expect(try await fixture.rows("SELECT text FROM chat ORDER BY time") == [["t300"]])
    }

    /// Many queues writing at once: every write completes, each exactly once, and all
    /// are stored afterwards, ids in commit order.
    @Test(arguments: StoreKind.allCases)
    func acceptsConcurrentWritersAndBatchesThem(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let storage = fixture.storage
        let completed = Counter()
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<250 {
                        let result = await storage.write(.note(NoteRecord(id: 0, room: "hall", exhibit: "wall", authorID: UInt32(writer),
                                                                          authorName: "w", person: "p\(writer)",
                                                                          text: "\(writer)-\(index)", time: Int64(index))))
                        if case .success(.note) = result { completed.add() }
                    }
                }
            }
        }
        #expect(completed.value == 2000)
        #expect(try await fixture.rows("SELECT COUNT(*), COUNT(DISTINCT id) FROM notes") == [["2000", "2000"]])
        // Each writer's notes were committed in the order it wrote them.
        let texts = try await fixture.rows("SELECT text FROM notes WHERE author_id = 3 ORDER BY id").map { $0[0] ?? "" }
        #expect(texts == (0..<250).map { "3-\($0)" })
    }

    /// A write the database refuses fails alone; the writes batched with it are stored.
    @Test(arguments: StoreKind.allCases)
    func failsARefusedWriteAloneAndKeepsItsNeighbours(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let storage = fixture.storage
        _ = try await write(fixture, .register([Registration(id: "r1", name: "Kim", email: nil, role: "participant", createdAt: 1)]))
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<40 {
                group.addTask {
                    let write: StorageWrite = index % 10 == 5
                        ? .register([Registration(id: "r1", name: "Again \(index)", email: nil, role: "participant", createdAt: 2)])
                        : Self.note("n\(index)")
                    if case .success = await storage.write(write) { return (index, true) }
                    return (index, false)
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.filter { !$0.value }.keys.sorted() == [5, 15, 25, 35])
        #expect(try await fixture.rows("SELECT COUNT(*) FROM notes") == [["36"]])
        #expect(try fixture.storage.registrations().map(\.name) == ["Kim"])
    }

    @Test(arguments: StoreKind.allCases)
    func keepsRegistrationsBansAndTheAuditLogAcrossAReopen(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let registrations = [Registration(id: "r1", name: "Kim", email: "kim@example.org", role: "moderator", createdAt: 1),
                             Registration(id: "r2", name: "Lee", email: nil, role: "participant", createdAt: 2)]
        _ = try await write(fixture, .register(registrations))
        // All or none: a batch with a duplicate id stores nothing.
        let duplicate = Registration(id: "r1", name: "Again", email: nil, role: "participant", createdAt: 3)
        let fresh = Registration(id: "r3", name: "Park", email: nil, role: "participant", createdAt: 3)
        await #expect(throws: StorageError.self) { try await self.write(fixture, .register([fresh, duplicate])) }
        #expect(try await write(fixture, .register([])) == .done)
        _ = try await write(fixture, .ban(BanRecord(room: "hall", registrationID: "r2", address: nil, name: "Lee", reason: "spam",
                                                    moderator: "r1", time: 5)))
        _ = try await write(fixture, .ban(BanRecord(room: "hall", registrationID: nil, address: "10.0.0.9", name: "guest",
                                                    reason: nil, moderator: "r1", time: 6)))
        _ = try await write(fixture, .audit(AuditRecord(room: "hall", moderator: "r1", moderatorName: "Kim", action: "ban",
                                                        target: "Lee", detail: "spam", time: 5)))
        #expect(try await write(fixture, .revoke(idOrEmail: "kim@example.org", time: 9)) == .revoked(count: 1))
        #expect(try await write(fixture, .revoke(idOrEmail: "r1", time: 10)) == .revoked(count: 0))
        #expect(try await write(fixture, .revoke(idOrEmail: "nobody", time: 10)) == .revoked(count: 0))

        try fixture.reopen()
        #expect(try fixture.storage.registrations() == [
            Registration(id: "r1", name: "Kim", email: "kim@example.org", role: "moderator", createdAt: 1, revokedAt: 9),
            Registration(id: "r2", name: "Lee", email: nil, role: "participant", createdAt: 2),
        ])
        #expect(try await admission(fixture, "r2", nil) == Admission(registration: registrations[1], banned: true))
        #expect(try await admission(fixture, "r1", nil).banned == false)
        #expect(try await admission(fixture, "r1", nil).registration?.revokedAt == 9)
        #expect(try await admission(fixture, "r9", nil) == Admission(registration: nil, banned: false))
        #expect(try await admission(fixture, nil, "10.0.0.9").banned)
        #expect(try await admission(fixture, nil, "10.0.0.10").banned == false)
        // A ban by address is for guests: someone with a registration is judged by it.
        #expect(try await admission(fixture, "r1", "10.0.0.9").banned == false)
        #expect(try await admission(fixture, nil, nil) == Admission(registration: nil, banned: false))
        #expect(try await fixture.rows("SELECT action, target, detail FROM audit") == [["ban", "Lee", "spam"]])
        #expect(try await fixture.rows("SELECT registration_id, address, reason FROM bans ORDER BY time")
            == [["r2", nil, "spam"], [nil, "10.0.0.9", nil]])
    }

    /// Registrations come in creation order, then by name byte by byte (not by the
    /// database's locale), then by id.
    @Test(arguments: StoreKind.allCases)
    func listsRegistrationsByCreationThenNameThenID(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let people = [("b", "Zoe", 5), ("a", "Zoe", 5), ("c", "zed", 5), ("d", "Émile", 5), ("e", "Yun", 1)]
        _ = try await write(fixture, .register(people.map { Registration(id: $0.0, name: $0.1, email: nil, role: "participant",
                                                                           createdAt: Int64($0.2)) }))
        #expect(try fixture.storage.registrations().map(\.id) == ["e", "a", "b", "c", "d"])
    }

    @Test(arguments: StoreKind.allCases)
    func exportsNotesReactionsAndQuizResultsInTheirOrder(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        try await Self.writeEvent(into: fixture.storage)
        let export = try fixture.storage.export(room: nil)
        #expect(export.notes.map(\.text) == ["first", "second", "annex note"])
        #expect(export.notes.map(\.hidden) == [false, true, false])
        #expect(export.reactions.map { "\($0.room)/\($0.exhibit)/\($0.kind)/\($0.person)" }
            == ["annex/photo/cheer/p3", "hall/comic/like/p1", "hall/photo/cheer/p2", "hall/photo/cheer/p1", "hall/photo/like/p1"])
        #expect(export.quizAnswers.map(\.playerName) == ["Ann", "Bo", "Ann"])
        #expect(export.quizAnswers.first == Self.answer(0, "Ann", correct: true))
        #expect(export.quizRankings.map(\.rank) == [1, 2])
        let hall = try fixture.storage.export(room: "hall")
        #expect(hall.notes.map(\.text) == ["first", "second"])
        #expect(hall.reactions.allSatisfy { $0.room == "hall" } && hall.reactions.count == 4)
        #expect(try fixture.storage.export(room: "nowhere").notes.isEmpty)
        // StoreExport's own reader goes through the same method.
        #expect(try StoreExport.read(from: fixture.storage, room: "annex").notes.map(\.text) == ["annex note"])
    }

    /// The same writes give the same export, byte for byte, whichever store keeps them.
    @Test func bothStoresExportTheSameDocumentForTheSameWrites() async throws {
        var documents: [Data] = []
        for kind in StoreKind.allCases {
            let fixture = try await StoreFixture(kind)
            try await Self.writeEvent(into: fixture.storage)
            documents.append(try fixture.storage.export(room: nil).json())
        }
        #expect(documents[0] == documents[1])
        #expect(documents[0].count > 500)
    }

    @Test(arguments: StoreKind.allCases)
    func flushWaitsForEveryWriteSubmittedBeforeIt(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let completed = Counter()
        for index in 0..<300 {
            fixture.storage.write(Self.note("n\(index)")) { result in if case .success = result { completed.add() } }
        }
        let storage = fixture.storage
        await Task.detached { storage.flush() }.value
        #expect(completed.value == 300)
    }

    static func answer(_ index: Int, _ name: String, correct: Bool) -> QuizAnswerRecord {
        QuizAnswerRecord(room: "hall", quiz: "q1", title: "Policy quiz", mode: "survival", questionIndex: index,
                         question: "Is \"failure\" final?", answer: "X", playerID: UInt32(name.count), playerName: name,
                         person: "p-\(name)", chose: correct ? "X" : "O", correct: correct, score: correct ? 10 : 0, time: 500 + Int64(index))
    }

    /// A small event's worth of writes of every kind.
    static func writeEvent(into storage: any Storage) async throws {
        for write: StorageWrite in [
            note("first", time: 10),
            note("second", time: 20),
            note("annex note", room: "annex", time: 30),
            .hideNote(room: "hall", exhibit: "wall", noteID: 2, moderator: "m", time: 40),
            .reaction(ReactionRecord(room: "hall", exhibit: "photo", person: "p1", kind: "cheer", time: 7), on: true),
            .reaction(ReactionRecord(room: "hall", exhibit: "photo", person: "p2", kind: "cheer", time: 3), on: true),
            .reaction(ReactionRecord(room: "hall", exhibit: "photo", person: "p1", kind: "like", time: 1), on: true),
            .reaction(ReactionRecord(room: "hall", exhibit: "comic", person: "p1", kind: "like", time: 9), on: true),
            .reaction(ReactionRecord(room: "annex", exhibit: "photo", person: "p3", kind: "cheer", time: 2), on: true),
            .reaction(ReactionRecord(room: "hall", exhibit: "comic", person: "p9", kind: "like", time: 9), on: true),
            .reaction(ReactionRecord(room: "hall", exhibit: "comic", person: "p9", kind: "like", time: 9), on: false),
            .quizAnswers([answer(0, "Ann", correct: true), answer(0, "Bo", correct: false)]),
            .quizAnswers([answer(1, "Ann", correct: true)]),
            .quizRanking([QuizRankingRecord(room: "hall", quiz: "q1", title: "Policy quiz", mode: "survival", rank: 1, playerName: "Ann",
                                            person: "p-Ann", score: 20, time: 600),
                          QuizRankingRecord(room: "hall", quiz: "q1", title: "Policy quiz", mode: "survival", rank: 2, playerName: "Bo",
                                            person: "p-Bo", score: 0, time: 600)]),
        ] {
            _ = try await storage.write(write).get()
        }
    }
}
