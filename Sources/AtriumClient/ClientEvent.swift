import AtriumProtocol

/// What a client observes, in order.
public enum ClientEvent: Sendable, Equatable {
    /// Joined (or re-joined after a reconnect, with `resumed` true).
    case welcome(ServerMessages.Welcome)
    /// A state message was applied to the mirror; `changes` lists what it said.
    case state(StateMessage)
    case chat(ServerMessages.Chat)
    case people(ServerMessages.People)
    /// Exhibits: opened, live numbers, closed, reactions acknowledged, notes and their pages.
    case exhibit(any ServerMessage)
    /// Room events: announcements, the quiz, moderators' acknowledgements and roster.
    case event(any ServerMessage)
    /// An error the server reported without ending the session.
    case error(ServerMessages.ErrorMessage)
    /// The connection dropped; reconnecting with the resume token, attempt n.
    case reconnecting(attempt: Int)
    /// The session ended for good.
    case closed(AtriumClientError?)

    public static func == (lhs: ClientEvent, rhs: ClientEvent) -> Bool {
        switch (lhs, rhs) {
        case (.welcome(let a), .welcome(let b)): return a == b
        case (.state(let a), .state(let b)): return a == b
        case (.chat(let a), .chat(let b)): return a == b
        case (.people(let a), .people(let b)): return a == b
        case (.exhibit(let a), .exhibit(let b)), (.event(let a), .event(let b)): return a.isEqual(to: b)
        case (.error(let a), .error(let b)): return a == b
        case (.reconnecting(let a), .reconnecting(let b)): return a == b
        case (.closed(let a), .closed(let b)): return a == b
        default: return false
        }
    }
}
