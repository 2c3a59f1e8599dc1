import AtriumCluster
import AtriumPostgresTestSupport
import Synchronization
import Testing

/// One contract for the bus, run against the in-memory bus and PostgreSQL: ids rising in
/// the order events became visible, reads after an id, cursors, notifications to every
/// node, catching up on what was published while a node was away, and a follower that
/// never skips an event while two nodes publish at once.
@Suite struct ClusterBusContractTests {
    private func announcement(_ text: String) -> ClusterEvent {
        .announcement(text: text, from: "Moderator", room: nil)
    }

    @Test(arguments: ClusterKind.allCases)
    func publishedEventsGetRisingIdsAndAreReadBackInOrder(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let bus = try fixture.node().bus
        #expect(try await bus.latestID() == 0)
        let events: [ClusterEvent] = [announcement("one"), .revoked(registration: "r1"),
                                      .banned(registration: nil, address: "192.0.2.7", reason: "spam"), announcement("four")]
        var ids: [Int64] = []
        for event in events { ids.append(try await bus.publish(event, origin: "a")) }
        #expect(ids == [1, 2, 3, 4])
        #expect(try await bus.latestID() == 4)
        let all = try await bus.read(after: 0)
        #expect(all.map(\.event) == events && all.map(\.id) == ids && all.allSatisfy { $0.origin == "a" })
        #expect(try await bus.read(after: 1, limit: 2).map(\.id) == [2, 3])
        #expect(try await bus.read(after: 4).isEmpty)
    }

    @Test(arguments: ClusterKind.allCases)
    func aCursorIsKeptPerNode(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let bus = try fixture.node().bus
        #expect(try await bus.cursor(node: "a") == nil)
        bus.saveCursor(node: "a", cursor: 3)
        bus.saveCursor(node: "a", cursor: 7)
        try await waitUntil(within: .seconds(5), "the cursor to be saved") { try await bus.cursor(node: "a") == 7 }
        #expect(try await fixture.node().bus.cursor(node: "a") == 7)
        #expect(try await bus.cursor(node: "b") == nil)
    }

    @Test(arguments: ClusterKind.allCases)
    func everyNodeIsNotifiedOfEveryEventWithItsEnvelope(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let publisher = try fixture.node().bus
        let listener = FollowerDriver(bus: try fixture.node().bus, cursor: 0)
        listener.start()
        try await waitUntil(within: .seconds(5), "the listener to connect") { listener.connectedCount > 0 }
        for index in 1...3 { _ = try await publisher.publish(announcement("news \(index)"), origin: "a") }
        try await waitUntil(within: .seconds(5), "three events") { listener.events.count == 3 }
        #expect(listener.events == (try await publisher.read(after: 0)))
    }

    @Test(arguments: ClusterKind.allCases)
    func aNodeThatWasAwayCatchesUpFromTheRowsWhenItStarts(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let publisher = try fixture.node().bus
        for index in 1...3 { _ = try await publisher.publish(.revoked(registration: "r\(index)"), origin: "a") }
        // Node b starts after the fact, from the cursor it saved before going down.
        let b = try fixture.node().bus
        b.saveCursor(node: "b", cursor: 1)
        try await waitUntil(within: .seconds(5), "b's cursor") { try await b.cursor(node: "b") == 1 }
        let follower = FollowerDriver(bus: b, cursor: try #require(try await b.cursor(node: "b")))
        follower.start()
        try await waitUntil(within: .seconds(5), "the missed events") { follower.events.count == 2 }
        _ = try await publisher.publish(.revoked(registration: "r4"), origin: "a")
        try await waitUntil(within: .seconds(5), "the next event") { follower.events.count == 3 }
        #expect(follower.events.map(\.event) == (2...4).map { .revoked(registration: "r\($0)") })
    }

    /// Two nodes publish many events at once (pipelined, so several commit close
    /// together); a third node's follower must apply every id exactly once, in order,
    /// and each publisher's events in the order it published them. Were ids handed out
    /// before commit, a lower id committing after a higher one would be skipped here.
    @Test(arguments: ClusterKind.allCases)
    func aFollowerNeverSkipsAnEventWhileTwoNodesPublishAtOnce(kind: ClusterKind) async throws {
        let fixture = try await ClusterFixture(kind)
        let publishers = [("a", try fixture.node().bus), ("b", try fixture.node().bus)]
        let follower = FollowerDriver(bus: try fixture.node().bus, cursor: 0)
        follower.start()
        try await waitUntil(within: .seconds(5), "the follower to connect") { follower.connectedCount > 0 }
        let perPublisher = 150
        let done = Answer<Void>()
        let remaining = Mutex(perPublisher * 2)
        for index in 0..<perPublisher {
            for (origin, bus) in publishers {
                bus.publish(announcement("\(origin) \(index)"), origin: origin) { result in
                    #expect((try? result.get()) != nil)
                    if remaining.withLock({ $0 -= 1; return $0 }) == 0 { done.set(()) }
                }
            }
        }
        await done.value
        try await waitUntil(within: .seconds(20), "every event applied") { follower.events.count >= perPublisher * 2 }
        let events = follower.events
        #expect(events.map(\.id) == Array(1...Int64(perPublisher * 2)))
        for (origin, _) in publishers {
            let texts = events.filter { $0.origin == origin }.map { envelope -> String in
                guard case .announcement(let text, _, _) = envelope.event else { return "" }
                return text
            }
            #expect(texts == (0..<perPublisher).map { "\(origin) \($0)" })
        }
    }
}
