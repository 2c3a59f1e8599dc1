/// Why a stage request to Janus did not succeed. Logs get the detail; clients get the
/// stable code from ``code`` (`stage_unavailable` for every case but a refusal).
public enum StageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No Janus is configured: the stage is text and `streamUrl` only.
    case notConfigured
    /// No Janus session now (connecting, or Janus unreachable), with the last reason.
    case unavailable(String)
    /// Janus did not answer within `stage.request_timeout`.
    case timedOut
    /// More requests wait for Janus than `stage.max_queued_requests`.
    case overloaded
    /// The connection to Janus closed before the answer came.
    case connectionLost
    /// Janus's core refused the request (e.g. 403 for a bad token, 458 for a lost session).
    case janus(code: Int, reason: String)
    /// The VideoRoom plugin refused the request (e.g. 426 no such room, 433 unauthorised).
    case videoRoom(code: Int, reason: String)
    /// An answer Atrium cannot read.
    case malformedReply(String)

    public var description: String {
        switch self {
        case .notConfigured: return "the stage has no Janus configured (stage.janus_url)"
        case .unavailable(let reason): return "Janus is unavailable: \(reason)"
        case .timedOut: return "Janus did not answer in time"
        case .overloaded: return "too many requests wait for Janus"
        case .connectionLost: return "the connection to Janus closed"
        case .janus(let code, let reason): return "Janus refused (\(code)): \(reason)"
        case .videoRoom(let code, let reason): return "the VideoRoom refused (\(code)): \(reason)"
        case .malformedReply(let detail): return "unreadable answer from Janus: \(detail)"
        }
    }

    /// Janus's VideoRoom error codes Atrium acts on (`janus_videoroom.c`).
    static let noSuchRoom = 426
    static let roomExists = 427
    static let noSuchFeed = 428
}
