/// The quiz case's figures: what the moderator saw, what the bots checked, and the check's
/// verdict: every quiz bot got a verdict for every judged question, and each names the
/// field the bot stood on at the deadline.
struct QuizReport: Codable, Sendable, Equatable {
    var master: QuizMaster.Outcome
    var tally: BotMetrics.QuizTally
    /// Quiz bots that joined × questions judged.
    var expectedVerdicts: Int
    /// "pass", or "fail: " and the reasons.
    var check: String

    init(master: QuizMaster.Outcome, tally: BotMetrics.QuizTally) {
        self.master = master
        self.tally = tally
        expectedVerdicts = tally.players * master.judged
        let failures = Self.failures(master: master, tally: tally, expected: expectedVerdicts)
        check = failures.isEmpty ? "pass" : "fail: " + failures.joined(separator: "; ")
    }

    var passed: Bool { check == "pass" }

    static func failures(master: QuizMaster.Outcome, tally: BotMetrics.QuizTally, expected: Int) -> [String] {
        var failures: [String] = []
        if let failure = master.failure { failures.append(failure) }
        if master.judged == 0 { failures.append("no question was judged") }
        if tally.mismatched > 0 { failures.append("\(tally.mismatched) verdicts name another field than the bot stood on") }
        if tally.unknown > 0 { failures.append("\(tally.unknown) verdicts came to bots with no position before the deadline") }
        if tally.verdicts < expected { failures.append("\(expected - tally.verdicts) verdicts missing of \(expected)") }
        return failures
    }

    /// One line for the report: the check and its counts.
    var line: String {
        "quiz verdicts: \(check) (\(master.judged)/\(master.asked) questions judged, \(tally.players) players, "
            + "\(tally.matched)/\(expectedVerdicts) verdicts match where the bot stood, \(tally.mismatched) mismatched, "
            + "\(tally.unknown) unknown, \(tally.movingAtDeadline) still walking at the deadline)"
    }
}
