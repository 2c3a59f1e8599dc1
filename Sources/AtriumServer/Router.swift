import AtriumCluster
import AtriumNet
import AtriumProtocol
import AtriumWebSocket
import Foundation
import Synchronization

/// Atrium's HTTP routes:
/// - `GET /healthz`: liveness; `GET /readyz`: ready to take joins.
/// - `GET /ws?room=ID`: the WebSocket of a room; 404 for an unknown room and 503 for a
///   full one, before the upgrade, so a proxy can route on the URL alone. In a cluster
///   the URL also carries a seat (`&seat=…`), and a node lets the WebSocket in only for an
///   instance it hosts under the seat's lease generation.
/// - `GET /api/seat?room=ID`: where to open a room's WebSocket (``SeatAnswer``).
/// - `GET /api/invitation?room=ID&token=…`: the registered name behind a join link (``InvitationDesk``).
/// - `GET /maps/…`: map files and exhibit content (never quiz files).
/// - `GET /echo`, `GET /fanout`: transport benchmarks' echo and broadcast, only when enabled.
/// - everything else: the browser client from the web folder.
struct Router: HTTPRouter {
    let rooms: RoomRegistry
    let defaultRoom: String
    let context: ServerContext
    /// This node's part in a cluster; nil for a single server.
    let cluster: ClusterNode?
    /// The configured rooms.
    let roomIDs: Set<String>
    let maps: StaticFiles?
    let web: StaticFiles?
    let readiness: @Sendable () -> Bool
    let fanout = FanoutHub()
    let handshakes: HandshakeLimiter
    /// Whether the stage has video; without it the rooms run on and the stage is text.
    let stageStatus: @Sendable () -> StageStatus
    /// Updates the transport's gauges just before `/metrics` is read.
    let sampleTransport = SampleHook()

    func route(_ request: HTTPRequest, connection: Connection) -> HTTPRoute {
        var path = request.path
        if path.hasPrefix("/node/") {
            // A node answers under its own prefix too (`/node/NAME/…`, the path a seat
            // names), for clients that reach it without nginx; another node's is refused.
            let rest = path.dropFirst("/node/".count)
            let name = rest.prefix { $0 != "/" }
            guard let cluster, name == cluster.name else {
                return .respond(.error(421, code: "room_moved", message: "this is not node \(name.prefix(32)); ask /api/seat again"))
            }
            path = rest.dropFirst(name.count)
        }
        switch path {
        case "/healthz":
            return .respond(.json(200, #"{"status":"ok"}"#))
        case "/metrics":
            let address = connection.remoteAddress?.ipString ?? ""
            guard MetricsPolicy.allows(address, from: context.configuration.metricsFrom) else {
                return .respond(.error(403, code: "forbidden", message: "metrics are not served to this address"))
            }
            sampleTransport.run()
            for host in rooms.all.values { host.publishGauges() }
            return .respond(HTTPResponse(status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8",
                                                                "Cache-Control": "no-store"],
                                         body: .bytes(context.metrics.exposition())))
        case "/readyz":
            return .respond(.json(readiness() ? 200 : 503, ReadinessReport(ready: readiness(), stage: stageStatus()).json))
        case "/ws":
            return webSocket(request, connection: connection)
        case "/api/seat":
            return seat(request)
        case "/api/invitation":
            // Tokens name rooms, not their overflow instances.
            let key = request.query("room") ?? defaultRoom
            let room = RoomInstance(key: key)?.room ?? key
            let (token, context) = (request.query("token"), context)
            return .respondLater { respond in InvitationDesk.answer(token: token, room: room, context: context, respond: respond) }
        case "/echo" where context.configuration.echoEndpoint:
            return .webSocket(WebSocketUpgrade(configuration: context.configuration.webSocket,
                                               outboundLimits: context.configuration.outboundLimits) { channel in
                channel.delegate = EchoWebSocket()
            })
        case "/fanout" where context.configuration.echoEndpoint:
            let hub = fanout
            return .webSocket(WebSocketUpgrade(configuration: context.configuration.webSocket,
                                               outboundLimits: context.configuration.outboundLimits) { channel in
                hub.join(channel)
            })
        default:
            break
        }
        if path.hasPrefix("/maps/"), let maps {
            let relative = path.dropFirst("/maps/".count)
            guard MapContentPolicy.isServable(relative) else {
                return .respond(.error(404, code: "not_found", message: "no such file"))
            }
            return .respond(maps.respond(to: request, relativePath: relative))
        }
        if let web {
            return .respond(web.respond(to: request, relativePath: path.dropFirst()))
        }
        return .respond(.error(404, code: "not_found", message: "no such path"))
    }

    /// How much of an unknown room id a 404 quotes back: enough to spot a typo in a link,
    /// never a whole hostile query string.
    static let maxQuotedRoomLength = 64

    private func webSocket(_ request: HTTPRequest, connection: Connection) -> HTTPRoute {
        let roomID = request.query("room") ?? defaultRoom
        let found: RoomHost?
        if let cluster {
            guard let instance = RoomInstance(key: roomID), roomIDs.contains(instance.room) else {
                return .respond(.error(404, code: "not_found", message: "no room \"\(roomID.prefix(Self.maxQuotedRoomLength))\""))
            }
            // Only the node that holds the lease runs the room, whatever sent this here.
            do {
                _ = try Seat.verify(request.query("seat") ?? "", signer: context.secret, node: cluster.name, instance: instance,
                                    hosting: cluster.hostingGeneration(instance), now: Int64(context.wallClock() * 1000))
            } catch {
                context.metrics.error("room_moved")
                return .respond(.error(409, code: "room_moved", message: "\(error.description); ask /api/seat again"))
            }
            found = rooms[instance.key]
            guard found != nil else {
                return .respond(.error(409, code: "room_moved", message: "the room is starting or stopping here; ask /api/seat again"))
            }
        } else {
            found = rooms[roomID]
        }
        guard let host = found else {
            return .respond(.error(404, code: "not_found", message: "no room \"\(roomID.prefix(Self.maxQuotedRoomLength))\""))
        }
        guard readiness() else {
            let retry = context.configuration.restartNotice
            return .respond(.error(503, code: "server_restarting", message: retry.message,
                                   headers: ["Retry-After": "\(retry.retryAfter ?? 5)"]))
        }
        let address = connection.remoteAddress?.ipString ?? "unknown"
        guard handshakes.allow(address) else {
            context.metrics.error("rate_limited")
            return .respond(.error(429, code: "rate_limited", message: "too many connection attempts; slow down",
                                   headers: ["Retry-After": "2"]))
        }
        // Places held by away avatars do not count: their owners may be resuming. A new
        // join into a full room is refused after the upgrade, with room_full.
        guard host.connectedClients < host.capacity else {
            return .respond(.error(503, code: "room_full", message: "the room is full", headers: ["Retry-After": "30"]))
        }
        if let origin = request.headers["Origin"], !OriginPolicy.allows(origin: origin, host: request.headers["Host"],
                                                                          allowed: context.configuration.allowedOrigins) {
            return .respond(.error(403, code: "forbidden", message: "origin not allowed"))
        }
        let context = self.context
        var configuration = context.configuration.webSocket
        configuration.maxMessageBytes = context.configuration.maxMessageBytes
        return .webSocket(WebSocketUpgrade(configuration: configuration, outboundLimits: context.configuration.outboundLimits,
                                           subprotocols: [WireUnits.subprotocol]) { channel in
            context.metrics.handshakes.increment()
            channel.delegate = Session(channel: channel, host: host, context: context)
        })
    }

    /// `GET /api/seat?room=ID[&instance=N][&token=…]`. A single server answers with its own
    /// path; a node of a cluster asks the directory (claiming the instance if nobody holds
    /// it) and signs a seat for the node that hosts it. A valid moderator's token lets the
    /// placement send its bearer to any instance, full or not.
    private func seat(_ request: HTTPRequest) -> HTTPRoute {
        // A "come find me" link names the friend's instance (`room~N`): that instance is wanted.
        let named = RoomInstance(key: request.query("room") ?? defaultRoom)
        let roomID = named?.room ?? request.query("room") ?? defaultRoom
        guard let cluster else {
            guard rooms[roomID] != nil else {
                return .respond(.error(404, code: "not_found", message: "no room \"\(roomID.prefix(Self.maxQuotedRoomLength))\""))
            }
            let encoded = roomID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? roomID
            return .respond(.json(200, SeatAnswer(room: roomID, instance: 1, node: nil, path: "/ws?room=\(encoded)",
                                                  expiresIn: nil, instances: []).json))
        }
        guard roomIDs.contains(roomID) else {
            return .respond(.error(404, code: "not_found", message: "no room \"\(roomID.prefix(Self.maxQuotedRoomLength))\""))
        }
        guard readiness() else {
            // nginx asks another node.
            return .respond(.error(503, code: "server_restarting", message: "this node is draining", headers: ["Retry-After": "1"]))
        }
        let wanted = request.query("instance").flatMap { Int($0) }.flatMap { (1...RoomInstance.maxNumber).contains($0) ? $0 : nil }
            ?? named.flatMap { $0.number > 1 ? $0.number : nil }
        let token = request.query("token")
        let context = self.context
        return .respondLater { respond in
            SeatDesk.isModerator(token: token, room: roomID, context: context) { moderator in
                cluster.seat(room: roomID, instance: wanted, moderator: moderator) { outcome in
                    respond(SeatDesk.response(outcome, room: roomID, directory: cluster))
                }
            }
        }
    }
}

/// `/readyz`'s body: `status` is what a load balancer acts on; `stage` says whether the
/// stage has video (`ready`) or falls back to text (`degraded`, with `stageReason`), which
/// never makes the server unready.
struct ReadinessReport: Encodable {
    var status: String
    var stage: String
    var stageReason: String?

    init(ready: Bool, stage: StageStatus) {
        status = ready ? "ready" : "draining"
        self.stage = stage.isReady ? "ready" : "degraded"
        stageReason = stage.reason
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"status":"\#(status)"}"#
    }
}

/// Which files under the maps folder the server hands out: maps, tilesets and exhibit
/// media; never quiz sets (they hold the answers) or anything hidden.
enum MapContentPolicy {
    static func isServable(_ relative: Substring) -> Bool {
        let decoded = PercentDecoding.decode(relative) ?? ""
        let segments = decoded.split(separator: "/")
        guard !segments.contains(where: { $0.hasPrefix(".") || $0 == "quiz" }) else { return false }
        let name = segments.last.map(String.init) ?? ""
        let allowed = ["tmj", "tsj", "png", "jpg", "jpeg", "gif", "webp", "svg", "mp4", "webm", "mp3", "ogg", "pdf"]
        return allowed.contains { name.lowercased().hasSuffix("." + $0) }
    }
}

/// The browser Origin rule: an explicit allow-list when configured, else same origin
/// (the Origin's host and port equal the Host header).
enum OriginPolicy {
    static func allows(origin: String, host: String?, allowed: [String]) -> Bool {
        if !allowed.isEmpty { return allowed.contains(origin) || allowed.contains("*") }
        guard let host else { return false }
        let stripped = origin.hasPrefix("https://") ? origin.dropFirst(8) : origin.hasPrefix("http://") ? origin.dropFirst(7) : nil
        return stripped.map { $0.lowercased() == host.lowercased() } ?? false
    }
}

/// Who may read `/metrics` (`security.metrics_from`).
enum MetricsPolicy {
    static func allows(_ address: String, from prefixes: [String]) -> Bool {
        prefixes.contains { $0 == "*" || (!$0.isEmpty && address.hasPrefix($0)) }
    }
}

/// A closure set once after construction, for values that exist only later.
final class SampleHook: Sendable {
    private let body = Mutex<(@Sendable () -> Void)?>(nil)

    func set(_ body: @escaping @Sendable () -> Void) {
        self.body.withLock { $0 = body }
    }

    func run() {
        body.withLock { $0 }?()
    }
}
