/// Where an arrival goes among the instances of one room, the way the hosted platforms
/// split a crowded space (ZEP: channels of 500, a new one past 60 %), with the rules
/// Atrium adds. Pure: the instances' loads and the request go in, a decision comes out.
///
/// - An arrival goes to the emptiest instance still below the opening threshold, so
///   arrivals spread over the instances with room. When every instance is past it, a new
///   instance opens (up to ``Settings/maxInstances``); beyond that the emptiest instance
///   with any place left takes it.
/// - A link or a switch that names an instance (a friend's "come find me", or a visitor
///   choosing from the list) lands there while it has a place, even past the threshold.
/// - Moderators go wherever they ask, full or not: they must be able to reach every
///   instance they are responsible for.
///
/// Loads are the directory's (refreshed with every lease renewal) and so a few seconds
/// old; the room itself enforces its capacity, and a visitor it turns away asks again.
public enum InstancePlacement {
    public struct Settings: Sendable, Equatable {
        /// Avatars one instance holds (the map's capacity or the room's, the lower).
        public var capacity: Int
        /// The fraction of `capacity` past which arrivals open a new instance.
        public var openThreshold: Double
        /// Instances of one room at most; 1 turns overflow off.
        public var maxInstances: Int

        public init(capacity: Int, openThreshold: Double = 0.6, maxInstances: Int = 1) {
            self.capacity = max(1, capacity)
            self.openThreshold = min(max(openThreshold, 0.05), 1)
            self.maxInstances = min(max(1, maxInstances), RoomInstance.maxNumber)
        }

        var openingPopulation: Int { max(1, Int((Double(capacity) * openThreshold).rounded(.up))) }
    }

    /// One instance as the directory knows it.
    public struct Load: Sendable, Equatable {
        public var number: Int
        public var population: Int

        public init(number: Int, population: Int) {
            self.number = number
            self.population = population
        }
    }

    public struct Request: Sendable, Equatable {
        /// The instance a link or a switch names, if any.
        public var instance: Int?
        public var isModerator: Bool

        public init(instance: Int? = nil, isModerator: Bool = false) {
            self.instance = instance
            self.isModerator = isModerator
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Join this running instance (or instance 1, which always exists).
        case join(Int)
        /// Open this new instance and join it.
        case open(Int)
        /// Every instance is full and no more may open.
        case full
    }

    public static func place(_ request: Request, among loads: [Load], settings: Settings) -> Decision {
        var byNumber: [Int: Int] = [1: 0]
        for load in loads where (1...settings.maxInstances).contains(load.number) { byNumber[load.number] = max(0, load.population) }
        if let wanted = request.instance, let population = byNumber[wanted],
           request.isModerator || population < settings.capacity {
            return .join(wanted)
        }
        let ordered = byNumber.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        if let roomy = ordered.first(where: { $0.value < settings.openingPopulation }) {
            return .join(roomy.key)
        }
        if byNumber.count < settings.maxInstances,
           let free = (1...settings.maxInstances).first(where: { byNumber[$0] == nil }) {
            return .open(free)
        }
        if let emptiest = ordered.first, emptiest.value < settings.capacity || request.isModerator {
            return .join(emptiest.key)
        }
        return .full
    }
}
