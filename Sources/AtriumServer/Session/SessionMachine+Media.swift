import AtriumProtocol
import AtriumWorld

/// Proximity voice and video: media state, the signalling relay's edge rules, and the
/// ICE servers each joined client gets and renews.
///
/// Who may signal whom is the room's decision (its conversation peers); the session
/// bounds the size and rate. Signalling abuse ends the session instead of being answered
/// message by message: a legitimate client never comes near the limits (each new peer the
/// room gives it adds the signals that negotiation takes), and an answer to each excess
/// signal would double a flood.
extension SessionMachine {
    static let mediaRules: [SessionRule] = [
        .joined(ClientMessages.Media.self, limit: .media) { media, machine, _ in
            [.submit(.media(machine.client, MediaChange(mic: media.mic, camera: media.camera, speaking: media.speaking)))]
        },
        .joined(ClientMessages.RTCSignal.self, limit: nil) { signal, machine, now in
            machine.signal(signal, now: now)
        },
    ]

    private mutating func signal(_ signal: ClientMessages.RTCSignal, now: ContinuousClock.Instant) -> [SessionAction] {
        guard signal.data.utf8.count <= settings.maxSignalBytes else {
            return end(.init(code: .messageTooLarge, message: "rtc_signal data is limited to \(settings.maxSignalBytes) bytes"))
        }
        guard takeToken(.signals, now: now) else {
            return end(.init(code: .rateLimited, message: "too many rtc_signal messages"))
        }
        return [.submit(.signal(client, to: signal.to, data: signal.data))]
    }

    /// The room welcomed the avatar: its ICE servers now, and again before they expire.
    func welcomed(now: ContinuousClock.Instant) -> [SessionAction] {
        guard case .joined = phase, settings.hasIceServers else { return [] }
        return [.sendIceServers] + iceRefreshTimer(now: now)
    }

    mutating func iceRefreshDue(now: ContinuousClock.Instant) -> [SessionAction] {
        guard case .joined = phase else { return [] }
        return [.sendIceServers] + iceRefreshTimer(now: now)
    }

    private func iceRefreshTimer(now: ContinuousClock.Instant) -> [SessionAction] {
        settings.iceRefresh.map { [.setTimer(.iceRefresh, at: now + $0)] } ?? []
    }
}
