/// One Atrium room's VideoRoom in Janus, as a state machine over Janus's answers: make sure
/// the room exists (create it when it does not), watch it through a participant that sends
/// nothing, put publisher tokens on its `allowed` list and take them off, and kick any
/// publisher Atrium did not put on stage. No I/O and no clock; the stage's connection
/// performs the calls and feeds back their outcomes under the same ``Purpose``.
struct StageRoom {
    /// What a call was for, so its outcome goes to the right step.
    enum Purpose: Equatable, Hashable, Sendable {
        case attach
        case exists
        case create
        case allowWatcher
        case join
        case allow(feed: UInt64)
        case disallow
        case kick(feed: UInt64)
        case list
    }

    enum Status: Equatable, Sendable {
        case waitingForJanus
        case preparing
        case ready
        case failed(String)
    }

    enum Action: Equatable, Sendable {
        case call(Purpose, JanusSessionMachine.Call)
        /// The feeds that are on air in Janus and that Atrium let on: the room's viewers
        /// subscribe to these.
        case live(Set<UInt64>)
        case status(Status)
        /// A publisher's token is on the allowed list (nil), or why it could not be put there.
        case granted(feed: UInt64, StageError?)
    }

    let room: UInt64
    let secret: String
    let settings: VideoRoomRequest.RoomSettings
    /// The participant id Atrium watches the room with; never a feed.
    let watcherID: UInt64
    private(set) var status: Status = .waitingForJanus
    private var handle: UInt64?
    private var watcherToken = ""
    /// Feeds Atrium lets publish, each with the token it put on the allowed list.
    private(set) var granted: [UInt64: String] = [:]
    private(set) var live: Set<UInt64> = []

    init(room: UInt64, secret: String, settings: VideoRoomRequest.RoomSettings, watcherID: UInt64) {
        self.room = room
        self.secret = secret
        self.settings = settings
        self.watcherID = watcherID
    }

    // MARK: The session

    /// A new Janus session: everything is made again, the grants included.
    mutating func sessionReady(watcherToken: String) -> [Action] {
        self.watcherToken = watcherToken
        handle = nil
        return [.call(.attach, .attach)] + set(.preparing)
    }

    mutating func sessionLost(_ reason: String) -> [Action] {
        handle = nil
        return set(.failed(reason)) + setLive([])
    }

    // MARK: Atrium's decisions

    /// Puts a publisher's token on the allowed list; answered with ``Action/granted(feed:_:)``.
    mutating func grant(feed: UInt64, token: String) -> [Action] {
        let old = granted.updateValue(token, forKey: feed)
        guard let handle, status == .ready else { return [.granted(feed: feed, .unavailable(statusReason))] }
        var actions: [Action] = []
        if let old, old != token { actions.append(call(.disallow, handle, .disallow(room: room, secret: secret, tokens: [old]))) }
        actions.append(call(.allow(feed: feed), handle, .allow(room: room, secret: secret, tokens: [token])))
        return actions
    }

    /// Ends a publication: the token comes off the allowed list (no rejoining with it) and the
    /// feed is kicked out of the room.
    mutating func revoke(feed: UInt64) -> [Action] {
        let token = granted.removeValue(forKey: feed)
        var actions = setLive(live.subtracting([feed]))
        guard let handle else { return actions }
        if let token { actions.append(call(.disallow, handle, .disallow(room: room, secret: secret, tokens: [token]))) }
        actions.append(call(.kick(feed: feed), handle, .kick(room: room, secret: secret, participant: feed)))
        return actions
    }

    /// Lists the room's participants to catch a publisher that slipped past the events.
    mutating func reconcile() -> [Action] {
        guard let handle, status == .ready else { return [] }
        return [call(.list, handle, .listParticipants(room: room))]
    }

    // MARK: Janus's answers and news

    mutating func outcome(_ purpose: Purpose, _ result: Result<JanusSessionMachine.Outcome, StageError>) -> [Action] {
        switch (purpose, result) {
        case (.attach, .success(.attached(let handle))):
            self.handle = handle
            return [call(.exists, handle, .exists(room: room))]
        case (.exists, .success(.videoRoom(let reply))):
            guard let handle else { return [] }
            if reply.exists == true {
                return [call(.allowWatcher, handle, .allow(room: room, secret: secret, tokens: [watcherToken]))]
            }
            var settings = self.settings
            settings.allowed = [watcherToken]
            return [call(.create, handle, .create(room: room, settings: settings))]
        case (.create, .failure(.videoRoom(StageError.roomExists, _))):
            // Made meanwhile by another Atrium on the same Janus: use it.
            guard let handle else { return [] }
            return [call(.allowWatcher, handle, .allow(room: room, secret: secret, tokens: [watcherToken]))]
        case (.create, .success), (.allowWatcher, .success):
            guard let handle else { return [] }
            return [call(.join, handle, .joinToWatch(room: room, participant: watcherID, display: "atrium", token: watcherToken))]
        case (.join, .success(.videoRoom(let reply))):
            guard let handle else { return [] }
            var actions = set(.ready)
            actions += published(reply.publishers ?? [])
            // Grants made while the room was being prepared go on the list now.
            let tokens = granted.sorted { $0.key < $1.key }
            for (feed, token) in tokens {
                actions.append(call(.allow(feed: feed), handle, .allow(room: room, secret: secret, tokens: [token])))
            }
            return actions
        case (.allow(let feed), .success):
            return granted[feed] == nil ? [] : [.granted(feed: feed, nil)]
        case (.allow(let feed), .failure(let error)):
            return [.granted(feed: feed, error)]
        case (.list, .success(.videoRoom(let reply))):
            let sending = (reply.participants ?? []).filter { $0.publisher == true }
            var actions = published(sending)
            let stillSending = Set(sending.map(\.id))
            actions += setLive(live.intersection(stillSending))
            return actions
        case (.kick, _), (.disallow, _), (.list, .failure):
            // A kick of someone already gone, or a lost listing: the next reconcile tries again.
            return []
        case (_, .failure(let error)):
            return set(.failed("preparing VideoRoom \(room): \(error)"))
        default:
            return set(.failed("preparing VideoRoom \(room): unexpected answer to \(purpose)"))
        }
    }

    /// Plugin news on the watcher's handle.
    mutating func event(_ reply: VideoRoomReply, handle: UInt64) -> [Action] {
        guard handle == self.handle else { return [] }
        var actions = published(reply.publishers ?? [])
        for gone in [reply.unpublished, reply.leaving, reply.kicked].compactMap({ $0 }) {
            actions += setLive(live.subtracting([gone]))
        }
        return actions
    }

    /// Publishers now sending: Atrium's own go live, anyone else is kicked.
    private mutating func published(_ participants: [VideoRoomReply.Participant]) -> [Action] {
        var actions: [Action] = []
        var now = live
        for participant in participants where participant.id != watcherID {
            if granted[participant.id] != nil {
                now.insert(participant.id)
            } else if let handle {
                actions.append(call(.kick(feed: participant.id), handle,
                                    .kick(room: room, secret: secret, participant: participant.id)))
            }
        }
        return setLive(now) + actions
    }

    // MARK: Helpers

    private func call(_ purpose: Purpose, _ handle: UInt64, _ request: VideoRoomRequest) -> Action {
        .call(purpose, .videoRoom(handle: handle, request))
    }

    private mutating func set(_ status: Status) -> [Action] {
        guard status != self.status else { return [] }
        self.status = status
        return [.status(status)]
    }

    private mutating func setLive(_ feeds: Set<UInt64>) -> [Action] {
        guard feeds != live else { return [] }
        live = feeds
        return [.live(feeds)]
    }

    private var statusReason: String {
        switch status {
        case .waitingForJanus: return "waiting for Janus"
        case .preparing: return "the VideoRoom is being prepared"
        case .ready: return "ready"
        case .failed(let reason): return reason
        }
    }
}
