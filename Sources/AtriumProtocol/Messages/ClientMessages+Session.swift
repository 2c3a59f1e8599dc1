/// Joining, measuring the round trip, leaving.
extension ClientMessages {
    public struct Hello: ClientMessage {
        public static let type = "hello"

        public var name: String
        public var token: String?
        public var resume: String?
        public var appearance: Int?

        public init(name: String, token: String? = nil, resume: String? = nil, appearance: Int? = nil) {
            self.name = name
            self.token = token
            self.resume = resume
            self.appearance = appearance
        }
    }

    public struct Ping: ClientMessage {
        public static let type = "ping"

        /// Client time, echoed back.
        public var t: Double?
        public init(t: Double? = nil) { self.t = t }
    }

    /// The avatar leaves now; a dropped connection instead keeps it for the resume grace.
    public struct Leave: ClientMessage {
        public static let type = "leave"
        public init() {}
    }
}
