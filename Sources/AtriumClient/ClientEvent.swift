import AtriumProtocol

/// What a client observes, in order.
///
/// A feature whose server messages deserve their own event adds a typed case here and a
/// line in ``init(_:)``; until then its messages arrive as ``event(_:)``.
public enum ClientEvent: Sendable, Equatable {
    /// Joined (or re-joined after a reconnect, with `resumed` true).
    case welcome(ServerMessages.Welcome)
    /// A state message was applied to the mirror; `changes` lists what it said.
    case state(StateMessage)
    /// A chat line said where this client hears it, or its own line's copy.
    case chat(ServerMessages.Chat)
    /// The answer to a `who`.
    case people(ServerMessages.People)
    /// Exhibits: opened, live numbers, closed, reactions acknowledged, notes and their pages.
    case exhibit(any ServerMessage)
    /// Room events: announcements, the quiz, moderators' acknowledgements and roster.
    case event(any ServerMessage)
    /// This client's conversation peers changed (voice and video): the full new set.
    case conversationPeers([UInt32])
    /// A WebRTC signal a conversation peer sent this client.
    case signal(from: UInt32, data: String)
    /// An error the server reported without ending the session.
    case error(ServerMessages.ErrorMessage)
    /// The connection dropped; reconnecting with the resume token, attempt n.
    case reconnecting(attempt: Int)
    /// The session ended for good: nil when this client closed it, else why.
    case closed(AtriumClientError?)

    /// The event a server message becomes; nil for a message that only answers a request
    /// (`pong`).
    init?(_ message: any ServerMessage) {
        switch message {
        case let welcome as ServerMessages.Welcome: self = .welcome(welcome)
        case let error as ServerMessages.ErrorMessage: self = .error(error)
        case let chat as ServerMessages.Chat: self = .chat(chat)
        case let people as ServerMessages.People: self = .people(people)
        case let peers as ServerMessages.AVPeers: self = .conversationPeers(peers.peers)
        case let signal as ServerMessages.RTCSignal: self = .signal(from: signal.from, data: signal.data)
        case is ServerMessages.Pong: return nil
        case is ServerMessages.Exhibit, is ServerMessages.ExhibitState, is ServerMessages.ExhibitClosed,
             is ServerMessages.Reacted, is ServerMessages.NoteMessage, is ServerMessages.NoteHidden, is ServerMessages.Notes:
            self = .exhibit(message)
        default: self = .event(message)
        }
    }

    /// Equal events: the same case with equal payloads (messages of one type, equal fields).
    public static func == (lhs: ClientEvent, rhs: ClientEvent) -> Bool {
        switch (lhs, rhs) {
        case (.welcome(let a), .welcome(let b)): return a == b
        case (.state(let a), .state(let b)): return a == b
        case (.chat(let a), .chat(let b)): return a == b
        case (.people(let a), .people(let b)): return a == b
        case (.exhibit(let a), .exhibit(let b)), (.event(let a), .event(let b)): return a.isEqual(to: b)
        case (.conversationPeers(let a), .conversationPeers(let b)): return a == b
        case (.signal(let a, let x), .signal(let b, let y)): return a == b && x == y
        case (.error(let a), .error(let b)): return a == b
        case (.reconnecting(let a), .reconnecting(let b)): return a == b
        case (.closed(let a), .closed(let b)): return a == b
        default: return false
        }
    }
}
