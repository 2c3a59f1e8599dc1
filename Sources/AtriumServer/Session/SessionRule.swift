import AtriumProtocol

/// What a session does with one type of client message: the phase it needs, the rate it
/// is limited by, and the actions it becomes. ``SessionMachine`` finds the rule by the
/// message's type; a test checks that every message in ``ClientMessages/all`` has one.
///
/// How to add a session rule (a new client message, or a new limit on one):
/// 1. In the feature's file (`SessionMachine+Feature.swift`), add to its rule list
///    `.joined(ClientMessages.TheMessage.self, limit: .actions) { message, machine, now in … }`
///    returning actions: `.submit` to the room, `.send` to the client, or a new action
///    when the rule needs I/O (then the adapter, ``Session``, runs it and feeds the result
///    back through a new machine method, as `pageNotes` → ``SessionMachine/notesRead(_:for:)``).
/// 2. A new feature's list is added once to ``SessionMachine/rules``.
/// 3. A new rate is a kind in ``SessionBuckets`` with its setting in ``SessionSettings``.
/// 4. Test it in `SessionMachineTests` with a manual clock: feed messages, expect actions.
struct SessionRule: Sendable {
    let messageType: ObjectIdentifier
    let apply: @Sendable (any ClientMessage, inout SessionMachine, ContinuousClock.Instant) -> [SessionAction]

    private init<Message: ClientMessage>(
        _: Message.Type,
        _ apply: @escaping @Sendable (Message, inout SessionMachine, ContinuousClock.Instant) -> [SessionAction]
    ) {
        messageType = ObjectIdentifier(Message.self)
        self.apply = { message, machine, now in
            guard let message = message as? Message else { return [] }
            return apply(message, &machine, now)
        }
    }

    /// A rule for a connection that has not joined yet (only `hello`).
    static func beforeJoining<Message: ClientMessage>(
        _ type: Message.Type,
        _ body: @escaping @Sendable (Message, inout SessionMachine, ContinuousClock.Instant) -> [SessionAction]
    ) -> SessionRule {
        SessionRule(type, body)
    }

    /// A rule for a joined session, after a token from `limit` (nil: not limited).
    static func joined<Message: ClientMessage>(
        _ type: Message.Type, limit: SessionBuckets.Kind?,
        _ body: @escaping @Sendable (Message, inout SessionMachine, ContinuousClock.Instant) -> [SessionAction]
    ) -> SessionRule {
        SessionRule(type) { message, machine, now in
            if let refusal = machine.admitJoined(limit: limit, ref: nil, now: now) { return refusal }
            return body(message, &machine, now)
        }
    }

    /// A rule for a joined session's request: its `ref` is cut to its bound first, and
    /// a refusal carries it.
    static func joined<Message: ClientRequest>(
        _ type: Message.Type, limit: SessionBuckets.Kind?,
        _ body: @escaping @Sendable (Message, inout SessionMachine, ContinuousClock.Instant) -> [SessionAction]
    ) -> SessionRule {
        SessionRule(type) { message, machine, now in
            var request = message
            request.ref = request.ref.map { String($0.prefix(machine.settings.maxRefLength)) }
            if let refusal = machine.admitJoined(limit: limit, ref: request.ref, now: now) { return refusal }
            return body(request, &machine, now)
        }
    }
}
