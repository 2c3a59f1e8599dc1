import AtriumProtocol
import AtriumWorld

/// The stage: hands, publishing and watching, and the moderators' controls. Who may publish
/// is the room's decision on the tick (it knows roles, tiles, mutes and media); watching is
/// open to everyone in the room, so the session asks Janus for a viewer's grant itself.
extension SessionMachine {
    static let stageRules: [SessionRule] = [
        .joined(ClientMessages.StageHand.self, limit: .actions) { value, machine, _ in
            [.submit(.stage(machine.client, .hand(up: value.up), ref: value.ref))]
        },
        .joined(ClientMessages.StagePublish.self, limit: .actions) { value, machine, _ in
            [.submit(.stage(machine.client, .publish, ref: value.ref))]
        },
        .joined(ClientMessages.StageWatch.self, limit: .actions) { value, _, _ in
            [.sendStageGrant(ref: value.ref)]
        },
        .joined(ClientMessages.StageAir.self, limit: .actions) { value, machine, _ in
            [.submit(.moderate(machine.client, .onAir(avatarID: value.avatar, on: value.on), ref: value.ref))]
        },
        .joined(ClientMessages.StageDismiss.self, limit: .actions) { value, machine, _ in
            [.submit(.moderate(machine.client, .lowerHand(avatarID: value.avatar), ref: value.ref))]
        },
    ]
}
