import AtriumProtocol

/// The one table of requests waiting for an answer, by ref, each with its deadline.
struct PendingRequests: Sendable {
    /// How an answer finds its request.
    enum Kind: Sendable, Equatable {
        /// `connect`: answered by `welcome`; lives as long as the first connection attempt.
        case join
        /// By order: the oldest waiting `who` takes the next `people`.
        case people
        /// By the `t` of a pong.
        case ping
        /// By the `ref` of a `ServerReply` that echoes it: an answer, or an error.
        case referenced
    }

    struct Entry: Sendable, Equatable {
        var kind: Kind
        var sentAt: ContinuousClock.Instant
        /// nil: ends only with an answer or with the session.
        var deadline: ContinuousClock.Instant?
    }

    private var entries: [RequestRef: Entry] = [:]
    private var lastSerial: UInt64 = 0

    var count: Int { entries.count }

    /// A ref never used before by this client.
    mutating func makeRef() -> RequestRef {
        lastSerial += 1
        return RequestRef(serial: lastSerial)
    }

    mutating func insert(_ entry: Entry, for ref: RequestRef) {
        entries[ref] = entry
    }

    /// Removes the request if it is waiting and of one of `kinds`.
    mutating func remove(_ ref: RequestRef, ifOneOf kinds: Set<Kind>) -> Entry? {
        guard let entry = entries[ref], kinds.contains(entry.kind) else { return nil }
        entries[ref] = nil
        return entry
    }

    /// Removes the oldest waiting request of `kind`.
    mutating func removeOldest(_ kind: Kind) -> RequestRef? {
        guard let ref = entries.filter({ $0.value.kind == kind }).keys.min() else { return nil }
        entries[ref] = nil
        return ref
    }

    /// Removes the requests whose deadline has come, oldest first.
    mutating func removeExpired(now: ContinuousClock.Instant) -> [RequestRef] {
        let expired = entries.filter { $0.value.deadline.map { $0 <= now } ?? false }.keys.sorted()
        for ref in expired { entries[ref] = nil }
        return expired
    }

    /// Removes every request, oldest first.
    mutating func removeAll() -> [RequestRef] {
        defer { entries.removeAll() }
        return entries.keys.sorted()
    }

    var earliestDeadline: ContinuousClock.Instant? {
        entries.values.compactMap(\.deadline).min()
    }

    /// Removes the request a message answers: by its `ref`, or for `people` by order.
    mutating func removeAnswered(by message: any ServerMessage) -> RequestRef? {
        if message is ServerMessages.People { return removeOldest(.people) }
        guard let ref = (message as? any ServerReply)?.ref.flatMap(RequestRef.init(wire:)),
              remove(ref, ifOneOf: [.referenced]) != nil else { return nil }
        return ref
    }
}
