import Testing
@testable import AtriumProtocol

@Suite struct MessageTests {
    @Test func decodesEveryClientMessage() throws {
        #expect(try ClientMessage.decode(Array(#"{"type":"hello","name":"Mina","token":"t","resume":"r"}"#.utf8))
            == .hello(.init(name: "Mina", token: "t", resume: "r")))
        #expect(try ClientMessage.decode(Array(#"{"type":"chat","scope":"dm","text":"hi","to":4,"ref":"a"}"#.utf8))
            == .chat(.init(scope: .dm, text: "hi", to: 4, ref: "a")))
        #expect(try ClientMessage.decode(Array(#"{"type":"emote","emote":"thumbs_up"}"#.utf8)) == .emote(.init(emote: .thumbsUp)))
        #expect(try ClientMessage.decode(Array(#"{"type":"who"}"#.utf8)) == .who(.init()))
        #expect(try ClientMessage.decode(Array(#"{"type":"leave","extra":1}"#.utf8)) == .leave)
    }

    @Test(arguments: [
        (#"not json"#, "bad_message"),
        (#"[1,2]"#, "bad_message"),
        (#"{"name":"x"}"#, "bad_message"),
        (#"{"type":"chat","scope":"everyone","text":"x"}"#, "bad_message"),
        (#"{"type":"chat","text":5}"#, "bad_message"),
        (#"{"type":"fly_away","x":1}"#, "unknown_type"),
    ])
    func refusesMalformedOrUnknownMessagesWithACode(json: String, code: String) {
        do {
            _ = try ClientMessage.decode(Array(json.utf8))
            Issue.record("decoded \(json)")
        } catch {
            #expect(error.code.rawValue == code)
        }
    }

    @Test func clientMessagesRoundTrip() throws {
        let messages: [ClientMessage] = [
            .hello(.init(name: "지호", appearance: 3)), .chat(.init(scope: .area, text: "안녕", ref: "x1")),
            .status(.init(text: "busy")), .ping(.init(t: 12.5)), .leave, .who(.init(limit: 5)), .emote(.init(emote: .wave)),
        ]
        for message in messages {
            #expect(try ClientMessage.decode(message.encoded()) == message)
        }
    }

    @Test func serverMessagesRoundTrip() throws {
        let welcome = ServerMessage.welcome(.init(
            you: .init(id: 7, name: "Mina", role: "participant"),
            room: .init(id: "expo-hall", name: "Expo", map: "expo-hall", width: 120, height: 80, tickRate: 20,
                        viewRadius: 12, chatRadius: 6, step: 13, diagonalStep: 9, unitsPerTile: 64),
            resume: "abc", resumed: false, tick: 99, serverTime: 1_700_000_000_000))
        let messages: [ServerMessage] = [
            welcome, .error(.init(code: .roomFull, message: "full")),
            .chat(.init(id: 5, from: .init(id: 1, name: "A"), scope: .nearby, text: "hi", time: 1, ref: "r")),
            .pong(.init(t: 1, serverTime: 2, tick: 3)),
            .people(.init(total: 1, people: [.init(id: 1, name: "A", role: "guest", status: "", away: false)])),
        ]
        for message in messages {
            #expect(try ServerMessage.decode(message.encoded()) == message)
        }
        #expect(String(decoding: ServerMessage.error(.init(code: .rateLimited, message: "slow down")).encoded(), as: UTF8.self)
            == #"{"type":"error","code":"rate_limited","message":"slow down"}"#)
    }

    @Test func sessionEndingErrorsHaveACloseCode() {
        #expect(ErrorCode.roomFull.closeCode == 4003)
        #expect(ErrorCode.badToken.closeCode == 4001)
        #expect(ErrorCode.rateLimited.closeCode == nil)
        #expect(EmoteKind(code: EmoteKind.party.code) == .party)
        #expect(EmoteKind(code: 0) == nil)
    }
}
