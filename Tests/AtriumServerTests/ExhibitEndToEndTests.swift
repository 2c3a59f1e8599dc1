import AtriumClient
import AtriumProtocol
import AtriumServer
import AtriumStore
import AtriumTestSupport
import AtriumWorld
import Testing

/// Exhibits through the whole server: the plaza's photo at (46, 10) and its board at
/// (46, 16), both with radius 3.
@Suite(.serialized) struct ExhibitEndToEndTests {
    private func place(_ recorded: RecordedClient, tileX: Int, tileY: Int, on harness: ServerHarness) async throws {
        let id = recorded.id
        harness.server.rooms["plaza"]!.submit(.place(avatarID: id, Position(tileX: tileX, tileY: tileY)))
        try await recorded.waitUntil("placed") { world in
            world.position(of: id, at: world.tick).map { $0.x / 64 == tileX && $0.y / 64 == tileY } ?? false
        }
    }

    @Test func opensReactsAndSharesTheCountsLive() async throws {
        let harness = try ServerHarness()
        let visitor = try await harness.joined("Visitor", room: "plaza")
        let friend = try await harness.joined("Friend", room: "plaza")
        await #expect(throws: AtriumClientError.rejected(.tooFar, "walk closer to the exhibit first")) {
            _ = try await visitor.client.openExhibit("plaza-photo")
        }
        try await place(visitor, tileX: 44, tileY: 10, on: harness)
        try await place(friend, tileX: 42, tileY: 12, on: harness)
        let exhibit = try await visitor.client.openExhibit("plaza-photo")
        #expect(exhibit.kind == "photo" && exhibit.title == "Plaza photo")
        #expect(exhibit.content == ["/maps/plaza/photo.svg"])
        #expect(exhibit.state.viewers == 1)

        let reacted = try await visitor.client.react(.cheer, on: "plaza-photo")
        #expect(reacted.state.reactions["cheer"] == 1)
        // The friend nearby sees the count change without opening anything.
        _ = try await friend.events.first(within: .seconds(5), "the new count") {
            if case .exhibit(let message) = $0, let state = message as? ServerMessages.ExhibitState { return state.reactions["cheer"] == 1 }
            return false
        }
        // Once per person: cheering again changes nothing.
        #expect(try await visitor.client.react(.cheer, on: "plaza-photo").state.reactions["cheer"] == 1)
        await harness.stop()
    }

    @Test func notesArriveLivePageBackwardsAndFailCleanlyWhenTheStoreIsFull() async throws {
        let storage = InMemoryStorage()
        let harness = try ServerHarness(storage: storage) { $0.noteRate = RateLimit(perSecond: 100, burst: 100) }
        let author = try await harness.joined("Author", room: "plaza")
        let reader = try await harness.joined("Reader", room: "plaza")
        try await place(author, tileX: 44, tileY: 16, on: harness)
        try await place(reader, tileX: 44, tileY: 18, on: harness)
        _ = try await reader.client.openExhibit("plaza-wall")
        _ = try await author.client.openExhibit("plaza-wall")

        for index in 1...25 { _ = try await author.client.postNote("cheer \(index)", on: "plaza-wall") }
        _ = try await reader.events.first(within: .seconds(5), "the last note") {
            if case .exhibit(let message) = $0, let note = message as? ServerMessages.NoteMessage { return note.note.text == "cheer 25" }
            return false
        }
        let newest = try await reader.client.notes(on: "plaza-wall", limit: 10)
        #expect(newest.notes.map(\.text) == (16...25).reversed().map { "cheer \($0)" })
        #expect(newest.more)
        let older = try await reader.client.notes(on: "plaza-wall", before: newest.notes.last!.id, limit: 20)
        #expect(older.notes.map(\.text) == (1...15).reversed().map { "cheer \($0)" })
        #expect(!older.more)

        storage.failWrites("disk full")
        await #expect(throws: AtriumClientError.rejected(.storeUnavailable, "not saved, please try again: the server could not save it")) {
            _ = try await author.client.postNote("lost?", on: "plaza-wall")
        }
        // The room goes on.
        #expect(try await author.client.ping() < .seconds(5))
        storage.failWrites(nil)
        #expect(try await author.client.postNote("back", on: "plaza-wall").text == "back")
        await harness.stop()
    }

    @Test func servesExhibitContentButNeverQuizFilesOrAnythingOutside() throws {
        let harness = try ServerHarness()
        func get(_ path: String) throws -> String {
            let socket = try RawSocket(port: harness.port)
            socket.send("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            return String(decoding: socket.readToEnd(), as: UTF8.self)
        }
        let photo = try get("/maps/plaza/photo.svg")
        #expect(photo.hasPrefix("HTTP/1.1 200") && photo.contains("Content-Type: image/svg+xml"))
        #expect(try get("/maps/plaza.tmj").contains("Content-Type: application/json"))
        for path in ["/maps/../Package.swift", "/maps/..%2f..%2fPackage.swift", "/maps/plaza/quiz/set.json", "/maps/plaza/%2e%2e/plaza.tmj"] {
            #expect(try get(path).hasPrefix("HTTP/1.1 404"), "\(path)")
        }
    }
}
