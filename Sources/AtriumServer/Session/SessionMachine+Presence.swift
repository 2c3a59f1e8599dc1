import AtriumProtocol
import AtriumWorld

/// How an avatar shows itself, and who else is here.
extension SessionMachine {
    static let presenceRules: [SessionRule] = [
        .joined(ClientMessages.Emote.self, limit: .actions) { emote, machine, _ in
            [.submit(.emote(machine.client, code: emote.emote.code))]
        },
        .joined(ClientMessages.Status.self, limit: .actions) { status, machine, _ in
            [.submit(.status(machine.client, text: status.text))]
        },
        .joined(ClientMessages.Who.self, limit: .actions) { who, machine, _ in
            let limit = min(max(who.limit ?? machine.settings.defaultWhoLimit, 0), machine.settings.maxWhoLimit)
            return [.submit(.who(machine.client, limit: limit))]
        },
    ]
}
