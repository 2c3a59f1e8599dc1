import Testing
@testable import AtriumCluster

@Suite struct SeatTests {
    let signer = TestSigner(key: 42)
    let hall2 = RoomInstance(room: "hall", number: 2)
    let now: Int64 = 1_800_000_000_000

    private func seat(node: String = "b", generation: Int64 = 5, expires: Int64? = nil) -> String {
        Seat(instance: hall2, node: node, generation: generation, expires: expires ?? now + 30_000).signed(with: signer)
    }

    private func verify(_ text: String, node: String = "b", instance: RoomInstance? = nil, hosting: Int64? = 5) throws(Seat.Refusal) -> Seat {
        try Seat.verify(text, signer: signer, node: node, instance: instance ?? hall2, hosting: hosting, now: now)
    }

    @Test func theNodeItNamesAcceptsAGenuineSeat() throws {
        let accepted = try verify(seat())
        #expect(accepted.roomInstance == hall2 && accepted.node == "b" && accepted.generation == 5)
    }

    @Test func anotherNodeRefusesItSoAMisroutedJoinCannotRunTheRoomTwice() {
        #expect(throws: Seat.Refusal.otherNode("b")) { try verify(seat(), node: "a") }
    }

    @Test func aSeatFromBeforeTheRoomMovedIsRefused() {
        #expect(throws: Seat.Refusal.notHosted) { try verify(seat(generation: 4)) }
        #expect(throws: Seat.Refusal.notHosted) { try verify(seat(), hosting: nil) }
    }

    @Test func refusesExpiredForgedAndOtherRoomSeats() {
        #expect(throws: Seat.Refusal.expired) { try verify(seat(expires: now)) }
        #expect(throws: Seat.Refusal.otherRoom) { try verify(seat(), instance: RoomInstance(room: "hall")) }
        let forged = Seat(instance: hall2, node: "b", generation: 5, expires: now + 30_000).signed(with: TestSigner(key: 43))
        #expect(throws: Seat.Refusal.forged) { try verify(forged) }
        var parts = seat().split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(Array(#"{"exp":9999999999999,"gen":5,"inst":2,"node":"b","room":"hall"}"#.utf8))
        #expect(throws: Seat.Refusal.forged) { try verify(parts.joined(separator: ".")) }
        for garbage in ["", "seat1", "seat1.a.b.c", "seat1.!!.##", String(repeating: "a", count: 5000)] {
            #expect(throws: Seat.Refusal.malformed) { try verify(garbage) }
        }
    }

    @Test func aSignedValueOfOneKindIsNotAcceptedAsAnother() {
        let ticket = ResumeTicket(room: "hall", person: "p", registration: nil, name: "Mina", appearance: 2, expires: now + 60_000,
                                  nonce: "n").signed(with: signer)
        #expect(throws: Seat.Refusal.malformed) { try verify(ticket) }
        #expect(ResumeTicket.verify(seat(), signer: signer, room: "hall", now: now) == nil)
    }

    @Test func anyNodeReadsAResumeTicketForItsRoomUntilItExpires() {
        let ticket = ResumeTicket(room: "hall", person: "guest-1", registration: nil, name: "Mina", appearance: 2,
                                  expires: now + 60_000, nonce: "abc")
        let text = ticket.signed(with: signer)
        #expect(ResumeTicket.verify(text, signer: signer, room: "hall", now: now) == ticket)
        #expect(ResumeTicket.verify(text, signer: signer, room: "stage", now: now) == nil)
        #expect(ResumeTicket.verify(text, signer: signer, room: "hall", now: now + 60_000) == nil)
        #expect(ResumeTicket.verify(text, signer: TestSigner(key: 1), room: "hall", now: now) == nil)
    }

    @Test(arguments: [("hall", RoomInstance(room: "hall")), ("hall~2", RoomInstance(room: "hall", number: 2)),
                      ("a~b~12", RoomInstance(room: "a~b", number: 12))])
    func instanceKeysRoundTrip(key: String, instance: RoomInstance) {
        #expect(RoomInstance(key: key) == instance)
        #expect(instance.key == key)
    }

    @Test(arguments: ["", "~2", "hall~1", "hall~0", "hall~02", "hall~1000", "hall~x"])
    func malformedInstanceKeysAreRefused(key: String) {
        #expect(RoomInstance(key: key) == nil)
    }

    @Test func nodeNamesAreSafeInPathsAndConfigs() {
        #expect(NodeName.isValid("a") && NodeName.isValid("node-2"))
        for bad in ["", "A", "2a", "a b", "a/b", "a.b", String(repeating: "a", count: 33)] { #expect(!NodeName.isValid(bad)) }
    }
}
