import AtriumProtocol
import AtriumWorld

extension ErrorCode {
    /// The wire code of a room's error.
    init(_ error: RoomError) {
        self.init(error.code)
    }

    /// One exhaustive switch: a new kind of room error is a compile error here until it
    /// has a wire code, never a silent fallback.
    init(_ code: RoomError.Code) {
        switch code {
        case .roomFull: self = .roomFull
        case .notJoined: self = .notJoined
        case .alreadyJoined: self = .alreadyJoined
        case .badToken: self = .badToken
        case .kicked: self = .kicked
        case .textInvalid: self = .textInvalid
        case .textTooLong: self = .textTooLong
        case .notInArea: self = .notInArea
        case .notOnStage: self = .notOnStage
        case .forbidden: self = .forbidden
        case .notFound: self = .notFound
        case .tooFar: self = .tooFar
        case .storeUnavailable: self = .storeUnavailable
        case .banned: self = .banned
        case .roomLocked: self = .roomLocked
        case .muted: self = .muted
        case .conflict: self = .conflict
        case .notAPeer: self = .notAPeer
        case .stageRefused: self = .stageRefused
        }
    }
}
