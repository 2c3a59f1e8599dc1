import AtriumCluster
import CoreMetrics
import Synchronization

/// What a cluster node adds to `/metrics`: which instances it hosts (so `status` and a
/// dashboard can say which node runs which room), lease events, and how long bus events
/// take from their publication on one node to their application here.
final class ClusterMetrics: Sendable {
    /// Bus latencies are milliseconds on a LAN, a second is the promise.
    static let busBuckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                         .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                         .milliseconds(500), .seconds(1), .seconds(5)]

    private let metrics: ServerMetrics
    let busLatency: CoreMetrics.Timer
    let busEvents: Counter
    private let hostedGauges = Mutex<[String: Gauge]>([:])
    private let leaseCounters = Mutex<[String: Counter]>([:])

    init(metrics: ServerMetrics, node: String) {
        self.metrics = metrics
        busLatency = CoreMetrics.Timer(label: "atrium_bus_latency_seconds", factory: metrics.factory)
        busEvents = Counter(label: "atrium_bus_events_total", factory: metrics.factory)
        Gauge(label: "atrium_cluster_node", dimensions: [("node", node)], factory: metrics.factory).record(1)
    }

    /// 1 while this node hosts `instance`, 0 after.
    func hosted(_ instance: RoomInstance, _ hosting: Bool) {
        let gauge = hostedGauges.withLock { gauges in
            if let existing = gauges[instance.key] { return existing }
            let made = Gauge(label: "atrium_cluster_hosted", dimensions: [("instance", instance.key)], factory: metrics.factory)
            gauges[instance.key] = made
            return made
        }
        gauge.record(hosting ? 1 : 0)
    }

    /// Claims granted, leases lost or expired, releases.
    func lease(_ event: String) {
        leaseCounters.withLock { counters in
            if let existing = counters[event] { return existing }
            let made = Counter(label: "atrium_lease_events_total", dimensions: [("event", event)], factory: metrics.factory)
            counters[event] = made
            return made
        }.increment()
    }

    func applied(_ envelope: BusEnvelope, nowMilliseconds: Int64) {
        busEvents.increment()
        busLatency.recordNanoseconds(max(0, nowMilliseconds - envelope.time) * 1_000_000)
    }
}
