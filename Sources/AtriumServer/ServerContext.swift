import AtriumCluster
import AtriumProtocol
import AtriumStore
import AtriumWorld
import Dispatch
import Foundation
import Logging

/// What every session shares: settings, logger, clock, and the admission rule.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let logger: Logger
    let wallClock: @Sendable () -> Double
    let secret: ServerSecret
    let storage: any Storage
    let metrics: ServerMetrics
    /// True while the server drains; set by ``Server``.
    let isDraining: @Sendable () -> Bool
    /// The limits every session enforces.
    let sessionSettings: SessionSettings
    /// STUN and TURN for the browsers' WebRTC connections.
    let ice: IceConfiguration
    /// Janus for the stage's video; nil when `stage.janus_url` is not set.
    let stage: JanusStage?
    /// Where sessions read files (question sets), so a slow disk never holds an I/O queue.
    let fileQueue = DispatchQueue(label: "atrium.files", qos: .utility)

    init(configuration: ServerConfiguration, logger: Logger, secret: ServerSecret, storage: any Storage, metrics: ServerMetrics,
         ice: IceConfiguration = IceConfiguration(), stage: JanusStage? = nil, isDraining: @escaping @Sendable () -> Bool = { false },
         wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.metrics = metrics
        self.isDraining = isDraining
        self.configuration = configuration
        self.logger = logger
        self.secret = secret
        self.storage = storage
        self.wallClock = wallClock
        sessionSettings = SessionSettings(configuration)
        self.ice = ice
        self.stage = stage
    }

    struct Admission: Sendable {
        var role: Role
        var registrationID: String?
        /// The avatar a genuine, unexpired find-me token for this instance names.
        var near: UInt32?
        /// In a cluster, a visitor back with a resume ticket: the ticket's person and the
        /// ticket itself, which stays their resume token.
        var rejoin: Rejoin?

        init(role: Role, registrationID: String? = nil, near: UInt32? = nil, rejoin: Rejoin? = nil) {
            self.role = role
            self.registrationID = registrationID
            self.near = near
            self.rejoin = rejoin
        }
    }

    struct Rejoin: Sendable, Equatable {
        var person: String
        var token: String
    }

    struct Refusal: Error, Sendable, Equatable {
        var code: ErrorCode
        var message: String
        /// Seconds to wait before reconnecting, when the server knows (a restart).
        var retryAfter: Int?

        init(code: ErrorCode, message: String, retryAfter: Int? = nil) {
            self.code = code
            self.message = message
            self.retryAfter = retryAfter
        }
    }

    /// Decides who may enter a room and as what, off the caller's queue: nobody while
    /// the server drains; the token's signature, expiry and room here; revocation, the
    /// role and bans from the store. Open rooms admit anyone without a token as a guest
    /// (unless the address is banned); registered rooms need a valid token. A find-me
    /// token (`near`) only says where a new avatar starts; a bad or expired one is ignored.
    /// In a cluster a genuine resume ticket for the room stands for the join token it was
    /// issued on, so a visitor whose room moved to this node comes back as the same person
    /// (the ticket grants no role: the store is asked as for a token).
    func admit(token: String?, near: String? = nil, resume: String? = nil, room: RoomHost, address: String?,
               completion: @escaping @Sendable (Result<Admission, Refusal>) -> Void) {
        guard !isDraining() else {
            let notice = configuration.restartNotice
            completion(.failure(Refusal(code: notice.code, message: notice.message, retryAfter: notice.retryAfter)))
            return
        }
        var registrationID: String?
        let ticket = resume.flatMap { resume in
            configuration.cluster.runsNode
                ? ResumeTicket.verify(resume, signer: secret, room: room.roomID, now: Int64(wallClock() * 1000)) : nil
        }
        if let token {
            do {
                registrationID = try JoinToken.verify(token, secret: secret, room: room.roomID, now: Int64(wallClock())).registration
            } catch {
                logger.info("join token refused", metadata: ["reason": "\(error)", "room": "\(room.id)"])
                completion(.failure(Refusal(code: .badToken, message: error.description)))
                return
            }
        } else if let ticket, let registration = ticket.registration {
            registrationID = registration
        } else if room.map.properties.access != .open {
            completion(.failure(Refusal(code: .badToken,
                                        message: "this room is for registered participants; open your personal join link")))
            return
        }
        let requested = registrationID
        let nearAvatar = near.flatMap {
            FindMeTicket.avatar(in: $0, signer: secret, instance: room.id, now: Int64(wallClock() * 1000))
        }
        // A ticket issued on another registration's token is nobody's here.
        let rejoin = ticket.flatMap { $0.registration == requested ? Rejoin(person: $0.person, token: resume ?? "") : nil }
        storage.admission(registrationID: requested, address: address) { result in
            switch result {
            case .failure(let error):
                completion(.failure(Refusal(code: .storeUnavailable, message: "cannot check the registration now: \(error)")))
            case .success(let found):
                if found.banned {
                    completion(.failure(Refusal(code: .banned, message: "you are banned from this event")))
                } else if let registrationID = requested {
                    guard let registration = found.registration, registration.revokedAt == nil else {
                        completion(.failure(Refusal(code: .badToken, message: "the join link was revoked")))
                        return
                    }
                    guard let role = Role(rawValue: registration.role) else {
                        // The import validates roles, so this is a store edited by hand or by a
                        // newer version: refuse rather than guess a role, and say why in the log.
                        self.logger.error("registration has an unknown role", metadata: ["registration": "\(registrationID)",
                                                                                  "role": "\(registration.role)"])
                        completion(.failure(Refusal(code: .badToken, message: "the join link's registration is damaged; ask the organizers")))
                        return
                    }
                    completion(.success(Admission(role: role, registrationID: registrationID, near: nearAvatar, rejoin: rejoin)))
                } else {
                    completion(.success(Admission(role: .guest, near: nearAvatar, rejoin: rejoin)))
                }
            }
        }
    }

    /// The resume token of a new avatar: a random secret on a single server; in a cluster
    /// a ticket naming the join's person, signed with the shared secret, so any node that
    /// runs the room later lets the visitor back as the same person.
    func newResumeToken(for join: JoinRequest, room: String) -> String {
        guard configuration.cluster.runsNode else { return SecureToken.make() }
        let expires = Int64(wallClock() * 1000) + configuration.cluster.resumeTicketLifetime.milliseconds
        return ResumeTicket(room: room, person: join.person, registration: join.registrationID, name: join.name,
                            appearance: Int(join.appearance), expires: expires, nonce: SecureToken.make()).signed(with: secret)
    }
}
