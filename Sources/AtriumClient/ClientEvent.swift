import AtriumProtocol

/// What a client observes, in order.
public enum ClientEvent: Sendable, Equatable {
    /// Joined (or re-joined after a reconnect, with `resumed` true).
    case welcome(ServerMessage.Welcome)
    /// A state message was applied to the mirror; `changes` lists what it said.
    case state(StateMessage)
    case chat(ServerMessage.ChatMessage)
    case people(ServerMessage.People)
    /// Exhibits: opened, live numbers, closed, reactions acknowledged, notes and their pages.
    case exhibit(ServerMessage)
    /// Room events: announcements, the quiz, moderators' acknowledgements and roster.
    case event(ServerMessage)
    /// An error the server reported without ending the session.
    case error(ServerMessage.ErrorMessage)
    /// The connection dropped; reconnecting with the resume token, attempt n.
    case reconnecting(attempt: Int)
    /// The session ended for good.
    case closed(AtriumClientError?)
}
