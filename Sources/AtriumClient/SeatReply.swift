import AtriumProtocol
import FoundationEssentials

/// What an answer of `GET /api/seat` means to ``ClientMachine``: a path to open, or why
/// there is none and whether asking again soon can help.
enum SeatReply: Sendable, Equatable {
    case seat(path: String, node: String?)
    /// `transient`: the room is between nodes, the node drains or the directory is busy.
    case failed(AtriumClientError, transient: Bool, retryAfter: Duration?)

    /// Codes of a refused seat that a later request may not get.
    static let transientCodes: Set<ErrorCode> = [.roomMoved, .storeUnavailable, .serverRestarting, .rateLimited]

    init(status: Int, body: [UInt8], retryAfter: String?) {
        let hint = retryAfter.flatMap { Int($0.filter { !$0.isWhitespace }) }.map { Duration.seconds(max(0, $0)) }
        if status == 200 {
            guard let answer = try? JSONDecoder().decode(SeatAnswer.self, from: Data(body)) else {
                self = .failed(.protocolViolation("the seat answer is not a seat"), transient: false, retryAfter: nil)
                return
            }
            self = .seat(path: answer.path, node: answer.node)
            return
        }
        guard let refusal = (try? ServerMessages.decode(body)) as? ServerMessages.ErrorMessage else {
            self = .failed(.connectionFailed("seat: HTTP \(status)"), transient: false, retryAfter: hint)
            return
        }
        if AtriumClientError.isTerminal(refusal.code) || refusal.code == .notFound {
            self = .failed(.refused(refusal.code, refusal.message), transient: false, retryAfter: nil)
        } else {
            self = .failed(.connectionFailed("seat: \(status) \(refusal.code.rawValue): \(refusal.message)"),
                           transient: Self.transientCodes.contains(refusal.code), retryAfter: hint)
        }
    }
}
