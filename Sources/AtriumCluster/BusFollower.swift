/// One node's reading of the event bus: which events it applied, when it must read the
/// rows because a notification was missed, and when to remember how far it got. The bus
/// gives events rising ids in commit order (the publisher serializes commits), so the
/// rows after the cursor are exactly what the node has not seen. Notifications, events
/// read back and the time go in; ``BusAction``s come out. No I/O, no clock reads.
///
/// - A notification for the id after the cursor is applied from its payload at once.
/// - A notification further ahead means something was missed (a dropped connection, an
///   id a rolled-back publisher took): the node reads every row after its cursor.
/// - On every (re)connection the node reads the rows after its cursor, which is how a
///   node that was down catches up when it starts.
/// - Events past their freshness (an hour-old announcement) move the cursor without
///   being applied; revocations and bans apply whatever their age.
public struct BusFollower: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Rows read at once while catching up.
        public var batch: Int
        /// Wait before reading again after a failed read.
        public var retryAfter: Duration
        /// How often the cursor is saved, when it moved.
        public var saveInterval: Duration

        public init(batch: Int = 500, retryAfter: Duration = .seconds(1), saveInterval: Duration = .seconds(2)) {
            self.batch = max(1, batch)
            self.retryAfter = retryAfter
            self.saveInterval = saveInterval
        }
    }

    public let settings: Settings
    /// Every event up to this id has been applied (or was too old to apply).
    public private(set) var cursor: Int64
    private var savedCursor: Int64
    private var reading = false
    /// A notification arrived during a read, or the read was a full batch: read again.
    private var readAgain = false
    private var retryAt: ContinuousClock.Instant?
    private var lastSave: ContinuousClock.Instant

    public init(cursor: Int64, settings: Settings = .init(), now: ContinuousClock.Instant) {
        self.cursor = cursor
        savedCursor = cursor
        self.settings = settings
        lastSave = now
    }

    /// The bus connection is (again) up and listening: read whatever was missed.
    public mutating func connected() -> [BusAction] {
        startRead()
    }

    /// A notification arrived. `envelope` is nil when its payload could not be read.
    public mutating func notified(id: Int64, envelope: BusEnvelope?, nowMilliseconds: Int64) -> [BusAction] {
        guard id > cursor else { return [] }
        if id == cursor + 1, !reading, let envelope {
            cursor = id
            return apply(envelope, nowMilliseconds: nowMilliseconds)
        }
        if reading {
            readAgain = true
            return []
        }
        return startRead()
    }

    /// Rows read after the cursor, in id order.
    public mutating func read(_ rows: [BusEnvelope], nowMilliseconds: Int64) -> [BusAction] {
        reading = false
        var actions: [BusAction] = []
        for row in rows.sorted(by: { $0.id < $1.id }) where row.id > cursor {
            cursor = row.id
            actions += apply(row, nowMilliseconds: nowMilliseconds)
        }
        if readAgain || rows.count >= settings.batch {
            readAgain = false
            actions += startRead()
        }
        return actions
    }

    public mutating func readFailed(now: ContinuousClock.Instant) {
        reading = false
        readAgain = false
        retryAt = now + settings.retryAfter
    }

    /// Retries a failed read and saves the cursor when it moved.
    public mutating func tick(now: ContinuousClock.Instant) -> [BusAction] {
        var actions: [BusAction] = []
        if let retry = retryAt, now >= retry {
            retryAt = nil
            actions += startRead()
        }
        if cursor != savedCursor && now >= lastSave + settings.saveInterval {
            savedCursor = cursor
            lastSave = now
            actions.append(.saveCursor(cursor))
        }
        return actions
    }

    private mutating func startRead() -> [BusAction] {
        guard !reading else {
            readAgain = true
            return []
        }
        reading = true
        retryAt = nil
        return [.read(after: cursor, limit: settings.batch)]
    }

    private func apply(_ envelope: BusEnvelope, nowMilliseconds: Int64) -> [BusAction] {
        if let fresh = envelope.event.freshFor {
            let age = nowMilliseconds - envelope.time
            guard age <= fresh.components.seconds * 1000 else { return [] }
        }
        return [.apply(envelope)]
    }
}

/// What the ``BusFollower`` asks its owner to do.
public enum BusAction: Sendable, Equatable {
    /// Read up to `limit` rows with ids after `after`, in order, and report them.
    case read(after: Int64, limit: Int)
    /// Act on an event (end sessions, show an announcement, a quiz step).
    case apply(BusEnvelope)
    /// Remember the cursor durably, so a restart catches up from here.
    case saveCursor(Int64)
}
