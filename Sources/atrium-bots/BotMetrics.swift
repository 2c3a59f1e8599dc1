import AtriumClient
import Synchronization

/// Everything the bots measure, shared by all of them.
final class BotMetrics: Sendable {
    let connect = LatencyRecorder("connect+welcome")
    let inputAck = LatencyRecorder("input→ack")
    let moveSeen = LatencyRecorder("move→seen")
    let chatAck = LatencyRecorder("chat ack")
    let chatDelivery = LatencyRecorder("chat delivery")
    /// From one bot sending an `rtc_signal` to its peer receiving it (same process, one clock).
    let signalRelay = LatencyRecorder("signal relay")
    let traffic = TrafficCounters()

    private let counts = Mutex(Counts())

    struct Counts: Sendable {
        var attempted = 0
        var joined = 0
        var connected = 0
        var peakConnected = 0
        var connectFailures: [String: Int] = [:]
        var errors: [String: Int] = [:]
        var disconnects: [String: Int] = [:]
        var reconnects = 0
        var signalsSent = 0
        var signalsReceived = 0
        var quiz = QuizTally()
    }

    /// The quiz bots' check of the server's verdicts against where each stood.
    struct QuizTally: Sendable, Codable, Equatable {
        /// Quiz bots that joined.
        var players = 0
        /// Questions the bots were asked (each bot counts each question once).
        var asked = 0
        /// Verdicts received, and how many name the field the bot stood on at the deadline.
        var verdicts = 0
        var matched = 0
        var mismatched = 0
        /// Verdicts whose bot was still walking at the deadline (its field was predicted).
        var movingAtDeadline = 0
        /// Verdicts for which the bot had no report of its own position before the deadline.
        var unknown = 0
    }

    var snapshot: Counts { counts.withLock { $0 } }

    func attempted() { counts.withLock { $0.attempted += 1 } }

    func joined() {
        counts.withLock {
            $0.joined += 1
            $0.connected += 1
            $0.peakConnected = max($0.peakConnected, $0.connected)
        }
    }

    func connectFailed(_ reason: String) { counts.withLock { $0.connectFailures[reason, default: 0] += 1 } }
    func error(_ code: String) { counts.withLock { $0.errors[code, default: 0] += 1 } }
    func reconnecting() { counts.withLock { $0.reconnects += 1 } }
    func signalSent() { counts.withLock { $0.signalsSent += 1 } }
    func signalReceived() { counts.withLock { $0.signalsReceived += 1 } }
    func quizAsked() { counts.withLock { $0.quiz.asked += 1 } }
    func quizPlayerJoined() { counts.withLock { $0.quiz.players += 1 } }

    /// A verdict arrived: `stood` is the field the bot computed (nil when it could not).
    func quizVerdict(chose: String, stood: (field: String, moving: Bool)?) {
        counts.withLock {
            $0.quiz.verdicts += 1
            guard let stood else {
                $0.quiz.unknown += 1
                return
            }
            if stood.moving { $0.quiz.movingAtDeadline += 1 }
            if stood.field == chose { $0.quiz.matched += 1 } else { $0.quiz.mismatched += 1 }
        }
    }

    func disconnected(_ reason: String, wasConnected: Bool) {
        counts.withLock {
            $0.disconnects[reason, default: 0] += 1
            if wasConnected { $0.connected -= 1 }
        }
    }

    /// Errors that count against `--max-errors`: failed connects, server errors and
    /// disconnects that the run did not ask for.
    var errorCount: Int {
        let counts = snapshot
        return RunGates.Outcome(bots: counts.attempted, joined: counts.joined, connectFailures: counts.connectFailures,
                                errors: counts.errors, disconnects: counts.disconnects).errorCount
    }
}
