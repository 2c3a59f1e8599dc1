import Foundation
import Testing
@testable import AtriumServer

/// Known answers computed outside Swift (Python's `hmac` and `base64`), and the RFC 2104
/// example everyone quotes, so a token Atrium mints is one Janus accepts.
@Suite struct JanusTokenTests {
    let secret = "janus-stage-secret-0001"

    @Test func hmacSHA1MatchesTheKnownExample() {
        let digest = KeyedDigest.sha1(key: Array("key".utf8), message: Array("The quick brown fox jumps over the lazy dog".utf8))
        #expect(Data(digest).base64EncodedString() == "3nybhbi3iqa8ino29wqQcBydtNk=")
    }

    @Test func aCoreTokenNamesTheJanusRealmAndTheVideoRoomPlugin() {
        #expect(JanusToken.core(expires: 1_767_225_600, secret: secret)
                == "1767225600,janus,janus.plugin.videoroom:wHBUKmx7NVViFu4yD9ert8feBb8=")
    }

    @Test func aRoomTokenNamesThePluginRealmTheRoomAndItsExtras() {
        #expect(JanusToken.room(4242, expires: 1_767_225_600, secret: secret, extra: ["publisher=7"])
                == "1767225600,janus.plugin.videoroom,room=4242,publisher=7:hP3vLzmQI3GKMayHzC/xlo4DIhY=")
    }

    @Test func anotherSecretSignsDifferently() {
        #expect(JanusToken.core(expires: 1_767_225_600, secret: secret)
                != JanusToken.core(expires: 1_767_225_600, secret: secret + "x"))
    }

    @Test func roomNumbersAreStableBelowTwoToTheFiftyThreeAndDifferPerRoomAndSecret() {
        let hall = StageNaming.roomNumber(for: "expo-hall", secret: secret)
        #expect(hall == StageNaming.roomNumber(for: "expo-hall", secret: secret))
        #expect(hall > 0 && hall < 1 << 53)
        #expect(hall != StageNaming.roomNumber(for: "plaza", secret: secret))
        #expect(hall != StageNaming.roomNumber(for: "expo-hall", secret: secret + "x"))
        #expect(StageNaming.roomSecret(for: hall, secret: secret).count == 32)
    }
}
