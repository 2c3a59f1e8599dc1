import AtriumCluster
import AtriumProtocol
import AtriumWorld
import Dispatch
import Foundation

/// A node of a cluster runs the instances whose leases it holds, and acts on what the
/// other nodes publish.
extension Server: ClusterHosting {
    /// What the visitors of a room that stops here are told: ask for a seat again.
    static let roomMovedNotice = ServerMessages.ErrorMessage(
        code: .roomMoved, message: "the room moved to another server; reconnecting", retryAfter: 0)

    func startHosting(_ instance: RoomInstance, generation: Int64, completion: @escaping @Sendable (Bool) -> Void) {
        guard let plan = plans[instance.room], let cluster else { return completion(false) }
        // Reading the room's exhibits from the store may take a moment: not on the cluster's queue.
        DispatchQueue.global().async { [self] in
            let host: RoomHost
            do {
                host = try plan.host(id: instance.key, roomID: instance.room, storage: storage, metrics: metrics, logger: context.logger)
            } catch {
                context.logger.error("cannot start room", metadata: ["instance": "\(instance)", "error": "\(error)"])
                return completion(false)
            }
            host.mayTick = { [weak cluster] in cluster?.hostingGeneration(instance) == generation }
            host.setRelay(relay(for: instance, tickRate: plan.map.properties.tickRate, cluster: cluster))
            guard registry.add(host, if: { cluster.hostingGeneration(instance) == generation }) else {
                return completion(false)
            }
            host.start()
            // An instance that opens while the event's quiz runs joins it.
            for message in cluster.quizSoFar(room: instance.room) { host.submitQuizStep(message) }
            completion(true)
        }
    }

    func stopHosting(_ instance: RoomInstance, reason: LeaseAction.StopReason) {
        registry.remove(instance.key)?.retire(with: Self.roomMovedNotice)
    }

    func population(of instance: RoomInstance) -> Int {
        registry[instance.key]?.population ?? 0
    }

    func apply(_ envelope: BusEnvelope) {
        switch envelope.event {
        case .announcement(let text, let from, let room):
            let message = ServerMessages.Announcement(text: text, from: from, time: envelope.time)
            for host in registry.all.values where room == nil || host.roomID == room { host.broadcast(message) }
        case .revoked(let registration):
            let notice = ServerMessages.ErrorMessage(code: .badToken, message: "the join link was revoked")
            for host in registry.all.values { host.endSessions(with: notice) { $0.registrationID == registration } }
        case .banned(let registration, let address, _):
            let notice = ServerMessages.ErrorMessage(code: .banned, message: "you are banned from this event")
            for host in registry.all.values {
                host.endSessions(with: notice) { session in
                    (registration != nil && session.registrationID == registration)
                        || (registration == nil && address != nil && session.address == address)
                }
            }
        case .quiz(let message):
            cluster?.quizHeard(message)
            for host in registry.all.values where host.roomID == message.room { host.submitQuizStep(message) }
        }
    }

    func instancesChanged(room: String, loads: [InstancePlacement.Load]) {
        guard let capacity = plans[room]?.capacity else { return }
        let listed = loads.sorted { $0.number < $1.number }.map { SeatAnswer.Instance(number: $0.number, population: $0.population) }
        for host in registry.all.values where host.roomID == room {
            let own = RoomInstance(key: host.id)?.number ?? 1
            host.setInstances(ServerMessages.Instances(room: room, instance: own, capacity: capacity, instances: listed))
        }
    }

    /// Announcements and the quiz go to every instance of the room through the bus; bans
    /// to every node.
    private func relay(for instance: RoomInstance, tickRate: Int, cluster: ClusterNode) -> HostRelay {
        let room = instance.room
        return HostRelay(broadcast: { event in
            guard case .announcement(let text, let from) = event else { return false }
            cluster.publish(.announcement(text: text, from: from, room: room)) { _ in }
            return true
        }, banned: { registration, address, reason in
            cluster.publish(.banned(registration: registration, address: address, reason: reason)) { _ in }
        }, quiz: { report in
            cluster.quizReport(report, room: room, instance: instance.number, tickRate: tickRate)
        })
    }

    /// Publishes an event to every node of the cluster, this one included; false for a
    /// single server or when the bus did not take it.
    public func publish(_ event: ClusterEvent) async -> Bool {
        guard let cluster else { return false }
        return await withCheckedContinuation { continuation in
            cluster.publish(event) { continuation.resume(returning: (try? $0.get()) != nil) }
        }
    }

    /// Which instances this node hosts now, with their lease generations; empty for a
    /// single server.
    public var hostedInstances: [String: Int64] {
        (cluster?.hostedInstances ?? [:]).reduce(into: [:]) { $0[$1.key.key] = $1.value }
    }
}
