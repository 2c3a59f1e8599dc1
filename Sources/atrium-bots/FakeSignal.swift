/// WebRTC signals as a browser sends them, in size and number, with none of the meaning:
/// an offer of about 4.5 KiB (audio and video, Chrome's codec list), an answer of about
/// 3.5 KiB, and ICE candidates of about 250 bytes, six after each description. Each
/// carries its send time on the bots' shared clock, so the receiving bot can time the
/// relay one way.
///
/// `data` is `<kind>:<nanoseconds since the bots' clock origin>:<padding>`.
enum FakeSignal {
    enum Kind: Character, Sendable {
        case offer = "o"
        case answer = "a"
        case candidate = "c"

        var size: Int {
            switch self {
            case .offer: return 4600
            case .answer: return 3600
            case .candidate: return 250
            }
        }
    }

    static let candidatesPerDescription = 6

    static func make(_ kind: Kind, at elapsed: Duration) -> String {
        let head = "\(kind.rawValue):\(elapsed.nanoseconds):"
        return head + String(repeating: "x", count: max(0, kind.size - head.utf8.count))
    }

    static func kind(of data: String) -> Kind? {
        data.first.flatMap(Kind.init(rawValue:))
    }

    static func sentTime(_ data: String, origin: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let parts = data.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0].count == 1, let nanoseconds = Int64(parts[1]) else { return nil }
        return origin + .nanoseconds(nanoseconds)
    }
}
