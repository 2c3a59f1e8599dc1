import Histogram

/// Durations in microseconds with their percentiles.
struct Timings {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)

    mutating func record(_ duration: Duration) {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        _ = histogram.record(UInt64(max(0, min(micros, 60_000_000))))
    }

    mutating func add(_ other: Timings) { histogram.add(other.histogram) }

    var count: UInt64 { histogram.totalCount }
    func percentileMs(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }
    var p50: Double { percentileMs(50) }
    var p99: Double { percentileMs(99) }
    var maxMs: Double { Double(histogram.max) / 1000 }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
