import Foundation
import Testing
@testable import AtriumWorld

/// The room's rules that the browser client applies too, run from `Protocol/rules.json`
/// on `Protocol/rules-map.tmj`: who may open an exhibit, and who hears a chat message.
/// `Tests/Web/rules.test.mjs` runs the same cases against the JavaScript.
@Suite struct SharedRoomRuleTests {
    struct Rules: Decodable, Sendable {
        struct ReachCase: Decodable, Sendable {
            var tile: [Int]
            var exhibit: String
            var inReach: Bool
        }

        struct ChatCase: Decodable, Sendable {
            struct Sender: Decodable, Sendable {
                var x: Int32
                var y: Int32
                var role: String?
            }

            struct Other: Decodable, Sendable {
                var id: Int
                var x: Int32
                var y: Int32
                var away: Bool?
            }

            var name: String
            var scope: String
            var sender: Sender
            var others: [Other]
            var hears: [Int]?
            var refused: String?
        }

        struct Section<Case: Decodable & Sendable>: Decodable, Sendable {
            var cases: [Case]
        }

        var map: String
        var exhibitReach: Section<ReachCase>
        var chat: Section<ChatCase>
    }

    static let folder = URL(fileURLWithPath: "/" + String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/") + "/Protocol")
    static let rules: Rules = try! JSONDecoder().decode(Rules.self, from: Data(contentsOf: folder.appendingPathComponent("rules.json")))

    private func room() throws -> Room {
        let bytes = try Data(contentsOf: Self.folder.appendingPathComponent(Self.rules.map))
        let map = try MapLoader.load(Array(bytes), file: Self.rules.map)
        return Room(map: map, configuration: RoomConfiguration(id: "rules"))
    }

    private static func role(_ name: String?) -> Role {
        switch name {
        case "presenter": return .presenter
        case "moderator": return .moderator
        default: return .participant
        }
    }

    @Test(arguments: rules.exhibitReach.cases.indices)
    func exhibitReach(_ index: Int) throws {
        let rule = Self.rules.exhibitReach.cases[index]
        var room = try room()
        var output = RecordingOutput()
        let visitor = room.join(ClientID(1), name: "Visitor", output: &output)
        room.place(visitor, at: Position(tileX: rule.tile[0], tileY: rule.tile[1]))
        output.clear()
        room.step([.openExhibit(ClientID(1), exhibitID: rule.exhibit, ref: "r")], into: &output)
        let opened = output.events(for: ClientID(1)).contains { if case .exhibitOpened = $0 { true } else { false } }
        #expect(opened == rule.inReach, "\(rule.exhibit) from tile (\(rule.tile[0]), \(rule.tile[1]))")
        if !rule.inReach {
            #expect(output.events(for: ClientID(1)) == [.error(.tooFar, ref: "r")])
        }
    }

    @Test(arguments: rules.chat.cases.indices)
    func whoHearsAChatMessage(_ index: Int) throws {
        let rule = Self.rules.chat.cases[index]
        var room = try room()
        var output = RecordingOutput()
        let sender = room.join(ClientID(1), name: "Sender", role: Self.role(rule.sender.role), output: &output)
        room.place(sender, at: Position(x: rule.sender.x, y: rule.sender.y))
        // Each other avatar's client is its case id + 100, so ids and clients never mix.
        for other in rule.others {
            let client = ClientID(UInt64(other.id + 100))
            let avatar = room.join(client, name: "Other \(other.id)", output: &output)
            room.place(avatar, at: Position(x: other.x, y: other.y))
            if other.away == true { room.step([.disconnect(client)], into: &output) }
        }
        guard let scope = ChatScope(rawValue: rule.scope) else {
            Issue.record("unknown scope \(rule.scope)")
            return
        }
        output.clear()
        room.step([.chat(ClientID(1), ChatRequest(scope: scope, text: "hello", to: nil, ref: "r"))], into: &output)
        if let refused = rule.refused {
            #expect(output.chats.isEmpty, "\(rule.name)")
            let codes = output.events(for: ClientID(1)).compactMap { event -> String? in
                if case .error(let error, _) = event { return error.code.rawValue }
                return nil
            }
            #expect(codes == [refused], "\(rule.name)")
        } else {
            let recipients = output.chats.first?.recipients ?? []
            let heard = recipients.filter { $0 != ClientID(1) }.map { Int($0.rawValue) - 100 }.sorted()
            #expect(heard == rule.hears, "\(rule.name)")
            #expect(recipients.contains(ClientID(1)), "the sender gets its own copy: \(rule.name)")
        }
    }
}
