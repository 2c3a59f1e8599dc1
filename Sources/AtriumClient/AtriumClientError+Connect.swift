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
                self = .connectionFailed("HTTP \(status)")
                return
            }
            self = Self.isTerminal(refusal.code) || refusal.code == .notFound
                ? .refused(refusal.code, refusal.message)
                : .connectionFailed("\(status) \(refusal.code.rawValue): \(refusal.message)")
        case .timedOut:
            self = .timedOut
        default:
            self = .connectionFailed(error.description)
        }
    }
}
