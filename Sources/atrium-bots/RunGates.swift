import Foundation

/// What a run must achieve to pass. A run that did not put its bots in the room fails
/// by default: `--min-joined` is every bot unless lowered.
struct RunGates: Sendable {
    /// How many bots must have joined: all of them by default.
    var minJoined: Quota = .percent(100)
    /// Errors (failed connects, server errors, drops the run did not ask for) allowed.
    var maxErrors: Int?
    /// Highest p99 of input→ack and move→seen, in milliseconds.
    var maxP99Ms: Double?
    /// The bots' own CPU, as a fraction of the cores they may use, above which the run
    /// is flagged unreliable: a saturated load generator inflates every latency it reports.
    var maxOwnCPU: Double = 0.9

    enum Quota: Sendable, Equatable {
        case count(Int)
        case percent(Double)

        /// "1800" or "90%".
        init?(_ text: String) {
            if text.hasSuffix("%") {
                guard let value = Double(text.dropLast()), (0...100).contains(value) else { return nil }
                self = .percent(value)
            } else {
                guard let value = Int(text), value >= 0 else { return nil }
                self = .count(value)
            }
        }

        func required(of bots: Int) -> Int {
            switch self {
            case .count(let value): return min(value, bots)
            case .percent(let value): return Int((Double(bots) * value / 100).rounded(.up))
            }
        }
    }

    /// What a run produced, as far as the gates look.
    struct Outcome: Sendable {
        var bots: Int
        var joined: Int
        var connectFailures: [String: Int] = [:]
        var errors: [String: Int] = [:]
        var disconnects: [String: Int] = [:]
        var p99Ms: [String: Double] = [:]
        /// CPU seconds per second of the bots' process over the steady window.
        var ownCPU: Double?
        /// Cores the process may run on.
        var cores: Int = 1
        /// Set when the run stopped early (e.g. the first bots could not join).
        var aborted: String?

        var errorCount: Int {
            connectFailures.values.reduce(0, +) + errors.values.reduce(0, +)
                + disconnects.filter { $0.key != "finished" }.values.reduce(0, +)
        }
    }

    struct Verdict: Sendable, Equatable {
        var failures: [String]
        var warnings: [String]
        /// The load generator saturated its cores: the latencies are partly its own.
        var unreliable: Bool

        var passed: Bool { failures.isEmpty }
        var summary: String {
            (passed ? "pass" : "fail: " + failures.joined(separator: "; ")) + (unreliable ? " (unreliable: the bots saturated their cores)" : "")
        }
    }

    func verdict(_ outcome: Outcome) -> Verdict {
        var failures: [String] = []
        var warnings: [String] = []
        if let aborted = outcome.aborted { failures.append(aborted) }
        let required = minJoined.required(of: outcome.bots)
        if outcome.joined < required {
            var failure = "joined \(outcome.joined) of \(outcome.bots), fewer than the \(required) required (--min-joined)"
            if !outcome.connectFailures.isEmpty { failure += "; failed connects: \(BotReport.describe(outcome.connectFailures))" }
            failures.append(failure)
        }
        if let maxErrors, outcome.errorCount > maxErrors {
            failures.append("\(outcome.errorCount) errors > \(maxErrors) (--max-errors)")
        }
        if let maxP99Ms {
            for (name, p99) in outcome.p99Ms.sorted(by: { $0.key < $1.key }) where p99 > maxP99Ms {
                failures.append("\(name) p99 \(p99) ms > \(maxP99Ms) ms")
            }
        }
        for label in Set(outcome.connectFailures.keys).union(outcome.disconnects.keys).sorted() {
            if let hint = FailureReason.hint(label) { warnings.append("\(label): \(hint)") }
        }
        var unreliable = false
        if let ownCPU = outcome.ownCPU, ownCPU >= maxOwnCPU * Double(max(outcome.cores, 1)) {
            unreliable = true
            warnings.append(String(format: "the bots used %.0f %% of their %d core(s): the figures are bounded by the load generator; "
                                   + "use --observe, fewer bots per process or more cores", ownCPU * 100, outcome.cores))
        }
        return Verdict(failures: failures, warnings: warnings, unreliable: unreliable)
    }
}
