import AtriumProtocol
import AtriumWorld

/// Saying hello, being admitted, measuring the round trip, leaving.
extension SessionMachine {
    static let joiningRules: [SessionRule] = [
        .beforeJoining(ClientMessages.Hello.self) { hello, machine, now in machine.hello(hello, now: now) },
        .joined(ClientMessages.Ping.self, limit: nil) { ping, _, _ in [.pong(t: ping.t)] },
        .joined(ClientMessages.Leave.self, limit: nil) { _, machine, _ in
            machine.phase = .closed
            return [.submit(.leave(machine.client)), .close(.normalClosure, reason: "left")]
        },
        .joined(ClientMessages.FindMe.self, limit: .actions) { request, machine, _ in
            guard case .joined(let avatarID) = machine.phase else { return [] }
            return [.findMe(avatarID: avatarID, ref: request.ref)]
        },
    ]

    /// Checks the name here, at the edge, then asks for the admission.
    private mutating func hello(_ hello: ClientMessages.Hello, now: ContinuousClock.Instant) -> [SessionAction] {
        guard phase == .awaitingHello else { return reject(.alreadyJoined, "this connection already said hello", now: now) }
        switch NameRules.validate(hello.name) {
        case .failure(let violation):
            return end(.init(code: .nameInvalid, message: violation.message))
        case .success(let name):
            phase = .joining
            // A find-me token longer than any the server makes is not one: the visitor
            // arrives at a spawn point, as with an expired one.
            let near = hello.near.flatMap { $0.utf8.count <= settings.maxFindMeTokenLength ? $0 : nil }
            let resume = hello.resume.map { String($0.prefix(settings.maxResumeTokenLength)) }
            pendingJoin = PendingJoin(name: name, appearance: UInt8(clamping: hello.appearance ?? 0), resumeToken: resume, near: near)
            return [.admit(token: hello.token, near: near, resume: resume)]
        }
    }

    /// The admission's answer. `guestKey` is a fresh secret and `resumeToken` makes the
    /// token a new avatar gets (a random secret, or a cluster's ticket naming the join's
    /// person), both from the adapter, so the machine stays deterministic. A visitor let in
    /// by a resume ticket keeps their person and their ticket, and joins afresh when the
    /// room does not know the ticket (it moved here from another node).
    mutating func admission(_ result: Result<ServerContext.Admission, ServerContext.Refusal>, guestKey: String,
                            resumeToken: (JoinRequest) -> String) -> [SessionAction] {
        // The connection closed while the store was asked: nothing to join.
        guard phase == .joining, let pending = pendingJoin else { return [] }
        pendingJoin = nil
        switch result {
        case .failure(let refusal):
            return end(.init(code: refusal.code, message: refusal.message, retryAfter: refusal.retryAfter))
        case .success(let admitted):
            registrationID = admitted.registrationID
            var request = JoinRequest(
                client: client, name: pending.name, role: admitted.role, registrationID: admitted.registrationID,
                person: admitted.rejoin?.person ?? admitted.registrationID ?? "guest-" + guestKey, appearance: pending.appearance,
                resumeToken: pending.resumeToken, newResumeToken: admitted.rejoin?.token ?? "", near: admitted.near)
            if admitted.rejoin != nil {
                request.rejoinsIfUnknown = true
            } else {
                request.newResumeToken = resumeToken(request)
            }
            return [.submit(.join(request))]
        }
    }
}
