/// The room leases of one node: which instances it asked for, which it holds and until
/// when, when to renew, and the moment it must stop. Time and the directory's answers go
/// in; ``LeaseAction``s come out. No I/O, no clock reads.
///
/// The rule that keeps a room from ever running on two nodes: a node hosts an instance
/// only while its own, conservative reckoning of the lease runs, counted from when it
/// *sent* the claim or renewal that the directory confirmed (minus a margin). The
/// directory counts the same duration from its commit, which comes later, so this node
/// has stopped before any other can claim. A renewal the directory refuses stops the
/// instance at once; renewals that go unanswered stop it when the reckoning runs out.
public struct LeaseKeeper: Sendable {
    public let settings: LeaseSettings

    private enum Lease: Equatable {
        /// The claim left at `sentAt`; not hosting yet.
        case claiming(sentAt: ContinuousClock.Instant)
        case held(Held)
        /// Stopped; the release is on its way.
        case releasing(generation: Int64)
    }

    /// Hosting until `validUntil`.
    private struct Held: Equatable {
        var generation: Int64
        var validUntil: ContinuousClock.Instant
        /// When the next renewal goes out.
        var nextRenewal: ContinuousClock.Instant
        /// The earliest renewal still unanswered: the one a late answer surely proves.
        var renewSentAt: ContinuousClock.Instant?
    }

    private var leases: [RoomInstance: Lease] = [:]
    public private(set) var isDraining = false

    public init(settings: LeaseSettings = .init()) {
        self.settings = settings
    }

    /// The generation under which this node may host `instance` at `now`, or nil.
    public func hostingGeneration(_ instance: RoomInstance, now: ContinuousClock.Instant) -> Int64? {
        guard case .held(let held) = leases[instance], now < held.validUntil else { return nil }
        return held.generation
    }

    /// Every instance hosted at `now` with the time its hosting ends unless renewed.
    public func hosted(now: ContinuousClock.Instant) -> [RoomInstance: HostedLease] {
        var result: [RoomInstance: HostedLease] = [:]
        for (instance, lease) in leases {
            if case .held(let held) = lease, now < held.validUntil {
                result[instance] = HostedLease(generation: held.generation, validUntil: held.validUntil)
            }
        }
        return result
    }

    /// Whether a claim for `instance` is on its way.
    public func isClaiming(_ instance: RoomInstance) -> Bool {
        if case .claiming = leases[instance] { return true }
        return false
    }

    // MARK: Inputs

    /// Someone needs `instance` here (a seat request found it unowned). Claims it unless
    /// already held or asked for; a draining node claims nothing.
    public mutating func want(_ instance: RoomInstance, now: ContinuousClock.Instant) -> [LeaseAction] {
        guard !isDraining else { return [.claimRefused(instance, owner: nil)] }
        switch leases[instance] {
        case nil:
            leases[instance] = .claiming(sentAt: now)
            return [.claim(instance)]
        case .claiming, .held, .releasing:
            return []
        }
    }

    /// The directory's answer to a claim.
    public mutating func claimAnswered(_ instance: RoomInstance, _ answer: ClaimAnswer, now: ContinuousClock.Instant) -> [LeaseAction] {
        guard case .claiming(let sentAt) = leases[instance] else { return [] }
        switch answer {
        case .granted(let generation):
            let validUntil = settings.validUntil(sentAt: sentAt)
            guard !isDraining, now < validUntil else {
                // Too late to use (the answer took longer than the lease) or no longer
                // wanted: give it back so nobody waits for it to expire.
                leases[instance] = .releasing(generation: generation)
                return [.release(instance, generation: generation), .claimRefused(instance, owner: nil)]
            }
            leases[instance] = .held(Held(generation: generation, validUntil: validUntil,
                                            nextRenewal: sentAt + settings.renewInterval))
            return [.startHosting(instance, generation: generation)]
        case .heldBy(let owner):
            leases[instance] = nil
            return [.claimRefused(instance, owner: owner)]
        case .failed:
            leases[instance] = nil
            return [.claimRefused(instance, owner: nil)]
        }
    }

    /// The directory's answer to the renewal sent last.
    public mutating func renewAnswered(_ instance: RoomInstance, _ answer: RenewAnswer, now: ContinuousClock.Instant) -> [LeaseAction] {
        guard case .held(var held) = leases[instance], let sentAt = held.renewSentAt else { return [] }
        held.renewSentAt = nil
        switch answer {
        case .renewed:
            held.validUntil = max(held.validUntil, settings.validUntil(sentAt: sentAt))
            held.nextRenewal = sentAt + settings.renewInterval
            leases[instance] = .held(held)
            // The reckoning may have run out while the answer travelled.
            return now >= held.validUntil ? tick(now: now) : []
        case .lost:
            leases[instance] = nil
            return [.stopHosting(instance, reason: .lost)]
        case .failed:
            // Tried again at the next tick; the reckoning keeps running meanwhile.
            held.nextRenewal = now
            leases[instance] = .held(held)
            return []
        }
    }

    /// The directory took the release (or failed to: the lease then simply expires).
    public mutating func releaseAnswered(_ instance: RoomInstance) {
        if case .releasing = leases[instance] { leases[instance] = nil }
    }

    /// Drives renewals and expiry. Call it at least every second.
    public mutating func tick(now: ContinuousClock.Instant) -> [LeaseAction] {
        var actions: [LeaseAction] = []
        for (instance, lease) in leases.sorted(by: { $0.key < $1.key }) {
            switch lease {
            case .held(var held):
                if now >= held.validUntil {
                    leases[instance] = nil
                    actions.append(.stopHosting(instance, reason: .expired))
                    continue
                }
                // Renew on schedule; resend a renewal left unanswered for an interval,
                // keeping the earliest send time, which is the one a late answer proves.
                if now >= held.nextRenewal {
                    held.renewSentAt = held.renewSentAt ?? now
                    held.nextRenewal = now + settings.renewInterval
                    leases[instance] = .held(held)
                    actions.append(.renew(instance, generation: held.generation))
                }
            case .claiming(let sentAt):
                // An unanswered claim is given up once it could no longer be used.
                if now >= settings.validUntil(sentAt: sentAt) {
                    leases[instance] = nil
                    actions.append(.claimRefused(instance, owner: nil))
                }
            case .releasing:
                break
            }
        }
        return actions
    }

    /// Stops hosting `instance` and gives its lease back (an idle overflow instance, an
    /// operator's request).
    public mutating func give(_ instance: RoomInstance) -> [LeaseAction] {
        guard case .held(let held) = leases[instance] else { return [] }
        leases[instance] = .releasing(generation: held.generation)
        return [.stopHosting(instance, reason: .released), .release(instance, generation: held.generation)]
    }

    /// The node drains: it stops every instance and releases each lease, so another node
    /// can claim it as soon as its visitors ask for a seat again, not a lease later.
    /// Claims still on their way are released when granted.
    public mutating func drain(now: ContinuousClock.Instant) -> [LeaseAction] {
        isDraining = true
        var actions: [LeaseAction] = []
        for (instance, lease) in leases.sorted(by: { $0.key < $1.key }) {
            guard case .held(let held) = lease else { continue }
            leases[instance] = .releasing(generation: held.generation)
            actions.append(.stopHosting(instance, reason: .draining))
            actions.append(.release(instance, generation: held.generation))
        }
        return actions
    }

    /// Whether a drain has released everything it held or asked for.
    public var isDrained: Bool { isDraining && leases.isEmpty }
}

/// A lease this node hosts under: its generation (the directory's fencing number, which
/// every claim raises) and the end of hosting unless renewed.
public struct HostedLease: Sendable, Equatable {
    public var generation: Int64
    public var validUntil: ContinuousClock.Instant

    public init(generation: Int64, validUntil: ContinuousClock.Instant) {
        self.generation = generation
        self.validUntil = validUntil
    }
}

/// What the directory said to a claim.
public enum ClaimAnswer: Sendable, Equatable {
    /// Ours, under this generation.
    case granted(generation: Int64)
    /// Another node holds an unexpired lease (or this node's name does, from a previous
    /// process that has not expired yet).
    case heldBy(LeaseOwner)
    /// The directory could not be asked (connection, timeout).
    case failed
}

/// What the directory said to a renewal.
public enum RenewAnswer: Sendable, Equatable {
    case renewed
    /// The row names another node or generation: someone claimed it after it expired.
    case lost
    /// The directory could not be asked; try again.
    case failed
}
