import AtriumCluster

/// What a "come find me" link carries: which avatar to arrive next to, in which room
/// instance, until when; signed with the server's secret (``SignedToken``, kind `near1`),
/// so a friend can only be placed where a visitor asked to be found. It grants nothing
/// else: the friend is admitted by the room's own rules, as without it.
struct FindMeTicket: Codable, Sendable, Equatable {
    static let kind = "near1"

    /// The room instance's key (`room`, or `room~N` for an overflow instance).
    var room: String
    var avatar: UInt32
    /// Milliseconds since the Unix epoch.
    var expires: Int64

    enum CodingKeys: String, CodingKey {
        case room, avatar, expires = "exp"
    }

    func signed(with signer: some MessageSigner) -> String {
        SignedToken.sign(self, kind: Self.kind, signer: signer)
    }

    /// The avatar to arrive next to, if `text` is a genuine ticket for this instance that
    /// has not expired; nil otherwise (the visitor then arrives at a spawn point).
    static func avatar(in text: String, signer: some MessageSigner, instance: String, now: Int64) -> UInt32? {
        guard let ticket = try? SignedToken.verify(text, kind: kind, as: FindMeTicket.self, signer: signer),
              ticket.expires > now, ticket.room == instance else { return nil }
        return ticket.avatar
    }
}
