/// Saying something; who hears it is the room's decision (Protocol/README.md, *Chat*).
extension ClientMessages {
    public struct Chat: ClientRequest {
        public static let type = "chat"

        public var scope: ChatScope
        public var text: String
        /// The recipient's avatar id, for `dm`.
        public var to: UInt32?
        /// A client-chosen id echoed in the acknowledgement, so the sender can match it.
        public var ref: String?

        public init(scope: ChatScope, text: String, to: UInt32? = nil, ref: String? = nil) {
            self.scope = scope
            self.text = text
            self.to = to
            self.ref = ref
        }
    }
}
