/// Chat as delivered: one copy for the listeners, the sender's with its `ref`.
extension ServerMessages {
    public struct Chat: ServerReply {
        public static let type = "chat"

        public struct Sender: Codable, Sendable, Equatable {
            public var id: UInt32
            public var name: String
            public init(id: UInt32, name: String) {
                self.id = id
                self.name = name
            }
        }

        public var id: UInt64
        public var from: Sender
        public var scope: ChatScope
        public var text: String
        /// Server time of the message, milliseconds since the Unix epoch.
        public var time: Int64
        /// The recipient, for `dm`.
        public var to: UInt32?
        /// Present only in the sender's own copy: the `ref` it sent, as acknowledgement.
        public var ref: String?
        /// Present only in the sender's own copy: how many others heard it (0: nobody did).
        public var heard: Int?

        public init(id: UInt64, from: Sender, scope: ChatScope, text: String, time: Int64, to: UInt32? = nil, ref: String? = nil,
                    heard: Int? = nil) {
            self.id = id
            self.from = from
            self.scope = scope
            self.text = text
            self.time = time
            self.to = to
            self.ref = ref
            self.heard = heard
        }
    }
}
