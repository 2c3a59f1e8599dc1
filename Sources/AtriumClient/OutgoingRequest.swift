import AtriumProtocol

/// A request whose caller waits for the server's answer. ``ClientMachine`` gives it a
/// ``RequestRef``, sends it and fails it at its deadline.
///
/// A new feature's request needs no new case: any `ClientRequest` whose answer or error
/// echoes its `ref` goes through ``referenced(_:)``.
enum OutgoingRequest: Sendable {
    /// A request answered by the `ServerReply` (or error) that echoes its ref: chat,
    /// exhibits, notes, moderation. Its `ref` is set by the machine.
    case referenced(any ClientRequest)
    /// Who is in the room. `people` carries no ref, so answers complete these in order.
    case who(limit: Int)
    /// A round trip; the pong echoes the ref as `t`.
    case ping

    /// How its answer is recognised.
    var kind: PendingRequests.Kind {
        switch self {
        case .referenced: return .referenced
        case .who: return .people
        case .ping: return .ping
        }
    }

    func message(ref: RequestRef) -> any ClientMessage {
        switch self {
        case .referenced(var request):
            request.ref = ref.wire
            return request
        case .who(let limit): return ClientMessages.Who(limit: limit)
        case .ping: return ClientMessages.Ping(t: ref.pingTime)
        }
    }
}
