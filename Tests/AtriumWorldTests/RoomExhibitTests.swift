import Testing
@testable import AtriumWorld

@Suite struct RoomExhibitTests {
    /// A 40×20 hall with a photo at (30, 5) (radius 3) and a board at (10, 5) (radius 2).
    private func room(persisted: Room.PersistedExhibits = .init()) throws -> Room {
        var builder = TestMap.open(width: 40, height: 20, [("viewRadius", "8")])
        builder.zone("exhibit", x: 30, y: 5, width: 2, height: 1,
                     [("id", "photo-1"), ("kind", "photo"), ("title", "A photo"), ("src", "p.svg"), ("radius", "3")])
        builder.zone("exhibit", x: 10, y: 5, width: 1, height: 1,
                     [("id", "wall"), ("kind", "board"), ("title", "Cheer wall"), ("radius", "2")])
        return Room(map: try builder.load(), configuration: RoomConfiguration(id: "test"), persisted: persisted)
    }

    private func opened(_ output: RecordingOutput, _ client: ClientID) -> ExhibitView? {
        for event in output.events(for: client) { if case .exhibitOpened(let view, _) = event { return view } }
        return nil
    }

    @Test func opensOnlyWithinTheRadius() throws {
        var room = try room()
        var output = RecordingOutput()
        let visitor = room.join(ClientID(1), name: "Visitor", output: &output)
        room.place(visitor, at: Position(tileX: 26, tileY: 5))          // 4 tiles from x = 30
        output.clear()
        room.step([.openExhibit(ClientID(1), exhibitID: "photo-1", ref: nil)], into: &output)
        #expect(output.events(for: ClientID(1)) == [.error(.tooFar, ref: nil)])
        room.place(visitor, at: Position(tileX: 27, tileY: 8))          // 3 tiles away on both axes
        output.clear()
        room.step([.openExhibit(ClientID(1), exhibitID: "photo-1", ref: nil)], into: &output)
        let view = try #require(opened(output, ClientID(1)))
        #expect(view.definition.title == "A photo" && view.definition.sources == ["p.svg"])
        #expect(view.state.viewers == 1 && view.mine.isEmpty)
        room.step([.openExhibit(ClientID(1), exhibitID: "nope", ref: nil)], into: &output)
        #expect(output.events(for: ClientID(1)).last.map { if case .error(.notFound, _) = $0 { true } else { false } } == true)
    }

    @Test func nearbyVisitorsSeeSomeoneViewingAndAWalkAwayClosesIt() throws {
        var room = try room()
        var output = RecordingOutput()
        let viewer = room.join(ClientID(1), name: "Viewer", output: &output)
        let bystander = room.join(ClientID(2), name: "Bystander", output: &output)
        room.place(viewer, at: Position(tileX: 29, tileY: 7))
        room.place(bystander, at: Position(tileX: 25, tileY: 9))
        output.clear()
        room.step([.openExhibit(ClientID(1), exhibitID: "photo-1", ref: nil)], into: &output)
        #expect(output.events(for: ClientID(2)).contains(.exhibitState(
            ExhibitLiveState(exhibitID: "photo-1", viewers: 1, reactions: [.cheer: 0, .like: 0, .empathy: 0]))))
        output.clear()
        room.step([.move(ClientID(1), sequence: 1, intent: .direction(dx: -1, dy: 0))], into: &output)
        for _ in 0..<40 { room.step(into: &output) }   // two tiles a second, well beyond radius + 2
        #expect(output.events(for: ClientID(1)).contains(.exhibitClosed(exhibitID: "photo-1")))
        #expect(output.events(for: ClientID(2)).contains { if case .exhibitState(let state) = $0 { state.viewers == 0 } else { false } })
    }

    @Test func aReactionIsCountedOnlyAfterItIsStoredAndOnlyOncePerPerson() throws {
        var room = try room()
        var output = RecordingOutput()
        let fan = room.join(ClientID(1), name: "Fan", output: &output)
        room.place(fan, at: Position(tileX: 30, tileY: 6))
        output.clear()
        room.step([.react(ClientID(1), exhibitID: "photo-1", kind: .cheer, on: true, ref: "r1")], into: &output)
        // Nothing changes yet; the room asked for a write.
        let request = try #require(output.storeRequests.first)
        #expect(request.0 == .reaction(exhibitID: "photo-1", person: "guest-1", kind: .cheer, on: true))
        #expect(output.events(for: ClientID(1)).isEmpty)
        output.clear()
        room.step([.stored(request.1, .reaction(exhibitID: "photo-1", person: "guest-1", kind: .cheer, on: true, changed: true))],
                  into: &output)
        let expected = ExhibitLiveState(exhibitID: "photo-1", viewers: 0, reactions: [.cheer: 1, .like: 0, .empathy: 0])
        #expect(output.events(for: ClientID(1)).first == .reacted(exhibitID: "photo-1", kind: .cheer, on: true, state: expected, ref: "r1"))
        // A second cheer by the same person needs no write and changes nothing.
        output.clear()
        room.step([.react(ClientID(1), exhibitID: "photo-1", kind: .cheer, on: true, ref: "r2")], into: &output)
        #expect(output.storeRequests.isEmpty)
        #expect(output.events(for: ClientID(1)) == [.reacted(exhibitID: "photo-1", kind: .cheer, on: true, state: expected, ref: "r2")])
    }

    @Test func aFailedWriteIsReportedAndChangesNothing() throws {
        var room = try room()
        var output = RecordingOutput()
        let fan = room.join(ClientID(1), name: "Fan", output: &output)
        room.place(fan, at: Position(tileX: 30, tileY: 6))
        output.clear()
        room.step([.stored(StoreTicket(client: ClientID(1), ref: "r1"), .failed("disk full"))], into: &output)
        #expect(output.events(for: ClientID(1)) == [.error(.storeUnavailable("disk full"), ref: "r1")])
        room.step([.openExhibit(ClientID(1), exhibitID: "photo-1", ref: nil)], into: &output)
        #expect(opened(output, ClientID(1))?.state.reactions[.cheer] == 0)
    }

    @Test func remembersReactionsAndNotesFromTheStore() throws {
        var room = try room(persisted: .init(reactions: ["photo-1": [.like: ["guest-1", "reg-9"]]],
                                             recentNotes: ["wall": [Note(id: 7, exhibitID: "wall", authorID: 3, authorName: "Kim",
                                                                         text: "힘내세요", time: 1)]]))
        var output = RecordingOutput()
        let visitor = room.join(ClientID(1), name: "Visitor", output: &output)
        room.place(visitor, at: Position(tileX: 30, tileY: 6))
        room.step([.openExhibit(ClientID(1), exhibitID: "photo-1", ref: nil)], into: &output)
        let view = try #require(opened(output, ClientID(1)))
        #expect(view.state.reactions[.like] == 2 && view.mine == [.like])
        room.place(visitor, at: Position(tileX: 11, tileY: 6))
        output.clear()
        room.step([.openExhibit(ClientID(1), exhibitID: "wall", ref: nil)], into: &output)
        #expect(opened(output, ClientID(1))?.notes.map(\.text) == ["힘내세요"])
    }

    @Test func notesGoOnBoardsWithCleanTextAndReachEveryViewer() throws {
        var room = try room()
        var output = RecordingOutput()
        let author = room.join(ClientID(1), name: "Author", output: &output)
        let reader = room.join(ClientID(2), name: "Reader", output: &output)
        room.place(author, at: Position(tileX: 10, tileY: 7))
        room.place(reader, at: Position(tileX: 12, tileY: 5))
        room.step([.openExhibit(ClientID(2), exhibitID: "wall", ref: nil), .openExhibit(ClientID(1), exhibitID: "wall", ref: nil)], into: &output)
        output.clear()
        room.step([.postNote(ClientID(1), exhibitID: "wall", text: "  \u{1}", ref: "a"),
                   .postNote(ClientID(1), exhibitID: "wall", text: String(repeating: "x", count: 301), ref: "b"),
                   .postNote(ClientID(1), exhibitID: "wall", text: " 다시 도전해요! ", ref: "c")], into: &output)
        #expect(output.events(for: ClientID(1)) == [.error(.textInvalid, ref: "a"), .error(.textTooLong(limit: 300), ref: "b")])
        let request = try #require(output.storeRequests.first)
        #expect(request.0 == .note(exhibitID: "wall", authorID: author, authorName: "Author", person: "guest-1", text: "다시 도전해요!"))
        output.clear()
        let note = Note(id: 41, exhibitID: "wall", authorID: author, authorName: "Author", text: "다시 도전해요!", time: 99)
        room.step([.stored(request.1, .note(note))], into: &output)
        #expect(output.events(for: ClientID(1)) == [.note(note, ref: "c")])
        #expect(output.events(for: ClientID(2)) == [.note(note, ref: nil)])

        room.place(author, at: Position(tileX: 30, tileY: 6))
        output.clear()
        room.step([.postNote(ClientID(1), exhibitID: "photo-1", text: "hi", ref: "d")], into: &output)
        #expect(output.events(for: ClientID(1)).first.map { if case .error(.forbidden, "d") = $0 { true } else { false } } == true)
    }

    @Test func onlyModeratorsHideNotesAndHiddenNotesDisappearForEveryone() throws {
        var room = try room(persisted: .init(recentNotes: ["wall": [Note(id: 5, exhibitID: "wall", authorID: 1, authorName: "A",
                                                                         text: "spam", time: 1)]]))
        var output = RecordingOutput()
        let moderator = room.join(ClientID(1), name: "Moderator", role: .moderator, output: &output)
        let reader = room.join(ClientID(2), name: "Reader", output: &output)
        room.place(moderator, at: Position(tileX: 10, tileY: 7))
        room.place(reader, at: Position(tileX: 11, tileY: 6))
        room.step([.openExhibit(ClientID(2), exhibitID: "wall", ref: nil)], into: &output)
        output.clear()
        room.step([.hideNote(ClientID(2), exhibitID: "wall", noteID: 5, ref: "x")], into: &output)
        #expect(output.storeRequests.isEmpty)
        room.step([.hideNote(ClientID(1), exhibitID: "wall", noteID: 5, ref: "y")], into: &output)
        let request = try #require(output.storeRequests.first)
        output.clear()
        room.step([.stored(request.1, .noteHidden(exhibitID: "wall", noteID: 5, found: true))], into: &output)
        #expect(output.events(for: ClientID(2)) == [.noteHidden(exhibitID: "wall", noteID: 5, ref: nil)])
        #expect(output.events(for: ClientID(1)) == [.noteHidden(exhibitID: "wall", noteID: 5, ref: "y")])
        room.step([.closeExhibit(ClientID(2)), .openExhibit(ClientID(2), exhibitID: "wall", ref: nil)], into: &output)
        #expect(opened(output, ClientID(2))?.notes.isEmpty == true)
    }
}
