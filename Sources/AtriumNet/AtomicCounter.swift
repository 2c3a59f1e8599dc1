import Synchronization

/// A counter shared between queues: connection ids, round-robin cursors, totals.
public final class AtomicCounter: Sendable {
    private let value: Atomic<UInt64>

    public init(_ initial: UInt64 = 0) {
        value = Atomic(initial)
    }

    /// Adds one and returns the value before the addition.
    @discardableResult
    public func increment() -> UInt64 {
        value.add(1, ordering: .relaxed).oldValue
    }

    public func add(_ amount: UInt64) {
        value.add(amount, ordering: .relaxed)
    }

    public func subtract(_ amount: UInt64) {
        value.subtract(amount, ordering: .relaxed)
    }

    public var current: UInt64 { value.load(ordering: .relaxed) }
}
