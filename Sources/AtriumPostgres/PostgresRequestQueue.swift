import Dispatch

/// One transaction a connection was asked to run.
struct PostgresRequest {
    var id: UInt64
    var statements: [PostgresStatement]
    var idempotent: Bool
    var deadline: DispatchTime
    /// The connection's own set-up and LISTENs: rebuilt on every connection, so dropped
    /// rather than failed or resent when one breaks.
    var isInternal = false
    var completion: PostgresConnection.Completion
}

/// The requests a connection has not sent yet, oldest first. Taking from the front costs
/// no shifting: a head index moves, and the array is compacted once the taken part is
/// most of it.
struct PostgresRequestQueue {
    private var items: [PostgresRequest] = []
    private var head = 0

    var count: Int { items.count - head }
    var isEmpty: Bool { count == 0 }
    var first: PostgresRequest? { isEmpty ? nil : items[head] }

    mutating func append(_ request: PostgresRequest) {
        items.append(request)
    }

    /// Puts a request before all others (set-up and LISTEN go first).
    mutating func pushFront(_ request: PostgresRequest) {
        pushFront(contentsOf: [request])
    }

    mutating func pushFront(contentsOf requests: [PostgresRequest]) {
        guard !requests.isEmpty else { return }
        if head >= requests.count {
            head -= requests.count
            items.replaceSubrange(head..<head + requests.count, with: requests)
        } else {
            items.replaceSubrange(0..<head, with: requests)
            head = 0
        }
    }

    mutating func popFirst() -> PostgresRequest? {
        guard head < items.count else { return nil }
        let request = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return request
    }

    mutating func removeAll(where shouldRemove: (PostgresRequest) -> Bool) {
        items.removeSubrange(0..<head)
        head = 0
        items.removeAll(where: shouldRemove)
    }

    /// Empties the queue; returns what was in it, oldest first.
    mutating func takeAll() -> [PostgresRequest] {
        defer {
            items = []
            head = 0
        }
        return Array(items[head...])
    }
}
