import AtriumNet
import Foundation

/// `GET /api/invitation?room=ID&token=…`: whom a join link invites, so the join form can
/// greet them with the name they registered under. Only the holder of a genuine,
/// unexpired, unrevoked token learns it; the answer is `{"name", "role"}`, or the error
/// the join itself would give (`bad_token`, `store_unavailable`).
enum InvitationDesk {
    struct Answer: Encodable {
        var name: String
        var role: String
    }

    static func answer(token: String?, room: String, context: ServerContext, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        guard let token, !token.isEmpty else {
            respond(.error(400, code: "bad_message", message: "the invitation's token is missing"))
            return
        }
        let registrationID: String
        do {
            registrationID = try JoinToken.verify(token, secret: context.secret, room: room, now: Int64(context.wallClock())).registration
        } catch {
            respond(.error(403, code: "bad_token", message: error.description))
            return
        }
        context.storage.admission(registrationID: registrationID, address: nil) { result in
            switch result {
            case .failure:
                respond(.error(503, code: "store_unavailable", message: "cannot read the registration now; please try again",
                               headers: ["Retry-After": "5"]))
            case .success(let found):
                guard let registration = found.registration, registration.revokedAt == nil else {
                    respond(.error(403, code: "bad_token", message: "the join link was revoked"))
                    return
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let body = (try? encoder.encode(Answer(name: registration.name, role: registration.role)))
                    .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                respond(.json(200, body))
            }
        }
    }
}
