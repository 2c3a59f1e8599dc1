import AtriumClient
import Dispatch
import Foundation
import Synchronization

/// Ramps bots up at the requested rate, prints a progress line every second, stops them
/// after the duration and summarizes. A global deadline (ramp + duration + grace) ends the
/// run whatever happens, so a dead server or a wrong URL never makes it hang.
final class BotRunner: @unchecked Sendable {
    let settings: BotReport.Settings
    let metrics = BotMetrics()
    private let mix: BehaviorMix
    private let context: BotContext
    private let seed: UInt64
    private let queue = DispatchQueue(label: "atrium.bots.runner")
    private var bots: [Bot] = []
    /// Why the run stopped early, if it did.
    private(set) var aborted: String?
    /// The moderator of the quiz case, and what it reported once done.
    private let quizMaster: QuizMaster?
    private let quizOutcome = Mutex<QuizMaster.Outcome?>(nil)

    static let grace: Double = 10
    /// Seconds after the ramp before the bots' own CPU is measured: the last handshakes settle.
    static let settle: Double = 1

    /// Process CPU seconds and the instant when the ramp ended and when the bots were stopped.
    private(set) var steadyCPU: (start: (cpu: Double, at: ContinuousClock.Instant)?, end: (cpu: Double, at: ContinuousClock.Instant)?)

    init(settings: BotReport.Settings, mix: BehaviorMix, map: BotMap?, token: String?, reconnect: Bool,
         chatInterval: ClosedRange<Double>, queues: Int?, seed: UInt64, observers: ObserverSample, sources: SourceAddresses?,
         quiz: QuizMaster.Plan? = nil) throws {
        self.settings = settings
        self.mix = mix
        self.seed = seed
        let clientQueues = ClientQueues(count: queues, timeoutResolution: .milliseconds(100))
        context = BotContext(url: settings.url, token: token, map: map, metrics: metrics, moves: MoveRegistry(),
                             queues: clientQueues, reconnect: reconnect,
                             chatInterval: chatInterval, clockOrigin: .now, observers: observers, sources: sources)
        quizMaster = try quiz.map { try QuizMaster(plan: $0, url: settings.url, queues: clientQueues) }
    }

    func run() async -> BotReport {
        let started = ContinuousClock.now
        let startedAt = ISO8601DateFormatter().string(from: Date())
        let rampSeconds = Double(settings.bots) / settings.rampPerSecond
        let deadline = started + .seconds(rampSeconds + settings.durationSeconds + Self.grace)
        var lastTraffic = (messagesIn: UInt64(0), bytesIn: UInt64(0), time: started)
        var nextBot = 0
        var stopping = false
        var quizStarted = false
        if let quizMaster {
            do {
                try await quizMaster.connect()
            } catch {
                aborted = "the quizmaster could not join: \(FailureReason.label(error))"
                print("atrium-bots: \(aborted!)")
                return report(startedAt: startedAt, elapsed: 0, verdict: "")
            }
        }

        while true {
            let now = ContinuousClock.now
            let elapsed = started.duration(to: now).seconds
            // Ramp: start every bot whose turn has come.
            let due = min(settings.bots, Int(elapsed * settings.rampPerSecond) + 1)
            while nextBot < due && !stopping {
                startBot(nextBot)
                nextBot += 1
            }
            if nextBot >= settings.bots && steadyCPU.start == nil && elapsed >= rampSeconds + Self.settle {
                steadyCPU.start = (ProcessCPU.seconds, now)
            }
            if let quizMaster, !quizStarted, !stopping, elapsed >= rampSeconds + quizMaster.plan.gatherSeconds {
                quizStarted = true
                print("the quiz starts")
                Task { [self] in
                    let outcome = await quizMaster.run()
                    quizOutcome.withLock { $0 = outcome }
                }
            }
            let counts = metrics.snapshot
            // Bad input shows in the first attempts: if the first ten all failed, stop.
            let sample = min(settings.bots, 10)
            let failures = counts.connectFailures.values.reduce(0, +)
            if counts.joined == 0 && failures >= sample && aborted == nil {
                aborted = "the first \(sample) bots could not join: \(BotReport.describe(counts.connectFailures))"
                print("atrium-bots: \(aborted!)")
                stopping = true
            }
            if !stopping && nextBot >= settings.bots && elapsed >= rampSeconds + settings.durationSeconds {
                stopping = true
                steadyCPU.end = (ProcessCPU.seconds, now)
                print("stopping the bots…")
                bots.forEach { $0.stop() }
            }
            if stopping && (metrics.snapshot.connected <= 0 || now >= deadline) { break }
            if now >= deadline {
                print("atrium-bots: global deadline reached")
                break
            }
            // Progress, once a second.
            let traffic = metrics.traffic
            let interval = lastTraffic.time.duration(to: now).seconds
            if interval >= 1 {
                let inbound = Double(traffic.messagesIn - lastTraffic.messagesIn) / interval
                let bytes = Double(traffic.bytesIn - lastTraffic.bytesIn) / interval
                lastTraffic = (traffic.messagesIn, traffic.bytesIn, now)
                let ack = metrics.inputAck.summary
                let seen = metrics.moveSeen.summary
                print(String(format: "[%5.1fs] connected %d/%d  in %.0f msg/s %.1f KB/s  p99 input→ack %.1f ms  move→seen %.1f ms  errors %d",
                             elapsed, metrics.snapshot.connected, settings.bots, inbound, bytes / 1000, ack.p99Ms, seen.p99Ms,
                             metrics.errorCount))
                fflush(nil)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = started.duration(to: .now).seconds
        return report(startedAt: startedAt, elapsed: elapsed, verdict: "")
    }

    private func startBot(_ index: Int) {
        let behavior = mix.behavior(forBot: index, of: settings.bots)
        do {
            let bot = try Bot(index: index, behavior: behavior, context: context, seed: seed &* 1_000_003 &+ UInt64(index))
            bots.append(bot)
            bot.start()
        } catch {
            metrics.connectFailed("\(error)")
        }
    }

    /// CPU seconds per second over the steady window, when it was long enough to tell.
    var ownCPUFraction: Double? {
        guard let start = steadyCPU.start, let end = steadyCPU.end else { return nil }
        let seconds = start.at.duration(to: end.at).seconds
        return seconds >= 1 ? (end.cpu - start.cpu) / seconds : nil
    }

    private var ownCPU: BotReport.OwnCPU? {
        ownCPUFraction.map { .init(percentOfOneCore: ($0 * 1000).rounded() / 10, cores: ProcessCPU.cores) }
    }

    private func quizReport(_ tally: BotMetrics.QuizTally) -> QuizReport? {
        guard quizMaster != nil else { return nil }
        let outcome = quizOutcome.withLock { $0 } ?? QuizMaster.Outcome(failure: "the quiz did not finish within the run")
        return QuizReport(master: outcome, tally: tally)
    }

    private func report(startedAt: String, elapsed: Double, verdict: String) -> BotReport {
        let counts = metrics.snapshot
        let traffic = metrics.traffic
        let seconds = max(elapsed, 0.001)
        let recorders = [metrics.connect, metrics.inputAck, metrics.moveSeen, metrics.chatAck, metrics.chatDelivery, metrics.signalRelay]
        return BotReport(
            startedAt: startedAt, settings: settings, elapsedSeconds: elapsed, attempted: counts.attempted,
            joined: counts.joined, peakConnected: counts.peakConnected, connectedAtEnd: counts.connected,
            latencies: Dictionary(uniqueKeysWithValues: recorders.map { ($0.name, $0.summary) }),
            traffic: .init(messagesIn: traffic.messagesIn, bytesIn: traffic.bytesIn, messagesOut: traffic.messagesOut,
                           bytesOut: traffic.bytesOut, messagesInPerSecond: Double(traffic.messagesIn) / seconds,
                           bytesInPerSecond: Double(traffic.bytesIn) / seconds,
                           messagesOutPerSecond: Double(traffic.messagesOut) / seconds,
                           bytesOutPerSecond: Double(traffic.bytesOut) / seconds,
                           bytesInPerBotPerSecond: Double(traffic.bytesIn) / seconds / Double(max(counts.peakConnected, 1))),
            connectFailures: counts.connectFailures, errors: counts.errors, disconnects: counts.disconnects,
            reconnects: counts.reconnects,
            signals: .init(sent: counts.signalsSent, received: counts.signalsReceived,
                           receivedPerSecond: Double(counts.signalsReceived) / seconds),
            ownCPU: ownCPU, quiz: quizReport(counts.quiz), unreliable: false, warnings: [], verdict: verdict)
    }
}
