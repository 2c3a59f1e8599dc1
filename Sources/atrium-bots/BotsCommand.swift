import ArgumentParser
import AtriumNet
import Dispatch
import Foundation

@main
struct BotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atrium-bots",
        abstract: "Connects scripted bots to an Atrium room and measures what they experience.",
        discussion: """
            Example: atrium-bots --url ws://127.0.0.1:8080/ws --room expo-hall --bots 1000 --ramp 200/s \\
                       --duration 60s --behavior wander:70,chatter:20,idle:10 --report run.json
            Exit status: 0 when the run met --min-joined, --max-p99-ms and --max-errors, 1 when it did not, 2 on bad input.
            A run whose bots used more than --max-own-cpu of their cores is reported as unreliable.
            """)

    @Option(help: "WebSocket URL of the server's /ws endpoint.") var url = "ws://127.0.0.1:8080/ws"
    @Option(help: "Room id (added as ?room=).") var room: String?
    @Option(help: "Number of bots.") var bots = 20
    @Option(help: "Connections started per second, e.g. 200/s.") var ramp = "200/s"
    @Option(help: "How long the bots stay after the ramp, e.g. 60s or 2m.") var duration = "30s"
    @Option(help: "Behaviour or weighted mix: idle, wander, crowd, chatter, quiz, talker; e.g. wander:70,chatter:20,idle:10.")
    var behavior = "wander"
    @Option(help: "Map file the bots read walls and destinations from. (default: MAPS/ROOM.tmj if it exists)")
    var map: String?
    @Option(help: "Folder of maps, to find the room's map.") var maps = "Maps"
    @Option(help: "Join token every bot presents.") var token: String?
    @Option(help: "Seconds between chat messages of chatter bots, as MIN-MAX.") var chatEvery = "5-15"
    @Flag(help: "Reconnect with the resume token after a dropped connection.") var reconnect = false
    @Option(help: "Write every figure to this JSON file.") var report: String?
    @Option(help: "Fail the run if the p99 of input→ack or move→seen is above this many milliseconds.")
    var maxP99Ms: Double?
    @Option(help: "Fail the run if more errors than this occurred; failed connects count.") var maxErrors: Int?
    @Option(help: "Fail the run unless at least this many bots joined, as a count or a percentage.")
    var minJoined = "100%"
    @Option(help: "Percentage of bots that decode every state message and time move→seen; the rest only skim for their own avatar.")
    var observe = "100%"
    @Option(help: "Local addresses to connect from, in turn: a range such as 127.0.0.1-127.0.0.16 or a list. (default: the system's choice)")
    var sourceAddresses: String?
    @Option(help: "Flag the run unreliable when the bots' own CPU after the ramp is above this share of their cores.")
    var maxOwnCpu = "90%"
    @Option(help: "I/O queues for the bots. (default: one per core)") var queues: Int?
    @Option(help: "Seed for the bots' choices.") var seed: UInt64 = 1
    @Option(help: "Run the OX quiz case: a moderator's join token; this process's quizmaster opens a quiz for the quiz bots.")
    var quizMaster: String?
    @Option(help: "Questions the quizmaster asks.") var quizQuestions = 3
    @Option(help: "Seconds each question runs (5-120).") var quizSeconds = 10
    @Option(help: "Seconds after the ramp before the first question, while the bots walk to the quiz.") var quizGather = 25.0
    @Option(help: "Seconds after each result before the next question, while the bots walk back.") var quizPause = 6.0

    func run() async throws {
        guard bots > 0 else { throw ValidationError("--bots must be at least 1") }
        guard let rate = Self.rate(ramp) else { throw ValidationError("--ramp takes a rate such as 200/s") }
        guard let seconds = Self.seconds(duration) else { throw ValidationError("--duration takes e.g. 60s, 2m or 500ms") }
        guard let mix = BehaviorMix(behavior) else {
            throw ValidationError("--behavior takes idle, wander, crowd, chatter, quiz or a mix such as wander:70,idle:30")
        }
        let chatRange = chatEvery.split(separator: "-").compactMap { Double($0) }
        guard chatRange.count == 2, chatRange[0] > 0, chatRange[0] <= chatRange[1] else {
            throw ValidationError("--chat-every takes MIN-MAX seconds, e.g. 5-15")
        }
        guard let quota = RunGates.Quota(minJoined) else { throw ValidationError("--min-joined takes a count or a percentage such as 95%") }
        guard let observers = ObserverSample(observe) else { throw ValidationError("--observe takes a percentage such as 10%") }
        guard let ownCPULimit = ObserverSample(maxOwnCpu)?.percent, ownCPULimit > 0 else {
            throw ValidationError("--max-own-cpu takes a percentage such as 90%")
        }
        var sources: SourceAddresses?
        if let sourceAddresses {
            guard let parsed = SourceAddresses(sourceAddresses) else {
                throw ValidationError("--source-addresses takes a range such as 127.0.0.1-127.0.0.16 or a comma-separated list (at most \(SourceAddresses.maxCount))")
            }
            sources = parsed
        }
        var quizPlan: QuizMaster.Plan?
        if let quizMaster {
            guard (1...100).contains(quizQuestions), (5...120).contains(quizSeconds), quizGather >= 0, quizPause >= 0 else {
                throw ValidationError("--quiz-questions takes 1-100, --quiz-seconds 5-120, --quiz-gather and --quiz-pause seconds")
            }
            let plan = QuizMaster.Plan(token: quizMaster, questions: quizQuestions, secondsPerQuestion: quizSeconds,
                                       gatherSeconds: quizGather, pauseSeconds: quizPause)
            guard seconds >= plan.gatherSeconds + plan.seconds else {
                throw ValidationError("--duration must cover the quiz: at least \(Int((plan.gatherSeconds + plan.seconds).rounded(.up)))s")
            }
            quizPlan = plan
        }
        var target = url
        if let room { target += (target.contains("?") ? "&" : "?") + "room=\(room)" }
        guard WebSocketURL(target) != nil else { throw ValidationError("--url must be a ws:// or wss:// URL, got \(url)") }

        var botMap: BotMap?
        let mapFile = map ?? room.map { "\(maps)/\($0).tmj" }
        if let mapFile, FileManager.default.fileExists(atPath: mapFile) {
            do {
                botMap = try BotMap(file: mapFile)
            } catch {
                throw ValidationError("\(error)")
            }
        } else if map != nil {
            throw ValidationError("map \(map!) not found")
        }
        if botMap == nil && mix.weights.contains(where: { $0.behavior != .idle }) {
            print("note: no map file; bots will walk without knowing the walls")
        }

        let runner = try BotRunner(settings: .init(url: target, room: room, bots: bots, rampPerSecond: rate,
                                               durationSeconds: seconds, behavior: behavior, observePercent: observers.percent,
                                               sourceAddresses: sources?.addresses),
                               mix: mix, map: botMap, token: token, reconnect: reconnect,
                               chatInterval: chatRange[0]...chatRange[1], queues: queues, seed: seed,
                               observers: observers, sources: sources, quiz: quizPlan)
        let result = await runner.run()
        let gates = RunGates(minJoined: quota, maxErrors: maxErrors, maxP99Ms: maxP99Ms, maxOwnCPU: ownCPULimit / 100)
        var p99: [String: Double] = [:]
        for name in ["input→ack", "move→seen"] {
            if let summary = result.latencies[name], summary.count > 0 { p99[name] = summary.p99Ms }
        }
        let verdict = gates.verdict(.init(bots: bots, joined: result.joined, connectFailures: result.connectFailures,
                                          errors: result.errors, disconnects: result.disconnects, p99Ms: p99,
                                          ownCPU: runner.ownCPUFraction, cores: ProcessCPU.cores, aborted: runner.aborted))
        var final = result
        var summary = verdict.summary
        var passed = verdict.passed
        if let quiz = result.quiz, !quiz.passed {
            passed = false
            summary = (verdict.passed ? "fail: " : summary + "; ") + quiz.line
        }
        final.verdict = summary
        final.unreliable = verdict.unreliable
        final.warnings = verdict.warnings
        print(final.table)
        if let report {
            do {
                try final.write(to: report)
                print("  report: \(report)")
            } catch {
                print("cannot write the report to \(report): \(error)")
            }
        }
        if !passed { throw ExitCode(1) }
    }

    static func rate(_ text: String) -> Double? {
        let trimmed = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
        guard let value = Double(trimmed), value > 0 else { return nil }
        return value
    }

    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value > 0 { return value * scale }
            return nil
        }
        return Double(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
