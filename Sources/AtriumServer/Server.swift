import AtriumCluster
import AtriumNet
import AtriumProtocol
import AtriumStore
import AtriumWebSocket
import AtriumWorld
import Foundation
import Logging
import Synchronization

/// A whole Atrium server: maps loaded and checked, one ``RoomHost`` per room, the HTTP
/// and WebSocket transport, and orderly shutdown. A library type so that tests start
/// servers in-process; the executable only parses arguments and calls this.
public final class Server: Sendable {
    public let configuration: ServerConfiguration
    /// The rooms this server runs now, by instance key: all of them for a single server,
    /// those whose lease it holds for a node of a cluster.
    public var rooms: [String: RoomHost] { registry.all }
    let registry: RoomRegistry
    public let defaultRoomID: String
    /// The configured rooms (not instances), with their maps and settings.
    let plans: [String: RoomPlan]
    /// This server's part in a cluster; nil for a single server.
    let cluster: ClusterNode?
    /// Closes the cluster's directory and bus if this server opened them.
    private let closeCluster: @Sendable () -> Void
    private let http: HTTPServer
    let context: ServerContext
    private let draining = AtomicFlag()

    public let storage: any Storage
    public let metrics: ServerMetrics
    /// Signs and checks join tokens.
    public let secret: ServerSecret
    /// Janus for the stage's video; nil when `stage.janus_url` is not set.
    public let stage: JanusStage?

    /// - Parameters:
    ///   - storage: where durable state goes; when nil, the store the configuration names
    ///     (`store.url`), by default the SQLite database in the data folder.
    ///   - cluster: the directory and bus shared with the other nodes when `cluster.node`
    ///     is set (ignored otherwise); when nil, they are opened in the PostgreSQL database
    ///     the store URL names.
    public init(configuration: ServerConfiguration, logger: Logger, storage: (any Storage)? = nil,
                cluster services: ClusterServices? = nil) throws(ServerError) {
        self.configuration = configuration
        let metrics = ServerMetrics()
        self.metrics = metrics
        let secret: ServerSecret
        do {
            if configuration.cluster.isEnabled, let file = configuration.cluster.secretFile {
                secret = try ServerSecret.load(file: file)
            } else {
                secret = try ServerSecret.loadOrCreate(dataDirectory: configuration.dataDirectory)
            }
        } catch {
            throw .storage(error.description)
        }
        self.secret = secret
        if let storage {
            self.storage = storage
        } else {
            do {
                self.storage = try configuration.storeOpener.open(
                    onCommit: { latency, _ in metrics.storeWrites.recordNanoseconds(latency.totalNanoseconds) })
            } catch {
                throw .storage(error.description)
            }
        }
        let ice: IceConfiguration
        do {
            ice = try IceConfiguration.load(configuration)
        } catch {
            throw .configuration(error.message)
        }
        let files = MapCatalog.mapFiles(in: configuration.mapsDirectory)
        guard !files.isEmpty else { throw .noMaps(directory: configuration.mapsDirectory) }
        var maps: [String: WorldMap] = [:]
        var failures: [MapCatalog.Failure] = []
        for file in files {
            switch MapCatalog.load(file: file) {
            case .success(let map): maps[map.id] = map
            case .failure(let failure): failures.append(failure)
            }
        }
        guard failures.isEmpty else { throw .invalidMaps(failures) }

        let assignments = configuration.rooms.isEmpty ? maps.keys.sorted().map { ($0, $0) } : configuration.rooms.map { ($0.id, $0.map) }
        let firstMessageID = UInt64(Date().timeIntervalSince1970 * 1000) * 1000
        var plans: [String: RoomPlan] = [:]
        for (index, (roomID, mapID)) in assignments.enumerated() {
            guard let map = maps[mapID] else { throw .unknownMap(room: roomID, map: mapID) }
            if configuration.cluster.runsNode, roomID.contains("~") { throw .clusterRoomName(roomID) }
            let roomConfiguration = RoomConfiguration(
                id: roomID, walkSpeed: configuration.walkSpeed, gridCellTiles: configuration.gridCellTiles,
                maxVisible: configuration.maxVisible, nearStateCells: configuration.nearStateCells,
                farStateInterval: configuration.farStateInterval, stateBudgetBytes: configuration.stateBudgetBytes,
                reconnectGrace: configuration.reconnectGrace, maxChatLength: configuration.maxChatLength,
                maxNoteLength: configuration.maxNoteLength,
                pathNodesPerTick: configuration.pathNodesPerTick,
                capacity: configuration.cluster.instanceCapacity > 0 ? configuration.cluster.instanceCapacity : nil,
                maxConversationPeers: configuration.maxConversationPeers, maxRaisedHands: configuration.stage.maxRaisedHands, seed: UInt64.random(in: 1...UInt64.max), firstMessageID: firstMessageID + UInt64(index) * 1_000_000_000)
            var planned = roomConfiguration
            // Several instances play one quiz for the whole event.
            planned.eventQuiz = configuration.cluster.maxInstances > 1
            plans[roomID] = RoomPlan(map: map, configuration: planned)
        }
        self.plans = plans
        let group = IOQueueGroup()
        var stageLogger = logger
        stageLogger[metadataKey: "component"] = "stage"
        let stage = configuration.stage.isEnabled
            ? JanusStage(configuration: configuration.stage, roomIDs: plans.keys.sorted(), logger: stageLogger, group: group) : nil
        self.stage = stage
        let drainingFlag = draining
        context = ServerContext(configuration: configuration, logger: logger, secret: secret, storage: self.storage, metrics: metrics,
                                ice: ice, stage: stage, isDraining: { drainingFlag.isSet })
        var hosts: [String: RoomHost] = [:]
        if !configuration.cluster.runsNode {
            for (roomID, plan) in plans {
                do {
                    hosts[roomID] = try plan.host(id: roomID, roomID: roomID, storage: self.storage, metrics: metrics, logger: logger)
                } catch {
                    throw .storage(error.description)
                }
            }
        }
        registry = RoomRegistry(hosts)
        let defaultRoom = configuration.defaultRoom ?? assignments[0].0
        guard plans[defaultRoom] != nil else { throw .unknownDefaultRoom(defaultRoom) }
        defaultRoomID = defaultRoom
        if configuration.cluster.runsNode {
            let node = configuration.cluster.nodeName
            let services = if let services { services } else if configuration.cluster.isEnabled {
                try ClusterServices.postgres(url: configuration.storeURL ?? "", lease: configuration.cluster.lease)
            } else {
                // A single server with overflow instances: a cluster of one, in memory.
                ClusterServices.inMemory()
            }
            closeCluster = services.close
            var clusterLogger = logger
            clusterLogger[metadataKey: "node"] = "\(node)"
            cluster = ClusterNode(settings: configuration.cluster, name: node, directory: services.directory, bus: services.bus,
                                  signer: secret, capacities: plans.mapValues(\.capacity), metrics: metrics, logger: clusterLogger)
        } else {
            cluster = nil
            closeCluster = {}
        }

        var addresses: [SocketAddress] = []
        for host in configuration.hosts {
            let expanded = host == "localhost" ? ["127.0.0.1", "::1"] : [host]
            for ip in expanded {
                guard let address = SocketAddress(ip: ip, port: configuration.port) else { throw .invalidHost(host) }
                addresses.append(address)
            }
        }
        var tls: TLSContext?
        if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
            do {
                tls = try TLSContext(certificateChainFile: certificate, privateKeyFile: key)
            } catch {
                throw .tls(error.message)
            }
        }
        let draining = self.draining
        metrics.rooms.record(plans.count)
        let router = Router(rooms: registry, defaultRoom: defaultRoom, context: context, cluster: cluster,
                            roomIDs: Set(plans.keys),
                            maps: StaticFiles(root: configuration.mapsDirectory),
                            web: configuration.webDirectory.flatMap { StaticFiles(root: $0) },
                            readiness: { !draining.isSet }, handshakes: HandshakeLimiter(rate: configuration.handshakeRate),
                            stageStatus: { stage?.status ?? .degraded("no Janus configured (stage.janus_url)") })
        let listener = Listener.Configuration(addresses: addresses, maxConnections: configuration.maxConnections,
                                              maxConnectionsPerIP: configuration.maxConnectionsPerIP, tls: tls)
        let httpConfiguration = HTTPServerHandler.Configuration(headTimeout: configuration.httpHeadTimeout,
                                                                keepAliveTimeout: configuration.httpKeepAliveTimeout)
        http = HTTPServer(listener: listener, http: httpConfiguration, group: group, router: router)
        let server = http
        http.listener.onRefusal = { _, _ in metrics.refusedConnections.increment() }
        router.sampleTransport.set { metrics.connectionsOpen.record(server.listener.openConnections) }
    }

    /// Starts the rooms and listens; returns the bound addresses (with the chosen port
    /// when 0 was asked for).
    @discardableResult
    public func start() throws(ServerError) -> [SocketAddress] {
        let bound: [SocketAddress]
        do {
            bound = try http.start()
        } catch {
            throw .listen(error.description)
        }
        rooms.values.forEach { $0.start() }
        if let cluster {
            cluster.hosting = self
            cluster.start()
        }
        if let stage {
            let registry = self.registry
            stage.onLive { room, feeds in
                let avatars = Set(feeds.compactMap { UInt32(exactly: $0) })
                for host in registry.all.values where host.roomID == room { host.submit(.stageReported(avatars)) }
            }
            stage.start()
        }
        pruneChat()
        return bound
    }

    /// Deletes chat older than the retention now and every hour after.
    private func pruneChat() {
        let retention = configuration.chatRetention
        let cutoff = Int64((Date().timeIntervalSince1970 - Double(retention.components.seconds)) * 1000)
        storage.write(.pruneChat(before: cutoff)) { _ in }
        DispatchQueue.global().asyncAfter(deadline: .now() + 3600) { [weak self] in self?.pruneChat() }
    }

    public var openConnections: Int { http.listener.openConnections }

    /// The registration the start-up moderator link uses; made once, kept across restarts.
    static let operatorRegistrationID = "operator"

    /// A moderator join link for the default room, so a newcomer can try the moderator
    /// side at once. The registration is created on first use.
    public func operatorLink(baseURL: String) async -> String? {
        let known = (try? storage.registrations()) ?? []
        if !known.contains(where: { $0.id == Self.operatorRegistrationID && $0.revokedAt == nil }) {
            if known.contains(where: { $0.id == Self.operatorRegistrationID }) { return nil }
            let registration = Registration(id: Self.operatorRegistrationID, name: "Moderator", email: nil, role: "moderator",
                                            createdAt: Int64(Date().timeIntervalSince1970 * 1000))
            guard case .success = await storage.write(.register([registration])) else { return nil }
        }
        let token = Invitations.token(for: Self.operatorRegistrationID, rooms: [defaultRoomID], validFor: .seconds(86_400),
                                      secret: secret)
        return Invitations.link(baseURL: baseURL, room: defaultRoomID, token: token)
    }

    /// Whether the server is draining (no new joins; `/readyz` says so).
    public var isDraining: Bool { draining.isSet }

    /// The orderly end of a run (SIGTERM): stops new joins, tells every client the server
    /// is restarting and when to come back, waits the configured drain delay, then closes
    /// every connection with 1001, stops the rooms and flushes the store.
    public func drain() async {
        draining.set()
        if let cluster {
            // Hand the rooms over first: each stops here and its lease is released, and its
            // visitors, told the room moved, get a seat on another node at once.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                cluster.drain { continuation.resume() }
            }
            await shutdown(grace: .seconds(5))
            return
        }
        let notice = configuration.restartNotice
        for host in rooms.values { await host.broadcastToSessions(notice) }
        // Nobody to tell: no reason to keep an operator waiting.
        let connected = rooms.values.reduce(0) { $0 + $1.connectedClients }
        if configuration.drainDelay > .zero && connected > 0 { try? await Task.sleep(for: configuration.drainDelay) }
        await shutdown(grace: .seconds(5))
    }

    /// Stops taking joins, closes every WebSocket with 1001, stops the rooms, and
    /// returns when all connections are closed or `grace` has passed.
    public func shutdown(grace: Duration = .seconds(5)) async {
        draining.set()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            http.shutdown(code: .goingAway, reason: "server shutting down", grace: grace) { continuation.resume() }
        }
        rooms.values.forEach { $0.stop() }
        stage?.stop()
        // Writes already handed to the store complete before we return.
        storage.flush()
        closeCluster()
    }
}
