/// How an avatar shows itself, and who else is here.
extension ClientMessages {
    public struct Emote: ClientMessage {
        public static let type = "emote"

        public var emote: EmoteKind
        public init(emote: EmoteKind) { self.emote = emote }
    }

    public struct Status: ClientMessage {
        public static let type = "status"

        public var text: String
        public init(text: String) { self.text = text }
    }

    public struct Who: ClientMessage {
        public static let type = "who"

        public var limit: Int?
        public init(limit: Int? = nil) { self.limit = limit }
    }
}
