import Foundation
import Testing
@testable import AtriumServer

@Suite struct TurnCredentialTests {
    /// RFC 2202, test case 2, for the HMAC-SHA1 underneath.
    @Test func hmacSHA1MatchesRFC2202() {
        let digest = KeyedDigest.sha1(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(digest.map { String(format: "%02x", $0) }.joined() == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    /// The answer computed independently with Python's `hmac` and `base64` modules, the way
    /// coturn checks a `use-auth-secret` credential.
    @Test func mintsTheTurnRESTCredential() {
        let credential = TurnCredential.mint(secret: Array("north-hall-turn-secret".utf8), user: "42", now: 1_700_000_000, ttl: 3600)
        #expect(credential == TurnCredential(username: "1700003600:42", password: "X/JuEvWAR9r1X03FlT/pVXmbb1o=",
                                             expires: 1_700_003_600))
    }

    @Test func turnIsOfferedOnlyWithItsSecretAndStunAlone() {
        let none = IceConfiguration().servers(for: "1", now: 0)
        #expect(none.servers.isEmpty && none.expires == nil)
        let stun = IceConfiguration(stunURLs: ["stun:127.0.0.1:3478"], turnURLs: ["turn:127.0.0.1:3478"])
        #expect(stun.servers(for: "1", now: 0).servers == [.init(urls: ["stun:127.0.0.1:3478"])])
        let turn = IceConfiguration(turnURLs: ["turn:127.0.0.1:3478"], turnSecret: Array("s".utf8), ttl: 600)
        let given = turn.servers(for: "7", now: 1000)
        #expect(given.expires == 1600)
        #expect(given.servers.map(\.urls) == [["turn:127.0.0.1:3478"]])
        #expect(given.servers.first?.username == "1600:7")
    }

    @Test func theSecretComesFromTheFirstLineOfItsFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("turn-\(UUID().uuidString).secret").path
        try Data("  north-hall-turn-secret \nignored\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = try ConfigurationLoader.load(file: nil, environment: [
            "ATRIUM_AV_TURN_URLS": "turn:127.0.0.1:3478", "ATRIUM_AV_TURN_SECRET_FILE": path, "ATRIUM_AV_TURN_TTL": "600",
        ])
        let ice = try IceConfiguration.load(configuration)
        #expect(ice.turnSecret == Array("north-hall-turn-secret".utf8) && ice.ttl == 600)
        configuration.turnSecretFile = path + ".missing"
        #expect(throws: ConfigurationError.self) { try IceConfiguration.load(configuration) }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: nil, environment: ["ATRIUM_AV_TURN_URLS": "turn:127.0.0.1:3478"])
        }
    }
}
