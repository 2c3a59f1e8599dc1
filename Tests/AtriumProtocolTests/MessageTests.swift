import Testing
@testable import AtriumProtocol

@Suite struct MessageTests {
    @Test func decodesClientMessagesWithOptionalFieldsLeftOut() throws {
        #expect(try ClientMessages.decode(Array(#"{"type":"hello","name":"Mina","token":"t","resume":"r"}"#.utf8))
            .isEqual(to: ClientMessages.Hello(name: "Mina", token: "t", resume: "r")))
        #expect(try ClientMessages.decode(Array(#"{"type":"chat","scope":"dm","text":"hi","to":4,"ref":"a"}"#.utf8))
            .isEqual(to: ClientMessages.Chat(scope: .dm, text: "hi", to: 4, ref: "a")))
        #expect(try ClientMessages.decode(Array(#"{"type":"emote","emote":"thumbs_up"}"#.utf8)).isEqual(to: ClientMessages.Emote(emote: .thumbsUp)))
        #expect(try ClientMessages.decode(Array(#"{"type":"who"}"#.utf8)).isEqual(to: ClientMessages.Who()))
        #expect(try ClientMessages.decode(Array(#"{"type":"leave","extra":1}"#.utf8)).isEqual(to: ClientMessages.Leave()))
    }

    @Test(arguments: [
        (#"not json"#, "bad_message"),
        (#"[1,2]"#, "bad_message"),
        (#"{"name":"x"}"#, "bad_message"),
        (#"{"type":"chat","scope":"everyone","text":"x"}"#, "bad_message"),
        (#"{"type":"chat","text":5}"#, "bad_message"),
        (#"{"type":"fly_away","x":1}"#, "unknown_type"),
        (#"{"type":"welcome"}"#, "unknown_type"),
    ])
    func refusesMalformedOrUnknownMessagesWithACode(json: String, code: String) {
        do {
            _ = try ClientMessages.decode(Array(json.utf8))
            Issue.record("decoded \(json)")
        } catch {
            #expect(error.code.rawValue == code)
        }
    }

    @Test(arguments: MessageSamples.server.indices)
    func everyServerMessageEncodesToTheBytesItAlwaysHad(index: Int) throws {
        let (message, json) = MessageSamples.server[index]
        #expect(String(decoding: message.encoded(), as: UTF8.self) == json)
        #expect(try ServerMessages.decode(Array(json.utf8)).isEqual(to: message))
    }

    @Test(arguments: MessageSamples.client.indices)
    func everyClientMessageEncodesToTheBytesItAlwaysHad(index: Int) throws {
        let (message, json) = MessageSamples.client[index]
        #expect(String(decoding: message.encoded(), as: UTF8.self) == json)
        #expect(try ClientMessages.decode(Array(json.utf8)).isEqual(to: message))
    }

    /// A message missing from the samples would go untested; one missing from the
    /// registry would not decode at all.
    @Test func theSamplesCoverEveryRegisteredMessageAndTypesAreUnique() {
        let server = ServerMessages.all.map { $0.type }
        let client = ClientMessages.all.map { $0.type }
        #expect(Set(server).count == server.count)
        #expect(Set(client).count == client.count)
        #expect(MessageSamples.server.map { $0.0.type } == server)
        #expect(MessageSamples.client.map { $0.0.type } == client)
    }

    @Test func equalityComparesTypeAndFields() {
        let ping = ClientMessages.Ping(t: 1)
        #expect(ping.isEqual(to: ClientMessages.Ping(t: 1)))
        #expect(!ping.isEqual(to: ClientMessages.Ping(t: 2)))
        #expect(!ClientMessages.QuizNext(ref: "a").isEqual(to: ClientMessages.QuizEnd(ref: "a")))
        #expect(!ping.isEqual(to: nil))
    }

    @Test func requestsAndRepliesExposeTheirRef() {
        var open: any ClientRequest = ClientMessages.ExhibitOpen(id: "wall", ref: "r1")
        open.ref = "r2"
        #expect(open.isEqual(to: ClientMessages.ExhibitOpen(id: "wall", ref: "r2")))
        let reply: any ServerMessage = ServerMessages.ModOK(action: "lock", ref: "r3")
        #expect((reply as? any ServerReply)?.ref == "r3")
    }

    @Test func sessionEndingErrorsHaveACloseCode() {
        #expect(ErrorCode.roomFull.closeCode == 4003)
        #expect(ErrorCode.badToken.closeCode == 4001)
        #expect(ErrorCode.rateLimited.closeCode == nil)
        #expect(ErrorCode.tooSlow.closeCode == 4011)
        #expect(EmoteKind(code: EmoteKind.party.code) == .party)
        #expect(EmoteKind(code: 0) == nil)
    }
}
