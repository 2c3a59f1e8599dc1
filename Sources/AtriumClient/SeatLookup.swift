/// When a client asks a server's `GET /api/seat` where its room runs. In a cluster each
/// room runs on one node, reached through a path with a signed seat; a single server
/// answers with its own `/ws` path, so asking never hurts, it only costs a request.
public enum SeatLookup: Sendable, Equatable {
    /// Connect to the configured URL; ask for a seat only when a node answers
    /// `room_moved` (the room is not there, or the URL has no seat) and after every
    /// dropped connection once a seat was followed. A single server is never asked.
    case onRoomMoved
    /// Ask before every connection, the first one included: one round trip more per
    /// join, one refused upgrade less in a cluster.
    case beforeConnecting
    /// Never ask: connect to the configured URL only (a room's node reached directly).
    case never
}
