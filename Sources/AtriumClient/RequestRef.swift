/// The name of one pending request: the `ref` it carries on the wire (`"r12"`), or for a
/// ping the `t` the server echoes (12), and the key its completion waits under.
///
/// Serials only grow over a client's life, so an answer to a request that was already
/// failed (it timed out, or its connection dropped) can never complete a newer one.
struct RequestRef: Hashable, Sendable, Comparable, CustomStringConvertible {
    let serial: UInt64

    init(serial: UInt64) {
        self.serial = serial
    }

    /// The ref of a request's answer or error; nil for refs this client never makes.
    init?(wire: String) {
        guard wire.first == "r", let serial = UInt64(wire.dropFirst()) else { return nil }
        self.serial = serial
    }

    /// The ref of a pong, from the `t` it echoes.
    init?(pingTime t: Double) {
        guard let serial = UInt64(exactly: t) else { return nil }
        self.serial = serial
    }

    var wire: String { "r\(serial)" }

    /// What a ping carries as `t`; exact for serials below 2⁵³.
    var pingTime: Double { Double(serial) }

    var description: String { wire }

    static func < (lhs: RequestRef, rhs: RequestRef) -> Bool { lhs.serial < rhs.serial }
}
