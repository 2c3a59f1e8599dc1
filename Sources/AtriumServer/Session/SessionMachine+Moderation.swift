import AtriumProtocol
import AtriumWorld

/// Moderators' requests. Who may is the room's decision (it knows roles); the session
/// bounds rates and reasons.
extension SessionMachine {
    static let moderationRules: [SessionRule] = [
        .joined(ClientMessages.Announce.self, limit: .actions) { value, machine, _ in
            machine.moderate(.announce(value.text), ref: value.ref)
        },
        .joined(ClientMessages.Spotlight.self, limit: .actions) { value, machine, _ in
            machine.moderate(.spotlight(avatarID: value.avatar, on: value.on), ref: value.ref)
        },
        .joined(ClientMessages.Mute.self, limit: .actions) { value, machine, _ in
            machine.moderate(.mute(avatarID: value.avatar, on: value.on), ref: value.ref)
        },
        .joined(ClientMessages.Kick.self, limit: .actions) { value, machine, _ in
            machine.moderate(.kick(avatarID: value.avatar, reason: machine.reason(value.reason)), ref: value.ref)
        },
        .joined(ClientMessages.Ban.self, limit: .actions) { value, machine, _ in
            machine.moderate(.ban(avatarID: value.avatar, reason: machine.reason(value.reason)), ref: value.ref)
        },
        .joined(ClientMessages.Teleport.self, limit: .actions) { value, machine, _ in
            machine.moderate(.teleport(avatarID: value.avatar, Position(x: value.x, y: value.y)), ref: value.ref)
        },
        .joined(ClientMessages.Lock.self, limit: .actions) { value, machine, _ in
            machine.moderate(.lock(value.on), ref: value.ref)
        },
        .joined(ClientMessages.Roster.self, limit: .actions) { value, machine, _ in
            machine.moderate(.roster, ref: value.ref)
        },
    ]

    private func moderate(_ action: ModeratorAction, ref: String?) -> [SessionAction] {
        [.submit(.moderate(client, action, ref: ref))]
    }

    private func reason(_ reason: String?) -> String? {
        reason.map { String($0.prefix(settings.maxReasonLength)) }
    }
}
