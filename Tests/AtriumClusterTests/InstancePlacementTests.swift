import Testing
@testable import AtriumCluster

@Suite struct InstancePlacementTests {
    /// Capacity 10: a new instance opens once every instance holds 6.
    let settings = InstancePlacement.Settings(capacity: 10, openThreshold: 0.6, maxInstances: 3)

    private func place(_ loads: [Int], instance: Int? = nil, moderator: Bool = false) -> InstancePlacement.Decision {
        InstancePlacement.place(.init(instance: instance, isModerator: moderator),
                                among: loads.enumerated().map { .init(number: $0.offset + 1, population: $0.element) },
                                settings: settings)
    }

    @Test func theFirstArrivalGoesToTheRoomItself() {
        #expect(InstancePlacement.place(.init(), among: [], settings: settings) == .join(1))
    }

    @Test func opensANewInstanceOncePastTheThreshold() {
        #expect(place([5]) == .join(1))
        #expect(place([6]) == .open(2))
    }

    @Test func spreadsArrivalsOverInstancesWithRoom() {
        #expect(place([5, 2]) == .join(2))
        #expect(place([3, 3]) == .join(1))
        #expect(place([6, 4, 5]) == .join(2))
    }

    @Test func pastTheLastInstanceFillsTheEmptiestThenRefuses() {
        #expect(place([6, 9, 7]) == .join(1))
        #expect(place([10, 10, 10]) == .full)
    }

    @Test func aFriendsLinkLandsInTheFriendsInstanceWhileItHasAPlace() {
        #expect(place([2, 8], instance: 2) == .join(2))
        #expect(place([2, 10], instance: 2) == .join(1))
        // An instance that does not run (any more) is ignored.
        #expect(place([2], instance: 3) == .join(1))
    }

    @Test func moderatorsGoWhereverTheyAsk() {
        #expect(place([10, 10, 10], instance: 3, moderator: true) == .join(3))
        #expect(place([10, 10, 10], moderator: true) == .join(1))
    }

    @Test func overflowOffKeepsOneInstance() {
        let single = InstancePlacement.Settings(capacity: 10)
        #expect(InstancePlacement.place(.init(), among: [.init(number: 1, population: 9)], settings: single) == .join(1))
        #expect(InstancePlacement.place(.init(), among: [.init(number: 1, population: 10)], settings: single) == .full)
    }

    @Test func zepsChannelsOf500OpenAt300() {
        let zep = InstancePlacement.Settings(capacity: 500, openThreshold: 0.6, maxInstances: 10)
        #expect(InstancePlacement.place(.init(), among: [.init(number: 1, population: 299)], settings: zep) == .join(1))
        #expect(InstancePlacement.place(.init(), among: [.init(number: 1, population: 300)], settings: zep) == .open(2))
    }
}
