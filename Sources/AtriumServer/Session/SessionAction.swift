import AtriumProtocol
import AtriumWebSocket
import AtriumWorld

/// What a ``SessionMachine`` asks its adapter to do, in order. The machine decides; the
/// adapter (``Session``) does the I/O and feeds results back as new inputs.
enum SessionAction: Sendable, Equatable {
    /// Hand an input to the room for its next tick.
    case submit(RoomInput)
    /// Send a JSON message to this client.
    case send(any ServerMessage)
    /// Answer `ping` with `pong`, stamped with the server's time and the room's tick.
    case pong(t: Double?)
    /// Close the connection with this code.
    case close(WebSocketCloseCode, reason: String)
    /// Call ``SessionMachine/timerFired(_:now:)`` with `timer` once `at` has passed.
    case setTimer(SessionTimer, at: ContinuousClock.Instant)
    /// Check the join token (or a cluster's resume ticket), bans and registration (the
    /// store, off this queue) and a friend's find-me token, then call
    /// ``SessionMachine/admission(_:guestKey:resumeToken:)``.
    case admit(token: String?, near: String? = nil, resume: String? = nil)
    /// Read and check a question set off the I/O queue (it may be a file), then call
    /// ``SessionMachine/quizSetLoaded(_:mode:ref:)``.
    case loadQuizSet(ClientMessages.QuizOpen, QuizMode, ref: String?)
    /// Read a page of a board's notes from the store, then call
    /// ``SessionMachine/notesRead(_:for:)``.
    case pageNotes(NotesPageRequest)
    /// Sign a "come find me" token for this avatar in this room instance (it needs the
    /// wall clock and the secret) and send it as `find_me`.
    case findMe(avatarID: UInt32, ref: String?)
    /// Mint ICE servers for this client (TURN credentials need the wall clock) and send
    /// them as `ice_servers`.
    case sendIceServers
    /// Fetch a viewer's grant for the room's stage and send it as `stage_grant` (or
    /// `stage_unavailable`).
    case sendStageGrant(ref: String?)

    static func == (lhs: SessionAction, rhs: SessionAction) -> Bool {
        switch (lhs, rhs) {
        case (.submit(let a), .submit(let b)): return a == b
        case (.send(let a), .send(let b)): return a.isEqual(to: b)
        case (.pong(let a), .pong(let b)): return a == b
        case (.close(let a, let x), .close(let b, let y)): return a == b && x == y
        case (.setTimer(let a, let x), .setTimer(let b, let y)): return a == b && x == y
        case (.admit(let a, let x, let p), .admit(let b, let y, let q)): return a == b && x == y && p == q
        case (.findMe(let a, let x), .findMe(let b, let y)): return a == b && x == y
        case (.loadQuizSet(let a, let x, let p), .loadQuizSet(let b, let y, let q)): return a == b && x == y && p == q
        case (.pageNotes(let a), .pageNotes(let b)): return a == b
        case (.sendIceServers, .sendIceServers): return true
        case (.sendStageGrant(let a), .sendStageGrant(let b)): return a == b
        default: return false
        }
    }
}

/// A page of a board's notes a client asked for, bounds applied.
struct NotesPageRequest: Sendable, Equatable {
    var exhibitID: String
    /// Only notes older than this note id; the newest when nil.
    var before: Int64?
    var limit: Int
    var ref: String?
}
