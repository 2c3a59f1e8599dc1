import CSQLite
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import AtriumStore

/// A fresh folder per test, removed afterwards.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "atrium-store-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        chmod(path, 0o700)
        try? FileManager.default.removeItem(atPath: path)
    }

    var database: String { path + "/" + SQLiteStorage.fileName }
}

final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

@Suite struct SQLiteStorageTests {
    private func write(_ storage: some Storage, _ write: StorageWrite) async throws -> StorageWriteResult {
        try await storage.write(write).get()
    }

    private func notes(_ storage: some Storage, before: Int64? = nil, limit: Int = 50) async throws -> [NoteRecord] {
        try await withCheckedThrowingContinuation { continuation in
            storage.notes(room: "hall", exhibit: "wall", before: before, limit: limit) { continuation.resume(with: $0) }
        }
    }

    private func note(_ text: String) -> StorageWrite {
        .note(NoteRecord(id: 0, room: "hall", exhibit: "wall", authorID: 7, authorName: "Mina", person: "reg-1", text: text, time: 1000))
    }

    @Test func createsTheSchemaFromEmptyInWALMode() throws {
        let folder = TemporaryFolder()
        let storage = try SQLiteStorage(directory: folder.path)
        let mode = try storage.read { try $0.query("PRAGMA journal_mode").first?.first?.text }
        let version = try storage.read { try $0.query("PRAGMA user_version").first?.first?.int }
        #expect(mode == "wal")
        #expect(version == Int64(Migrations.latest))
        var status = stat()
        stat(folder.path, &status)
        #expect(FileManager.default.fileExists(atPath: folder.database))
    }

    /// A database left at any earlier schema version, with data in it, is brought up to
    /// the latest version and keeps its data.
    @Test func migratesFromEveryEarlierVersion() async throws {
        for version in 1...Migrations.latest { try await migrates(from: version) }
    }

    private func migrates(from version: Int) async throws {
        let folder = TemporaryFolder()
        do {
            let database = try SQLiteDatabase(path: folder.database)
            for step in Migrations.steps.prefix(version) { try database.execute(step) }
            try database.execute("PRAGMA user_version = \(version)")
            try database.execute("""
                INSERT INTO notes (room, exhibit, author_id, author_name, person, text, time) VALUES ('hall', 'wall', 1, 'Old', 'p', 'kept', 5)
                """)
        }
        let storage = try SQLiteStorage(directory: folder.path)
        #expect(try storage.read { try $0.query("PRAGMA user_version").first?.first?.int } == Int64(Migrations.latest))
        #expect(try await notes(storage).map(\.text) == ["kept"])
    }

    @Test func refusesADatabaseFromANewerServer() throws {
        let folder = TemporaryFolder()
        do {
            let database = try SQLiteDatabase(path: folder.database)
            try database.execute("PRAGMA user_version = 999")
        }
        #expect(throws: StorageError.tooNew(path: folder.database, version: 999, known: Migrations.latest)) {
            _ = try SQLiteStorage(directory: folder.path)
        }
    }

    @Test func storesAndPagesNotesNewestFirstWithoutHiddenOnes() async throws {
        let folder = TemporaryFolder()
        let storage = try SQLiteStorage(directory: folder.path)
        var ids: [Int64] = []
        for index in 1...25 {
            guard case .note(let id) = try await write(storage, note("note \(index)")) else { Issue.record("no id"); return }
            ids.append(id)
        }
        #expect(try await write(storage, .hideNote(room: "hall", exhibit: "wall", noteID: ids[24], moderator: "mod", time: 2))
            == .hidden(found: true))
        #expect(try await write(storage, .hideNote(room: "hall", exhibit: "wall", noteID: ids[24], moderator: "mod", time: 2))
            == .hidden(found: false))
        let first = try await notes(storage, limit: 10)
        #expect(first.map(\.text) == (15...24).reversed().map { "note \($0)" })
        let second = try await notes(storage, before: first.last?.id, limit: 10)
        #expect(second.map(\.text) == (5...14).reversed().map { "note \($0)" })
        let loaded = try storage.loadExhibits(room: "hall", recentNotes: 3)
        #expect(loaded.recentNotes["wall"]?.map(\.text) == ["note 24", "note 23", "note 22"])
    }

    @Test func keepsOneReactionPerPersonAndKind() async throws {
        let folder = TemporaryFolder()
        let storage = try SQLiteStorage(directory: folder.path)
        let cheer = ReactionRecord(room: "hall", exhibit: "photo", person: "reg-1", kind: "cheer", time: 1)
        #expect(try await write(storage, .reaction(cheer, on: true)) == .reaction(changed: true))
        #expect(try await write(storage, .reaction(cheer, on: true)) == .reaction(changed: false))
        var other = cheer
        other.person = "reg-2"
        _ = try await write(storage, .reaction(other, on: true))
        #expect(try storage.loadExhibits(room: "hall", recentNotes: 0).reactions["photo"]?["cheer"] == ["reg-1", "reg-2"])
        #expect(try await write(storage, .reaction(cheer, on: false)) == .reaction(changed: true))
        #expect(try storage.loadExhibits(room: "hall", recentNotes: 0).reactions["photo"]?["cheer"] == ["reg-2"])
    }

    @Test func keepsChatUntilItIsPruned() async throws {
        let folder = TemporaryFolder()
        let storage = try SQLiteStorage(directory: folder.path)
        for time in [100, 200, 300] as [Int64] {
            _ = try await write(storage, .chat(ChatRecord(room: "hall", messageID: UInt64(time), senderID: 1, senderName: "A",
                                                            registrationID: nil, scope: "nearby", text: "t\(time)", recipients: 2, time: time)))
        }
        _ = try await write(storage, .pruneChat(before: 250))
        #expect(try storage.read { try $0.query("SELECT text FROM chat ORDER BY time").compactMap { $0.first?.text } } == ["t300"])
    }

    /// Many queues writing at once: every write completes, each exactly once, and all
    /// are in the database afterwards.
    @Test func acceptsConcurrentWritersAndBatchesThem() async throws {
        let folder = TemporaryFolder()
        let storage = try SQLiteStorage(directory: folder.path, configuration: .init(synchronousFull: false))
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
        #expect(try storage.read { try $0.query("SELECT COUNT(*) FROM notes").first?.first?.int } == 2000)
    }

    @Test func keepsRegistrationsBansAndTheAuditLogAcrossAReopen() async throws {
        let folder = TemporaryFolder()
        do {
            let storage = try SQLiteStorage(directory: folder.path)
            let registrations = [Registration(id: "r1", name: "Kim", email: "kim@example.org", role: "moderator", createdAt: 1),
                                 Registration(id: "r2", name: "Lee", email: nil, role: "participant", createdAt: 2)]
            _ = try await write(storage, .register(registrations))
            // All or none: a batch with a duplicate id stores nothing.
            let duplicate = Registration(id: "r1", name: "Again", email: nil, role: "participant", createdAt: 3)
            let fresh = Registration(id: "r3", name: "Park", email: nil, role: "participant", createdAt: 3)
            await #expect(throws: StorageError.self) { try await self.write(storage, .register([fresh, duplicate])) }
            _ = try await write(storage, .ban(BanRecord(room: "hall", registrationID: "r2", address: nil, name: "Lee", reason: "spam",
                                                        moderator: "r1", time: 5)))
            _ = try await write(storage, .ban(BanRecord(room: "hall", registrationID: nil, address: "10.0.0.9", name: "guest",
                                                        reason: nil, moderator: "r1", time: 6)))
            _ = try await write(storage, .audit(AuditRecord(room: "hall", moderator: "r1", moderatorName: "Kim", action: "ban",
                                                            target: "Lee", detail: "spam", time: 5)))
            #expect(try await write(storage, .revoke(idOrEmail: "kim@example.org", time: 9)) == .revoked(count: 1))
        }
        let storage = try SQLiteStorage(directory: folder.path)
        #expect(try storage.registrations().map(\.id) == ["r1", "r2"])
        #expect(try storage.registrations().first?.revokedAt == 9)
        func admission(_ registration: String?, _ address: String?) async throws -> Admission {
            try await withCheckedThrowingContinuation { continuation in
                storage.admission(registrationID: registration, address: address) { continuation.resume(with: $0) }
            }
        }
        #expect(try await admission("r2", nil).banned)
        #expect(try await !admission("r1", nil).banned)
        #expect(try await admission(nil, "10.0.0.9").banned)
        #expect(try await !admission(nil, "10.0.0.10").banned)
        #expect(try storage.read { try $0.query("SELECT action, target FROM audit").first?.compactMap(\.text) } == ["ban", "Lee"])
    }

    @Test func namesACorruptDatabaseFileInsteadOfCrashing() throws {
        let folder = TemporaryFolder()
        _ = FileManager.default.createFile(atPath: folder.database, contents: Data(repeating: 0x42, count: 8192))
        do {
            _ = try SQLiteStorage(directory: folder.path)
            Issue.record("opened garbage")
        } catch {
            guard case .corrupt(let path, _) = error else { Issue.record("expected corrupt, got \(error)"); return }
            #expect(path == folder.database)
            #expect(error.description.contains(folder.database))
        }
    }

    @Test func namesAnUnwritableDatabase() throws {
        let folder = TemporaryFolder()
        _ = try SQLiteStorage(directory: folder.path)
        // Root ignores file modes, so make the folder unusable instead: a file in its place.
        let blocked = folder.path + "/not-a-folder"
        _ = FileManager.default.createFile(atPath: blocked, contents: Data("x".utf8))
        do {
            _ = try SQLiteStorage(directory: blocked)
            Issue.record("opened a database under a file")
        } catch {
            guard case .cannotOpen(let path, _) = error else { Issue.record("expected cannotOpen, got \(error)"); return }
            #expect(path.hasPrefix(blocked))
        }
    }

    /// A full disk fails the write it hits, and the store keeps working for reads and
    /// for writes that fit.
    @Test func reportsAFullDatabaseOnTheWriteAndKeepsRunning() async throws {
        let folder = TemporaryFolder()
        let storage = try SQLiteStorage(directory: folder.path, configuration: .init(maxPageCount: 40))
        var failures = 0
        var stored = 0
        for index in 0..<400 {
            switch await storage.write(note(String(repeating: "가", count: 290) + "\(index)")) {
            case .success: stored += 1
            case .failure(let error):
                failures += 1
                #expect(error.description.contains("full"))
            }
        }
        #expect(stored > 0 && failures > 0)
        #expect(try await notes(storage, limit: 1).count == 1)
    }
}
