/// Stable error codes of the wire contract (`{"type":"error","code":…}`). Clients switch
/// on these; the human-readable message may change, a code may not.
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    case badMessage = "bad_message"
    case unknownType = "unknown_type"
    case messageTooLarge = "message_too_large"
    case badToken = "bad_token"
    case roomFull = "room_full"
    case roomLocked = "room_locked"
    case nameInvalid = "name_invalid"
    case banned
    case kicked
    case rateLimited = "rate_limited"
    case forbidden
    case notFound = "not_found"
    case notJoined = "not_joined"
    case alreadyJoined = "already_joined"
    case textInvalid = "text_invalid"
    case textTooLong = "text_too_long"
    case notInArea = "not_in_area"
    case notOnStage = "not_on_stage"
    case muted
    case tooFar = "too_far"
    case conflict
    /// A signal to an avatar that is not among the sender's conversation peers.
    case notAPeer = "not_a_peer"
    /// A request to publish on the stage from an avatar that may not now; the message says
    /// why (stage voice, the stage tile, a mute or stop, media off).
    case stageRefused = "stage_refused"
    /// The stage has no video now (no Janus configured, or Janus unreachable): it is text
    /// and the map's `streamUrl`.
    case stageUnavailable = "stage_unavailable"
    case storeUnavailable = "store_unavailable"
    case serverRestarting = "server_restarting"
    /// In a cluster: the room now runs on another node (or is between nodes). Ask
    /// `/api/seat` again and resume there.
    case roomMoved = "room_moved"
    /// The connection could not take its messages as fast as they came: the reliable ones
    /// waiting passed the server's budget. Only the close says so (an error message would
    /// wait behind the backlog); the client reconnects and resumes with fresh state.
    case tooSlow = "too_slow"
    case internalError = "internal_error"

    /// The WebSocket close code used when this error ends the session; nil when the
    /// session goes on after the error.
    public var closeCode: UInt16? {
        switch self {
        case .badToken: return 4001
        case .nameInvalid: return 4002
        case .roomFull: return 4003
        case .roomLocked: return 4004
        case .banned: return 4005
        case .kicked: return 4006
        case .serverRestarting: return 1001
        case .roomMoved: return 4010
        case .tooSlow: return 4011
        default: return nil
        }
    }
}
