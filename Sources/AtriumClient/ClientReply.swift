import AtriumProtocol

/// What completes a request: the server's answer, or for a ping the measured round trip.
enum ClientReply: Sendable, Equatable {
    case message(any ServerMessage)
    case roundTrip(Duration)

    static func == (lhs: ClientReply, rhs: ClientReply) -> Bool {
        switch (lhs, rhs) {
        case (.message(let a), .message(let b)): return a.isEqual(to: b)
        case (.roundTrip(let a), .roundTrip(let b)): return a == b
        default: return false
        }
    }
}

extension Result where Success == ClientReply, Failure == AtriumClientError {
    /// The answer as the message type the request expects; anything else is the server
    /// breaking the protocol.
    func answer<Message: ServerMessage>(_ type: Message.Type) -> Result<Message, AtriumClientError> {
        flatMap { reply in
            guard case .message(let message) = reply, let typed = message as? Message else {
                return .failure(.protocolViolation("expected \(Message.type)"))
            }
            return .success(typed)
        }
    }
}
