/// What the room tells the stage's media server (Janus, through the host) to do.
public enum StageOrder: Sendable, Equatable {
    /// This avatar may publish now: mint its publisher token and answer its client.
    case grant(client: ClientID, avatarID: UInt32, ref: String?)
    /// This avatar may publish no more: end its feed (a kick in the VideoRoom), whether
    /// or not it ever published.
    case end(avatarID: UInt32)
}
