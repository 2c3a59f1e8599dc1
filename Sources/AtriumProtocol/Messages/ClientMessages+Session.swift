/// Joining, measuring the round trip, leaving.
extension ClientMessages {
    public struct Hello: ClientMessage {
        public static let type = "hello"

        public var name: String
        public var token: String?
        public var resume: String?
        public var appearance: Int?
        /// A friend's "come find me" token (``ServerMessages/FindMe``): a new avatar starts next to them.
        public var near: String?

        public init(name: String, token: String? = nil, resume: String? = nil, appearance: Int? = nil, near: String? = nil) {
            self.name = name
            self.token = token
            self.resume = resume
            self.appearance = appearance
            self.near = near
        }
    }

    public struct Ping: ClientMessage {
        public static let type = "ping"

        /// Client time, echoed back.
        public var t: Double?
        public init(t: Double? = nil) { self.t = t }
    }

    /// Asks for a "come find me" token to share (answered by ``ServerMessages/FindMe``).
    public struct FindMe: ClientRequest {
        public static let type = "find_me"

        public var ref: String?
        public init(ref: String? = nil) { self.ref = ref }
    }

    /// The avatar leaves now; a dropped connection instead keeps it for the resume grace.
    public struct Leave: ClientMessage {
        public static let type = "leave"
        public init() {}
    }
}
