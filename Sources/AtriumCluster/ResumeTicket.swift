/// A resume token that any node of the cluster can read: who the avatar was (person,
/// registration, name, appearance) and where, signed with the shared secret. The node
/// that runs the room knows the token and takes the avatar back as before; a node that
/// took the room over after a failover does not, and uses the ticket to let the visitor
/// back in under the same identity, so their reactions and notes stay theirs.
///
/// The ticket grants no role: a registered visitor's role, revocation and bans are read
/// from the store at every join, as for a join token.
public struct ResumeTicket: Codable, Sendable, Equatable {
    public static let kind = "res1"

    public var room: String
    /// The one-per-person key (the registration id, or a guest's random key).
    public var person: String
    public var registration: String?
    public var name: String
    public var appearance: Int
    /// Milliseconds since the Unix epoch.
    public var expires: Int64
    /// Random, so that two tickets never collide as keys in a room.
    public var nonce: String

    enum CodingKeys: String, CodingKey {
        case room, person, registration = "reg", name, appearance = "app", expires = "exp", nonce
    }

    public init(room: String, person: String, registration: String?, name: String, appearance: Int, expires: Int64, nonce: String) {
        self.room = room
        self.person = person
        self.registration = registration
        self.name = name
        self.appearance = appearance
        self.expires = expires
        self.nonce = nonce
    }

    public func signed(with signer: some MessageSigner) -> String {
        SignedToken.sign(self, kind: Self.kind, signer: signer)
    }

    /// The ticket, if `text` is a genuine, unexpired ticket for `room` (any instance:
    /// after a failover the visitor may land in another one).
    public static func verify(_ text: String, signer: some MessageSigner, room: String, now: Int64) -> ResumeTicket? {
        guard let ticket = try? SignedToken.verify(text, kind: kind, as: ResumeTicket.self, signer: signer),
              ticket.expires > now, ticket.room == room else { return nil }
        return ticket
    }
}
