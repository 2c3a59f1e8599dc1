/// A session's token buckets, one per kind of traffic, so a chat flood cannot starve
/// movement and a burst of reactions cannot starve chat.
///
/// Adding a limit (say, for signaling): a case in ``Kind``, a bucket here with its rate
/// in ``SessionSettings``, and `limit: .theKind` on the rules it applies to.
struct SessionBuckets: Sendable {
    enum Kind: Sendable, Equatable {
        case moves, chats, notes, actions, media, signals
    }

    private var moves: TokenBucket
    private var chats: TokenBucket
    private var notes: TokenBucket
    private var actions: TokenBucket
    private var media: TokenBucket
    private var signals: TokenBucket

    init(_ settings: SessionSettings, now: ContinuousClock.Instant) {
        moves = TokenBucket(rate: settings.moveRate, now: now)
        chats = TokenBucket(rate: settings.chatRate, now: now)
        notes = TokenBucket(rate: settings.noteRate, now: now)
        actions = TokenBucket(rate: settings.actionRate, now: now)
        media = TokenBucket(rate: settings.mediaRate, now: now)
        signals = TokenBucket(rate: settings.signalRate, now: now)
    }

    /// Each new conversation peer brings the signals a negotiation with it takes, on top
    /// of the steady rate, up to that grant for every peer the room allows at once.
    mutating func grantSignals(newPeers: Int, settings: SessionSettings) {
        let grant = Double(settings.signalsPerNewPeer)
        signals.grant(grant * Double(newPeers), upTo: settings.signalRate.burst + grant * Double(settings.maxConversationPeers))
    }

    /// Takes a token from the bucket of `kind` if it has one.
    mutating func take(_ kind: Kind, now: ContinuousClock.Instant) -> Bool {
        switch kind {
        case .moves: return moves.take(now: now)
        case .chats: return chats.take(now: now)
        case .notes: return notes.take(now: now)
        case .actions: return actions.take(now: now)
        case .media: return media.take(now: now)
        case .signals: return signals.take(now: now)
        }
    }
}
