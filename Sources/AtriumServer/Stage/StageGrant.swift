/// What a browser needs to reach a room's VideoRoom: where Janus is, which room, and
/// tokens Atrium signed. A viewer's room token only subscribes; a publisher's is on the
/// room's `allowed` list and comes with the feed id to publish as.
public struct StageGrant: Sendable, Equatable {
    /// Janus's WebSocket URL as browsers reach it.
    public var url: String
    /// The VideoRoom's number.
    public var room: UInt64
    /// For every Janus request (`EXPIRY,janus,janus.plugin.videoroom:…`).
    public var token: String
    /// For joining the room (`EXPIRY,janus.plugin.videoroom,room=N[,publisher=F]:…`).
    public var roomToken: String
    /// The participant id to publish as; nil for a viewer.
    public var feed: UInt64?
    /// Unix seconds after which Janus refuses the tokens.
    public var expires: Int64

    public init(url: String, room: UInt64, token: String, roomToken: String, feed: UInt64?, expires: Int64) {
        self.url = url
        self.room = room
        self.token = token
        self.roomToken = roomToken
        self.feed = feed
        self.expires = expires
    }
}
