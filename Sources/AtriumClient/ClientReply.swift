import AtriumProtocol

/// What completes a request: the server's answer, or for a ping the measured round trip.
enum ClientReply: Sendable, Equatable {
    case message(any ServerMessage)
    case roundTrip(Duration)

    static func == (lhs: ClientReply, rhs: ClientReply) -> Bool {
        switch (lhs, rhs) {
        case (.message(let a), .message(let b)): return a.isEqual(to: b)
        case (.roundTrip(let a), .roundTrip(let b)): return a == b
        default: return false
        }
    }
}
