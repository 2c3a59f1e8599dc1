import Testing
@testable import AtriumServer

/// One room's VideoRoom, fed Janus's answers by hand.
@Suite struct StageRoomTests {
    typealias Action = StageRoom.Action
    let settings = VideoRoomRequest.RoomSettings(description: "atrium hall", secret: "s", adminKey: "k", publishers: 6,
                                                 bitrate: 1_000_000)
    let watcher: UInt64 = 1 << 40

    private func vr(_ reply: VideoRoomReply) -> Result<JanusSessionMachine.Outcome, StageError> { .success(.videoRoom(reply)) }

    private func call(_ purpose: StageRoom.Purpose, _ request: VideoRoomRequest) -> Action {
        .call(purpose, .videoRoom(handle: 5, request))
    }

    /// A room prepared in a Janus that did not have it yet.
    private func ready() -> StageRoom {
        var room = StageRoom(room: 9, secret: "s", settings: settings, watcherID: watcher)
        #expect(room.sessionReady(watcherToken: "w") == [.call(.attach, .attach), .status(.preparing)])
        #expect(room.outcome(.attach, .success(.attached(handle: 5))) == [call(.exists, .exists(room: 9))])
        var created = settings
        created.allowed = ["w"]
        #expect(room.outcome(.exists, vr(VideoRoomReply(videoroom: "success", room: 9, exists: false)))
                == [call(.create, .create(room: 9, settings: created))])
        #expect(room.outcome(.create, vr(VideoRoomReply(videoroom: "created", room: 9)))
                == [call(.join, .joinToWatch(room: 9, participant: watcher, display: "atrium", token: "w"))])
        #expect(room.outcome(.join, vr(VideoRoomReply(videoroom: "joined", room: 9, publishers: []))) == [.status(.ready)])
        return room
    }

    @Test func createsAMissingRoomWithItsWatcherAllowedThenWatchesIt() {
        #expect(ready().status == .ready)
    }

    @Test func aRoomThatExistsGetsTheWatcherOnItsListInstead() {
        var room = StageRoom(room: 9, secret: "s", settings: settings, watcherID: watcher)
        _ = room.sessionReady(watcherToken: "w")
        _ = room.outcome(.attach, .success(.attached(handle: 5)))
        #expect(room.outcome(.exists, vr(VideoRoomReply(videoroom: "success", room: 9, exists: true)))
                == [call(.allowWatcher, .allow(room: 9, secret: "s", tokens: ["w"]))])
        #expect(room.outcome(.allowWatcher, vr(VideoRoomReply(videoroom: "success", room: 9)))
                == [call(.join, .joinToWatch(room: 9, participant: watcher, display: "atrium", token: "w"))])
    }

    @Test func aGrantedPublisherGoesLiveAndAnyoneElseIsKicked() {
        var room = ready()
        #expect(room.grant(feed: 3, token: "p3") == [call(.allow(feed: 3), .allow(room: 9, secret: "s", tokens: ["p3"]))])
        #expect(room.outcome(.allow(feed: 3), vr(VideoRoomReply(videoroom: "success"))) == [.granted(feed: 3, nil)])
        let news = VideoRoomReply(videoroom: "event", publishers: [.init(id: 3), .init(id: 66)])
        #expect(room.event(news, handle: 5) == [.live([3]), call(.kick(feed: 66), .kick(room: 9, secret: "s", participant: 66))])
        #expect(room.event(VideoRoomReply(videoroom: "event", unpublished: 3), handle: 5) == [.live([])])
    }

    @Test func revokingTakesTheTokenOffTheListKicksTheFeedAndEndsItAtOnce() {
        var room = ready()
        _ = room.grant(feed: 3, token: "p3")
        _ = room.event(VideoRoomReply(publishers: [.init(id: 3)]), handle: 5)
        #expect(room.revoke(feed: 3) == [.live([]), call(.disallow, .disallow(room: 9, secret: "s", tokens: ["p3"])),
                                         call(.kick(feed: 3), .kick(room: 9, secret: "s", participant: 3))])
        // Publishing again with the old token is now a stray.
        #expect(room.event(VideoRoomReply(publishers: [.init(id: 3)]), handle: 5)
                == [call(.kick(feed: 3), .kick(room: 9, secret: "s", participant: 3))])
    }

    @Test func aNewGrantReplacesTheOldTokenOnTheList() {
        var room = ready()
        _ = room.grant(feed: 3, token: "p3")
        #expect(room.grant(feed: 3, token: "p3b") == [call(.disallow, .disallow(room: 9, secret: "s", tokens: ["p3"])),
                                                      call(.allow(feed: 3), .allow(room: 9, secret: "s", tokens: ["p3b"]))])
    }

    @Test func reconcilingKicksStraysAndForgetsFeedsThatStopped() {
        var room = ready()
        _ = room.grant(feed: 3, token: "p3")
        _ = room.grant(feed: 4, token: "p4")
        _ = room.event(VideoRoomReply(publishers: [.init(id: 3), .init(id: 4)]), handle: 5)
        #expect(room.reconcile() == [call(.list, .listParticipants(room: 9))])
        let listing = VideoRoomReply(videoroom: "participants", participants: [
            .init(id: watcher, publisher: false), .init(id: 3, publisher: true), .init(id: 4, publisher: false),
            .init(id: 70, publisher: true), .init(id: 71, publisher: false),
        ])
        #expect(room.outcome(.list, vr(listing)) == [call(.kick(feed: 70), .kick(room: 9, secret: "s", participant: 70)), .live([3])])
    }

    @Test func aGrantBeforeTheRoomIsReadyIsRefusedThenListedOnceItIs() {
        var room = StageRoom(room: 9, secret: "s", settings: settings, watcherID: watcher)
        #expect(room.grant(feed: 3, token: "p3") == [.granted(feed: 3, .unavailable("waiting for Janus"))])
        _ = room.sessionReady(watcherToken: "w")
        _ = room.outcome(.attach, .success(.attached(handle: 5)))
        _ = room.outcome(.exists, vr(VideoRoomReply(exists: true)))
        _ = room.outcome(.allowWatcher, vr(VideoRoomReply(videoroom: "success")))
        #expect(room.outcome(.join, vr(VideoRoomReply(videoroom: "joined", publishers: [.init(id: 3)])))
                == [.status(.ready), .live([3]), call(.allow(feed: 3), .allow(room: 9, secret: "s", tokens: ["p3"]))])
    }

    @Test func losingTheSessionEndsEveryLiveFeedAndAFailedStepSaysWhy() {
        var room = ready()
        _ = room.grant(feed: 3, token: "p3")
        _ = room.event(VideoRoomReply(publishers: [.init(id: 3)]), handle: 5)
        #expect(room.sessionLost("gone") == [.status(.failed("gone")), .live([])])
        _ = room.sessionReady(watcherToken: "w2")
        _ = room.outcome(.attach, .success(.attached(handle: 6)))
        #expect(room.outcome(.exists, .failure(.timedOut)) == [.status(.failed("preparing VideoRoom 9: Janus did not answer in time"))])
        // News from the old handle is not this room's any more.
        #expect(room.event(VideoRoomReply(publishers: [.init(id: 3)]), handle: 5).isEmpty)
    }
}
