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
            Exit status: 0 when the run met --max-p99-ms and --max-errors, 1 when it did not, 2 on bad input.
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
    @Option(help: "Fail the run if more errors than this occurred.") var maxErrors: Int?
    @Option(help: "I/O queues for the bots. (default: one per core)") var queues: Int?
    @Option(help: "Seed for the bots' choices.") var seed: UInt64 = 1

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

        let runner = BotRunner(settings: .init(url: target, room: room, bots: bots, rampPerSecond: rate,
                                               durationSeconds: seconds, behavior: behavior),
                               mix: mix, map: botMap, token: token, reconnect: reconnect,
                               chatInterval: chatRange[0]...chatRange[1], queues: queues, seed: seed)
        let result = await runner.run()
        var verdictFailures: [String] = []
        if let maxP99Ms {
            for name in ["input→ack", "move→seen"] {
                if let p99 = result.latencies[name]?.p99Ms, result.latencies[name]!.count > 0, p99 > maxP99Ms {
                    verdictFailures.append("\(name) p99 \(p99) ms > \(maxP99Ms) ms")
                }
            }
        }
        let errorCount = runner.metrics.errorCount
        if let maxErrors, errorCount > maxErrors { verdictFailures.append("\(errorCount) errors > \(maxErrors)") }
        if result.joined == 0 { verdictFailures.append("no bot joined") }
        var final = result
        final.verdict = verdictFailures.isEmpty ? "pass" : "fail: " + verdictFailures.joined(separator: "; ")
        print(final.table)
        if let report {
            do {
                try final.write(to: report)
                print("  report: \(report)")
            } catch {
                print("cannot write the report to \(report): \(error)")
            }
        }
        if !verdictFailures.isEmpty { throw ExitCode(1) }
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
