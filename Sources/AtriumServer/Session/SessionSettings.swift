import AtriumCluster
import AtriumProtocol

/// Every limit one session enforces, with its default. Rates, strikes, the hello timeout
/// and the JSON size come from ``ServerConfiguration`` (configurable per server); the
/// lengths are the protocol's own bounds (Protocol/README.md), cut at the edge so
/// nothing longer reaches a room, a log or an echo.
struct SessionSettings: Sendable, Equatable {
    /// How long a new connection may take to say `hello` before it is closed.
    var helloTimeout: Duration = .seconds(10)
    /// Largest JSON control message; larger ones are answered `message_too_large`.
    var maxJSONMessageBytes = 16 * 1024
    /// Movement intents (binary); excess ones are dropped with a strike, unanswered.
    var moveRate = RateLimit(perSecond: 30, burst: 60)
    /// Chat messages.
    var chatRate = RateLimit(perSecond: 1, burst: 5)
    /// Notes posted on boards, which are stored for good.
    var noteRate = RateLimit(perSecond: 0.2, burst: 3)
    /// Everything else a joined client asks for: emotes, status, `who`, exhibits,
    /// reactions, moderation, the quiz.
    var actionRate = RateLimit(perSecond: 5, burst: 20)
    /// `media` reports (microphone, camera, voice activity), each one a state update
    /// for everyone in view.
    var mediaRate = RateLimit(perSecond: 5, burst: 20)
    /// WebRTC signals; a client past this is flooding and is closed. A stable set of
    /// eight peers' offers, answers and ICE candidates together stay far below it; a set
    /// that keeps changing (walking through a crowd) brings `signalsPerNewPeer` more for
    /// each new peer, so a client that only follows the room's peer set is never closed.
    var signalRate = RateLimit(perSecond: 50, burst: 200)
    /// Signals a new conversation peer adds to the budget: a description and its trickled
    /// ICE candidates, for a negotiation and a renegotiation.
    var signalsPerNewPeer = 40
    /// The room's cap on conversation peers; the grants never exceed this many at once.
    var maxConversationPeers = 8
    /// Largest `data` of one `rtc_signal` (UTF-8 bytes); a larger one closes the session.
    var maxSignalBytes = 16 * 1024
    /// Largest `rtc_signal` message as sent, escaping included; other JSON messages stay
    /// within `maxJSONMessageBytes`.
    var maxSignalMessageBytes = 40 * 1024
    /// Whether STUN or TURN servers are configured; without any, no `ice_servers` is
    /// sent and browsers use host candidates only.
    var hasIceServers = false
    /// How often a joined client gets fresh ICE servers (TURN credentials), before they
    /// expire; nil without TURN, when they never do.
    var iceRefresh: Duration?
    /// Protocol violations (bad messages, rate limits) tolerated within `strikeWindow`;
    /// one more closes the connection with 1008. A single bad message never does.
    var maxStrikes = 20
    var strikeWindow: Duration = .seconds(10)
    /// A request's `ref` is cut to this many characters before it is echoed.
    var maxRefLength = 64
    /// Exhibit ids are cut to this many characters before they reach the room; map ids
    /// are shorter, so a longer one can only be not found.
    var maxExhibitIDLength = 128
    /// A kick or ban reason is cut to this many characters before it is stored and shown.
    var maxReasonLength = 200
    /// A resume token is cut to this many characters; the server's own are shorter (a
    /// cluster's signed resume tickets are longer, and allowed as long as a signed token).
    var maxResumeTokenLength = 64
    /// A "come find me" token longer than this (UTF-8 bytes) is ignored; the server's own
    /// are about 150.
    var maxFindMeTokenLength = 512
    /// How much of a client-chosen id an error message quotes back.
    var maxQuotedLength = 64
    /// `who` without a `limit` lists this many people; a `limit` is capped at `maxWhoLimit`.
    var defaultWhoLimit = 200
    var maxWhoLimit = 1000
    /// `notes_page` without a `limit` returns this many notes; at most `maxNotesPageLimit`.
    var defaultNotesPageLimit = 20
    var maxNotesPageLimit = 100

    init() {}

    /// The server's configured limits, the protocol's bounds as above.
    init(_ configuration: ServerConfiguration) {
        helloTimeout = configuration.helloTimeout
        if configuration.cluster.runsNode { maxResumeTokenLength = SignedToken.maxLength }
        maxJSONMessageBytes = configuration.maxJSONMessageBytes
        moveRate = configuration.moveRate
        chatRate = configuration.chatRate
        noteRate = configuration.noteRate
        actionRate = configuration.actionRate
        mediaRate = configuration.mediaRate
        signalRate = configuration.signalRate
        signalsPerNewPeer = configuration.signalsPerNewPeer
        maxConversationPeers = configuration.maxConversationPeers
        maxSignalBytes = configuration.maxSignalBytes
        maxSignalMessageBytes = max(configuration.maxSignalBytes * 2 + 1024, configuration.maxJSONMessageBytes)
        hasIceServers = !configuration.stunURLs.isEmpty || !configuration.turnURLs.isEmpty
        if !configuration.turnURLs.isEmpty {
            // Renewed at three quarters of the lifetime, so a slow client is never left without.
            iceRefresh = .milliseconds(configuration.turnCredentialTTL.components.seconds * 750)
        }
        maxStrikes = configuration.maxStrikes
    }
}
