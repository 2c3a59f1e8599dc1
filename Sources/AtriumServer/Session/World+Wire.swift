import AtriumProtocol
import AtriumWorld

// The world's names for wire values, mapped by exhaustive switches: a case added on
// either side fails to compile here instead of falling back silently.

extension AtriumWorld.ChatScope {
    init(_ scope: AtriumProtocol.ChatScope) {
        switch scope {
        case .nearby: self = .nearby
        case .area: self = .area
        case .stage: self = .stage
        case .room: self = .room
        case .dm: self = .dm
        }
    }
}

extension AtriumProtocol.ChatScope {
    init(_ scope: AtriumWorld.ChatScope) {
        switch scope {
        case .nearby: self = .nearby
        case .area: self = .area
        case .stage: self = .stage
        case .room: self = .room
        case .dm: self = .dm
        }
    }
}

extension ReactionKind {
    init(_ name: ReactionName) {
        switch name {
        case .cheer: self = .cheer
        case .like: self = .like
        case .empathy: self = .empathy
        }
    }
}
