/// Whether the stage has video, for `/readyz` and for clients: without Janus the room runs
/// on, and the stage is text plus the map's `streamUrl`.
public enum StageStatus: Sendable, Equatable {
    case ready
    case degraded(String)

    public var isReady: Bool { self == .ready }

    public var reason: String? {
        if case .degraded(let reason) = self { return reason }
        return nil
    }
}
