import AtriumClient
import AtriumProtocol
import AtriumServer
import AtriumStore
import AtriumTestSupport
import AtriumWorld
import Foundation
import Testing

/// Registration, roles, moderation and the quiz through the whole server.
@Suite(.serialized) struct ModerationEndToEndTests {
    @Test func aRegisteredRoomAdmitsValidTokensWithTheirRoleAndRefusesTheRest() async throws {
        let harness = try ServerHarness()
        let (token, registration) = try await harness.register("Presenter Park", role: "presenter", rooms: ["members"])
        let member = try await harness.joined("Park", room: "members", token: token)
        #expect(member.client.welcome?.you.role == "presenter")

        // Wrong room, forged, expired.
        for bad in [try await harness.register("A", role: "participant", rooms: ["plaza"]).token,
                    token.dropLast(2) + "AA",
                    try await harness.register("B", role: "participant", rooms: ["members"], validFor: .seconds(-10)).token] {
            let refused = try harness.client("Bad", room: "members", token: String(bad))
            await #expect {
                _ = try await refused.client.connect()
            } throws: { ($0 as? AtriumClientError).map { if case .refused(.badToken, _) = $0 { true } else { false } } ?? false }
        }
        // Revoked while the server runs: the next join with the same link is refused.
        _ = try await harness.storage.write(.revoke(idOrEmail: registration.id, time: 1)).get()
        let again = try harness.client("Park", room: "members", token: token)
        await #expect {
            _ = try await again.client.connect()
        } throws: { ($0 as? AtriumClientError).map { if case .refused(.badToken, "the join link was revoked") = $0 { true } else { false } } ?? false }
        await harness.stop()
    }

    @Test func aRegistrationWithAnUnknownRoleIsRefusedRatherThanGivenAGuessedRole() async throws {
        let harness = try ServerHarness()
        let token = try await harness.register("Edited By Hand", role: "superuser", rooms: ["members"]).token
        let refused = try harness.client("Edited", room: "members", token: token)
        await #expect {
            _ = try await refused.client.connect()
        } throws: { ($0 as? AtriumClientError).map { if case .refused(.badToken, _) = $0 { true } else { false } } ?? false }
        await harness.stop()
    }

    @Test func aParticipantCannotModerateAndAModeratorCan() async throws {
        let harness = try ServerHarness()
        let moderatorToken = try await harness.register("Host", role: "moderator").token
        let participantToken = try await harness.register("Guest", role: "participant").token
        let moderator = try await harness.joined("Host", room: "plaza", token: moderatorToken)
        let participant = try await harness.joined("Guest", room: "plaza", token: participantToken)
        await #expect(throws: AtriumClientError.rejected(.forbidden, "only moderators can announce")) {
            try await participant.client.moderate(ClientMessages.Announce(text: "I am in charge"))
        }
        try await moderator.client.moderate(ClientMessages.Announce(text: "Welcome!"))
        _ = try await participant.events.first(within: .seconds(5), "the announcement") {
            if case .event(let message) = $0, let announcement = message as? ServerMessages.Announcement { return announcement.text == "Welcome!" && announcement.from == "Host" }
            return false
        }
        let roster = try await moderator.client.moderate(ClientMessages.Roster())
        guard let list = roster as? ServerMessages.Roster else { Issue.record("no roster"); return }
        #expect(list.people.map(\.role).sorted() == ["moderator", "participant"])
        #expect(list.people.allSatisfy { $0.registration != nil })
        await harness.stop()
    }

    /// A ban is refused on every later join and survives a restart of the server.
    @Test func aBanOutlivesTheSessionAndARestart() async throws {
        let folder = NSTemporaryDirectory() + "atrium-ban-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let storage = try SQLiteStorage(directory: folder)
        let harness = try ServerHarness(storage: storage, dataDirectory: folder)
        let moderatorToken = try await harness.register("Host", role: "moderator").token
        let troubleToken = try await harness.register("Trouble", role: "participant").token
        let moderator = try await harness.joined("Host", room: "plaza", token: moderatorToken)
        let trouble = try await harness.joined("Trouble", room: "plaza", token: troubleToken)
        try await moderator.client.moderate(ClientMessages.Ban(avatar: trouble.id, reason: "spam"))
        _ = try await trouble.events.first(within: .seconds(5), "the end") {
            if case .closed(.refused(.kicked, _)) = $0 { return true }
            return false
        }
        await harness.stop()

        let restarted = try ServerHarness(storage: try SQLiteStorage(directory: folder), dataDirectory: folder)
        let again = try restarted.client("Trouble", room: "plaza", token: troubleToken)
        await #expect(throws: AtriumClientError.refused(.banned, "you are banned from this event")) { _ = try await again.client.connect() }
        await restarted.stop()
    }

    /// A moderator and thirty players run a three-question quiz: each player walks to the
    /// field it chose, and the server's results match where they stood.
    @Test func thirtyPlayersWalkToTheirAnswersAndTheResultsMatch() async throws {
        let harness = try ServerHarness()
        let moderatorToken = try await harness.register("Quizmaster", role: "moderator").token
        let moderator = try await harness.joined("Quizmaster", room: "plaza", token: moderatorToken)
        var players: [RecordedClient] = []
        for index in 0..<30 {
            let token = try await harness.register("Player \(index)", role: "participant").token
            players.append(try await harness.joined("Player \(index)", room: "plaza", token: token))
        }
        let questions = [
            ClientMessages.QuizQuestion(question: "Was the expo held online?", answer: "O", explanation: "It was.", timeLimit: 5),
            ClientMessages.QuizQuestion(question: "Were there twenty booths?", answer: "X", explanation: "Seventeen.", timeLimit: 5),
            ClientMessages.QuizQuestion(question: "Is failing allowed?", answer: "O", timeLimit: 5),
        ]
        try await moderator.client.moderate(ClientMessages.QuizOpen(title: "Expo quiz", questions: questions, mode: "points"))

        var expectedScores = [Int](repeating: 0, count: 30)
        for (index, question) in questions.enumerated() {
            // Player i picks O when (i + index) is even; every fifth stays out of both fields.
            var choices: [String] = []
            for (number, player) in players.enumerated() {
                let choice = number % 5 == 4 ? "none" : ((number + index) % 2 == 0 ? "O" : "X")
                choices.append(choice)
                // Plaza: O field x 10…17, X field x 30…37, y 22…27; "none" stands between them.
                let tileX = choice == "O" ? 11 + number % 6 : choice == "X" ? 31 + number % 6 : 24
                let tileY = 22 + number % 6
                player.client.walk(toX: tileX * 64 + 32, y: tileY * 64 + 32)
            }
            for (number, player) in players.enumerated() {
                let choice = choices[number]
                try await player.waitUntil("player \(number) in place", within: .seconds(20)) { world in
                    guard let me = world.me else { return false }
                    let tile = (x: Int(me.motion.x) / 64, y: Int(me.motion.y) / 64)
                    let inO = (10...17).contains(tile.x) && (22...27).contains(tile.y)
                    let inX = (30...37).contains(tile.x) && (22...27).contains(tile.y)
                    return me.motion.vx == 0 && me.motion.vy == 0 && (choice == "O" ? inO : choice == "X" ? inX : !inO && !inX)
                }
            }
            try await moderator.client.moderate(ClientMessages.QuizNext())
            let result = try await moderator.events.first(within: .seconds(15), "the result of question \(index)") {
                if case .event(let message) = $0, let result = message as? ServerMessages.QuizResult { return result.index == index }
                return false
            }
            guard case .event(let message) = result, let outcome = message as? ServerMessages.QuizResult else { return }
            let o = choices.filter { $0 == "O" }.count
            let x = choices.filter { $0 == "X" }.count
            #expect(outcome.counts == .init(o: o, x: x, none: 30 - o - x))
            #expect(outcome.answer == question.answer)
            for (number, player) in players.enumerated() {
                let verdict = try await player.events.first(within: .seconds(5), "verdict \(index)") {
                    if case .event(let message) = $0, let verdict = message as? ServerMessages.QuizVerdict { return verdict.index == index }
                    return false
                }
                guard case .event(let message) = verdict, let mine = message as? ServerMessages.QuizVerdict else { continue }
                let correct = choices[number] == question.answer
                if correct { expectedScores[number] += 1 }
                #expect(mine.chose == choices[number] && mine.correct == correct && mine.score == expectedScores[number])
            }
        }
        try await moderator.client.moderate(ClientMessages.QuizEnd())
        let final = try await moderator.events.first(within: .seconds(5), "the final ranking") {
            if case .event(let message) = $0, message is ServerMessages.QuizFinal { return true }
            return false
        }
        guard case .event(let message) = final, let ranking = message as? ServerMessages.QuizFinal else { return }
        #expect(ranking.players == 30)
        #expect(ranking.ranking.first?.score == expectedScores.max())
        let stored = (harness.storage as! InMemoryStorage)
        #expect(stored.quizAnswers.count == 90)
        #expect(stored.quizRanking.count == 30)
        await harness.stop()
    }
}
