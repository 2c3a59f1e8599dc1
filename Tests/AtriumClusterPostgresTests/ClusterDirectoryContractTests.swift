import AtriumCluster
import Testing

/// One contract for the room directory, run against the in-memory directory the server
/// tests use and against PostgreSQL: claims, the race for an instance, renewal, expiry
/// and takeover under a higher generation, release, lookup.
@Suite struct ClusterDirectoryContractTests {
    let hall = RoomInstance(room: "hall")

    @Test(arguments: ClusterKind.allCases)
    func aClaimOfAnUnownedInstanceIsGrantedAndListed(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let a = try fixture.node().directory
        #expect(await a.claim(hall, node: "a") == .granted(generation: 1))
        let expected = [DirectoryEntry(instance: hall, owner: LeaseOwner(node: "a", generation: 1), population: 0)]
        #expect(try await a.lookup(room: "hall") == expected)
        #expect(try await a.lookup(room: nil) == expected)
        #expect(try await a.lookup(room: "other").isEmpty)
    }

    @Test(arguments: ClusterKind.allCases)
    func aHeldInstanceIsRefusedToOtherNodesAndToItsOwnNameUntilItEnds(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let a = try fixture.node().directory
        let b = try fixture.node().directory
        #expect(await a.claim(hall, node: "a") == .granted(generation: 1))
        #expect(await b.claim(hall, node: "b") == .heldBy(LeaseOwner(node: "a", generation: 1)))
        // A restarted node under the same name waits out its predecessor's lease.
        #expect(await b.claim(hall, node: "a") == .heldBy(LeaseOwner(node: "a", generation: 1)))
    }

    @Test(arguments: ClusterKind.allCases)
    func twoNodesRacingForOneInstanceExactlyOneWinsEveryTime(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let a = try fixture.node().directory
        let b = try fixture.node().directory
        for round in 1...40 {
            let instance = RoomInstance(room: "race-\(round)")
            async let fromA = a.claim(instance, node: "a")
            async let fromB = b.claim(instance, node: "b")
            let answers = await [fromA, fromB]
            let winners = answers.enumerated().filter { $0.element == .granted(generation: 1) }.map { ["a", "b"][$0.offset] }
            try #require(winners.count == 1, "round \(round): \(answers)")
            let loser = answers.first { $0 != .granted(generation: 1) }
            #expect(loser == .heldBy(LeaseOwner(node: winners[0], generation: 1)), "round \(round)")
            #expect(try await a.lookup(room: instance.room).map(\.owner) == [LeaseOwner(node: winners[0], generation: 1)])
        }
    }

    @Test(arguments: ClusterKind.allCases)
    func aRenewalExtendsOnlyTheOwnersGenerationAndRecordsThePopulation(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let a = try fixture.node().directory
        #expect(await a.claim(hall, node: "a") == .granted(generation: 1))
        #expect(await a.renew(hall, node: "a", generation: 1, population: 7) == .renewed)
        #expect(try await a.lookup(room: "hall").map(\.population) == [7])
        #expect(await a.renew(hall, node: "b", generation: 1) == .lost)
        #expect(await a.renew(hall, node: "a", generation: 2) == .lost)
        #expect(await a.renew(RoomInstance(room: "hall", number: 2), node: "a", generation: 1) == .lost)
        #expect(try await a.lookup(room: "hall").map(\.population) == [7])
    }

    @Test(arguments: ClusterKind.allCases)
    func anExpiredLeaseGoesToTheNextClaimUnderAHigherGeneration(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let a = try fixture.node().directory
        let b = try fixture.node().directory
        #expect(await a.claim(hall, node: "a", lease: ClusterFixture.short) == .granted(generation: 1))
        try await fixture.expire(hall, lease: ClusterFixture.short, in: a)
        #expect(try await a.lookup(room: nil).isEmpty)
        // The old owner can no longer renew what expired, nor end its successor's lease.
        #expect(await a.renew(hall, node: "a", generation: 1) == .lost)
        #expect(await b.claim(hall, node: "b") == .granted(generation: 2))
        await a.release(hall, node: "a", generation: 1)
        #expect(try await a.lookup(room: "hall").map(\.owner) == [LeaseOwner(node: "b", generation: 2)])
        #expect(await a.claim(hall, node: "a") == .heldBy(LeaseOwner(node: "b", generation: 2)))
        #expect(await b.renew(hall, node: "b", generation: 2) == .renewed)
    }

    @Test(arguments: ClusterKind.allCases)
    func twoNodesRacingForAnExpiredInstanceExactlyOneTakesItOver(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let a = try fixture.node().directory
        let b = try fixture.node().directory
        let c = try fixture.node().directory
        for round in 1...5 {
            let instance = RoomInstance(room: "takeover-\(round)")
            #expect(await c.claim(instance, node: "c", lease: ClusterFixture.short) == .granted(generation: 1))
            try await fixture.expire(instance, lease: ClusterFixture.short, in: c)
            async let fromA = a.claim(instance, node: "a")
            async let fromB = b.claim(instance, node: "b")
            let answers = await [fromA, fromB]
            let winners = answers.enumerated().filter { $0.element == .granted(generation: 2) }.map { ["a", "b"][$0.offset] }
            try #require(winners.count == 1, "round \(round): \(answers)")
            #expect(answers.contains(.heldBy(LeaseOwner(node: winners[0], generation: 2))), "round \(round)")
        }
    }

    @Test(arguments: ClusterKind.allCases)
    func aReleaseByTheOwnerEndsTheLeaseAtOnceAndAnyOtherReleaseIsIgnored(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let a = try fixture.node().directory
        let b = try fixture.node().directory
        #expect(await a.claim(hall, node: "a") == .granted(generation: 1))
        await b.release(hall, node: "b", generation: 1)
        await b.release(hall, node: "a", generation: 2)
        #expect(try await b.lookup(room: "hall").map(\.owner) == [LeaseOwner(node: "a", generation: 1)])
        await a.release(hall, node: "a", generation: 1)
        #expect(try await b.lookup(room: "hall").isEmpty)
        #expect(await a.renew(hall, node: "a", generation: 1) == .lost)
        #expect(await b.claim(hall, node: "b") == .granted(generation: 2))
    }

    @Test(arguments: ClusterKind.allCases)
    func aLookupListsOneRoomsInstancesInOrderOrEveryRoom(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let a = try fixture.node().directory
        let instances = [RoomInstance(room: "hall", number: 3), RoomInstance(room: "other"), hall, RoomInstance(room: "hall", number: 2)]
        for (index, instance) in instances.enumerated() {
            #expect(await a.claim(instance, node: index.isMultiple(of: 2) ? "a" : "b") == .granted(generation: 1))
        }
        #expect(try await a.lookup(room: "hall").map(\.instance.key) == ["hall", "hall~2", "hall~3"])
        #expect(try await a.lookup(room: nil).map(\.instance.key) == ["hall", "hall~2", "hall~3", "other"])
        #expect(try await a.lookup(room: "hall").map(\.owner.node) == ["a", "b", "a"])
    }
}
