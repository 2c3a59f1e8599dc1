import AtriumProtocol

/// What a visitor does besides walking and talking: "come find me" links (Protocol/README.md).
///
/// The other half, arriving next to a friend, is ``ClientConfiguration/near``: the token
/// travels in `hello`, and the welcome's `near` says whether it worked.
extension AtriumClient {
    /// Asks the server for a signed, short-lived "come find me" token for this avatar.
    ///
    /// A client that says hello with it (``ClientConfiguration/near``) in the room instance
    /// the answer names (`room`, e.g. `plaza~2` for an overflow instance) starts next to
    /// this avatar, until `expires` (server milliseconds since the epoch). Throws
    /// ``AtriumClientError/notConnected`` before the welcome, ``AtriumClientError/rejected(_:_:)``
    /// with `rate_limited` when asked too often.
    public func findMe() async throws(AtriumClientError) -> ServerMessages.FindMe {
        try await request(ClientMessages.FindMe(), expecting: ServerMessages.FindMe.self)
    }
}
