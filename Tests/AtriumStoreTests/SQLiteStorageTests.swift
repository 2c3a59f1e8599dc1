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
