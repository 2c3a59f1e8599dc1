/// A seat: the short-lived, signed answer of `GET /api/seat`, which says that one room
/// instance runs on one node under one lease generation. The client presents it to that
/// node's WebSocket path; the node takes the join only if the seat is genuine, unexpired,
/// names this node and the generation it hosts under now. A request that nginx or a stale
/// DNS entry sends to the wrong node, or that arrives after the room moved, is refused
/// and the client asks for a new seat.
public struct Seat: Codable, Sendable, Equatable {
    public static let kind = "seat1"

    public var room: String
    public var instance: Int
    public var node: String
    public var generation: Int64
    /// Milliseconds since the Unix epoch.
    public var expires: Int64

    enum CodingKeys: String, CodingKey {
        case room, instance = "inst", node, generation = "gen", expires = "exp"
    }

    public init(instance: RoomInstance, node: String, generation: Int64, expires: Int64) {
        room = instance.room
        self.instance = instance.number
        self.node = node
        self.generation = generation
        self.expires = expires
    }

    public var roomInstance: RoomInstance { RoomInstance(room: room, number: instance) }

    public func signed(with signer: some MessageSigner) -> String {
        SignedToken.sign(self, kind: Self.kind, signer: signer)
    }

    /// Why a node refuses a seat. Every refusal sends the client back to the seat
    /// endpoint, so a refusal is never final.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed
        case forged
        case expired
        /// The seat is for another node (a proxy or client sent it to the wrong place).
        case otherNode(String)
        /// The seat is for another room or instance than the URL asks for.
        case otherRoom
        /// This node does not host the instance, or hosts it under another generation:
        /// the room moved since the seat was made.
        case notHosted

        public var description: String {
            switch self {
            case .malformed: return "the seat is not a valid seat"
            case .forged: return "the seat was not issued by this cluster"
            case .expired: return "the seat has expired"
            case .otherNode(let node): return "the seat is for node \(node)"
            case .otherRoom: return "the seat is for another room"
            case .notHosted: return "this room is not hosted here any more"
            }
        }
    }

    /// Checks a seat presented to `node` for `instance`; `hosting` is the generation this
    /// node hosts the instance under now, if it does.
    public static func verify(_ text: String, signer: some MessageSigner, node: String, instance: RoomInstance,
                              hosting: Int64?, now: Int64) throws(Refusal) -> Seat {
        let seat: Seat
        do {
            seat = try SignedToken.verify(text, kind: kind, as: Seat.self, signer: signer)
        } catch {
            throw error == .forged ? .forged : .malformed
        }
        guard seat.expires > now else { throw .expired }
        guard seat.node == node else { throw .otherNode(seat.node) }
        guard seat.roomInstance == instance else { throw .otherRoom }
        guard let hosting, hosting == seat.generation else { throw .notHosted }
        return seat
    }
}
