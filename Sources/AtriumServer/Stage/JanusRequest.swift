import Foundation

/// One request to Janus's core API over its WebSocket transport (`janus.c`). The token and
/// transaction are added when it is sent: the token from the shared secret and the wall
/// clock, which the pure session machine does not hold.
enum JanusRequest: Equatable, Sendable {
    case createSession
    case attach(session: UInt64)
    case keepAlive(session: UInt64)
    case message(session: UInt64, handle: UInt64, body: VideoRoomRequest)
    case detach(session: UInt64, handle: UInt64)

    func encoded(transaction: String, token: String) -> String {
        let envelope: Envelope
        switch self {
        case .createSession:
            envelope = Envelope(janus: "create", transaction: transaction, token: token)
        case .attach(let session):
            envelope = Envelope(janus: "attach", transaction: transaction, token: token, sessionID: session,
                                plugin: JanusToken.videoRoomPlugin)
        case .keepAlive(let session):
            envelope = Envelope(janus: "keepalive", transaction: transaction, token: token, sessionID: session)
        case .message(let session, let handle, let body):
            envelope = Envelope(janus: "message", transaction: transaction, token: token, sessionID: session, handleID: handle,
                                body: body.body)
        case .detach(let session, let handle):
            envelope = Envelope(janus: "detach", transaction: transaction, token: token, sessionID: session, handleID: handle)
        }
        // Encoding plain strings and integers cannot fail.
        let data = (try? JSONEncoder().encode(envelope)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private struct Envelope: Encodable {
        var janus: String
        var transaction: String
        var token: String
        var sessionID: UInt64?
        var handleID: UInt64?
        var plugin: String?
        var body: VideoRoomRequest.Body?

        enum CodingKeys: String, CodingKey {
            case janus, transaction, token, plugin, body
            case sessionID = "session_id"
            case handleID = "handle_id"
        }
    }
}
