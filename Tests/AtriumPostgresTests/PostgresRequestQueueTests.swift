import Dispatch
import Testing
@testable import AtriumPostgres

@Suite struct PostgresRequestQueueTests {
    private func request(_ id: UInt64, isInternal: Bool = false) -> PostgresRequest {
        PostgresRequest(id: id, statements: [PostgresStatement("SELECT 1")], idempotent: false, deadline: .now(),
                        isInternal: isInternal, completion: { _ in })
    }

    private func drain(_ queue: inout PostgresRequestQueue) -> [UInt64] {
        var ids: [UInt64] = []
        while let next = queue.popFirst() { ids.append(next.id) }
        return ids
    }

    @Test func takesRequestsInOrderAndPutsUrgentOnesFirstWhateverWasTaken() {
        var queue = PostgresRequestQueue()
        (1...4).forEach { queue.append(request($0)) }
        #expect(queue.popFirst()?.id == 1)
        // One slot was taken: a single request fits there, two more do not.
        queue.pushFront(request(10))
        queue.pushFront(contentsOf: [request(11), request(12)])
        #expect(queue.count == 6 && queue.first?.id == 11)
        #expect(drain(&queue) == [11, 12, 10, 2, 3, 4])
        #expect(queue.isEmpty && queue.first == nil)
    }

    @Test func dropsSomeRequestsAndHandsOverTheRest() {
        var queue = PostgresRequestQueue()
        (1...5).forEach { queue.append(request($0, isInternal: $0.isMultiple(of: 2))) }
        _ = queue.popFirst()
        queue.removeAll { $0.isInternal }
        #expect(queue.takeAll().map(\.id) == [3, 5])
        #expect(queue.isEmpty)
    }

    @Test func staysInOrderAcrossCompaction() {
        var queue = PostgresRequestQueue()
        var taken: [UInt64] = []
        for id in 1...5000 as ClosedRange<UInt64> {
            queue.append(request(id))
            if id.isMultiple(of: 3) { taken.append(queue.popFirst()!.id) }
        }
        taken += drain(&queue)
        #expect(taken == Array(1...5000))
    }
}
