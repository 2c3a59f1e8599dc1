import Synchronization

/// The room hosts a server runs, by instance key. A single server fills it once at start;
/// a node of a cluster adds a host when it gains a room's lease and removes it when it
/// loses it, while the router looks hosts up from the I/O queues.
final class RoomRegistry: Sendable {
    private let hosts = Mutex<[String: RoomHost]>([:])

    init(_ hosts: [String: RoomHost] = [:]) {
        self.hosts.withLock { $0 = hosts }
    }

    subscript(id: String) -> RoomHost? {
        hosts.withLock { $0[id] }
    }

    var all: [String: RoomHost] {
        hosts.withLock { $0 }
    }

    /// Adds `host` if `stillWanted` says so, checked under the registry's lock, so a host
    /// whose lease ended while it was being built is never added after its removal.
    @discardableResult
    func add(_ host: RoomHost, if stillWanted: () -> Bool) -> Bool {
        hosts.withLock { hosts in
            guard stillWanted() else { return false }
            hosts[host.id] = host
            return true
        }
    }

    func remove(_ id: String) -> RoomHost? {
        hosts.withLock { $0.removeValue(forKey: id) }
    }
}
