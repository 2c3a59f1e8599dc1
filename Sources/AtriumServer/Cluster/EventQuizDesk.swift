import AtriumCluster
import AtriumWorld

/// The event-wide quizzes this node leads, one ``EventQuizLead`` per run, and the
/// translations between a room's instances and the bus. A moderator's open makes a lead
/// here; every other step reaches the lead through the bus, wherever the moderator is,
/// so a lead has one way in. Wall-clock milliseconds go in, bus messages come out.
struct EventQuizDesk: Sendable {
    private var leads: [String: EventQuizLead] = [:]
    private var opened = 0
    let node: String
    let settings: EventQuizLead.Settings

    init(node: String, settings: EventQuizLead.Settings = .init()) {
        self.node = node
        self.settings = settings
    }

    var runs: [String] { leads.keys.sorted() }

    /// A moderator on this node opened a quiz for every instance of `room`: this node leads it.
    mutating func open(room: String, set: QuizSet, mode: QuizMode, tickRate: Int, nowMilliseconds now: Int64) -> [QuizBusMessage] {
        opened += 1
        let run = "\(node)-\(now)-\(opened)"
        let questions = set.questions.map {
            EventQuizLead.Question(text: $0.text, answer: $0.answer == .o ? "O" : "X", explanation: $0.explanation,
                                   timeLimitSeconds: $0.timeLimit)
        }
        let lead = EventQuizLead(room: room, run: run, title: set.title, survival: mode == .survival, questions: questions,
                                 tickRate: tickRate, settings: settings)
        leads[run] = lead
        return lead.open()
    }

    /// What an instance reports, as the bus message to publish for the lead.
    static func message(for report: EventQuizReport, room: String, instance: Int) -> QuizBusMessage? {
        switch report {
        case .open:
            return nil
        case .command(let run, let command):
            guard let name = Self.commandName(command) else { return nil }
            return QuizBusMessage(room: room, run: run, step: .command(name))
        case .joined(let run, let players):
            return QuizBusMessage(room: room, run: run, step: .joined(instance: instance, players: players))
        case .judged(let run, let index, let tally):
            return QuizBusMessage(room: room, run: run, step: .judged(instance: instance, index: index, tally: tally))
        }
    }

    private static func commandName(_ command: QuizCommand) -> String? {
        switch command {
        case .open: return nil
        case .next: return EventQuizLead.Command.next.rawValue
        case .pause: return EventQuizLead.Command.pause.rawValue
        case .resume: return EventQuizLead.Command.resume.rawValue
        case .skip: return EventQuizLead.Command.skip.rawValue
        case .end: return EventQuizLead.Command.end.rawValue
        }
    }

    /// A message heard on the bus: what a lead held here answers to it. Steps for the
    /// instances, and messages for runs another node leads, answer nothing.
    mutating func heard(_ message: QuizBusMessage, nowMilliseconds now: Int64) -> [QuizBusMessage] {
        guard var lead = leads[message.run], lead.room == message.room else { return [] }
        defer { leads[message.run] = lead.isEnded ? nil : lead }
        switch message.step {
        case .joined(let instance, let players):
            lead.joined(instance: instance, players: players)
            return []
        case .judged(let instance, let index, let tally):
            return lead.judged(instance: instance, index: index, tally: tally, nowMilliseconds: now)
        case .command(let name):
            guard let command = EventQuizLead.Command(rawValue: name) else { return [] }
            // A refusal is the lead's view of a step the instance could not yet see (two
            // moderators at once); the instance checked what it could and answered its moderator.
            return (try? lead.command(command, nowMilliseconds: now)) ?? []
        default:
            return []
        }
    }

    /// Results whose instances did not all report in time.
    mutating func tick(nowMilliseconds now: Int64) -> [QuizBusMessage] {
        var out: [QuizBusMessage] = []
        for run in leads.keys.sorted() {
            guard var lead = leads[run] else { continue }
            out += lead.tick(nowMilliseconds: now)
            leads[run] = lead
        }
        return out
    }

    /// The step an instance applies, its deadline turned into ticks left from now; nil
    /// for messages meant for the lead or malformed ones.
    static func step(_ message: QuizBusMessage, nowMilliseconds now: Int64, tickRate: Int) -> EventQuizStep? {
        let run = message.run
        func side(_ text: String) -> WorldMap.QuizSide? { text == "O" ? .o : text == "X" ? .x : nil }
        func ticksLeft(_ deadline: Int64) -> UInt32 {
            UInt32(clamping: max(1, EventTick.ticks(until: deadline, nowMilliseconds: now, tickRate: tickRate)))
        }
        switch message.step {
        case .opened(let title, let mode, let total):
            guard let mode = QuizMode(rawValue: mode) else { return nil }
            return .opened(run: run, title: title, mode: mode, total: total)
        case .asked(let index, _, let text, let answer, let explanation, let deadline, _):
            guard let answer = side(answer) else { return nil }
            return .asked(run: run, index: index, text: text, answer: answer, explanation: explanation, remainingTicks: ticksLeft(deadline))
        case .paused(let index):
            return .paused(run: run, index: index)
        case .resumed(let index, let deadline, _):
            return .resumed(run: run, index: index, remainingTicks: ticksLeft(deadline))
        case .skipped(let index):
            return .skipped(run: run, index: index)
        case .result(let index, let answer, let explanation, let o, let x, let none, let alive, let players, let top):
            guard let answer = side(answer) else { return nil }
            return .result(run: run, index: index, answer: answer, explanation: explanation, o: o, x: x, none: none, alive: alive,
                           players: players, top: top)
        case .ended(let top, let scores, let players):
            return .ended(run: run, top: top, scores: scores, players: players)
        case .joined, .judged, .command:
            return nil
        }
    }
}
