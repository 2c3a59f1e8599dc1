import AtriumProtocol

/// Requests that wait for the server's answer, and messages that do not.
///
/// A feature's new request is one method here (or in its own `AtriumClient+Feature.swift`)
/// over ``request(_:expecting:)``; the machine matches the answer by its `ref`.
extension AtriumClient {
    /// Sends a chat message; returns the server's copy once it was stored and delivered.
    public func say(_ text: String, scope: ChatScope = .nearby, to avatarID: UInt32? = nil)
        async throws(AtriumClientError) -> ServerMessages.Chat
    {
        try await request(ClientMessages.Chat(scope: scope, text: text, to: avatarID), expecting: ServerMessages.Chat.self)
    }

    /// Sends a chat message; `completion` runs on the client's queue with the server's copy
    /// or the reason there is none (`notConnected`, `timedOut`, `rejected`).
    public func say(_ text: String, scope: ChatScope = .nearby, to avatarID: UInt32? = nil,
                    completion: @escaping @Sendable (Result<ServerMessages.Chat, AtriumClientError>) -> Void) {
        submit(.referenced(ClientMessages.Chat(scope: scope, text: text, to: avatarID))) {
            completion($0.answer(ServerMessages.Chat.self))
        }
    }

    /// Lists who is in the room, at most `limit` of them.
    public func who(limit: Int = 200) async throws(AtriumClientError) -> ServerMessages.People {
        try await submit(.who(limit: limit)).answer(ServerMessages.People.self).get()
    }

    /// Measures a round trip through the server's message handling.
    public func ping() async throws(AtriumClientError) -> Duration {
        guard case .roundTrip(let duration) = try await submit(.ping).get() else { throw .protocolViolation("expected pong") }
        return duration
    }

    /// Opens an exhibit within reach; returns its description and live state.
    public func openExhibit(_ id: String) async throws(AtriumClientError) -> ServerMessages.Exhibit {
        try await request(ClientMessages.ExhibitOpen(id: id), expecting: ServerMessages.Exhibit.self)
    }

    /// Leaves (`on: true`) or takes back a reaction; returns the exhibit's counts once stored.
    public func react(_ reaction: ReactionName, on id: String, on enabled: Bool = true) async throws(AtriumClientError)
        -> ServerMessages.Reacted
    {
        try await request(ClientMessages.React(id: id, reaction: reaction, on: enabled), expecting: ServerMessages.Reacted.self)
    }

    /// Posts a note on a board; returns it as stored.
    public func postNote(_ text: String, on id: String) async throws(AtriumClientError) -> ServerMessages.Note {
        try await request(ClientMessages.NotePost(id: id, text: text), expecting: ServerMessages.NoteMessage.self).note
    }

    /// Hides a note (moderators).
    public func hideNote(_ noteID: Int64, on id: String) async throws(AtriumClientError) {
        _ = try await request(ClientMessages.NoteHide(id: id, note: noteID), expecting: ServerMessages.NoteHidden.self)
    }

    /// A page of a board's notes, newest first, older than `before` when given.
    public func notes(on id: String, before: Int64? = nil, limit: Int = 20) async throws(AtriumClientError) -> ServerMessages.Notes {
        try await request(ClientMessages.NotesPage(id: id, before: before, limit: limit), expecting: ServerMessages.Notes.self)
    }

    /// Sends a moderator request (announce, kick, the quiz, …) with a fresh `ref` and waits
    /// for its answer (`mod_ok`, the roster) or the error (moderators).
    @discardableResult
    public func moderate(_ request: some ClientRequest) async throws(AtriumClientError) -> any ServerMessage {
        guard case .message(let answer) = try await submit(.referenced(request)).get() else {
            throw .protocolViolation("expected a message")
        }
        return answer
    }

    /// Sends a request with a fresh `ref` (any one set is replaced) and waits for the
    /// answer that echoes it, or the error that does.
    public func request<Reply: ServerReply>(_ request: some ClientRequest, expecting: Reply.Type)
        async throws(AtriumClientError) -> Reply
    {
        try await submit(.referenced(request)).answer(Reply.self).get()
    }

    /// Shows an emote over the avatar for a moment.
    public func emote(_ emote: EmoteKind) {
        sendJSON(ClientMessages.Emote(emote: emote))
    }

    /// Sets the line under the avatar's name; empty clears it.
    public func setStatus(_ text: String) {
        sendJSON(ClientMessages.Status(text: text))
    }

    /// Sends any control message as is, when a socket is open; for tools and tests.
    public func sendJSON(_ message: some ClientMessage) {
        ioQueue.queue.async { [self] in perform(machine.send(message)) }
    }

    func submit(_ request: OutgoingRequest) async -> Result<ClientReply, AtriumClientError> {
        await withCheckedContinuation { continuation in
            submit(request) { continuation.resume(returning: $0) }
        }
    }
}
