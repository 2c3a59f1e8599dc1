import AtriumProtocol
import AtriumWorld
import Foundation
import Logging

/// What every session shares: settings, logger, clock, and the admission rule.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let logger: Logger
    let wallClock: @Sendable () -> Double

    init(configuration: ServerConfiguration, logger: Logger,
         wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.configuration = configuration
        self.logger = logger
        self.wallClock = wallClock
    }

    struct Admission: Sendable {
        var role: Role
        var registrationID: String?
    }

    struct Refusal: Error, Sendable {
        var code: ErrorCode
        var message: String
    }

    /// Decides who may enter a room and as what. Open rooms admit anyone without a
    /// token as a guest; registered rooms need a valid join token.
    func admit(token: String?, room: RoomHost) -> Result<Admission, Refusal> {
        if token == nil {
            guard room.map.properties.access == .open else {
                return .failure(Refusal(code: .badToken, message: "this room is for registered participants; open your personal join link"))
            }
            return .success(Admission(role: .guest))
        }
        return .failure(Refusal(code: .badToken, message: "the join token is not valid"))
    }
}
