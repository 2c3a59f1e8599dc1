import AtriumCluster
import AtriumNet
import AtriumWorld
import AtriumProtocol
import Foundation

/// The HTTP side of `/api/seat` in a cluster: who asks, and the answer's shape.
enum SeatDesk {
    /// Whether `token` is a genuine join token for `room` whose registration holds the
    /// moderator role now (the store says; a revoked one does not).
    static func isModerator(token: String?, room: String, context: ServerContext, completion: @escaping @Sendable (Bool) -> Void) {
        guard let token, let registration = try? JoinToken.verify(token, secret: context.secret, room: room,
                                                                  now: Int64(context.wallClock())).registration else {
            return completion(false)
        }
        context.storage.admission(registrationID: registration, address: nil) { result in
            guard case .success(let found) = result, !found.banned, let person = found.registration, person.revokedAt == nil else {
                return completion(false)
            }
            completion(person.role == Role.moderator.rawValue)
        }
    }

    static func response(_ outcome: SeatOutcome, room: String, directory cluster: ClusterNode) -> HTTPResponse {
        switch outcome {
        case .seat(let seat, let token, let loads):
            // `~` is unreserved in a URL: an instance's key reads the same in the path.
            let key = seat.roomInstance.key.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["~"]))
                ?? seat.roomInstance.key
            let path = NodeName.pathPrefix(seat.node) + "/ws?room=\(key)&seat=\(token)"
            let answer = SeatAnswer(room: room, instance: seat.instance, node: seat.node, path: path,
                                    expiresIn: Int(cluster.settings.seatLifetime.components.seconds),
                                    instances: loads.map { .init(number: $0.number, population: $0.population) })
            return .json(200, answer.json)
        case .unknownRoom:
            return .error(404, code: "not_found", message: "no room \"\(room.prefix(64))\"")
        case .full:
            return .error(503, code: "room_full", message: "every instance of the room is full", headers: ["Retry-After": "30"])
        case .retry(let after):
            return .error(503, code: "room_moved", message: "the room is moving between servers; ask again",
                          headers: ["Retry-After": "\(max(1, after.components.seconds))"])
        case .unavailable(let detail):
            return .error(503, code: "store_unavailable", message: detail, headers: ["Retry-After": "1"])
        }
    }
}
