import Histogram
import Synchronization

/// A latency distribution shared by all bots: an HDR histogram in microseconds, up to
/// one minute at three significant digits, behind a mutex.
final class LatencyRecorder: Sendable {
    let name: String
    private let histogram = Mutex(Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three))

    init(_ name: String) {
        self.name = name
    }

    func record(_ duration: Duration) {
        let micros = max(0, duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000)
        histogram.withLock { _ = $0.record(UInt64(min(micros, 60_000_000))) }
    }

    struct Summary: Codable, Sendable {
        var count: UInt64
        var p50Ms: Double
        var p90Ms: Double
        var p99Ms: Double
        var p999Ms: Double
        var maxMs: Double
        var meanMs: Double
    }

    var summary: Summary {
        histogram.withLock { histogram in
            func ms(_ value: UInt64) -> Double { (Double(value) / 1000 * 100).rounded() / 100 }
            return Summary(count: histogram.totalCount,
                           p50Ms: ms(histogram.valueAtPercentile(50)), p90Ms: ms(histogram.valueAtPercentile(90)),
                           p99Ms: ms(histogram.valueAtPercentile(99)), p999Ms: ms(histogram.valueAtPercentile(99.9)),
                           maxMs: ms(histogram.max), meanMs: (histogram.mean / 10).rounded() / 100)
        }
    }
}
