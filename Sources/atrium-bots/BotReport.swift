import Foundation

/// Every figure of a run, as written by `--report FILE.json`.
struct BotReport: Codable, Sendable {
    struct Settings: Codable, Sendable {
        var url: String
        var room: String?
        var bots: Int
        var rampPerSecond: Double
        var durationSeconds: Double
        var behavior: String
        /// Percentage of bots that decode every state message (the rest skim).
        var observePercent: Double
        /// Local addresses the bots connect from, when given.
        var sourceAddresses: [String]?
    }

    /// The load generator's own cost over the steady window (after the ramp).
    struct OwnCPU: Codable, Sendable {
        /// CPU of this process in percent of one core.
        var percentOfOneCore: Double
        /// Cores the process may run on.
        var cores: Int
    }

    struct Traffic: Codable, Sendable {
        var messagesIn: UInt64
        var bytesIn: UInt64
        var messagesOut: UInt64
        var bytesOut: UInt64
        var messagesInPerSecond: Double
        var bytesInPerSecond: Double
        var messagesOutPerSecond: Double
        var bytesOutPerSecond: Double
        var bytesInPerBotPerSecond: Double
    }

    /// WebRTC signals the talkers relayed through the server (the `talker` behaviour).
    struct Signals: Codable, Sendable {
        var sent: Int
        var received: Int
        var receivedPerSecond: Double
    }

    var startedAt: String
    var settings: Settings
    var elapsedSeconds: Double
    var attempted: Int
    var joined: Int
    var peakConnected: Int
    var connectedAtEnd: Int
    var latencies: [String: LatencyRecorder.Summary]
    var traffic: Traffic
    var connectFailures: [String: Int]
    var errors: [String: Int]
    var disconnects: [String: Int]
    var reconnects: Int
    var signals: Signals
    var ownCPU: OwnCPU?
    /// The quiz case (`--quiz-master`): the moderator's outcome and the verdict check.
    var quiz: QuizReport?
    /// The bots saturated their cores, so the latencies are partly theirs.
    var unreliable: Bool
    var warnings: [String]
    var verdict: String

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }

    var table: String {
        var lines = ["", "Atrium bots: \(settings.bots) × \(settings.behavior) on \(settings.url) for \(String(format: "%.0f", elapsedSeconds)) s",
                     "  joined \(joined)/\(attempted), peak connected \(peakConnected), reconnects \(reconnects)", "",
                     "  latency             count      p50      p90      p99    p99.9      max  (ms)"]
        for name in ["connect+welcome", "input→ack", "move→seen", "chat ack", "chat delivery", "signal relay"] {
            guard let summary = latencies[name] else { continue }
            lines.append(String(format: "  %@%9llu %8.2f %8.2f %8.2f %8.2f %8.2f",
                                name.padding(toLength: 16, withPad: " ", startingAt: 0) as NSString, summary.count,
                                summary.p50Ms, summary.p90Ms, summary.p99Ms, summary.p999Ms, summary.maxMs))
        }
        lines.append("")
        lines.append(String(format: "  traffic in:  %.0f msg/s, %.1f KB/s (%.0f B/s per bot)", traffic.messagesInPerSecond,
                            traffic.bytesInPerSecond / 1000, traffic.bytesInPerBotPerSecond))
        lines.append(String(format: "  traffic out: %.0f msg/s, %.1f KB/s", traffic.messagesOutPerSecond, traffic.bytesOutPerSecond / 1000))
        if let ownCPU {
            lines.append(String(format: "  bots' own CPU after the ramp: %.1f %% of one core (%d core(s) allowed), %.0f %% of bots observing",
                                ownCPU.percentOfOneCore, ownCPU.cores, settings.observePercent))
        }
        if signals.sent > 0 {
            lines.append(String(format: "  signals: %d sent, %d received, %.0f/s received", signals.sent, signals.received,
                                signals.receivedPerSecond))
        }
        if !connectFailures.isEmpty { lines.append("  failed connects: \(Self.describe(connectFailures))") }
        if !errors.isEmpty { lines.append("  errors: \(Self.describe(errors))") }
        let unexpected = disconnects.filter { $0.key != "finished" }
        if !unexpected.isEmpty { lines.append("  disconnects: \(Self.describe(unexpected))") }
        if let quiz { lines.append("  \(quiz.line)") }
        for warning in warnings { lines.append("  note: \(warning)") }
        lines.append("  verdict: \(verdict)")
        return lines.joined(separator: "\n")
    }

    static func describe(_ counts: [String: Int]) -> String {
        counts.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }
}
