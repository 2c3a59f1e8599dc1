internal import AtriumNet
import AtriumProtocol

extension AtriumClientError {
    /// Why a socket could not be opened, in the client's terms. A refusal before the
    /// upgrade carries an Atrium error in its body (`room_full`, `not_found`, …); those
    /// that no retry can cure end the session, the rest count as failed connections.
    init(_ error: WebSocketConnectError) {
        switch error {
        case .invalidURL(let url):
            self = .invalidURL(url)
        case .refused(let status, let body):
            guard let refusal = (try? ServerMessages.decode(Array(body.utf8))) as? ServerMessages.ErrorMessage else {
                // A code this client does not know (the listener's `too_many_connections`)
                // still names the refusal.
                self = .connectionFailed("HTTP \(status)" + (Self.code(in: body).map { " \($0)" } ?? ""))
                return
            }
            self = Self.isTerminal(refusal.code) || refusal.code == .notFound
                ? .refused(refusal.code, refusal.message)
                : .connectionFailed("HTTP \(status) \(refusal.code.rawValue): \(refusal.message)")
        case .timedOut:
            self = .timedOut
        default:
            self = .connectionFailed(error.description)
        }
    }

    /// The `code` of a JSON error body, read without knowing the code: the string after
    /// `"code":`, if it is a plain one.
    static func code(in body: String) -> String? {
        let pieces = body.split(separator: "\"", omittingEmptySubsequences: false)
        for index in pieces.indices.dropLast(2) where pieces[index] == "code" {
            guard pieces[index + 1].allSatisfy({ $0 == ":" || $0 == " " }), !pieces[index + 2].isEmpty else { return nil }
            return String(pieces[index + 2])
        }
        return nil
    }

    /// Whether a refused upgrade says `room_moved`: the node does not run the room (or
    /// the URL has no seat for it), so the client asks `/api/seat` where it runs.
    static func isRoomMoved(_ error: WebSocketConnectError) -> Bool {
        guard case .refused(_, let body) = error else { return false }
        return code(in: body) == ErrorCode.roomMoved.rawValue
    }
}
