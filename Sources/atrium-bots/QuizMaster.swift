import AtriumClient
import AtriumProtocol
import Logging
import Synchronization

/// The moderator of a quiz run: joins with a moderator's token, opens an OX quiz of
/// generated questions in points mode (everyone plays every question), asks them one by
/// one, waits for each judgement, gives the players a pause to walk back, and ends it.
/// What it learns (players, the server's counts) goes into the report next to what the
/// bots themselves checked.
final class QuizMaster: Sendable {
    struct Plan: Sendable, Equatable {
        var token: String
        var questions: Int
        /// Seconds each question runs (the quiz's `timeLimit`, 5–120).
        var secondsPerQuestion: Int
        /// Seconds after the ramp before the first question: the bots walk to the quiz.
        var gatherSeconds: Double
        /// Seconds after each result before the next question: the bots walk back.
        var pauseSeconds: Double

        /// How long the quiz takes once started, with a margin for each judgement.
        var seconds: Double { Double(questions) * (Double(secondsPerQuestion) + pauseSeconds + 2) }
    }

    /// What the moderator saw.
    struct Outcome: Sendable, Codable, Equatable {
        var players = 0
        var asked = 0
        var judged = 0
        /// The server's counts per question: on O, on X, elsewhere.
        var counts: [[Int]] = []
        var finished = false
        var failure: String?
    }

    let plan: Plan
    private let client: AtriumClient
    private let events = Mutex<(results: [ServerMessages.QuizResult], status: ServerMessages.QuizStatus?)>(([], nil))

    init(plan: Plan, url: String, queues: ClientQueues) throws {
        self.plan = plan
        var configuration = ClientConfiguration(
            url: url, name: "Quizmaster", token: plan.token, connectTimeout: .seconds(15), requestTimeout: .seconds(30),
            reconnect: .disabled, queues: queues, logger: Logger(label: "quizmaster") { _ in SwiftLogNoOpLogHandler() })
        configuration.stateDecoding = .ownAvatar
        client = try AtriumClient(configuration: configuration)
        client.onEvent = { [weak self] event in
            guard let self, case .event(let message) = event else { return }
            events.withLock {
                if let result = message as? ServerMessages.QuizResult { $0.results.append(result) }
                if let status = message as? ServerMessages.QuizStatus { $0.status = status }
            }
        }
    }

    func connect() async throws(AtriumClientError) {
        _ = try await client.connect()
    }

    /// Runs the quiz; returns what happened, including why it stopped early.
    func run() async -> Outcome {
        var outcome = Outcome()
        let questions = (0..<plan.questions).map { index in
            ClientMessages.QuizQuestion(id: "load-\(index + 1)", question: "Load test question \(index + 1): is this O?",
                                        answer: index % 2 == 0 ? "O" : "X", timeLimit: plan.secondsPerQuestion)
        }
        do {
            _ = try await client.moderate(ClientMessages.QuizOpen(title: "Load test", questions: questions, mode: "points"))
            outcome.players = events.withLock { $0.status?.players } ?? 0
            for index in 0..<plan.questions {
                _ = try await client.moderate(ClientMessages.QuizNext())
                outcome.asked += 1
                guard let result = await awaitResult(index, within: .seconds(plan.secondsPerQuestion + 15)) else {
                    outcome.failure = "question \(index + 1) was not judged in time"
                    break
                }
                outcome.judged += 1
                outcome.counts.append([result.counts.o, result.counts.x, result.counts.none])
                outcome.players = max(outcome.players, result.counts.o + result.counts.x + result.counts.none)
                try await Task.sleep(for: .seconds(plan.pauseSeconds))
            }
            _ = try await client.moderate(ClientMessages.QuizEnd())
            outcome.finished = outcome.failure == nil
        } catch {
            outcome.failure = outcome.failure ?? "the quiz stopped: \(error)"
        }
        client.leave()
        return outcome
    }

    /// Waits for the judgement of question `index`, polling what the client received.
    private func awaitResult(_ index: Int, within limit: Duration) async -> ServerMessages.QuizResult? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let result = events.withLock({ $0.results.first { $0.index == index } }) { return result }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
