import AtriumClient
import AtriumCluster
import AtriumProtocol
import AtriumServer
import AtriumStore
import AtriumTestSupport
import AtriumWorld
import Foundation
import Testing

/// A room that overflows into instances on two nodes (in one process, sharing an
/// in-memory directory and bus), and on a single server: arrivals spread over the
/// instances with room, a visitor sees them and switches, a friend's link lands in the
/// friend's instance, and a moderator's announcement and OX quiz span every instance.
@Suite(.serialized) struct OverflowEndToEndTests {
    struct Unmet: Error {
        var what: String
    }

    /// Instances of four avatars; a new one opens once every instance holds three (60 %).
    /// Leases are renewed every 300 ms, so the directory's counts are fresh.
    private static func configure(_ configuration: inout ServerConfiguration) {
        configuration.cluster.maxInstances = 3
        configuration.cluster.instanceCapacity = 4
        configuration.cluster.lease = LeaseSettings(duration: .seconds(3), renewInterval: .milliseconds(300),
                                                    safetyMargin: .milliseconds(600))
    }

    /// Waits until the directory counts `population` avatars in an instance (bounded poll).
    private func directory(_ cluster: InMemoryCluster, shows population: Int, in instance: String) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let entries = await withCheckedContinuation { continuation in
                cluster.lookup(room: nil) { continuation.resume(returning: (try? $0.get()) ?? []) }
            }
            if entries.contains(where: { $0.instance.key == instance && $0.population == population }) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Unmet(what: "\(population) in \(instance) in the directory")
    }

    /// Waits until `condition` holds (bounded poll of state that changes on other queues).
    private func eventually(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw Unmet(what: what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func client(_ cluster: ClusterHarness, _ name: String, seat: SeatAnswer, token: String? = nil, near: String? = nil,
                        resume: String? = nil) throws -> RecordedClient {
        let harness = cluster.node(seat.node ?? "")
        var configuration = ClientConfiguration(url: "ws://127.0.0.1:\(harness.port)" + seat.path, name: name, token: token,
                                                reconnect: .disabled, queues: harness.clientQueues, logger: quietLogger)
        configuration.near = near
        configuration.resume = resume
        return RecordedClient(try AtriumClient(configuration: configuration))
    }

    private func stand(_ visitor: RecordedClient, on node: ServerHarness, instance: String, tileX: Int, tileY: Int) async throws {
        let id = visitor.id
        node.server.rooms[instance]!.submit(.place(avatarID: id, Position(tileX: tileX, tileY: tileY)))
        try await visitor.waitUntil("\(visitor.client.welcome?.you.name ?? "") placed") { world in
            world.position(of: id, at: world.tick).map { Int($0.x) / 64 == tileX && Int($0.y) / 64 == tileY } ?? false
        }
    }

    private func message<Message: ServerMessage>(_ type: Message.Type, to visitor: RecordedClient, _ what: String,
                                                 where matches: @escaping (Message) -> Bool = { _ in true }) async throws -> Message {
        let event = try await visitor.events.first(within: .seconds(10), what) {
            if case .event(let message) = $0, let typed = message as? Message { return matches(typed) }
            return false
        }
        guard case .event(let found) = event, let typed = found as? Message else { throw Unmet(what: what) }
        return typed
    }

    @Test func arrivalsSpreadFriendsFindEachOtherVisitorsSwitchAndOneQuizSpansTheInstances() async throws {
        let cluster = try ClusterHarness(configure: Self.configure)
        let host = try await cluster.node("a").register("Host", role: "moderator")

        // Three arrive through node a, which claims the room: instance 1 until it holds three.
        let hostSeat = try #require(try await cluster.seat(room: "plaza", via: "a", token: host.token).answer)
        #expect(hostSeat.node == "a" && hostSeat.instance == 1)
        let moderator = try client(cluster, "Host", seat: hostSeat, token: host.token)
        _ = try await moderator.client.connect()
        var inFirst: [String: RecordedClient] = [:]
        for name in ["Ara", "Bo"] {
            let seat = try #require(try await cluster.seat(room: "plaza", via: "a").answer)
            #expect(seat.instance == 1, "\(name) goes to the room itself")
            inFirst[name] = try client(cluster, name, seat: seat)
            _ = try await inFirst[name]!.client.connect()
        }
        try await directory(cluster.shared, shows: 3, in: "plaza")

        // Every instance holds three: the next arrival, through node b, opens instance 2 there,
        // and the one after, through node a, is sent to it too: it has room, instance 1 does not.
        let chulSeat = try #require(try await cluster.seat(room: "plaza", via: "b").answer)
        #expect(chulSeat.instance == 2 && chulSeat.node == "b" && chulSeat.path.contains("room=plaza~2"))
        let chul = try client(cluster, "Chul", seat: chulSeat)
        #expect(try await chul.client.connect().room.id == "plaza~2")
        try await directory(cluster.shared, shows: 1, in: "plaza~2")
        let damiSeat = try #require(try await cluster.seat(room: "plaza", via: "a").answer)
        #expect(damiSeat.instance == 2 && damiSeat.node == "b")
        #expect(damiSeat.instances.map(\.number) == [1, 2])
        let dami = try client(cluster, "Dami", seat: damiSeat)
        _ = try await dami.client.connect()

        // The visitors see the instances and their counts.
        let listed = try await message(ServerMessages.Instances.self, to: chul, "both instances listed") {
            $0.instances.map(\.number) == [1, 2] && $0.instance == 2
        }
        #expect(listed.room == "plaza" && listed.capacity == 4)

        // Chul's "come find me" link brings a friend into instance 2, whatever node it asks.
        let findMe = try await chul.client.request(ClientMessages.FindMe(), expecting: ServerMessages.FindMe.self)
        #expect(findMe.room == "plaza~2")
        let friendSeat = try #require(try await cluster.seat(room: findMe.room, via: "a").answer)
        #expect(friendSeat.instance == 2 && friendSeat.node == "b")
        let eun = try client(cluster, "Eun", seat: friendSeat, near: findMe.token)
        let eunWelcome = try await eun.client.connect()
        #expect(eunWelcome.room.id == "plaza~2")
        try await eun.waitUntil("Chul in view") { $0.position(of: chul.id, at: $0.tick) != nil }

        // Dami switches to instance 1 through the seat endpoint, and is the same person there.
        let switchSeat = try #require(try await cluster.seat(room: "plaza", via: "b", instance: 1).answer)
        #expect(switchSeat.instance == 1 && switchSeat.node == "a")
        let resume = try #require(dami.client.welcome?.resume)
        dami.client.leave()
        let damiThere = try client(cluster, "Dami", seat: switchSeat, resume: resume)
        #expect(try await damiThere.client.connect().you.name == "Dami")
        inFirst["Dami"] = damiThere

        // A moderator's announcement in instance 1 reaches instance 2 on the other node.
        _ = try await moderator.client.moderate(ClientMessages.Announce(text: "The quiz starts now"))
        for visitor in [chul, eun] {
            _ = try await message(ServerMessages.Announcement.self, to: visitor, "the announcement in instance 2") {
                $0.text == "The quiz starts now"
            }
        }

        // One OX quiz for both instances. O is right: Ara, Dami and Chul on O, Bo on X,
        // Eun between the fields.
        let a = cluster.node("a"), b = cluster.node("b")
        try await stand(inFirst["Ara"]!, on: a, instance: "plaza", tileX: 12, tileY: 24)
        try await stand(inFirst["Bo"]!, on: a, instance: "plaza", tileX: 32, tileY: 24)
        try await stand(damiThere, on: a, instance: "plaza", tileX: 13, tileY: 25)
        try await stand(chul, on: b, instance: "plaza~2", tileX: 12, tileY: 23)
        try await stand(eun, on: b, instance: "plaza~2", tileX: 24, tileY: 24)
        let questions = [ClientMessages.QuizQuestion(question: "Is failing a step?", answer: "O", explanation: "It is.", timeLimit: 5)]
        _ = try await moderator.client.moderate(ClientMessages.QuizOpen(title: "Try again", questions: questions, mode: "points"))
        _ = try await message(ServerMessages.QuizStatus.self, to: moderator, "the quiz open here") { $0.state == "open" }
        let opened = try await message(ServerMessages.QuizStatus.self, to: eun, "the quiz open in instance 2") { $0.state == "open" }
        #expect(opened.players == 2)
        _ = try await moderator.client.moderate(ClientMessages.QuizNext())
        let askedHere = try await message(ServerMessages.QuizQuestion.self, to: inFirst["Bo"]!, "the question in instance 1")
        let askedThere = try await message(ServerMessages.QuizQuestion.self, to: chul, "the question in instance 2")
        // One deadline: the same moment in both instances, to within a tick.
        #expect(askedHere.question == askedThere.question && abs(askedHere.deadline - askedThere.deadline) <= 60)

        // Each player's verdict comes from its own instance, before the event's result.
        #expect(try await message(ServerMessages.QuizVerdict.self, to: eun, "Eun's verdict").chose == "none")
        let here = try await message(ServerMessages.QuizResult.self, to: moderator, "the result in instance 1")
        let there = try await message(ServerMessages.QuizResult.self, to: eun, "the result in instance 2")
        #expect(here == there)
        #expect(here.counts == .init(o: 3, x: 1, none: 1) && here.alive == 5)
        #expect(here.top.map(\.name) == ["Ara", "Chul", "Dami", "Bo", "Eun"] && here.top.map(\.rank) == [1, 1, 1, 4, 4])
        #expect(try await message(ServerMessages.QuizVerdict.self, to: chul, "Chul's verdict").correct)
        #expect(try await !message(ServerMessages.QuizVerdict.self, to: inFirst["Bo"]!, "Bo's verdict").correct)

        _ = try await moderator.client.moderate(ClientMessages.QuizEnd())
        let finalHere = try await message(ServerMessages.QuizFinal.self, to: inFirst["Ara"]!, "the ranking in instance 1")
        let finalThere = try await message(ServerMessages.QuizFinal.self, to: chul, "the ranking in instance 2")
        #expect(finalHere == finalThere && finalHere.players == 5)
        let stored = cluster.storage as! InMemoryStorage
        try await eventually("five rankings stored") { stored.quizRanking.count == 5 }
        #expect(stored.quizRanking.map { "\($0.playerName) \($0.rank)" }.sorted() == ["Ara 1", "Bo 4", "Chul 1", "Dami 1", "Eun 4"])
        await cluster.stop()
    }

    @Test func aSingleServerRunsOverflowInstancesOnItsOwn() async throws {
        let server = try ServerHarness(configure: Self.configure)
        var visitors: [RecordedClient] = []
        for name in ["Ara", "Bo", "Chul", "Dami"] {
            let (status, body) = try await httpGet(port: server.port, path: "/api/seat?room=plaza")
            #expect(status == 200)
            let seat = try JSONDecoder().decode(SeatAnswer.self, from: Data(body))
            #expect(seat.node == "local" && seat.instance == (visitors.count < 3 ? 1 : 2))
            let configuration = ClientConfiguration(url: "ws://127.0.0.1:\(server.port)" + seat.path, name: name,
                                                    reconnect: .disabled, queues: server.clientQueues, logger: quietLogger)
            let visitor = RecordedClient(try AtriumClient(configuration: configuration))
            _ = try await visitor.client.connect()
            visitors.append(visitor)
            let count = visitors.count
            try await eventually("\(name) counted") { server.server.rooms.values.reduce(0) { $0 + $1.population } == count }
        }
        #expect(server.server.rooms.keys.sorted() == ["plaza", "plaza~2"])
        // A link that names no seat still finds the room (the client asks for a seat).
        let plain = try await server.joined("Eun", room: "plaza")
        #expect(plain.client.welcome?.room.id.hasPrefix("plaza") == true)
        await server.stop()
    }
}
