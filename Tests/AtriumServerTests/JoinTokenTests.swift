import AtriumStore
import Foundation
import Testing
@testable import AtriumServer

@Suite struct JoinTokenTests {
    let secret = ServerSecret(bytes: [UInt8](repeating: 7, count: 32))
    let now: Int64 = 1_800_000_000

    private func token(rooms: [String] = ["plaza"], expires: Int64? = nil) -> String {
        JoinToken(registration: "reg-1", rooms: rooms, expires: expires ?? now + 3600).signed(with: secret)
    }

    @Test func acceptsItsOwnTokenForTheRoom() throws {
        #expect(try JoinToken.verify(token(), secret: secret, room: "plaza", now: now).registration == "reg-1")
        #expect(try JoinToken.verify(token(rooms: ["*"]), secret: secret, room: "anything", now: now).registration == "reg-1")
    }

    @Test func refusesAForgedSignature() {
        let other = ServerSecret(bytes: [UInt8](repeating: 8, count: 32))
        let forged = JoinToken(registration: "reg-1", rooms: ["plaza"], expires: now + 3600).signed(with: other)
        #expect(throws: JoinToken.Refusal.forged) { try JoinToken.verify(forged, secret: secret, room: "plaza", now: now) }
        // A tampered payload with the old signature.
        var parts = token().split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(Array(#"{"reg":"admin","rooms":["*"],"exp":9999999999}"#.utf8))
        #expect(throws: JoinToken.Refusal.forged) { try JoinToken.verify(parts.joined(separator: "."), secret: secret, room: "plaza", now: now) }
    }

    @Test func refusesExpiredWrongRoomAndGarbage() {
        #expect(throws: JoinToken.Refusal.expired) { try JoinToken.verify(token(expires: now), secret: secret, room: "plaza", now: now) }
        #expect(throws: JoinToken.Refusal.wrongRoom) { try JoinToken.verify(token(), secret: secret, room: "stage", now: now) }
        for garbage in ["", "v1", "v2.a.b", "v1.!!.##", String(repeating: "a", count: 5000)] {
            #expect(throws: JoinToken.Refusal.self) { try JoinToken.verify(garbage, secret: secret, room: "plaza", now: now) }
        }
    }

    @Test func comparesSignaturesInConstantTimeShape() {
        #expect(ServerSecret.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!ServerSecret.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!ServerSecret.constantTimeEqual([1, 2, 3], [1, 2]))
    }

    @Test func createsTheSecretOnceWithMode0600() throws {
        let folder = NSTemporaryDirectory() + "atrium-secret-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try ServerSecret.loadOrCreate(dataDirectory: folder)
        let again = try ServerSecret.loadOrCreate(dataDirectory: folder)
        #expect(first.bytes == again.bytes && first.bytes.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/server.secret")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
}

@Suite struct InvitationCSVTests {
    @Test func importsGoodRowsAndNamesTheLineOfEachBadOne() {
        let csv = """
            Name,Email,Role\r
            김민지,minji@example.org,participant\r
            "Park, Joon",joon@example.org,presenter\r
            "Lee ""Sunny"" Kim",,moderator\r
            Broken Row,not-an-email,participant\r
            Too,many,fields,here\r
            Wrong Role,wr@example.org,superuser\r
            Duplicate,minji@example.org,participant\r
            ,empty@example.org,participant\r
            "Multi
            line",ml@example.org,\r

            """
        let (rows, problems) = Invitations.parseCSV(csv)
        #expect(rows.map(\.name) == ["김민지", "Park, Joon", "Lee \"Sunny\" Kim"])
        #expect(rows.first == Invitations.Row(line: 2, name: "김민지", email: "minji@example.org", role: "participant"))
        #expect(rows[1].role == "presenter" && rows[2].email == nil && rows[2].role == "moderator")
        // The quoted name spanning two lines starts on line 10 and is refused: names are one line.
        #expect(problems.map(\.line) == [5, 6, 7, 8, 9, 10])
        #expect(problems[5].message.contains("control characters"))
        #expect(problems[0].message.contains("not-an-email"))
        #expect(problems[1].message.contains("expected 3 fields"))
        #expect(problems[2].message.contains("superuser"))
        #expect(problems[3].message.contains("registered already"))
    }

    @Test func refusesAFileWithoutANameColumn() {
        let (rows, problems) = Invitations.parseCSV("email,role\r\na@b.c,participant\r\n")
        #expect(rows.isEmpty && problems.first?.line == 1)
    }

    @Test func skipsAddressesThatAreRegisteredAlready() {
        let (rows, problems) = Invitations.parseCSV("name,email\nA,a@example.org\nB,b@example.org\n", known: ["A@example.org"])
        #expect(rows.map(\.name) == ["B"])
        #expect(problems.map(\.line) == [2])
    }
}

@Suite struct FindMeTicketTests {
    let secret = ServerSecret(bytes: [UInt8](repeating: 7, count: 32))
    let now: Int64 = 1_800_000_000_000

    @Test func namesItsAvatarOnlyInItsOwnInstanceUntilItExpires() {
        let token = FindMeTicket(room: "plaza~2", avatar: 42, expires: now + 60_000).signed(with: secret)
        #expect(FindMeTicket.avatar(in: token, signer: secret, instance: "plaza~2", now: now) == 42)
        #expect(FindMeTicket.avatar(in: token, signer: secret, instance: "plaza", now: now) == nil)
        #expect(FindMeTicket.avatar(in: token, signer: secret, instance: "plaza~2", now: now + 60_000) == nil)
    }

    @Test func refusesAnotherSecretsTokensOtherKindsAndGarbage() {
        let other = ServerSecret(bytes: [UInt8](repeating: 8, count: 32))
        let forged = FindMeTicket(room: "plaza", avatar: 1, expires: now + 60_000).signed(with: other)
        #expect(FindMeTicket.avatar(in: forged, signer: secret, instance: "plaza", now: now) == nil)
        let joinToken = JoinToken(registration: "reg-1", rooms: ["*"], expires: now).signed(with: secret)
        for text in [joinToken, "", "near1", "near1.!!.##", String(repeating: "a", count: 5000)] {
            #expect(FindMeTicket.avatar(in: text, signer: secret, instance: "plaza", now: now) == nil)
        }
    }
}
