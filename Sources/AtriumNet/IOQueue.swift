import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One serial queue that owns a share of the connections: their sockets, buffers and
/// handlers are touched only on it. A small fixed set of these (``IOQueueGroup``) serves
/// every connection, so there is no thread per connection and no lock on the I/O path.
///
/// `@unchecked Sendable`: the mutable members below are read and written only on `queue`.
public final class IOQueue: @unchecked Sendable {
    public let queue: DispatchQueue
    public let index: Int

    /// One read buffer for every connection on this queue; safe because the queue is
    /// serial, and it keeps a 64 KiB buffer out of each idle connection.
    let readBuffer: UnsafeMutableRawBufferPointer
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var resources: [ObjectIdentifier: AnyObject] = [:]
    private var sweepTimer: (any DispatchSourceTimer)?
    /// Work other queues handed over, drained by one block however many arrived.
    private let pending = Mutex<(items: [any QueueWork], scheduled: Bool)>(([], false))

    static let readBufferSize = 64 * 1024
    private static let identity = DispatchSpecificKey<ObjectIdentifier>()

    init(index: Int, sweepInterval: Duration) {
        self.index = index
        // Targeting a global queue keeps the I/O queues off Dispatch's "overcommit"
        // pool, which would give each its own thread and pay a context switch per event
        // whenever there are more queues than cores.
        queue = DispatchQueue(label: "atrium.io.\(index)", target: .global(qos: .userInitiated))
        readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 16)
        queue.setSpecific(key: Self.identity, value: ObjectIdentifier(self))
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = DispatchTimeInterval.nanoseconds(Int(sweepInterval.components.seconds) * 1_000_000_000
            + Int(sweepInterval.components.attoseconds / 1_000_000_000))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(50))
        timer.setEventHandler { [weak self] in self?.sweep() }
        timer.activate()
        sweepTimer = timer
    }

    deinit {
        sweepTimer?.cancel()
        readBuffer.deallocate()
    }

    /// Whether the caller is running on this queue.
    public var isCurrent: Bool {
        DispatchQueue.getSpecific(key: Self.identity) == ObjectIdentifier(self)
    }

    /// Runs `body` on this queue and waits: inline when already on it, so code that owns
    /// state on this queue can offer synchronous accessors without deadlocking itself.
    public func sync<T>(_ body: () throws -> T) rethrows -> T {
        isCurrent ? try body() : try queue.sync(execute: body)
    }

    /// Runs `work.run()` on this queue soon. Requests from other queues are collected and
    /// run by a single block, so a room sending to two thousand clients costs this queue
    /// one wake-up per tick rather than two thousand.
    func submit(_ work: any QueueWork) {
        let mustSchedule = pending.withLock { pending -> Bool in
            pending.items.append(work)
            guard !pending.scheduled else { return false }
            pending.scheduled = true
            return true
        }
        if mustSchedule {
            queue.async { [self] in runPending() }
        }
    }

    private func runPending() {
        let items = pending.withLock { pending -> [any QueueWork] in
            pending.scheduled = false
            defer { pending.items.removeAll(keepingCapacity: true) }
            return pending.items
        }
        for item in items { item.run() }
    }

    /// The number of connections this queue currently owns. Call on `queue`.
    var connectionCount: Int { connections.count }

    func register(_ connection: Connection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    func unregister(_ connection: Connection) {
        connections.removeValue(forKey: ObjectIdentifier(connection))
    }

    /// A per-queue object shared by every connection on it, made on first use; e.g. one
    /// zlib compressor instead of one per connection. Call on `queue`.
    public func resource<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        let key = ObjectIdentifier(type)
        if let existing = resources[key] as? T { return existing }
        let made = make()
        resources[key] = made
        return made
    }

    /// Visits every connection on this queue. Call on `queue`.
    public func forEachConnection(_ body: (Connection) -> Void) {
        for connection in Array(connections.values) { body(connection) }
    }

    private func sweep() {
        let now = ContinuousClock.now
        for connection in Array(connections.values) { connection.tick(now: now) }
    }
}

/// The fixed set of I/O queues; new connections are spread over them in turn.
public final class IOQueueGroup: Sendable {
    public let queues: [IOQueue]
    private let cursor = AtomicCounter()

    /// - Parameters:
    ///   - count: defaults to the number of processors this process may run on.
    ///   - sweepInterval: how often timeouts are checked; every timer in the transport has
    ///     this resolution.
    public init(count: Int? = nil, sweepInterval: Duration = .milliseconds(250)) {
        let count = max(1, count ?? Self.usableProcessors)
        queues = (0..<count).map { IOQueue(index: $0, sweepInterval: sweepInterval) }
    }

    /// Processors in this process's affinity mask (`taskset`), else the online ones.
    /// Read from /proc because Glibc's module does not export `sched_getaffinity`.
    public static var usableProcessors: Int {
        let online = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        guard let file = fopen("/proc/self/status", "r") else { return online }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
            guard text.hasPrefix("Cpus_allowed:") else { continue }
            let mask = text.dropFirst("Cpus_allowed:".count).filter(\.isHexDigit)
            let count = mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
            return count > 0 ? min(count, online) : online
        }
        return online
    }

    public func next() -> IOQueue {
        queues[Int(cursor.increment() % UInt64(queues.count))]
    }
}

/// Something that must run on an I/O queue, handed over from another queue.
protocol QueueWork: AnyObject, Sendable {
    func run()
}
